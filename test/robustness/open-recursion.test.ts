import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECURSION_CIDRS, newRecursionAcl } from '../../src/dns/forward/recursion-acl.js';
import { CLI_PATH, REPO_ROOT, startCliServer, type CliServer } from '../helpers/server.js';

describe('recursion ACL: which client addresses may have names forwarded', () => {
  const allowed = newRecursionAcl(DEFAULT_RECURSION_CIDRS);
  const cases = [
    { name: 'IPv4 loopback', address: '127.0.0.1', ok: true },
    { name: 'RFC 1918 10/8', address: '10.18.0.2', ok: true },
    { name: 'RFC 1918 172.16/12', address: '172.31.255.1', ok: true },
    { name: 'just outside 172.16/12', address: '172.32.0.1', ok: false },
    { name: 'RFC 1918 192.168/16', address: '192.168.1.9', ok: true },
    { name: 'benchmark range 198.18/15', address: '198.18.0.2', ok: false },
    { name: 'a public address', address: '8.8.8.8', ok: false },
    { name: 'IPv6 loopback', address: '::1', ok: true },
    { name: 'IPv6 ULA', address: 'fd00::5', ok: true },
    { name: 'IPv6 global', address: '2001:db8::1', ok: false },
    { name: 'IPv4-mapped private (server bound to ::)', address: '::ffff:10.1.2.3', ok: true },
    { name: 'IPv4-mapped public', address: '::ffff:8.8.8.8', ok: false },
    { name: 'not an address', address: 'bogus', ok: false },
  ];
  for (const c of cases) it(`default list: ${c.name}`, () => expect(allowed(c.address)).toBe(c.ok));

  const bad = [
    { name: 'prefix too long', cidr: '10.0.0.0/33' },
    { name: 'not an address', cidr: 'example.org/8' },
    { name: 'two slashes', cidr: '10.0.0.0/8/8' },
    { name: 'empty prefix', cidr: '10.0.0.0/' },
  ];
  for (const c of bad) it(`rejects a bad entry: ${c.name}`, () => expect(() => newRecursionAcl([c.cidr])).toThrow(c.cidr));

  it('serve with a bad --allow-recursion exits 2 before binding anything (it does not hang)', () => {
    const r = spawnSync(process.execPath, [CLI_PATH, 'serve', '-f', 'manifests', '--port', '0', '--admin', 'off', '--state', 'none', '--upstream', '127.0.0.1:9', '--allow-recursion', '10.0.0.0/8,10.0.0.0/33'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--allow-recursion: "10\.0\.0\.0\/33" is not an IP address or CIDR/);
  });
});

const isRoot = process.getuid?.() === 0;
const NS = `kds8-rec-${process.pid}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/**
 * Clients on addresses outside the private ranges, for real: a network namespace of our own whose
 * loopback carries 198.18.0.1 (the servers), 198.18.0.2 (a stranger) and 10.18.0.2 (a private client).
 * Every packet stays inside it (a veth pair inside one namespace would route over loopback all the same).
 * Loopback clients are forwarded in the other tests (forwarding, upstream faults). The upstream is a second kube-dns-sim serving zone upstream.test.
 */
describe.runIf(isRoot)('no open recursion: strangers get REFUSED for names outside the cluster (own netns)', () => {
  const servers: CliServer[] = [];
  let byDefault: CliServer;
  let widened: CliServer;

  beforeAll(async () => {
    spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
    ip('netns', 'add', NS);
    ip('-n', NS, 'link', 'set', 'lo', 'up');
    for (const a of ['198.18.0.1/32', '198.18.0.2/32', '10.18.0.2/32']) ip('-n', NS, 'addr', 'add', a, 'dev', 'lo');
    const inNs = { wrap: ['ip', 'netns', 'exec', NS] };
    // Bound to 198.18.0.1, not 0.0.0.0: a wildcard socket would answer UDP from another source address.
    const common = ['-f', 'manifests', '--admin', 'off', '--address', '198.18.0.1'];
    const upstream = await startCliServer([...common, '--port', '1810', '--zone', 'upstream.test', '--upstream', 'none'], inNs);
    servers.push(upstream);
    byDefault = await startCliServer([...common, '--port', '1811', '--upstream', '198.18.0.1:1810'], inNs);
    servers.push(byDefault);
    widened = await startCliServer([...common, '--port', '1812', '--upstream', '198.18.0.1:1810', '--allow-recursion', '198.18.0.0/15'], inNs);
    servers.push(widened);
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  });

  /** `dig` inside the namespace from `source`; the status and the answers. */
  const dig = (server: CliServer, source: string, name: string, tcp: boolean) => {
    const r = spawnSync('ip', ['netns', 'exec', NS, 'dig', '+tries=1', '+time=3', tcp ? '+tcp' : '+notcp', '-b', source, '@198.18.0.1', '-p', String(server.port), name, 'A'], { encoding: 'utf8', timeout: 10_000 });
    const status = /status: (\w+)/.exec(r.stdout)?.[1] ?? `no reply: ${r.stdout}${r.stderr}`;
    const answers = r.stdout.split('\n').flatMap((l) => /^[^;]\S*\s+\d+\s+IN\s+A\s+(\S+)$/.exec(l)?.[1] ?? []);
    return { status, answers };
  };
  const OUTSIDE = 'kubernetes.default.svc.upstream.test';
  const INSIDE = 'kubernetes.default.svc.cluster.local';
  const cases = [
    { name: 'a stranger (198.18.0.2) over UDP is refused', server: () => byDefault, source: '198.18.0.2', qname: OUTSIDE, tcp: false, status: 'REFUSED' },
    { name: 'a stranger over TCP is refused', server: () => byDefault, source: '198.18.0.2', qname: OUTSIDE, tcp: true, status: 'REFUSED' },
    { name: 'a stranger still gets cluster names', server: () => byDefault, source: '198.18.0.2', qname: INSIDE, tcp: false, status: 'NOERROR' },
    { name: 'a private client (10.18.0.2) is forwarded', server: () => byDefault, source: '10.18.0.2', qname: OUTSIDE, tcp: false, status: 'NOERROR' },
    { name: 'a private client over TCP is forwarded', server: () => byDefault, source: '10.18.0.2', qname: OUTSIDE, tcp: true, status: 'NOERROR' },
    { name: '--allow-recursion 198.18.0.0/15 lets the stranger in', server: () => widened, source: '198.18.0.2', qname: OUTSIDE, tcp: false, status: 'NOERROR' },
    { name: '--allow-recursion replaces the default: the private client is refused', server: () => widened, source: '10.18.0.2', qname: OUTSIDE, tcp: false, status: 'REFUSED' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = dig(c.server(), c.source, c.qname, c.tcp);
      expect(r.status).toBe(c.status);
      // A forwarded answer comes from the upstream's cluster (its kubernetes Service).
      if (c.status === 'NOERROR') expect(r.answers).toEqual(['10.96.0.1']);
      else expect(r.answers).toEqual([]);
    });
  }
});
