import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeQuery, udpExchange } from '../helpers/dns-client.js';
import { writeFileAtomic, waitFor } from '../helpers/live-server.js';
import { AS_NOBODY, getCliReadableByNobody } from '../helpers/nobody.js';
import { startCliServer, type CliServer } from '../helpers/server.js';

const service = (name: string, ip: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  clusterIP: ${ip}\n  ports:\n    - name: http\n      port: 80\n`;

/**
 * The server runs as user nobody: as root, permissions would not stop it reading (chmod 000 means
 * nothing to root). The manifests belong to root and are world-readable until a step says otherwise.
 */
describe('manifest directory faults: the server keeps the last good state and says why', () => {
  const root = mkdtempSync(join(tmpdir(), 'kds8-faults-'));
  const dir = join(root, 'manifests');
  const sub = join(dir, 'sub');
  const named = join(root, 'other', 'gamma.yaml');
  const asRoot = process.getuid?.() === 0;
  const nobody = asRoot ? getCliReadableByNobody() : { cli: undefined, cleanup: () => {} };
  let srv: CliServer;

  const answer = async (name: string): Promise<string> => {
    const reply = await udpExchange(srv.port, encodeQuery(`${name}.default.svc.cluster.local`), 1000);
    if (!reply) return 'timeout';
    const p = decodeReply(reply);
    return p.rcode === 'NOERROR' ? String(p.answers?.find((a) => a.type === 'A')?.data ?? 'NODATA') : String(p.rcode);
  };
  const rejections = () => srv.stdout().split('\n').filter((l) => l.includes('manifest errors in')).length;
  /** Does `act`, then waits until the server has rejected the reload it caused. */
  const expectRejected = async (act: () => void): Promise<void> => {
    const before = rejections();
    act();
    expect(await waitFor(async () => (rejections() > before ? true : undefined), 5000), 'no "manifest errors in" in the log').toBe(true);
  };
  const expectServed = async (name: string, ip: string): Promise<void> => {
    const got = await waitFor(async () => ((await answer(name)) === ip ? ip : undefined), 5000);
    expect(got ?? (await answer(name))).toBe(ip);
  };

  beforeAll(async () => {
    mkdirSync(sub, { recursive: true });
    mkdirSync(join(root, 'other'));
    writeFileSync(join(dir, 'alpha.yaml'), service('alpha', '10.96.10.1'));
    writeFileSync(join(sub, 'beta.yaml'), service('beta', '10.96.10.2'));
    writeFileSync(named, service('gamma', '10.96.10.3'));
    for (const d of [root, dir, sub, join(root, 'other')]) chmodSync(d, 0o755);
    srv = await startCliServer(['-f', dir, '-f', named, '--port', '0', '--admin', 'off'], asRoot ? { wrap: AS_NOBODY, cli: nobody.cli, cwd: root } : { cwd: root });
    for (const [name, ip] of [['alpha', '10.96.10.1'], ['beta', '10.96.10.2'], ['gamma', '10.96.10.3']]) expect(await answer(name)).toBe(ip);
  });
  afterAll(async () => {
    if (srv) expect(await srv.stop()).toBe(0);
    nobody.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('a half-written file (cut mid-YAML, written in place) is rejected; the finished write is taken', async () => {
    const full = service('alpha', '10.96.10.11');
    await expectRejected(() => writeFileSync(join(dir, 'alpha.yaml'), full.slice(0, full.indexOf('clusterIP') + 5)));
    expect(await answer('alpha')).toBe('10.96.10.1');
    expect(srv.stderr()).toMatch(/alpha\.yaml:\d+:\d+: error /);
    writeFileSync(join(dir, 'alpha.yaml'), full);
    await expectServed('alpha', '10.96.10.11');
  });

  it('a file replaced through rename (as editors save) is taken', async () => {
    writeFileAtomic(join(dir, 'alpha.yaml'), service('alpha', '10.96.10.21'));
    await expectServed('alpha', '10.96.10.21');
  });

  it('an unreadable file (chmod 000) is rejected with EACCES; readable again, it is taken', async () => {
    const tmp = join(sub, '.beta.yaml.swp');
    writeFileSync(tmp, service('beta', '10.96.10.22'));
    chmodSync(tmp, 0o000);
    await expectRejected(() => renameSync(tmp, join(sub, 'beta.yaml')));
    expect(await answer('beta')).toBe('10.96.10.2');
    expect(srv.stderr()).toMatch(/beta\.yaml: error FILE_UNREADABLE: .*EACCES/);
    chmodSync(join(sub, 'beta.yaml'), 0o644);
    await expectServed('beta', '10.96.10.22');
  });

  it('an unreadable subdirectory (chmod 000) is not taken for an empty one: its services stay', async () => {
    await expectRejected(() => chmodSync(sub, 0o000));
    expect(await answer('beta')).toBe('10.96.10.22');
    expect(srv.stderr()).toMatch(/sub: error FILE_UNREADABLE: .*cannot list the directory: EACCES/);
    chmodSync(sub, 0o755);
    writeFileAtomic(join(sub, 'beta.yaml'), service('beta', '10.96.10.23'));
    await expectServed('beta', '10.96.10.23');
  });

  it('a file named with -f vanishes: its objects stay; when it comes back it is taken', async () => {
    await expectRejected(() => rmSync(named));
    expect(await answer('gamma')).toBe('10.96.10.3');
    writeFileAtomic(named, service('gamma', '10.96.10.33'));
    await expectServed('gamma', '10.96.10.33');
  });

  it('the -f directory vanishes: everything stays; when it comes back (changed) it is watched again', async () => {
    const away = `${dir}.away`;
    await expectRejected(() => renameSync(dir, away));
    expect(await answer('alpha')).toBe('10.96.10.21');
    expect(await answer('beta')).toBe('10.96.10.23');
    writeFileSync(join(away, 'alpha.yaml'), service('alpha', '10.96.10.41'));
    renameSync(away, dir);
    await expectServed('alpha', '10.96.10.41');
    writeFileAtomic(join(dir, 'alpha.yaml'), service('alpha', '10.96.10.42'));
    await expectServed('alpha', '10.96.10.42');
  });
});
