import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/server.js';
import { buildBigHeadlessYaml, snapshotFromYaml } from '../helpers/cluster.js';

// glibc's resolver (getent) inside a network namespace of our own, whose resolv.conf points at the
// simulator on 127.0.0.1:53 there: a 200-pod headless service comes back truncated over UDP and
// glibc retries over TCP. Nothing leaves the namespace.

const BIG = buildBigHeadlessYaml(200);

const NETNS = `kds3-glibc-${process.pid}`;
const NETNS_ETC = `/etc/netns/${NETNS}`;

describe('glibc resolves a 200-pod headless service (netns, UDP then TCP)', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  const sh = (args: string[]) => execFileSync(args[0], args.slice(1), { stdio: 'pipe', timeout: 10_000 }).toString();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kds3-'));
    writeFileSync(join(dir, 'big.yaml'), BIG);
    sh(['ip', 'netns', 'add', NETNS]);
    sh(['ip', '-n', NETNS, 'link', 'set', 'lo', 'up']);
    mkdirSync(NETNS_ETC, { recursive: true });
    writeFileSync(join(NETNS_ETC, 'resolv.conf'), 'nameserver 127.0.0.1\noptions attempts:1 timeout:2\n');
    child = spawn('ip', ['netns', 'exec', NETNS, process.execPath, CLI_PATH, 'serve', '-f', dir, '--address', '127.0.0.1', '--port', '53', '--admin', 'off', '--state', 'none', '--upstream', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 10_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('serving DNS')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    try {
      execFileSync('ip', ['netns', 'del', NETNS], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(NETNS_ETC, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('getent hosts lists every ready address', () => {
    const want = snapshotFromYaml({ 'big.yaml': BIG }).cluster.state.endpointSlices.filter((s) => s.serviceName === 'big').flatMap((s) => s.endpoints.flatMap((e) => e.addresses)).sort();
    const out = sh(['ip', 'netns', 'exec', NETNS, 'getent', 'hosts', 'big.default.svc.cluster.local']);
    const got = out.trim().split('\n').map((l) => l.split(/\s+/)[0]).sort();
    expect(want).toHaveLength(200);
    expect(got).toEqual(want);
  });
});
