import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsServer } from '../../src/runtime/dns-server.js';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { decodeReply, dig, encodeQuery, tcpExchange, toZoneLines, udpExchange } from '../helpers/dns-client.js';
import { buildBigHeadlessYaml, snapshotFromYaml } from '../helpers/cluster.js';

// EDNS sizes, truncation over UDP with the whole answer over TCP, pipelining, zone transfers and
// the query's spelling, on a cluster with a 200-pod headless service.

const BIG = `${buildBigHeadlessYaml(200)}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  clusterIP: 10.96.100.10
  ports: [{name: http, port: 80}]
`;

const snapshot = snapshotFromYaml({ 'big.yaml': BIG });
const bigName = 'big.default.svc.cluster.local';
const bigAddresses = snapshot.cluster.state.endpointSlices.filter((s) => s.serviceName === 'big').flatMap((s) => s.endpoints.flatMap((e) => e.addresses)).sort();

describe('transport', () => {
  let server: DnsServer;
  let port: number;
  beforeAll(async () => {
    server = new DnsServer(snapshot.index);
    port = await server.listen('127.0.0.1', 0);
  });
  afterAll(async () => server.close());

  it('the fixture has 200 ready endpoints', () => {
    expect(bigAddresses).toHaveLength(200);
  });

  // Truncated replies carry as many whole A records (16 bytes each, owner a pointer) as fit after
  // the header and question (47 bytes) and the OPT record (11), as miekg's Msg.Truncate does.
  const sizes = [
    { name: 'no EDNS: 512 bytes, truncated', edns: undefined, truncated: true, answers: 29 },
    { name: 'EDNS 1232: still too small for 200 A records', edns: 1232, truncated: true, answers: 73 },
    { name: 'EDNS below 512 counts as 512', edns: 256, truncated: true, answers: 28 },
    { name: 'EDNS 4096 is honoured: the whole answer over UDP', edns: 4096, truncated: false, answers: 200 },
  ];
  for (const c of sizes) {
    it(`UDP ${c.name}`, async () => {
      const reply = await udpExchange(port, encodeQuery(bigName, { ednsUdpSize: c.edns }));
      const p = decodeReply(reply!);
      expect(p.flag_tc).toBe(c.truncated);
      expect(reply!.length).toBeLessThanOrEqual(c.truncated ? Math.max(512, c.edns ?? 512) : 4096);
      expect(p.answers.length).toBe(c.answers);
      expect(p.answers.every((a) => bigAddresses.includes(a.data as string))).toBe(true);
      // OPT is echoed exactly when the query had one.
      expect(p.additionals.filter((r) => r.type === 'OPT')).toHaveLength(c.edns === undefined ? 0 : 1);
    });
  }

  it('TCP carries the whole answer, name-compressed', async () => {
    const [reply] = await tcpExchange(port, [encodeQuery(bigName)]);
    const p = decodeReply(reply);
    expect(p.flag_tc).toBe(false);
    expect(p.answers.map((a) => a.data).sort()).toEqual(bigAddresses);
    // Every owner is a 2-byte pointer to the question: 200 × (2 + 10 + 4) plus header and question.
    expect(reply.length).toBe(12 + bigName.length + 2 + 4 + 200 * 16);
  });

  it('dig +notcp retries over TCP after TC and gets all 200 addresses', async () => {
    const out = await dig(['@127.0.0.1', '-p', String(port), '+notcp', '+short', bigName]);
    expect(out.trim().split('\n').sort()).toEqual(bigAddresses);
  });

  it('dig +notcp +ignore shows the truncated UDP reply', async () => {
    const out = await dig(['@127.0.0.1', '-p', String(port), '+notcp', '+ignore', '+noedns', '+comments', bigName]);
    expect(out).toMatch(/flags: qr aa tc rd;/);
  });

  it('dig +notcp SRV for 200 endpoints (answer and glue) arrives via TCP', async () => {
    const out = await dig(['@127.0.0.1', '-p', String(port), '+notcp', '+noall', '+answer', `_http._tcp.${bigName}`, 'SRV']);
    expect(out.trim().split('\n').filter((l) => /\sSRV\s/.test(l))).toHaveLength(200);
  });

  it('several queries pipelined on one TCP connection are all answered, in order', async () => {
    const names = ['web.default.svc.cluster.local', 'nope.default.svc.cluster.local', bigName, 'dns-version.cluster.local'];
    const types = ['A', 'A', 'A', 'TXT'];
    const replies = await tcpExchange(port, names.map((n, i) => encodeQuery(n, { id: 100 + i, type: types[i] })));
    expect(replies.map((r) => decodeReply(r).id)).toEqual([100, 101, 102, 103]);
    expect(replies.map((r) => decodeReply(r).rcode)).toEqual(['NOERROR', 'NXDOMAIN', 'NOERROR', 'NOERROR']);
  });

  for (const t of ['AXFR', 'IXFR']) {
    it(`${t} over UDP and TCP is REFUSED`, async () => {
      const udp = decodeReply((await udpExchange(port, encodeQuery('cluster.local', { type: t })))!);
      const [tcp] = await tcpExchange(port, [encodeQuery('cluster.local', { type: t })]);
      expect(udp.rcode).toBe('REFUSED');
      expect(decodeReply(tcp).rcode).toBe('REFUSED');
    });
  }

  const spellings = [
    { name: 'answer owner', q: 'WeB.DeFault.SVC.cluster.LOCAL', type: 'A', section: 'answers' as const, expected: ['WeB.DeFault.SVC.cluster.LOCAL. 5 IN A 10.96.100.10'] },
    { name: 'SRV owner and glue', q: '_HTTP._Tcp.WEB.default.svc.cluster.local', type: 'SRV', section: 'answers' as const, expected: ['_HTTP._Tcp.WEB.default.svc.cluster.local. 5 IN SRV 0 100 80 web.default.svc.cluster.local.'] },
    { name: 'negative SOA owner keeps the zone as asked', q: 'nope.Default.svc.Cluster.Local', type: 'A', section: 'authorities' as const, expected: [`Cluster.Local. 5 IN SOA ns.dns.Cluster.Local. hostmaster.Cluster.Local. 1 7200 1800 86400 5`] },
  ];
  for (const c of spellings) {
    it(`echoes the query's spelling: ${c.name}`, async () => {
      const handler = new QueryHandler(snapshot.index);
      // Prime the prepared-answer cache with another spelling first: the cache must not leak it.
      handler.answer(encodeQuery(c.q.toLowerCase(), { type: c.type }), 'udp');
      const reply = handler.answer(encodeQuery(c.q, { type: c.type }), 'udp')!;
      expect(toZoneLines(reply, c.section, true)).toEqual(c.expected);
      expect(decodeReply(reply).questions[0].name).toBe(c.q);
    });
  }
});
