import { describe, expect, it } from 'vitest';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { decodeReply, encodeQuery } from '../helpers/dns-client.js';
import { snapshotFromYaml } from '../helpers/cluster.js';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n';
const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;

// A bounded flood of distinct random names and random types must not grow any cache without limit.
describe('memory under a flood of distinct names', () => {
  it('runs with an exposed garbage collector', () => {
    expect(typeof global.gc).toBe('function');
  });

  it('the heap stays bounded whatever the number of distinct names asked', () => {
    const handler = new QueryHandler(snapshotFromYaml({ 's.yaml': SVC }).index);
    const flood = (n: number, salt: string) => {
      for (let i = 0; i < n; i++) {
        const r = i % 3;
        const name = r === 0 ? `r${salt}${i}.default.svc.cluster.local` : r === 1 ? `r${salt}${i}.example.com` : `10-244-${i % 250}-${(i >> 8) % 250}.default.pod.cluster.local`;
        handler.answer(encodeQuery(name, { id: i & 0xffff }), 'udp');
      }
    };
    flood(20_000, 'warm');
    global.gc!();
    const before = used();
    flood(300_000, 'x');
    global.gc!();
    // Kept per distinct name, 300k names would hold well over 40 MB; the bounded caches stay far below.
    expect(used() - before).toBeLessThan(24 * 1024 * 1024);
    expect(handler.counters.queries).toBe(320_000);
  }, 60_000);

  it('random QTYPEs on an existing name share its negative answers instead of growing its cache', () => {
    const snap = snapshotFromYaml({ 's.yaml': SVC });
    const handler = new QueryHandler(snap.index);
    for (let t = 1000; t < 61_000; t++) {
      const q = encodeQuery('web.default.svc.cluster.local', { id: t & 0xffff });
      q.writeUInt16BE(t, q.length - 4);
      handler.answer(q, 'udp');
    }
    expect(snap.index.names.get('web.default.svc.cluster.local')!.prepared.size).toBeLessThanOrEqual(2);
  });
});

describe('answer caches never share bytes between different names', () => {
  it('NXDOMAIN answers of same-length names each carry the right SOA names', () => {
    const handler = new QueryHandler(snapshotFromYaml({ 's.yaml': SVC }).index);
    // Same zone, same length: a cache keyed by (zone, length) would reuse the first reply's
    // compression pointers and spell the second SOA's names with the second question's labels.
    for (const name of ['ab.dns.cluster.local', 'ab.xyz.cluster.local', 'Ab.XYZ.cluster.local']) {
      const reply = decodeReply(handler.answer(encodeQuery(name), 'udp')!);
      expect(reply.rcode).toBe('NXDOMAIN');
      const soa = reply.authorities![0] as { data: { mname: string; rname: string } };
      expect([soa.data.mname.toLowerCase(), soa.data.rname.toLowerCase()]).toEqual(['ns.dns.cluster.local', 'hostmaster.cluster.local']);
    }
  });
});
