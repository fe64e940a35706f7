import { getAnswerCacheSlot, lookupName, Rcode } from '../records/lookup.js';
import type { RecordIndex } from '../records/record-index.js';
import { findZone, NO_PREPARED } from '../records/record-index.js';
import { CLASS_ANY, CLASS_IN } from '../wire/constants.js';
import { toPreparedAnswer, type PreparedAnswer } from '../wire/prepared-answer.js';
import { readQuery } from '../wire/query-reader.js';
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

const SHORT_NAME_CACHE_LIMIT = 10_000;
const MISS_CACHE_LIMIT = 50_000;

/**
 * Prepared answers by (QTYPE, name), at most `limit` in all (emptied when full). Keyed by the name
 * itself per type, so a lookup builds no key string.
 */
class QuestionCache {
  private byType = new Map<number, Map<string, PreparedAnswer>>();
  private size = 0;

  constructor(private readonly limit: number) {}

  get(qtype: number, qname: string): PreparedAnswer | undefined {
    return this.byType.get(qtype)?.get(qname);
  }

  set(qtype: number, qname: string, p: PreparedAnswer): void {
    if (this.size >= this.limit) {
      this.byType.clear();
      this.size = 0;
    }
    let names = this.byType.get(qtype);
    if (!names) this.byType.set(qtype, (names = new Map()));
    if (!names.has(qname)) this.size++;
    names.set(qname, p);
  }
}

/**
 * Answers DNS queries from the current record index. The index is replaced whole by `setIndex`
 * (one reference swap: a query sees the old or the new cluster, never half of each). Prepared
 * answers are cached per name and type inside the index they came from.
 */
export class QueryHandler {
  private index: RecordIndex;
  private shortNameCache = new QuestionCache(SHORT_NAME_CACHE_LIMIT);
  private missCache = new QuestionCache(MISS_CACHE_LIMIT);
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

  constructor(index: RecordIndex) {
    this.index = index;
  }

  get currentIndex(): RecordIndex {
    return this.index;
  }

  setIndex(index: RecordIndex): void {
    this.index = index;
    this.shortNameCache = new QuestionCache(SHORT_NAME_CACHE_LIMIT);
    this.missCache = new QuestionCache(MISS_CACHE_LIMIT);
  }

  /** The prepared answer for a question (lower-case name), from cache or compiled now. */
  getPreparedAnswer(qname: string, qtype: number): PreparedAnswer {
    const index = this.index;
    const entry = index.names.get(qname);
    if (entry) {
      const slot = getAnswerCacheSlot(entry, qtype);
      let p = entry.prepared.get(slot) as PreparedAnswer | undefined;
      // An entry a patched index shares with the one before may hold answers with the old SOA serial.
      if (!p || p.serial !== index.serial) {
        p = toPreparedAnswer(lookupName(index, qname, qtype), qname, index.serial);
        if (entry.prepared === NO_PREPARED) entry.prepared = new Map();
        entry.prepared.set(slot, p);
      }
      return p;
    }
    const zone = findZone(index.zones, qname);
    if (zone === undefined) {
      let p = this.shortNameCache.get(qtype, qname);
      if (!p) {
        p = toPreparedAnswer(lookupName(index, qname, qtype), qname);
        // Misses (REFUSED) too: each costs three lookups; the bound keeps endless distinct names harmless.
        this.shortNameCache.set(qtype, qname, p);
      }
      return p;
    }
    // Names not stored (NXDOMAIN, computed pod names): remembered per question, bounded, so a repeated
    // miss (ndots:5 search expansion) costs one map lookup instead of a lookup and a compile.
    const known = this.missCache.get(qtype, qname);
    if (known) return known;
    // Per question, never shared between names: the SOA's names compress against every suffix of
    // the question, so another name of the same length would spell them differently.
    const p = toPreparedAnswer(lookupName(index, qname, qtype), qname);
    this.missCache.set(qtype, qname, p);
    return p;
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
    this.counters.queries++;
    if (transport === 'tcp') this.counters.tcp++;
    const q = readQuery(msg);
    if ('action' in q) {
      if (q.action === 'drop') {
        this.counters.dropped++;
        return null;
      }
      if (q.rcode === Rcode.FORMERR) this.counters.formerr++;
      this.counters.rcodes[q.rcode & 0x1f]++;
      return writeErrorResponse(msg, q.questionEnd, q.rcode, q.edns);
    }
    const edns = q.edns !== undefined;
    this.counters.qtypesByTransport[(transport === 'tcp' ? 257 : 0) + (q.qtype < 256 ? q.qtype : 256)]++;
    if (q.qclass !== CLASS_IN) {
      const rcode = q.qclass === CLASS_ANY ? Rcode.NOTIMP : Rcode.REFUSED;
      this.counters.rcodes[rcode]++;
      return writeErrorResponse(msg, q.questionEnd, rcode, edns);
    }
    try {
      const prepared = this.getPreparedAnswer(q.qname, q.qtype);
      const limit = transport === 'tcp' ? 65535 : getUdpLimit(q.edns?.udpSize);
      if (prepared.rcode === Rcode.REFUSED && client !== null && this.forwarder !== null && findZone(this.index.zones, q.qname) === undefined) {
        return this.forward(this.forwarder, msg, q.qname, q.questionEnd, limit, edns, client);
      }
      const reply = writeResponse(msg, q.questionEnd, prepared, edns, limit);
      if (reply[2] & 0x02) this.counters.truncated++;
      this.counters.rcodes[prepared.rcode]++;
      return reply;
    } catch (err) {
      this.counters.internalErrors++;
      this.counters.rcodes[Rcode.SERVFAIL]++;
      this.onInternalError(err, q.qname);
      return writeErrorResponse(msg, q.questionEnd, Rcode.SERVFAIL, edns);
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
