import { randomInt } from 'node:crypto';
import { getAnswerCacheSlot, lookupName, Rcode } from '../records/lookup.js';
import type { RecordIndex } from '../records/record-index.js';
import { getNameSource, isSameNameSource } from '../records/derived-names.js';
import { RRType } from '../records/resource-record.js';
import { findZone, NO_PREPARED } from '../records/record-index.js';
import { CLASS_ANY, CLASS_IN } from '../wire/constants.js';
import { toPreparedAnswer, type PreparedAnswer } from '../wire/prepared-answer.js';
import { getScannedName, QueryScan, readQuery, ScanOutcome, scanQuery } from '../wire/query-reader.js';
import { QuestionTable } from '../wire/question-table.js';
import { getUdpLimit, writeErrorResponse, writeResponse } from '../wire/response-writer.js';

export type Transport = 'udp' | 'tcp';

/** Plain counters, read by metrics and logs; no work on the hot path beyond an increment. */
export interface QueryCounters {
  queries: number;
  dropped: number;
  formerr: number;
  /** Replies by rcode. */
  rcodes: number[];
  truncated: number;
  internalErrors: number;
  /** Queries over TCP (the rest came over UDP). */
  tcp: number;
  /** Readable queries by transport and QTYPE: index `(tcp ? 257 : 0) + min(qtype, 256)`. */
  qtypesByTransport: number[];
  /** Queries sent to upstream resolvers. */
  forwarded: number;
  /** Request durations, counted per bucket of DURATION_BUCKETS (last: above the largest); filled only while `measureDurations` is on. */
  durationBuckets: number[];
  durationSumSeconds: number;
  durationCount: number;
}

/** Upper bounds in seconds of the request-duration buckets (CoreDNS: ExponentialBuckets(0.00025, 2, 16)). */
export const DURATION_BUCKETS: readonly number[] = Array.from({ length: 16 }, (_, i) => 0.00025 * 2 ** i);

export function newQueryCounters(): QueryCounters {
  return {
    queries: 0,
    dropped: 0,
    formerr: 0,
    rcodes: new Array(24).fill(0),
    truncated: 0,
    internalErrors: 0,
    tcp: 0,
    qtypesByTransport: new Array(2 * 257).fill(0),
    forwarded: 0,
    durationBuckets: new Array(DURATION_BUCKETS.length + 1).fill(0),
    durationSumSeconds: 0,
    durationCount: 0,
  };
}

/** Sends out-of-zone queries upstream (`serve --upstream`); see dns/forward/forwarder.ts. */
export interface QueryForwarder {
  forward(query: Uint8Array, questionEnd: number, sizeLimit: number, edns: boolean): Promise<Buffer>;
  /** True for this server's own loop probe coming back: it must not be forwarded again. */
  noteIfLoopProbe(qname: string): boolean;
}

/** One answered query, for `--log-queries`. */
export interface QueryLogEntry {
  name: string;
  type: number;
  rcode: number;
  durationMs: number;
  client: string;
  transport: Transport;
}

/** Slots of the answer table: up to half of them hold questions (32k), ~3 MB whatever is asked. */
const ANSWER_TABLE_SLOTS = 1 << 16;

/**
 * Answers DNS queries from the current record index. The index is replaced whole by `setIndex`
 * (one reference swap: a query sees the old or the new cluster, never half of each). Prepared
 * answers are cached per name and type inside the index they came from, and per question in wire
 * form in `answers` (checked against the index after a swap), which is all a repeated question costs.
 */
export class QueryHandler {
  private index: RecordIndex;
  /** Prepared answers of the current index by question (folded wire name, QTYPE); bounded. */
  private readonly answers: QuestionTable<PreparedAnswer>;
  /** The question being answered; reused for every query. */
  private readonly scan = new QueryScan();
  readonly counters: QueryCounters = newQueryCounters();
  /** Called for an internal fault (the reply is SERVFAIL); never on the normal path. */
  onInternalError: (err: unknown, qname: string) => void = () => {};
  /** Out-of-zone names the short-name rule does not claim go here; null → REFUSED. Only `respond` forwards. */
  forwarder: QueryForwarder | null = null;
  /** Which clients may have names forwarded (no open recursion); others get REFUSED. null: every client. */
  recursionAllowed: ((clientAddress: string) => boolean) | null = null;
  /** Time each query into `counters.durationBuckets` (on while metrics are served). */
  measureDurations = false;
  /** Called once per answered query when set (`--log-queries`); never set on the default path. */
  onQueryLog: ((entry: QueryLogEntry) => void) | null = null;

  /** `answerTableSlots`: a power of two (tests use tiny tables to force collisions and evictions). */
  constructor(index: RecordIndex, answerTableSlots = ANSWER_TABLE_SLOTS) {
    this.index = index;
    this.answers = new QuestionTable(answerTableSlots);
    this.scan.hashSeed = randomInt(0, 2 ** 32) | 0;
  }

  /** Questions held in the answer table (for tests and metrics). */
  get answerTableSize(): number {
    return this.answers.size;
  }

  get currentIndex(): RecordIndex {
    return this.index;
  }

  /**
   * Publishes a new index. Answers prepared from an older one stay in the table but are checked
   * before their next use (see getCurrentAnswer): after a one-namespace change most questions keep
   * their bytes, where emptying the table made every question after every change a cold one.
   */
  setIndex(index: RecordIndex): void {
    this.index = index;
    this.epoch++;
  }

  /** Counts setIndex calls: an answer of another epoch was prepared from an earlier index. */
  private epoch = 0;

  /**
   * The answer for a question of the current index: `stale` (from the table, prepared from an
   * earlier index) when it still holds, else prepared anew. It holds when the name's entry is the
   * very same (an unchanged Service keeps its entries) and the answer carries no SOA (negative
   * answers name the new serial) and follows no CNAME (its target may have changed).
   */
  private getCurrentAnswer(qname: string, qtype: number, stale: PreparedAnswer | undefined): PreparedAnswer {
    // By the name's source, not its entry: finding the entry of a Service no longer cached would derive it.
    if (stale?.source !== undefined && stale.serialFree === true && isSameNameSource(stale.source, getNameSource(this.index.names, qname))) {
      stale.epoch = this.epoch;
      return stale;
    }
    const p = this.getPreparedAnswer(qname, qtype);
    p.epoch = this.epoch;
    return p;
  }

  /**
   * The prepared answer for a question (lower-case name): a stored name's from its entry (compiled
   * on first use), any other name's compiled now. Per question, never shared between names: the
   * SOA's names compress against every suffix of the question, so another name of the same length
   * would spell them differently.
   */
  getPreparedAnswer(qname: string, qtype: number): PreparedAnswer {
    const index = this.index;
    const entry = index.names.get(qname);
    if (entry) {
      const slot = getAnswerCacheSlot(entry, qtype);
      let p = entry.prepared.get(slot) as PreparedAnswer | undefined;
      // An entry a patched index shares with the one before may hold answers with the old SOA serial.
      if (!p || (p.serial !== index.serial && !p.serialFree)) {
        p = toPreparedAnswer(lookupName(index, qname, qtype), qname, index.serial, findZone(index.zones, qname));
        p.source = getNameSource(index.names, qname);
        p.serialFree = p.nscount === 0 && !entry.rrsets.has(RRType.CNAME);
        if (entry.prepared === NO_PREPARED) entry.prepared = new Map();
        entry.prepared.set(slot, p);
      }
      return p;
    }
    return toPreparedAnswer(lookupName(index, qname, qtype), qname, undefined, findZone(index.zones, qname));
  }

  /**
   * Answers one message. Returns the reply bytes, or null when the message must be dropped.
   * Never throws: an internal fault becomes SERVFAIL. Never forwards (see `respond`).
   */
  answer(msg: Uint8Array, transport: Transport): Buffer | null {
    return this.answerOrForward(msg, transport, null) as Buffer | null;
  }

  /**
   * What the listeners call: `answer`, plus forwarding (a promise, only for out-of-zone misses),
   * durations and the query log when they are on. The cluster path stays synchronous.
   */
  respond(msg: Uint8Array, transport: Transport, clientAddress: string, clientPort: number): Buffer | null | Promise<Buffer | null> {
    if (!this.measureDurations && this.onQueryLog === null) return this.answerOrForward(msg, transport, clientAddress);
    const started = performance.now();
    const reply = this.answerOrForward(msg, transport, clientAddress);
    if (reply instanceof Promise) return reply.then((r) => this.observe(msg, r, started, transport, clientAddress, clientPort));
    return this.observe(msg, reply, started, transport, clientAddress, clientPort);
  }

  private observe(msg: Uint8Array, reply: Buffer | null, started: number, transport: Transport, clientAddress: string, clientPort: number): Buffer | null {
    const seconds = (performance.now() - started) / 1000;
    if (this.measureDurations) {
      const c = this.counters;
      let i = 0;
      while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]) i++;
      c.durationBuckets[i]++;
      c.durationSumSeconds += seconds;
      c.durationCount++;
    }
    if (this.onQueryLog !== null && reply !== null) {
      const q = readQuery(msg);
      this.onQueryLog({
        name: 'action' in q ? '' : `${q.qname}.`,
        type: 'action' in q ? 0 : q.qtype,
        rcode: reply[3] & 0x0f,
        durationMs: Math.round(seconds * 1e6) / 1000,
        client: clientAddress.includes(':') ? `[${clientAddress}]:${clientPort}` : `${clientAddress}:${clientPort}`,
        transport,
      });
    }
    return reply;
  }

  /** `client`: the asking address, or null when nothing may be forwarded. */
  private answerOrForward(msg: Uint8Array, transport: Transport, client: string | null): Buffer | null | Promise<Buffer | null> {
    const c = this.counters;
    c.queries++;
    if (transport === 'tcp') c.tcp++;
    const q = this.scan;
    const outcome = scanQuery(msg, q);
    if (outcome !== ScanOutcome.QUERY) {
      if (outcome === ScanOutcome.DROP) {
        c.dropped++;
        return null;
      }
      if (q.rcode === Rcode.FORMERR) c.formerr++;
      c.rcodes[q.rcode & 0x1f]++;
      return writeErrorResponse(msg, q.questionEnd, q.rcode, q.edns);
    }
    const qtype = q.qtype;
    c.qtypesByTransport[(transport === 'tcp' ? 257 : 0) + (qtype < 256 ? qtype : 256)]++;
    if (q.qclass !== CLASS_IN) {
      const rcode = q.qclass === CLASS_ANY ? Rcode.NOTIMP : Rcode.REFUSED;
      c.rcodes[rcode]++;
      return writeErrorResponse(msg, q.questionEnd, rcode, q.edns);
    }
    let qname: string | null = null;
    try {
      let prepared = this.answers.get(q.key, q.keyLength, qtype, q.hash);
      if (prepared === undefined || prepared.epoch !== this.epoch) {
        qname = getScannedName(q);
        prepared = this.getCurrentAnswer(qname, qtype, prepared);
        this.answers.set(q.key, q.keyLength, qtype, q.hash, prepared);
      }
      const limit = transport === 'tcp' ? 65535 : getUdpLimit(q.edns ? q.ednsUdpSize : undefined);
      if (prepared.rcode === Rcode.REFUSED && client !== null && this.forwarder !== null) {
        qname ??= getScannedName(q);
        if (findZone(this.index.zones, qname) === undefined) return this.forward(this.forwarder, msg, qname, q.questionEnd, limit, q.edns, client);
      }
      const reply = writeResponse(msg, q.questionEnd, prepared, q.edns, limit);
      if (reply[2] & 0x02) c.truncated++;
      c.rcodes[prepared.rcode]++;
      return reply;
    } catch (err) {
      c.internalErrors++;
      c.rcodes[Rcode.SERVFAIL]++;
      this.onInternalError(err, qname ?? getScannedName(q));
      return writeErrorResponse(msg, q.questionEnd, Rcode.SERVFAIL, q.edns);
    }
  }

  private forward(forwarder: QueryForwarder, msg: Uint8Array, qname: string, questionEnd: number, limit: number, edns: boolean, client: string): Buffer | Promise<Buffer> {
    if (forwarder.noteIfLoopProbe(qname) || (this.recursionAllowed !== null && !this.recursionAllowed(client))) {
      this.counters.rcodes[Rcode.REFUSED]++;
      return writeErrorResponse(msg, questionEnd, Rcode.REFUSED, edns);
    }
    this.counters.forwarded++;
    return forwarder.forward(msg, questionEnd, limit, edns).then(
      (reply) => {
        this.counters.rcodes[reply[3] & 0x0f]++;
        return reply;
      },
      (err: unknown) => {
        this.counters.internalErrors++;
        this.counters.rcodes[Rcode.SERVFAIL]++;
        this.onInternalError(err, qname);
        return writeErrorResponse(msg, questionEnd, Rcode.SERVFAIL, edns);
      },
    );
  }
}
