import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeQuery, toZoneLines, udpExchange } from '../helpers/dns-client.js';
import { newLabDir, runCli, startLiveServer, waitFor, type LiveServer } from '../helpers/live-server.js';
import { startCliServer, type CliServer } from '../helpers/server.js';

/**
 * kube-dns-sim following kube-dns-sim: a second server started with `--kubeconfig` pointing at the
 * first one's Kubernetes API answers the same names, and follows a scale-down through its watch.
 */

const NAMES: [string, string][] = [
  ['myweb-svc.default.svc.cluster.local', 'A'],
  ['myweb-svc-headless.default.svc.cluster.local', 'A'],
  ['myweb-sts-0.myweb-svc-headless.default.svc.cluster.local', 'A'],
  ['myweb-sts-2.myweb-svc-headless.default.svc.cluster.local', 'A'],
  ['myweb-sts-vol-1.myweb-svc-headless.default.svc.cluster.local', 'A'],
  ['kube-dns.kube-system.svc.cluster.local', 'A'],
  ['_dns._udp.kube-dns.kube-system.svc.cluster.local', 'SRV'],
  ['myweb-svc.default.svc.cluster.local', 'SRV'],
  ['nope.default.svc.cluster.local', 'A'],
];

async function answer(port: number, name: string, type: string): Promise<string> {
  const reply = await udpExchange(port, encodeQuery(name, { type }), 2000);
  if (!reply) return 'no reply';
  return `${decodeReply(reply).rcode ?? 'NOERROR'} ${toZoneLines(reply).sort().join(' | ')}`;
}

describe('serve --kubeconfig pointing at another kube-dns-sim', () => {
  const lab = newLabDir();
  const dir = mkdtempSync(join(tmpdir(), 'kds-follow-'));
  let first: LiveServer;
  let second: CliServer;

  beforeAll(async () => {
    first = await startLiveServer(lab.manifests, lab.statePath);
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster: {server: "${first.adminUrl}"}\ncontexts:\n- name: sim\n  context: {cluster: sim, user: me}\nusers:\n- name: me\n  user: {}\ncurrent-context: sim\n`);
    second = await startCliServer(['--kubeconfig', kubeconfig, '--context', 'sim', '--port', '0', '--admin', '127.0.0.1:0'], { timeoutMs: 15_000 });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    lab.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every name as the first server does', async () => {
    for (const [name, type] of NAMES) expect(`${name} ${type}: ${await answer(second.port, name, type)}`).toBe(`${name} ${type}: ${await answer(first.port, name, type)}`);
  });

  it('follows a scale-down made through the first server\'s API', async () => {
    const name = 'myweb-sts-2.myweb-svc-headless.default.svc.cluster.local';
    expect(await answer(second.port, name, 'A')).toMatch(/^NOERROR .* IN A 10\.244\./);
    const r = await runCli(['--server', first.adminUrl, 'scale', 'sts', 'myweb-sts', '--replicas', '1']);
    expect(r).toMatchObject({ code: 0, stdout: 'statefulset.apps/myweb-sts scaled\n' });
    const gone = await waitFor(async () => ((await answer(second.port, name, 'A')).startsWith('NXDOMAIN') ? true : undefined), 5000);
    expect(gone).toBe(true);
    const headless = 'myweb-svc-headless.default.svc.cluster.local';
    expect(await answer(second.port, headless, 'A')).toBe(await answer(first.port, headless, 'A'));
  });
});
