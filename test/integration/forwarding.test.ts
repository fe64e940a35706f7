import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { decodeReply, dig, encodeQuery, tcpExchange, toZoneLines, udpExchange } from '../helpers/dns-client.js';
import { snapshotFromYaml } from '../helpers/cluster.js';
import { startCliServer, startInProcessServer } from '../helpers/server.js';
import { startFakeUpstream, startUdpRelay, type FakeUpstream, type UpstreamBehaviour } from '../helpers/upstream-server.js';
import { startForwarding, resolveUpstreams } from '../../src/cli/upstream-options.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/server.js';

const quiet = pino({ level: 'silent' });
const seed = Object.fromEntries(['myweb-svc.yaml', 'myweb-svc-headless.yaml', 'myweb-sts.yaml'].map((f) => [f, readFileSync(join(REPO_ROOT, 'test/fixtures/seed', f), 'utf8')]));
const manyA = Array.from({ length: 40 }, (_, i) => ({ type: 'A' as const, name: 'big.example.test', ttl: 60, data: `192.0.2.${i + 1}` }));

function behave(name: string): UpstreamBehaviour | undefined {
  if (name === 'www.example.test') return { answers: [{ type: 'A', name, ttl: 300, data: '192.0.2.80' }] };
  if (name === 'big.example.test') return { truncateUdp: true, answers: manyA };
  if (name === 'failing.example.test') return { rcode: 'SERVFAIL' };
  return undefined;
}

describe('forwarding names outside the cluster to upstream resolvers', () => {
  let up: FakeUpstream;
  let silent: FakeUpstream;
  let srv: Awaited<ReturnType<typeof startInProcessServer>>;
  beforeAll(async () => {
    up = await startFakeUpstream(behave);
    silent = await startFakeUpstream(() => ({ silent: true }));
    srv = await startInProcessServer(snapshotFromYaml(seed));
    // A silent resolver first: every forwarded query also exercises the timeout and the move to the next.
    await startForwarding(srv.server, { upstream: [`127.0.0.1:${silent.port}`, `127.0.0.1:${up.port}`], upstreamTimeout: '200' }, { address: '127.0.0.1', port: srv.port }, quiet);
  });
  afterAll(async () => {
    await srv.close();
    await up.close();
    await silent.close();
  });

  const cases = [
    { name: 'out-of-zone A over UDP', q: 'www.example.test', tcp: false, rcode: 'NOERROR', answers: ['www.example.test. 300 IN A 192.0.2.80'] },
    { name: 'out-of-zone A over TCP', q: 'www.example.test', tcp: true, rcode: 'NOERROR', answers: ['www.example.test. 300 IN A 192.0.2.80'] },
    { name: "upstream's NXDOMAIN is passed on", q: 'nothing.example.test', tcp: false, rcode: 'NXDOMAIN', answers: [] },
    { name: "upstream's SERVFAIL is passed on", q: 'failing.example.test', tcp: false, rcode: 'SERVFAIL', answers: [] },
    { name: 'TC from upstream: retried over TCP, whole answer to a TCP client', q: 'big.example.test', tcp: true, rcode: 'NOERROR', answers: manyA.map((a) => `big.example.test. 60 IN A ${a.data}`).sort() },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const q = encodeQuery(c.q, { id: 0x4242 });
      const reply = c.tcp ? (await tcpExchange(srv.port, [q]))[0] : await udpExchange(srv.port, q, 3000);
      expect(reply).toBeTruthy();
      const p = decodeReply(reply!);
      expect(p.id).toBe(0x4242);
      expect(p.rcode).toBe(c.rcode);
      expect(toZoneLines(reply!)).toEqual(c.answers);
    });
  }

  it('TC from upstream and a classic UDP client: header and question with TC (the client retries over TCP)', async () => {
    const before = up.seen.length;
    const reply = await udpExchange(srv.port, encodeQuery('big.example.test'), 3000);
    const p = decodeReply(reply!);
    expect(p.flag_tc).toBe(true);
    expect(p.answers).toEqual([]);
    expect(up.seen.slice(before)).toEqual(['udp big.example.test A', 'tcp big.example.test A']);
  });

  it('TC from upstream and an EDNS client: the truncated reply keeps an OPT record', async () => {
    const reply = await udpExchange(srv.port, encodeQuery('big.example.test', { ednsUdpSize: 512 }), 3000);
    const p = decodeReply(reply!);
    expect(p.flag_tc).toBe(true);
    expect(p.answers).toEqual([]);
    expect(p.additionals!.map((r) => r.type)).toEqual(['OPT']);
  });

  it('cluster names and short names the search rule claims are never forwarded', async () => {
    const before = up.seen.length + silent.seen.length;
    for (const name of ['myweb-svc.default.svc.cluster.local', 'nope.default.svc.cluster.local', 'myweb-svc', '10.in-addr.arpa']) {
      const reply = await udpExchange(srv.port, encodeQuery(name), 1000);
      expect(decodeReply(reply!).flag_aa).toBe(true);
    }
    expect(up.seen.length + silent.seen.length).toBe(before);
  });

  it('dig through the server: the upstream answer, not authoritative', async () => {
    const out = await dig(['@127.0.0.1', '-p', String(srv.port), '+noall', '+answer', '+comments', 'www.example.test']);
    expect(out).toContain('status: NOERROR');
    expect(out).toMatch(/flags: qr rd ra;/);
    expect(out).toMatch(/^www\.example\.test\.\s+300\s+IN\s+A\s+192\.0\.2\.80$/m);
  });
});

describe('forwarding failures and loops', () => {
  const cases = [
    { name: 'every upstream silent → SERVFAIL', upstreams: 'silent', rcode: 'SERVFAIL' },
    { name: 'upstream none → REFUSED', upstreams: 'none', rcode: 'REFUSED' },
    { name: 'upstream is the server itself → refused at start, REFUSED', upstreams: 'self', rcode: 'REFUSED' },
    { name: 'upstream relays back to the server (loop probe) → dropped, REFUSED', upstreams: 'relay', rcode: 'REFUSED' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const srv = await startInProcessServer(snapshotFromYaml(seed));
      const silent = await startFakeUpstream(() => ({ silent: true }));
      const relay = await startUdpRelay(() => srv.port);
      try {
        const upstream = { silent: [`127.0.0.1:${silent.port}`], none: ['none'], self: [`127.0.0.1:${srv.port}`], relay: [`127.0.0.1:${relay.port}`] }[c.upstreams]!;
        const fwd = await startForwarding(srv.server, { upstream, upstreamTimeout: '200' }, { address: '127.0.0.1', port: srv.port }, quiet);
        if (c.upstreams === 'self' || c.upstreams === 'relay') {
          expect(fwd).toBeUndefined();
          expect(srv.server.handler.forwarder).toBeNull();
        }
        if (c.upstreams === 'relay') expect(relay.relayed()).toBe(1);
        const reply = await udpExchange(srv.port, encodeQuery('www.example.test'), 3000);
        expect(decodeReply(reply!).rcode).toBe(c.rcode);
      } finally {
        await Promise.all([srv.close(), silent.close(), relay.close()]);
      }
    });
  }
});

describe('resolveUpstreams', () => {
  const cases = [
    { name: 'default: the host resolv.conf nameservers', values: undefined, conf: 'nameserver 10.0.0.2\nnameserver ::1\n', want: ['10.0.0.2:53', '::1:53'] },
    { name: 'IP, IP:PORT, [IPv6]:PORT, comma lists', values: ['192.0.2.1', '127.0.0.1:5353,[::1]:54'], conf: '', want: ['192.0.2.1:53', '127.0.0.1:5353', '::1:54'] },
    { name: 'none', values: ['none'], conf: 'nameserver 10.0.0.2\n', want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => expect(resolveUpstreams(c.values, c.conf).upstreams.map((u) => `${u.address}:${u.port}`)).toEqual(c.want));
  }
  for (const bad of ['example.com', '1.2.3.4:0', '1.2.3.4:99999', 'none,1.1.1.1']) {
    it(`rejects ${bad}`, () => expect(() => resolveUpstreams([bad], '')).toThrow(/--upstream/));
  }
});

describe('serve --upstream and --log-queries (the CLI)', () => {
  it('forwards, and logs one line per query with name, type, rcode, duration and client', async () => {
    const up = await startFakeUpstream(behave);
    const srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', 'off', '--upstream', `127.0.0.1:${up.port}`, '--log-queries']);
    try {
      const out = await dig(['@127.0.0.1', '-p', String(srv.port), '+short', 'www.example.test']);
      expect(out.trim()).toBe('192.0.2.80');
      await dig(['@127.0.0.1', '-p', String(srv.port), '+short', '+tcp', 'myweb-svc.default.svc.cluster.local', 'AAAA']);
      await new Promise((r) => setTimeout(r, 100));
      const lines = srv.stdout().split('\n').filter((l) => l.includes('"msg":"query"')).map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ name: 'www.example.test.', type: 'A', rcode: 'NOERROR', proto: 'udp' });
      expect(lines[1]).toMatchObject({ name: 'myweb-svc.default.svc.cluster.local.', type: 'AAAA', rcode: 'NOERROR', proto: 'tcp' });
      for (const l of lines) {
        expect(l.client).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(typeof l.duration_ms).toBe('number');
      }
      expect(srv.stdout()).toContain('forwarding names outside the cluster');
    } finally {
      await srv.stop();
      await up.close();
    }
  });

  it('without --log-queries no query lines', async () => {
    const srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', 'off', '--upstream', 'none']);
    try {
      await dig(['@127.0.0.1', '-p', String(srv.port), '+short', 'myweb-svc.default.svc.cluster.local']);
      const out = await dig(['@127.0.0.1', '-p', String(srv.port), '+noall', '+comments', 'www.example.test']);
      expect(out).toContain('status: REFUSED');
    } finally {
      await srv.stop();
    }
    expect(srv.stdout()).not.toContain('"msg":"query"');
  });
});
