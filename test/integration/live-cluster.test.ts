import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dig } from '../helpers/dns-client.js';
import { newLabDir, runCli, startLiveServer, waitFor, writeFileAtomic, type LiveServer } from '../helpers/live-server.js';

const HEADLESS = 'myweb-svc-headless.default.svc.cluster.local';
const digShort = async (port: number, name: string, type = 'A') => (await dig(['@127.0.0.1', '-p', String(port), '+short', '+tries=1', '+time=2', name, type])).trim().split('\n').filter(Boolean).sort();

const STS_ONLY = {
  'svc-headless.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: myweb-svc-headless}\nspec:\n  clusterIP: None\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n',
  'sts.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: myweb-sts}\nspec:\n  replicas: 3\n  serviceName: myweb-svc-headless\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: myweb, image: x, ports: [{containerPort: 8080}]}]}\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1G}}}\n',
};

async function podIPs(srv: LiveServer): Promise<Map<string, string>> {
  const r = await runCli(['get', 'pods', '-o', 'json', '--server', srv.adminUrl]);
  expect(r.code).toBe(0);
  return new Map((JSON.parse(r.stdout).items as { metadata: { name: string }; status: { podIP: string } }[]).map((p) => [p.metadata.name, p.status.podIP]));
}

describe('a StatefulSet changed while it serves (pod-ready-delay 700ms)', () => {
  let lab: ReturnType<typeof newLabDir>;
  let srv: LiveServer;
  beforeAll(async () => {
    lab = newLabDir(STS_ONLY);
    // Long enough that a poll (two dig runs) lands while myweb-sts-3 is ready and myweb-sts-4 not yet, on a loaded machine too.
    srv = await startLiveServer(lab.manifests, lab.statePath, ['--pod-ready-delay', '700ms']);
    expect(await waitFor(async () => ((await digShort(srv.port, HEADLESS)).length === 3 ? true : undefined), 5000)).toBe(true);
  });
  afterAll(async () => {
    expect(await srv.stop()).toBe(0);
    lab.cleanup();
  });

  it('scale 3 → 5 → 3: dig sees the added pods appear in ordinal order, then leave highest first', async () => {
    const scale = await runCli(['scale', 'statefulset', 'myweb-sts', '--replicas', '5', '--server', srv.adminUrl]);
    expect(scale).toMatchObject({ code: 0, stdout: 'statefulset.apps/myweb-sts scaled\n' });
    const seen: string[][] = [];
    await waitFor(async () => {
      const names = [];
      for (const ord of [3, 4]) if ((await digShort(srv.port, `myweb-sts-${ord}.${HEADLESS}`)).length > 0) names.push(`myweb-sts-${ord}`);
      seen.push(names);
      return names.length === 2 ? true : undefined;
    }, 5000, 20);
    expect(seen.at(-1)).toEqual(['myweb-sts-3', 'myweb-sts-4']);
    // Never sts-4 without sts-3, and at some observation sts-3 alone (the delay made the order visible).
    expect(seen.some((s) => s.includes('myweb-sts-4') && !s.includes('myweb-sts-3'))).toBe(false);
    expect(seen.some((s) => s.length === 1 && s[0] === 'myweb-sts-3')).toBe(true);
    expect(await digShort(srv.port, HEADLESS)).toHaveLength(5);

    expect((await runCli(['scale', 'sts', 'myweb-sts', '--replicas', '3', '--server', srv.adminUrl])).code).toBe(0);
    const down: number[][] = [];
    await waitFor(async () => {
      const present = [];
      for (const ord of [3, 4]) if ((await digShort(srv.port, `myweb-sts-${ord}.${HEADLESS}`)).length > 0) present.push(ord);
      down.push(present);
      return present.length === 0 ? true : undefined;
    }, 5000, 20);
    expect(down.at(-1)).toEqual([]);
    expect(down.some((p) => p.includes(4) && !p.includes(3))).toBe(false);
    expect(await digShort(srv.port, HEADLESS)).toHaveLength(3);
    const pvc = await runCli(['get', 'pvc', '--server', srv.adminUrl]);
    expect(pvc.stdout).toMatch(/data-myweb-sts-4\s+Bound\s+pvc-/); // claims stay after scale-down (Retain)
  });

  it('delete myweb-sts-1: the same name answers again with a new IP, and the claim is the same', async () => {
    const name = `myweb-sts-1.${HEADLESS}`;
    const [before] = await digShort(srv.port, name);
    const claimBefore = (await runCli(['get', 'pvc', '-o', 'json', '--server', srv.adminUrl])).stdout;
    const del = await runCli(['delete', 'pod', 'myweb-sts-1', '--server', srv.adminUrl]);
    expect(del).toMatchObject({ code: 0, stdout: 'pod "myweb-sts-1" deleted\n' });
    const after = await waitFor(async () => {
      const a = await digShort(srv.port, name);
      return a.length === 1 && a[0] !== before ? a[0] : undefined;
    }, 5000);
    expect(after).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(after).not.toBe(before);
    expect((await podIPs(srv)).get('myweb-sts-1')).toBe(after);
    const vol = (t: string) => (JSON.parse(t).items as { metadata: { name: string }; spec: { volumeName: string } }[]).find((c) => c.metadata.name === 'data-myweb-sts-1')!.spec.volumeName;
    expect(vol((await runCli(['get', 'pvc', '-o', 'json', '--server', srv.adminUrl])).stdout)).toBe(vol(claimBefore));
  });

  it('readiness false takes a pod out of the headless answer; true brings it back', async () => {
    const ip = (await podIPs(srv)).get('myweb-sts-0')!;
    expect((await runCli(['readiness', 'pod', 'myweb-sts-0', 'false', '--server', srv.adminUrl])).code).toBe(0);
    expect(await digShort(srv.port, HEADLESS)).not.toContain(ip);
    const get = await runCli(['get', 'pods', '--server', srv.adminUrl]);
    expect(get.stdout).toMatch(/myweb-sts-0\s+0\/1\s+Running/);
    expect(get.stderr).toContain('pod default/myweb-sts-0: readiness forced false');
    expect((await runCli(['readiness', 'pod', 'myweb-sts-0', 'true', '--server', srv.adminUrl])).code).toBe(0);
    expect(await digShort(srv.port, HEADLESS)).toContain(ip);
  });

  it('errors come back in kubectl words with exit code 1; an unreachable server is exit 3', async () => {
    const r = await runCli(['delete', 'pod', 'nope', '--server', srv.adminUrl]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    const s = await runCli(['scale', 'statefulset', 'nope', '--replicas', '2', '--server', srv.adminUrl]);
    expect(s.code).toBe(1);
    const u = await runCli(['get', 'pods', '--server', 'http://127.0.0.1:9']);
    expect(u.code).toBe(3);
    expect(u.stderr).toContain('cannot reach the server');
  });
});

describe('manifest files changed while serving', () => {
  let lab: ReturnType<typeof newLabDir>;
  let srv: LiveServer;
  const svcFile = () => join(lab.manifests, '01-myweb-svc.yaml');
  const svcAt = (ip: string) => readFileSync(svcFile(), 'utf8').replace(/spec:\n/, `spec:\n  clusterIP: ${ip}\n`).replace(/clusterIP: [\d.]+\n(\s+clusterIP: [\d.]+\n)/, '$1');
  let original: string;
  beforeAll(async () => {
    lab = newLabDir();
    original = readFileSync(join(lab.manifests, '01-myweb-svc.yaml'), 'utf8');
    srv = await startLiveServer(lab.manifests, lab.statePath);
  });
  afterAll(async () => {
    expect(await srv.stop()).toBe(0);
    lab.cleanup();
  });

  it('an edited file changes the answer within a second; a broken file keeps the old answers', async () => {
    writeFileAtomic(svcFile(), original.replace(/spec:\n/, 'spec:\n  clusterIP: 10.96.200.200\n'));
    const changed = await waitFor(async () => ((await digShort(srv.port, 'myweb-svc.default.svc.cluster.local'))[0] === '10.96.200.200' ? true : undefined), 1000);
    expect(changed).toBe(true);
    expect(srv.stdout()).toContain('service default/myweb-svc: 10.96.200.200');

    const headlessBefore = await digShort(srv.port, HEADLESS);
    writeFileAtomic(svcFile(), 'apiVersion: v1\nkind: Service\nmetadata: {name: myweb-svc\nspec: [broken\n');
    writeFileAtomic(join(lab.manifests, '04-myweb-sts.yaml'), 'kind: StatefulSet\nmetadata:\n  name: 1nvalid_Name\n');
    expect(await waitFor(async () => (srv.stdout().includes('manifest errors in') ? true : undefined), 2000)).toBe(true);
    expect(await digShort(srv.port, 'myweb-svc.default.svc.cluster.local')).toEqual(['10.96.200.200']);
    expect(await digShort(srv.port, HEADLESS)).toEqual(headlessBefore);
    expect(await digShort(srv.port, `myweb-sts-0.${HEADLESS}`)).toHaveLength(1);
  });

  it('a removed file removes its objects; an added file adds them', async () => {
    writeFileAtomic(svcFile(), original);
    writeFileAtomic(join(lab.manifests, '04-myweb-sts.yaml'), readFileSync(new URL('../../manifests/04-myweb-sts.yaml', import.meta.url), 'utf8'));
    writeFileSync(join(lab.manifests, 'extra.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: extra}\nspec:\n  clusterIP: 10.96.201.201\n  ports: [{port: 80}]\n');
    expect(await waitFor(async () => ((await digShort(srv.port, 'extra.default.svc.cluster.local'))[0] === '10.96.201.201' ? true : undefined), 2000)).toBe(true);
    rmSync(join(lab.manifests, 'extra.yaml'));
    expect(await waitFor(async () => ((await digShort(srv.port, 'extra.default.svc.cluster.local')).length === 0 ? true : undefined), 2000)).toBe(true);
  });

  it('a scale overlay survives a reload of an unrelated file and gives way when its own file changes', async () => {
    expect((await runCli(['scale', 'sts', 'myweb-sts', '--replicas', '4', '--server', srv.adminUrl])).code).toBe(0);
    expect(await digShort(srv.port, `myweb-sts-3.${HEADLESS}`)).toHaveLength(1);
    writeFileAtomic(svcFile(), svcAt('10.96.202.202'));
    expect(await waitFor(async () => ((await digShort(srv.port, 'myweb-svc.default.svc.cluster.local'))[0] === '10.96.202.202' ? true : undefined), 2000)).toBe(true);
    expect(await digShort(srv.port, `myweb-sts-3.${HEADLESS}`)).toHaveLength(1);
    const sts = await runCli(['get', 'sts', '-o', 'json', '--server', srv.adminUrl]);
    const item = JSON.parse(sts.stdout).items.find((i: { metadata: { name: string } }) => i.metadata.name === 'myweb-sts');
    expect(item.metadata.annotations['kube-dns-sim/overlay']).toBe('replicas 4 (files: 3)');
    const stsFile = join(lab.manifests, '04-myweb-sts.yaml');
    writeFileAtomic(stsFile, readFileSync(stsFile, 'utf8').replace('replicas: 3', 'replicas: 2'));
    expect(await waitFor(async () => ((await digShort(srv.port, `myweb-sts-2.${HEADLESS}`)).length === 0 ? true : undefined), 2000)).toBe(true);
    expect(srv.stdout()).toContain('overlay dropped: statefulset default/myweb-sts changed in its file');
  });

  it('apply -f adds objects; get -o json prints kubectl-shaped lists', async () => {
    const file = join(lab.dir, 'applied.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata: {name: applied}\nspec:\n  clusterIP: 10.96.203.203\n  ports: [{port: 53, protocol: UDP}]\n');
    const r = await runCli(['apply', '-f', file, '--server', srv.adminUrl]);
    expect(r).toMatchObject({ code: 0, stdout: 'service/applied created\n' });
    expect(await digShort(srv.port, 'applied.default.svc.cluster.local')).toEqual(['10.96.203.203']);
    const again = await runCli(['apply', '-f', file, '--server', srv.adminUrl]);
    expect(again.stdout).toBe('service/applied unchanged\n');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata: {name: "Bad_Name"}\n');
    const bad = await runCli(['apply', '-f', file, '--server', srv.adminUrl]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('NAME_INVALID');

    const pods = JSON.parse((await runCli(['get', 'pods', '-o', 'json', '--server', srv.adminUrl])).stdout);
    expect(pods).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    const sts0 = pods.items.find((p: { metadata: { name: string } }) => p.metadata.name === 'myweb-sts-0');
    expect(sts0).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'myweb-sts-0', namespace: 'default', ownerReferences: [{ kind: 'StatefulSet', name: 'myweb-sts' }] },
      spec: { hostname: 'myweb-sts-0', subdomain: 'myweb-svc-headless' },
      status: { phase: 'Running', conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })]) },
    });
    expect(sts0.status.podIP).toMatch(/^10\.244\./);
    const yaml = await runCli(['get', 'svc', '-o', 'yaml', '--server', srv.adminUrl]);
    // kubectl prints a list's keys in order: apiVersion, items, kind, metadata.
    expect(yaml.stdout).toMatch(/^apiVersion: v1\nitems:\n/);
    expect(yaml.stdout).toMatch(/\nkind: List\nmetadata:\n {2}resourceVersion: ""\n$/);
    const wide = await runCli(['get', 'pods', '-o', 'wide', '--server', srv.adminUrl]);
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    const eps = await runCli(['get', 'endpointslices', '-n', 'kube-system', '--server', srv.adminUrl]);
    expect(eps.stdout).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\nkube-dns-\w+\s+IPv4/);
  });
});

describe('state file across restarts', () => {
  it('pods keep their IPs and claims their binding; a truncated state file is set aside and reported', async () => {
    const lab = newLabDir();
    try {
      let srv = await startLiveServer(lab.manifests, lab.statePath);
      await runCli(['delete', 'pod', 'myweb-sts-vol-1', '--server', srv.adminUrl]);
      await runCli(['scale', 'sts', 'myweb-sts', '--replicas', '4', '--server', srv.adminUrl]);
      const ips = await podIPs(srv);
      const claims = (await runCli(['get', 'pvc', '--server', srv.adminUrl])).stdout;
      expect(await srv.stop()).toBe(0);
      expect(JSON.parse(readFileSync(lab.statePath, 'utf8')).version).toBe(2);

      srv = await startLiveServer(lab.manifests, lab.statePath);
      expect(await podIPs(srv)).toEqual(ips);
      expect(ips.size).toBe(3 + 4 + 3);
      expect((await runCli(['get', 'pvc', '--server', srv.adminUrl])).stdout.replace(/\s+\S+\n/g, '\n')).toBe(claims.replace(/\s+\S+\n/g, '\n'));
      expect(await digShort(srv.port, `myweb-sts-vol-1.${HEADLESS}`)).toEqual([ips.get('myweb-sts-vol-1')]);
      expect(await srv.stop()).toBe(0);

      const text = readFileSync(lab.statePath, 'utf8');
      writeFileSync(lab.statePath, text.slice(0, Math.floor(text.length / 2)));
      srv = await startLiveServer(lab.manifests, lab.statePath);
      expect(srv.stdout()).toMatch(/state file .* is unusable \(not valid JSON/);
      const aside = readdirSync(dirname(lab.statePath)).filter((f) => f.startsWith('state.json.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dirname(lab.statePath), aside[0]), 'utf8')).toBe(text.slice(0, Math.floor(text.length / 2)));
      expect((await podIPs(srv)).size).toBe(3 + 3 + 3);
      expect(await srv.stop()).toBe(0);
      expect(existsSync(lab.statePath)).toBe(true);
    } finally {
      lab.cleanup();
    }
  });
});
