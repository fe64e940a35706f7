import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNetns, type TestNetns } from '../helpers/netns.js';
import { buildBigHeadlessYaml, snapshotFromYaml } from '../helpers/cluster.js';

// glibc's resolver (getent) inside a network namespace of our own, whose resolv.conf points at the
// simulator on 127.0.0.1:53 there: a 200-pod headless service comes back truncated over UDP and
// glibc retries over TCP. Nothing leaves the namespace.

const BIG = buildBigHeadlessYaml(200);

const NETNS = `kds3-glibc-${process.pid}`;

// Creating a network namespace needs root; CI runs as root (the nettool session test says so elsewhere).
const describeAsRoot = process.getuid?.() === 0 ? describe : () => undefined;

describeAsRoot('glibc resolves a 200-pod headless service (netns, UDP then TCP)', () => {
  let dir: string;
  let netns: TestNetns;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kds3-'));
    writeFileSync(join(dir, 'big.yaml'), BIG);
    netns = createTestNetns(NETNS, 'nameserver 127.0.0.1\noptions attempts:1 timeout:2\n');
    try {
      await netns.startServer(['-f', dir, '--address', '127.0.0.1', '--port', '53', '--admin', 'off', '--state', 'none', '--upstream', 'none']);
    } catch (err) {
      await netns.remove();
      throw err;
    }
  });

  afterAll(async () => {
    await netns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('getent hosts lists every ready address', () => {
    const want = snapshotFromYaml({ 'big.yaml': BIG }).cluster.state.endpointSlices.filter((s) => s.serviceName === 'big').flatMap((s) => s.endpoints.flatMap((e) => e.addresses)).sort();
    const r = netns.exec('getent', ['hosts', 'big.default.svc.cluster.local']);
    expect(r.status).toBe(0);
    const out = r.stdout;
    const got = out.trim().split('\n').map((l) => l.split(/\s+/)[0]).sort();
    expect(want).toHaveLength(200);
    expect(got).toEqual(want);
  });
});
