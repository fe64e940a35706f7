import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dig } from '../helpers/dns-client.js';
import { newLabDir, runCli, startLiveServer, waitFor, writeFileAtomic, type LiveServer } from '../helpers/live-server.js';

// A watch session as a new user has it: one file broken while others are edited, added and applied;
// the state file kept inside the watched directory across ten changes and a restart.

const service = (name: string, ip: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  clusterIP: ${ip}\n  ports: [{name: http, port: 80}]\n`;
const BROKEN_ALPHA = 'apiVersion: v1\nkind: Service\nmetadata: {name: alpha\nspec:\n  clusterIP: 10.96.10.99\n';
const addressOf = async (srv: LiveServer, name: string) => (await dig(['@127.0.0.1', '-p', String(srv.port), '+short', '+tries=1', '+time=2', `${name}.default.svc.cluster.local`])).trim();
const servedAs = async (srv: LiveServer, name: string, ip: string) => (await waitFor(async () => ((await addressOf(srv, name)) === ip ? ip : undefined), 5000)) ?? (await addressOf(srv, name));
const logLines = (srv: LiveServer) => srv.stdout().split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l) as { level: number; msg: string; file?: string }; } catch { return { level: 0, msg: l }; } });
const get = async (srv: LiveServer, path: string) => (await fetch(`${srv.adminUrl}${path}`)).text();
const errorGauge = async (srv: LiveServer) => Number(/^kube_dns_sim_manifest_errors (\d+)$/m.exec(await get(srv, '/metrics'))?.[1]);

describe('a broken file while other files change, with the state file inside the watched directory', () => {
  let lab: ReturnType<typeof newLabDir>;
  let srv: LiveServer;
  let statePath: string;
  beforeAll(async () => {
    lab = newLabDir({ 'alpha.yaml': service('alpha', '10.96.10.1'), 'beta.yaml': service('beta', '10.96.10.2') });
    statePath = join(lab.manifests, 'state.json');
    srv = await startLiveServer(lab.manifests, statePath);
  });
  afterAll(async () => {
    if (srv) await srv.stop();
    lab.cleanup();
  });

  it('says once at start that the state file inside the watched directory is not a manifest', () => {
    expect(logLines(srv).filter((l) => l.msg.includes('never read as manifests'))).toHaveLength(1);
    expect(srv.stderr()).not.toMatch(/state\.json/);
  });

  it('a broken file keeps its last good objects, other files\' edits apply, and the error stays visible', async () => {
    writeFileAtomic(join(lab.manifests, 'alpha.yaml'), BROKEN_ALPHA);
    const logged = await waitFor(async () => logLines(srv).find((l) => l.msg.startsWith('manifest errors in') && l.msg.includes('alpha.yaml')), 5000);
    expect(logged?.level).toBe(50);
    expect(logged?.msg).toMatch(/its last good objects keep serving \(Service default\/alpha\) until it is fixed/);
    expect(srv.stderr()).toMatch(/alpha\.yaml:\d+:\d+: error YAML_\w+:/);
    expect(await addressOf(srv, 'alpha')).toBe('10.96.10.1');

    writeFileAtomic(join(lab.manifests, 'beta.yaml'), service('beta', '10.96.10.22'));
    expect(await servedAs(srv, 'beta', '10.96.10.22')).toBe('10.96.10.22');
    writeFileAtomic(join(lab.manifests, 'gamma.yaml'), service('gamma', '10.96.10.3'));
    expect(await servedAs(srv, 'gamma', '10.96.10.3')).toBe('10.96.10.3');
    expect(await addressOf(srv, 'alpha')).toBe('10.96.10.1');

    expect(await errorGauge(srv)).toBeGreaterThan(0);
    const items = JSON.parse(await get(srv, '/sim/v1/manifest-errors')).items as { file: string; kept: { name: string }[]; errors: { code: string; line: number }[] }[];
    expect(items.map((i) => [i.file.endsWith('alpha.yaml'), i.kept.map((k) => k.name)])).toEqual([[true, ['alpha']]]);
    expect(items[0].errors[0].line).toBeGreaterThan(0);
    const explained = await runCli(['explain', 'alpha', '--server', srv.adminUrl]);
    expect(explained.stdout).toMatch(/manifest errors: \S*alpha\.yaml has errors \(.*error YAML_\w+.*\): it defines Service default\/alpha; its last good version is served until the file is fixed/);
  });

  it('the same object defined in a good file wins over the broken file\'s copy', async () => {
    writeFileAtomic(join(lab.manifests, 'alpha-moved.yaml'), service('alpha', '10.96.10.7'));
    expect(await servedAs(srv, 'alpha', '10.96.10.7')).toBe('10.96.10.7');
    const items = JSON.parse(await get(srv, '/sim/v1/manifest-errors')).items as { kept: unknown[]; shadowed: { name: string }[] }[];
    expect(items.map((i) => [i.kept.length, i.shadowed.map((s) => s.name)])).toEqual([[0, ['alpha']]]);
  });

  it('fixing the file applies it and clears the error everywhere', async () => {
    writeFileAtomic(join(lab.manifests, 'alpha-moved.yaml'), service('alpha-two', '10.96.10.8'));
    writeFileAtomic(join(lab.manifests, 'alpha.yaml'), service('alpha', '10.96.10.11'));
    expect(await servedAs(srv, 'alpha', '10.96.10.11')).toBe('10.96.10.11');
    expect(await waitFor(async () => logLines(srv).find((l) => /^manifest errors in \S*alpha\.yaml cleared$/.test(l.msg)), 5000)).toBeDefined();
    expect(await errorGauge(srv)).toBe(0);
    expect(JSON.parse(await get(srv, '/sim/v1/manifest-errors')).items).toEqual([]);
    expect((await runCli(['explain', 'alpha', '--server', srv.adminUrl])).stdout).not.toMatch(/manifest errors/);
  });

  it('apply of several objects with one invalid applies the valid ones and names the failed one', async () => {
    const text = `${service('applied-ok', '10.96.10.50')}---\napiVersion: v1\nkind: Service\nmetadata: {name: applied-bad}\nspec: {clusterIP: 10.96.10.51, ports: [{port: 99999}]}\n`;
    const res = await fetch(`${srv.adminUrl}/sim/v1/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ file: 'two.yaml', text }) });
    const body = (await res.json()) as { message: string; findings: { code: string }[] };
    expect(res.status).toBe(422);
    expect(body.message.split('\n')[0]).toBe('service/applied-ok created');
    expect(body.message).toMatch(/^error: Service "applied-bad" was not applied: two\.yaml:\d+:\d+: error PORT_OUT_OF_RANGE/m);
    expect(await addressOf(srv, 'applied-ok')).toBe('10.96.10.50');
    expect(await addressOf(srv, 'applied-bad')).toBe('');
  });

  it('ten changes with the state file in the watched directory all apply; a restart reads it back and not as a manifest', async () => {
    for (let i = 0; i < 10; i++) {
      writeFileAtomic(join(lab.manifests, 'beta.yaml'), service('beta', `10.96.10.${100 + i}`));
      expect(await servedAs(srv, 'beta', `10.96.10.${100 + i}`), `change ${i + 1}`).toBe(`10.96.10.${100 + i}`);
    }
    expect(existsSync(statePath)).toBe(true);
    expect(readdirSync(lab.manifests).filter((f) => f.includes('state.json')).every((f) => f === 'state.json' || f === 'state.json.d' || f.startsWith('.state.json.'))).toBe(true);
    expect(logLines(srv).filter((l) => l.msg.includes('state.json') && l.msg.startsWith('manifest errors'))).toEqual([]);
    expect(srv.stderr()).not.toMatch(/state\.json/);
    expect(await srv.stop()).toBe(0);

    srv = await startLiveServer(lab.manifests, statePath);
    expect(logLines(srv).filter((l) => l.msg.startsWith('state restored from'))).toHaveLength(1);
    expect(logLines(srv).filter((l) => l.msg.includes('never read as manifests'))).toHaveLength(1);
    expect(srv.stderr()).not.toMatch(/state\.json/);
    expect(await addressOf(srv, 'beta')).toBe('10.96.10.109');
    expect(await addressOf(srv, 'applied-ok')).toBe('10.96.10.50');
    writeFileAtomic(join(lab.manifests, 'beta.yaml'), service('beta', '10.96.10.110'));
    expect(await servedAs(srv, 'beta', '10.96.10.110')).toBe('10.96.10.110');
    expect(await errorGauge(srv)).toBe(0);
  });
});
