import { describe, expect, it } from 'vitest';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { decodeReply, encodeQuery } from '../helpers/dns-client.js';
import { buildHeadlessStatefulSetYaml, snapshotFromYaml } from '../helpers/cluster.js';

// A UDP reply too big for the client's size carries as many whole records as fit, answer first,
// then authority, then additional, TC set, never above the size (miekg/dns Msg.Truncate, which
// CoreDNS's request.Scrub calls); TCP carries everything. Checked record by record against TCP.

const snapshot = snapshotFromYaml({ 'db.yaml': buildHeadlessStatefulSetYaml('default', 60) });
const handler = new QueryHandler(snapshot.index);
const HEADLESS = 'db.default.svc.cluster.local';

const questions = [
  { name: 'headless A, 60 pods', q: HEADLESS, type: 'A' },
  { name: 'headless A, mixed case', q: 'Db.DeFault.svc.CLUSTER.local', type: 'A' },
  { name: 'headless SRV with 60 glue records', q: `_pg._tcp.${HEADLESS}`, type: 'SRV' },
  { name: 'headless SRV, mixed case (targets patched with the zone as asked)', q: '_PG._TCP.db.default.svc.Cluster.Local', type: 'SRV' },
  { name: 'SRV of the service name', q: HEADLESS, type: 'SRV' },
];
const sizes = [undefined, 512, 600, 777, 1232, 1400, 4096, 65000];

/** Every record of a decoded reply in section order, as comparable text (case kept). */
function records(reply: Buffer): string[] {
  const p = decodeReply(reply);
  return [...p.answers!.map((r) => ['an', r]), ...p.authorities!.map((r) => ['ns', r]), ...p.additionals!.filter((r) => r.type !== 'OPT').map((r) => ['ar', r])].map(([s, r]) => `${s as string} ${JSON.stringify(r)}`);
}

describe('truncation as miekg Msg.Truncate', () => {
  for (const c of questions) {
    const full = handler.answer(encodeQuery(c.q, { type: c.type }), 'tcp')!;
    const all = records(full);
    const prepared = handler.getPreparedAnswer(c.q.toLowerCase(), c.type === 'A' ? 1 : 33);
    for (const size of sizes) {
      it(`${c.name}, ${size === undefined ? 'no EDNS' : `EDNS ${size}`}`, () => {
        expect(decodeReply(full).flag_tc).toBe(false);
        const limit = Math.max(512, size ?? 512);
        const query = encodeQuery(c.q, { type: c.type, ednsUdpSize: size });
        const reply = handler.answer(query, 'udp')!;
        const p = decodeReply(reply);
        const got = records(reply);
        expect(reply.length).toBeLessThanOrEqual(limit);
        // A prefix of the TCP answer, record by record (same bytes decoded, same order, same sections).
        expect(got).toEqual(all.slice(0, got.length));
        expect(p.flag_tc).toBe(got.length < all.length);
        expect(p.questions![0].name).toBe(c.q);
        if (got.length < all.length) {
          // Maximal: the next record would have crossed the limit.
          const opt = size === undefined ? 0 : 11;
          expect(query.length - opt + prepared.recordEnds[got.length] + opt).toBeGreaterThan(limit);
          expect(got.length).toBeGreaterThan(0);
        }
      });
    }
  }

  it('a reply that fits is sent whole without TC', () => {
    const p = decodeReply(handler.answer(encodeQuery('db-0.db.default.svc.cluster.local'), 'udp')!);
    expect([p.flag_tc, p.answers!.length]).toEqual([false, 1]);
  });
});
