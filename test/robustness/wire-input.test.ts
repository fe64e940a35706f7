import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { DnsServer } from '../../src/runtime/dns-server.js';
import { decodeReply, encodeQuery, tcpExchange, udpExchange } from '../helpers/dns-client.js';
import { snapshotFromYaml } from '../helpers/cluster.js';

const lab = Object.fromEntries(readdirSync('manifests').filter((f) => f.endsWith('.yaml')).map((f) => [`manifests/${f}`, readFileSync(`manifests/${f}`, 'utf8')]));

/** A query built by hand: header fields, raw question bytes, raw trailing bytes. */
function rawQuery(o: { id?: number; flags?: number; qd?: number; an?: number; ar?: number; question?: number[]; rest?: number[] }): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(o.id ?? 0xbeef, 0);
  h.writeUInt16BE(o.flags ?? 0x0100, 2);
  h.writeUInt16BE(o.qd ?? 1, 4);
  h.writeUInt16BE(o.an ?? 0, 6);
  h.writeUInt16BE(o.ar ?? 0, 10);
  return Buffer.concat([h, Buffer.from(o.question ?? []), Buffer.from(o.rest ?? [])]);
}
const label = (s: string) => [s.length, ...Buffer.from(s)];
const QUESTION_A = [...label('myweb-svc'), ...label('default'), ...label('svc'), ...label('cluster'), ...label('local'), 0, 0, 1, 0, 1];
const OPT = (version = 0, size = 1232) => [0, 0, 41, size >> 8, size & 255, 0, version, 0, 0, 0, 0];

describe('hostile wire input, over real UDP and TCP', () => {
  let server: DnsServer;
  let port: number;
  beforeAll(async () => {
    server = new DnsServer(snapshotFromYaml(lab).index);
    port = await server.listen('127.0.0.1', 0);
  });
  afterAll(() => server.close());

  const cases: { name: string; msg: Buffer; want: string | null; ext?: number }[] = [
    { name: 'shorter than a header', msg: Buffer.from([0xbe, 0xef, 1]), want: null },
    { name: 'QR=1 (never answered: no reflection loops)', msg: rawQuery({ flags: 0x8100, question: QUESTION_A }), want: null },
    { name: 'QDCOUNT 0', msg: rawQuery({ qd: 0 }), want: 'FORMERR' },
    { name: 'QDCOUNT 2', msg: rawQuery({ qd: 2, question: [...QUESTION_A, ...QUESTION_A] }), want: 'FORMERR' },
    { name: 'label over 63 bytes', msg: rawQuery({ question: [64, ...Buffer.alloc(64, 97), 0, 0, 1, 0, 1] }), want: 'FORMERR' },
    { name: 'name over 255 bytes', msg: rawQuery({ question: [...Array.from({ length: 5 }, () => label('a'.repeat(60))).flat(), 0, 0, 1, 0, 1] }), want: 'FORMERR' },
    { name: 'compression pointer looping onto itself', msg: rawQuery({ question: [0xc0, 12, 0, 1, 0, 1] }), want: 'FORMERR' },
    { name: 'compression pointer pointing forward', msg: rawQuery({ question: [0xc0, 40, 0, 1, 0, 1, ...Array(40).fill(0)] }), want: 'FORMERR' },
    { name: 'question cut short', msg: rawQuery({ question: QUESTION_A.slice(0, 10) }), want: 'FORMERR' },
    { name: 'trailing garbage after the question is tolerated', msg: rawQuery({ question: QUESTION_A, rest: [1, 2, 3, 4] }), want: 'NOERROR' },
    { name: 'answer records in a query', msg: rawQuery({ an: 1, question: QUESTION_A }), want: 'FORMERR' },
    { name: 'class CHAOS', msg: rawQuery({ question: [...QUESTION_A.slice(0, -1), 3] }), want: 'REFUSED' },
    { name: 'opcode NOTIFY', msg: rawQuery({ flags: 0x2000, question: QUESTION_A }), want: 'NOTIMP' },
    { name: 'opcode UPDATE', msg: rawQuery({ flags: 0x2800, question: QUESTION_A }), want: 'NOTIMP' },
    { name: 'EDNS version 1 → BADVERS', msg: rawQuery({ ar: 1, question: QUESTION_A, rest: OPT(1) }), want: 'NOERROR', ext: 1 },
    { name: 'two OPT records', msg: rawQuery({ ar: 2, question: QUESTION_A, rest: [...OPT(), ...OPT()] }), want: 'FORMERR' },
    { name: 'OPT record cut short', msg: rawQuery({ ar: 1, question: QUESTION_A, rest: OPT().slice(0, 6) }), want: 'FORMERR' },
  ];
  for (const c of cases) {
    for (const transport of ['udp', 'tcp'] as const) {
      it(`${c.name} (${transport})`, async () => {
        const reply = transport === 'udp' ? await udpExchange(port, c.msg, c.want === null ? 300 : 1000) : (await tcpExchange(port, [c.msg], 1, c.want === null ? 300 : 2000))[0] ?? null;
        if (c.want === null) {
          expect(reply).toBeNull();
        } else {
          expect(reply).not.toBeNull();
          expect(reply!.readUInt16BE(0)).toBe(c.msg.readUInt16BE(0));
          expect(reply![2] & 0x80).toBe(0x80);
          expect(reply![3] & 0x0f).toBe({ NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 }[c.want]);
          if (c.ext !== undefined) {
            const opt = decodeReply(reply!).additionals!.find((r) => r.type === 'OPT') as unknown as { extendedRcode: number };
            expect(opt.extendedRcode).toBe(c.ext);
          }
          if (transport === 'udp') expect(reply!.length).toBeLessThanOrEqual(512);
        }
      });
    }
  }

  it('random and mutated packets: no crash, every reply parses and matches the query (UDP and TCP)', async () => {
    const seeds = ['myweb-svc.default.svc.cluster.local', 'myweb-sts-0.myweb-svc-headless', 'x.default.svc.cluster.local', '_http._tcp.myweb-svc.default.svc.cluster.local'].map((n) => encodeQuery(n));
    const packet = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 600 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(200), fc.nat(255)), { minLength: 1, maxLength: 8 }), fc.nat(40)).map(([seed, flips, cut]) => {
        const b = Buffer.from(seed);
        for (const [at, v] of flips) if (at < b.length) b[at] = v;
        return cut > 0 && cut < b.length ? b.subarray(0, b.length - cut) : b;
      }),
    );
    let replies = 0;
    await fc.assert(
      fc.asyncProperty(packet, fc.boolean(), async (msg, useTcp) => {
        const reply = useTcp ? ((await tcpExchange(port, [msg], 1, 250))[0] ?? null) : await udpExchange(port, msg, 150);
        if (reply === null) return;
        replies++;
        expect(reply.readUInt16BE(0)).toBe(msg.readUInt16BE(0));
        const p = decodeReply(reply);
        expect(p.type).toBe('response');
        if (p.questions!.length === 1) expect(reply.subarray(12, 12 + (reply.length > 12 ? questionLength(reply) : 0))).toEqual(msg.subarray(12, 12 + questionLength(reply)));
        if (!useTcp) expect(reply.length).toBeLessThanOrEqual(512);
      }),
      { numRuns: 250, seed: 20261125 },
    );
    expect(replies).toBeGreaterThan(20);
    // Still answering after all of it.
    const ok = decodeReply((await udpExchange(port, encodeQuery('myweb-svc.default.svc.cluster.local')))!);
    expect(ok.rcode).toBe('NOERROR');
  }, 60_000);
});

function questionLength(reply: Buffer): number {
  let off = 12;
  while (off < reply.length && reply[off] !== 0) off += 1 + reply[off];
  return off + 5 - 12;
}
