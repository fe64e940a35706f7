import { lookupName, Rcode, type LookupResult } from '../records/lookup.js';
import type { RecordIndex } from '../records/record-index.js';
import { findZone } from '../records/record-index.js';
import { CLASS_IN } from '../wire/constants.js';
import { getNameWireLength } from '../wire/name-compressor.js';
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
}

export function newQueryCounters(): QueryCounters {
  return { queries: 0, dropped: 0, formerr: 0, rcodes: new Array(24).fill(0), truncated: 0, internalErrors: 0 };
}

const SHORT_NAME_CACHE_LIMIT = 10_000;
const MISS_CACHE_LIMIT = 50_000;

/**
 * Answers DNS queries from the current record index. The index is replaced whole by `setIndex`
 * (one reference swap: a query sees the old or the new cluster, never half of each). Prepared
 * answers are cached per name and type inside the index they came from.
 */
export class QueryHandler {
  private index: RecordIndex;
  private negativeCache = new Map<string, PreparedAnswer>();
  private shortNameCache = new Map<string, PreparedAnswer>();
  private missCache = new Map<string, PreparedAnswer>();
  readonly counters: QueryCounters = newQueryCounters();
  /** Called for an internal fault (the reply is SERVFAIL); never on the normal path. */
  onInternalError: (err: unknown, qname: string) => void = () => {};

  constructor(index: RecordIndex) {
    this.index = index;
  }

  get currentIndex(): RecordIndex {
    return this.index;
  }

  setIndex(index: RecordIndex): void {
    this.index = index;
    this.negativeCache = new Map();
    this.shortNameCache = new Map();
    this.missCache = new Map();
  }

  /** The prepared answer for a question (lower-case name), from cache or compiled now. */
  getPreparedAnswer(qname: string, qtype: number): PreparedAnswer {
    const index = this.index;
    const entry = index.names.get(qname);
    if (entry) {
      let p = entry.prepared.get(qtype) as PreparedAnswer | undefined;
      if (!p) {
        p = toPreparedAnswer(lookupName(index, qname, qtype), qname);
        entry.prepared.set(qtype, p);
      }
      return p;
    }
    const zone = findZone(index.zones, qname);
    if (zone === undefined) {
      const key = `${qtype}/${qname}`;
      let p = this.shortNameCache.get(key);
      if (!p) {
        p = toPreparedAnswer(lookupName(index, qname, qtype), qname);
        // Misses (REFUSED) too: each costs three lookups; the bound keeps endless distinct names harmless.
        if (this.shortNameCache.size >= SHORT_NAME_CACHE_LIMIT) this.shortNameCache.clear();
        this.shortNameCache.set(key, p);
      }
      return p;
    }
    // Names not stored (NXDOMAIN, computed pod names): remembered per question, bounded, so a repeated
    // miss (ndots:5 search expansion) costs one map lookup instead of a lookup and a compile.
    const missKey = `${qtype}/${qname}`;
    const known = this.missCache.get(missKey);
    if (known) return known;
    const result: LookupResult = lookupName(index, qname, qtype);
    let p: PreparedAnswer | undefined;
    if (result.kind === 'nxdomain') {
      // The SOA owner compresses against the zone suffix of the question: same zone and length, same bytes.
      const key = `${zone}/${getNameWireLength(qname)}`;
      p = this.negativeCache.get(key);
      if (!p) this.negativeCache.set(key, (p = toPreparedAnswer(result, qname)));
    } else p = toPreparedAnswer(result, qname);
    if (this.missCache.size >= MISS_CACHE_LIMIT) this.missCache.clear();
    this.missCache.set(missKey, p);
    return p;
  }

  /**
   * Answers one message. Returns the reply bytes, or null when the message must be dropped.
   * Never throws: an internal fault becomes SERVFAIL.
   */
  answer(msg: Uint8Array, transport: Transport): Buffer | null {
    this.counters.queries++;
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
    if (q.qclass !== CLASS_IN) {
      this.counters.rcodes[Rcode.REFUSED]++;
      return writeErrorResponse(msg, q.questionEnd, q.qclass === 255 ? Rcode.NOTIMP : Rcode.REFUSED, edns);
    }
    try {
      const prepared = this.getPreparedAnswer(q.qname, q.qtype);
      const limit = transport === 'tcp' ? 65535 : getUdpLimit(q.edns?.udpSize);
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
}
