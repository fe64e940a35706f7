import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNetns, type TestNetns } from '../helpers/netns.js';
import { buildBigHeadlessYaml, buildHeadlessStatefulSetYaml, snapshotFromYaml } from '../helpers/cluster.js';

// glibc's resolver (getent) inside a network namespace of our own, whose resolv.conf points at the
// simulator on 127.0.0.1:53 there: a 200-pod headless service comes back truncated over UDP and
// glibc retries over TCP. Beside it, a static musl program: musl before 1.2.4 (Alpine 3.17 and
// older) never retries over TCP and uses the records a truncated reply carries, so a 60-pod
// headless name resolves to a subset only if the reply is truncated as CoreDNS does (whole records
// that fit, not an empty answer). Nothing leaves the namespace.

const BIG = buildBigHeadlessYaml(200);
const DB = buildHeadlessStatefulSetYaml('default', 60);

/** getaddrinfo(argv[1]) for IPv4 addresses, one per line; exit 2 with gai_strerror on failure. */
const GETADDRINFO_C = `#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
int main(int argc, char **argv) {
  struct addrinfo hints, *res, *ai;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(argv[1], NULL, &hints, &res);
  if (rc != 0) { fprintf(stderr, "%s\\n", gai_strerror(rc)); return 2; }
  char buf[INET_ADDRSTRLEN];
  for (ai = res; ai; ai = ai->ai_next) printf("%s\\n", inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, buf, sizeof buf));
  freeaddrinfo(res);
  return 0;
}
`;

const NETNS = `kds3-glibc-${process.pid}`;

// Creating a network namespace needs root; CI runs as root (the nettool session test says so elsewhere).
const describeAsRoot = process.getuid?.() === 0 ? describe : () => undefined;

describeAsRoot('glibc resolves a 200-pod headless service (netns, UDP then TCP)', () => {
  let dir: string;
  let netns: TestNetns;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kds3-'));
    writeFileSync(join(dir, 'big.yaml'), BIG);
    writeFileSync(join(dir, 'db.yaml'), DB);
    writeFileSync(join(dir, 'gai.c'), GETADDRINFO_C);
    // musl-gcc comes with Debian's musl-tools (.ci/run installs it); static, so only musl's resolver runs.
    execFileSync('musl-gcc', ['-static', '-O2', '-o', join(dir, 'gai-musl'), join(dir, 'gai.c')]);
    execFileSync('cc', ['-O2', '-o', join(dir, 'gai-glibc'), join(dir, 'gai.c')]);
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

  const dbWant = snapshotFromYaml({ 'big.yaml': BIG, 'db.yaml': DB }).cluster.state.pods.filter((p) => p.name.startsWith('db-')).map((p) => p.ips[0]).sort();
  const resolvers = [
    { name: 'glibc getaddrinfo (retries over TCP): all 60', program: 'gai-glibc', all: true },
    { name: 'static musl getaddrinfo (no TCP retry before 1.2.4): the records that fit', program: 'gai-musl', all: false },
  ];
  for (const c of resolvers) {
    it(`${c.name} of a 60-pod headless name`, () => {
      expect(dbWant).toHaveLength(60);
      const r = netns.exec(join(dir, c.program), ['db.default.svc.cluster.local']);
      expect(r.status).toBe(0);
      const got = [...new Set(r.stdout.trim().split('\n'))].sort();
      if (c.all) expect(got).toEqual(dbWant);
      else {
        expect(got.length).toBeGreaterThan(0);
        expect(got.length).toBeLessThan(60);
        for (const ip of got) expect(dbWant).toContain(ip);
      }
    });
  }
});
