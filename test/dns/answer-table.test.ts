import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/reconcile.js';
import { DEFAULT_DNS_CONFIG } from '../../src/dns/records/dns-config.js';
import type { RecordIndex } from '../../src/dns/records/record-index.js';
import { LiveClusterRuntime } from '../../src/runtime/live-cluster-runtime.js';
import fc from 'fast-check';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { UdpListener } from '../../src/dns/server/udp-listener.js';
import { TcpListener } from '../../src/dns/server/tcp-listener.js';
import { getScannedName, QueryScan, ScanOutcome, scanQuery } from '../../src/dns/wire/query-reader.js';
import { MAX_PROBE, QuestionTable } from '../../src/dns/wire/question-table.js';
import { decodeReply, encodeQuery, tcpExchange, toZoneLines, udpExchange } from '../helpers/dns-client.js';
import { buildBigHeadlessYaml, snapshotFromYaml } from '../helpers/cluster.js';

// The answer table: prepared answers found by the question's wire bytes (folded name + QTYPE).

const WEB = (ip: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {clusterIP: ${ip}, ports: [{name: http, port: 80}]}\n`;
const CLUSTER = { 'web.yaml': WEB('10.96.100.10'), 'big.yaml': buildBigHeadlessYaml(60) };

/** A question's key as the scanner makes it. */
function scan(name: string, type = 'A'): QueryScan {
  const s = new QueryScan();
  expect(scanQuery(encodeQuery(name, { type }), s)).toBe(ScanOutcome.QUERY);
  return s;
}

function put(t: QuestionTable<string>, s: QueryScan, v: string): void {
  t.set(s.key, s.keyLength, s.qtype, s.hash, v);
}

function get(t: QuestionTable<string>, s: QueryScan): string | undefined {
  return t.get(s.key, s.keyLength, s.qtype, s.hash);
}

describe('scanQuery keys', () => {
  const cases = [
    { name: 'spellings of one name share a key', a: ['Web.Default.SVC.cluster.local', 'A'], b: ['web.default.svc.cluster.local', 'A'], same: true },
    { name: 'another QTYPE is another key', a: ['web.default.svc.cluster.local', 'A'], b: ['web.default.svc.cluster.local', 'AAAA'], same: false },
    { name: 'label boundaries count: a.bc is not ab.c', a: ['a.bc', 'A'], b: ['ab.c', 'A'], same: false },
    { name: 'only ASCII letters fold: 0xC9 is not 0xE9', a: ['\u00c9.test', 'A'], b: ['\u00e9.test', 'A'], same: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const [a, b] = [scan(c.a[0], c.a[1]), scan(c.b[0], c.b[1])];
      const keyA = Buffer.from(a.key.subarray(0, a.keyLength));
      const keyB = Buffer.from(b.key.subarray(0, b.keyLength));
      expect(keyA.equals(keyB) && a.qtype === b.qtype && a.hash === b.hash).toBe(c.same);
    });
  }

  it('the key decodes to the lower-case dotted name the index uses', () => {
    expect(getScannedName(scan('Web.Default.SVC.cluster.local'))).toBe('web.default.svc.cluster.local');
    expect(getScannedName(scan('.'))).toBe('');
  });

  it("a '.' inside a label decodes to '\\0', never to a label boundary", () => {
    const q = encodeQuery('ab.cluster.local');
    q[13 + 1] = 0x2e; // `ab` → `a.` (one label)
    const s = new QueryScan();
    expect(scanQuery(q, s)).toBe(ScanOutcome.QUERY);
    expect(getScannedName(s)).toBe('a\0.cluster.local');
  });
});

describe('QuestionTable', () => {
  it('finds what was stored, by name and QTYPE', () => {
    const t = new QuestionTable<string>(16);
    const cases = [
      { name: 'A of web', q: scan('web.default.svc.cluster.local'), v: 'web A' },
      { name: 'AAAA of web', q: scan('web.default.svc.cluster.local', 'AAAA'), v: 'web AAAA' },
      { name: 'A of a longer name', q: scan('x.web.default.svc.cluster.local'), v: 'x A' },
      { name: 'the root', q: scan('.', 'NS'), v: 'root NS' },
    ];
    for (const c of cases) put(t, c.q, c.v);
    for (const c of cases) expect(get(t, c.q), c.name).toBe(c.v);
    expect(get(t, scan('WEB.default.svc.cluster.local'))).toBe('web A');
    expect(get(t, scan('web.default.svc.cluster.local', 'TXT'))).toBeUndefined();
    expect(t.size).toBe(4);
  });

  it('storing an equal question again replaces its value without a new entry', () => {
    const t = new QuestionTable<string>(8);
    put(t, scan('a.test'), 'first');
    put(t, scan('A.TEST'), 'second');
    expect([get(t, scan('a.test')), t.size]).toEqual(['second', 1]);
  });

  const fills = [
    { name: '2 slots (every new question evicts)', slots: 2, names: 50 },
    { name: '4 slots (colliding slots, clears when half full)', slots: 4, names: 200 },
    { name: '64 slots', slots: 64, names: 1000 },
  ];
  for (const c of fills) {
    it(`stays bounded and never answers for another question: ${c.name}`, () => {
      const t = new QuestionTable<string>(c.slots);
      for (let i = 0; i < c.names; i++) {
        const q = scan(`n${i}.test`, i % 2 ? 'A' : 'AAAA');
        put(t, q, `v${i}`);
        expect(get(t, q)).toBe(`v${i}`);
        expect(t.size).toBeLessThanOrEqual(c.slots / 2);
        // Every earlier question is either still there with its own value or gone.
        for (let j = Math.max(0, i - 8); j < i; j++) expect([undefined, `v${j}`]).toContain(get(t, scan(`n${j}.test`, j % 2 ? 'A' : 'AAAA')));
      }
      expect(t.clears).toBeGreaterThan(0);
    });
  }

  it('a slab too small for more keys empties the table instead of growing', () => {
    const t = new QuestionTable<string>(1024, 256);
    const long = (i: number) => `${'x'.repeat(60)}.${'y'.repeat(60)}.n${i}.test`;
    for (let i = 0; i < 20; i++) put(t, scan(long(i)), `v${i}`);
    expect(t.size).toBeLessThanOrEqual(2);
    expect(get(t, scan(long(19)))).toBe('v19');
  });

  it(`questions hashing alike are told apart by their bytes, and runs stop at ${MAX_PROBE} probes`, () => {
    // Forced full-hash collisions: the same hash for different questions.
    const t = new QuestionTable<string>(1024);
    const qs = Array.from({ length: MAX_PROBE + 4 }, (_, i) => scan(`c${i}.test`));
    for (const [i, q] of qs.entries()) t.set(q.key, q.keyLength, q.qtype, 12345, `v${i}`);
    const found = qs.map((q) => t.get(q.key, q.keyLength, q.qtype, 12345));
    // The run filled up once: the table was emptied and refilled, never confused.
    expect(t.clears).toBe(1);
    for (const [i, v] of found.entries()) expect([undefined, `v${i}`]).toContain(v);
    expect(found.at(-1)).toBe(`v${qs.length - 1}`);
  });

  it('rejects a slot count that is not a power of two', () => {
    expect(() => new QuestionTable(12)).toThrow(/power of two/);
  });
});

describe('answers through the table over real sockets', () => {
  const snapshot = snapshotFromYaml(CLUSTER);
  // A 4-slot table (2 entries): nearly every question collides with or evicts another.
  const handler = new QueryHandler(snapshot.index, 4);
  const udp = new UdpListener(handler);
  const tcp = new TcpListener(handler);
  let port = 0;
  beforeAll(async () => {
    port = await udp.listen('127.0.0.1', 0);
    await tcp.listen('127.0.0.1', port);
  });
  afterAll(async () => {
    await udp.close();
    await tcp.close();
  });

  /** What a handler that has cached nothing answers (compiled for this query alone). */
  const uncached = (q: Buffer) => new QueryHandler(snapshot.index).answer(q, 'udp');

  it('mixed-case repeats each get their own spelling back, with the same data', async () => {
    const spellings = ['web.default.svc.cluster.local', 'WEB.default.svc.cluster.local', 'wEb.DeFaUlT.sVc.ClUsTeR.lOcAl', 'web.default.svc.cluster.local'];
    for (const [i, name] of spellings.entries()) {
      const reply = await udpExchange(port, encodeQuery(name, { id: 100 + i }));
      const p = decodeReply(reply!);
      expect(p.id).toBe(100 + i);
      expect(p.questions![0].name).toBe(name);
      expect(toZoneLines(reply!, 'answers', true)).toEqual([`${name}. 5 IN A 10.96.100.10`]);
    }
  });

  const questions = [
    { name: 'A hit', q: 'web.default.svc.cluster.local', type: 'A' },
    { name: 'SRV hit', q: '_http._tcp.web.default.svc.cluster.local', type: 'SRV' },
    { name: 'AAAA NODATA', q: 'web.default.svc.cluster.local', type: 'AAAA' },
    { name: 'NXDOMAIN in the zone', q: 'nope.default.svc.cluster.local', type: 'A' },
    { name: 'NXDOMAIN, other spelling', q: 'NOPE.default.svc.cluster.local', type: 'A' },
    { name: 'search-path miss', q: 'web.default.default.svc.cluster.local', type: 'A' },
    { name: 'short name (outside every zone)', q: 'web', type: 'A' },
    { name: 'PTR of the service', q: '10.100.96.10.in-addr.arpa', type: 'PTR' },
    { name: 'pod A computed from its name', q: '10-244-1-7.default.pod.cluster.local', type: 'A' },
    { name: 'random QTYPE on a stored name', q: 'web.default.svc.cluster.local', type: 'CAA' },
  ];

  it('a full, colliding table answers every question as an uncached handler does (byte for byte), and stays bounded', async () => {
    for (let round = 0; round < 3; round++) {
      for (const [i, c] of questions.entries()) {
        const q = encodeQuery(c.q, { type: c.type, id: round * 100 + i });
        const reply = await udpExchange(port, q);
        expect(reply, `${c.name} (round ${round})`).toEqual(uncached(q));
        expect(handler.answerTableSize).toBeLessThanOrEqual(2);
      }
    }
  });

  it('one entry serves UDP without EDNS (TC), UDP with EDNS 4096 (whole answer) and TCP', async () => {
    const name = 'big.default.svc.cluster.local';
    const cases = [
      // As many whole A records as fit in 512 bytes (miekg Msg.Truncate): (512 - 47) / 16 → 29.
      { name: 'UDP, no EDNS', send: () => udpExchange(port, encodeQuery(name)), tc: true, answers: 29 },
      { name: 'UDP, EDNS 4096', send: () => udpExchange(port, encodeQuery(name, { ednsUdpSize: 4096 })), tc: false, answers: 60 },
      { name: 'TCP', send: async () => (await tcpExchange(port, [encodeQuery(name)]))[0], tc: false, answers: 60 },
      { name: 'UDP, no EDNS again', send: () => udpExchange(port, encodeQuery(name)), tc: true, answers: 29 },
    ];
    for (const c of cases) {
      const p = decodeReply((await c.send())!);
      expect([p.flag_tc, p.answers!.length], c.name).toEqual([c.tc, c.answers]);
    }
  });
});

describe('answer table property', () => {
  const snapshot = snapshotFromYaml(CLUSTER);
  const names = ['web.default.svc.cluster.local', '_http._tcp.web.default.svc.cluster.local', 'nope.default.svc.cluster.local', 'web', 'web.default', '10-244-1-7.default.pod.cluster.local', '10.100.96.10.in-addr.arpa', 'cluster.local', 'www.example.com'];
  const types = ['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'SOA', 'NS', 'CAA'];
  const question = fc.record({
    name: fc.constantFrom(...names),
    caseBits: fc.integer({ min: 0, max: 0xffff }),
    type: fc.constantFrom(...types),
    edns: fc.constantFrom(undefined, 512, 4096),
  });
  const spell = (name: string, bits: number) => [...name].map((ch, i) => ((bits >> i % 16) & 1 ? ch.toUpperCase() : ch)).join('');

  it('any sequence of questions through a tiny table is answered as by a handler that cached nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(question, { minLength: 1, maxLength: 40 }), (slotBits, qs) => {
        const handler = new QueryHandler(snapshot.index, 1 << slotBits);
        for (const [i, q] of qs.entries()) {
          const msg = encodeQuery(spell(q.name, q.caseBits), { type: q.type, id: i, ednsUdpSize: q.edns });
          expect(handler.answer(msg, 'udp')).toEqual(new QueryHandler(snapshot.index).answer(msg, 'udp'));
        }
        expect(handler.answerTableSize).toBeLessThanOrEqual(1 << (slotBits - 1));
      }),
      { numRuns: 200 },
    );
  });
});

describe('an index swap: the table\'s answers are checked against the new index', () => {
  const before = snapshotFromYaml({ 'web.yaml': WEB('10.96.100.10') });
  const after = snapshotFromYaml({ 'web.yaml': WEB('10.96.100.20'), 'new.yaml': WEB('10.96.100.30').replace('name: web', 'name: newsvc') }, {}, {}, 2);
  const handler = new QueryHandler(before.index);
  const udp = new UdpListener(handler);
  let port = 0;
  beforeAll(async () => {
    port = await udp.listen('127.0.0.1', 0);
  });
  afterAll(async () => udp.close());

  const cases = [
    { name: 'a changed address', q: 'web.default.svc.cluster.local', before: ['web.default.svc.cluster.local. 5 IN A 10.96.100.10'], after: ['web.default.svc.cluster.local. 5 IN A 10.96.100.20'] },
    { name: 'NXDOMAIN that now exists', q: 'newsvc.default.svc.cluster.local', before: [], after: ['newsvc.default.svc.cluster.local. 5 IN A 10.96.100.30'] },
  ];
  it('answers cached from the old index are never served from the new one', async () => {
    for (const c of cases) {
      // Twice each, so the second answer comes from the table.
      for (let i = 0; i < 2; i++) expect(toZoneLines((await udpExchange(port, encodeQuery(c.q)))!), c.name).toEqual(c.before);
    }
    expect(handler.answerTableSize).toBe(2);
    handler.setIndex(after.index);
    // The table keeps its questions, but each is checked against the new index before it is used.
    for (let i = 0; i < 2; i++) for (const c of cases) expect(toZoneLines((await udpExchange(port, encodeQuery(c.q)))!), c.name).toEqual(c.after);
    const soa = decodeReply((await udpExchange(port, encodeQuery('gone.default.svc.cluster.local')))!).authorities![0] as { data: { serial: number } };
    expect(soa.data.serial).toBe(2);
  });
});

describe('after a one-namespace patch, answers of names the change left alone are kept; the others are prepared again', () => {
  it('keeps a positive answer whose entry is shared, prepares again negatives (new SOA serial) and changed names', async () => {
    const files = { 'web.yaml': WEB('10.96.100.10'), 'other.yaml': WEB('10.96.100.40').replace(/namespace: default/g, 'namespace: other').replace('name: web', 'name: api') };
    const dir = mkdtempSync(join(tmpdir(), 'kds-answer-keep-'));
    let published: RecordIndex | undefined;
    const rt = await LiveClusterRuntime.start({ paths: [dir], clusterOptions: DEFAULT_CLUSTER_OPTIONS, dns: DEFAULT_DNS_CONFIG, podReadyDelayMs: 0, statePath: undefined, log: pino({ level: 'silent' }), publish: (i) => (published = i), reportFindings: () => {}, watch: false, now: () => 1_000_000 });
    try {
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
      await rt.reload();
      const handler = new QueryHandler(published!);
      const answer = (name: string, type: 'A' | 'AAAA') => decodeReply(handler.answer(dnsPacket.encode({ type: 'query', id: 1, questions: [{ name, type, class: 'IN' }] }), 'udp')!);
      const kept = 'api.other.svc.cluster.local';
      const first = handler.getPreparedAnswer(kept, 1);
      expect(answer(kept, 'A').answers.map((a) => a.data)).toEqual(['10.96.100.40']);
      writeFileSync(join(dir, 'web.yaml'), WEB('10.96.100.11'));
      await rt.reload();
      expect(rt.reconciles.namespace).toBeGreaterThan(0);
      handler.setIndex(published!);
      expect(answer(kept, 'A').answers.map((a) => a.data)).toEqual(['10.96.100.40']);
      expect(handler.getPreparedAnswer(kept, 1)).toBe(first);
      expect(answer('web.default.svc.cluster.local', 'A').answers.map((a) => a.data)).toEqual(['10.96.100.11']);
      const soa = answer(kept, 'AAAA').authorities[0] as { data: { serial: number } };
      expect(soa.data.serial).toBe(published!.serial);
    } finally {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
