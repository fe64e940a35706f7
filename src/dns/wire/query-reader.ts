import { CLASSIC_UDP_SIZE, FLAG_QR, HEADER_LENGTH, OPCODE_MASK, TYPE_OPT } from './constants.js';

/** A query's header and question, read by offset without decoding the rest. */
export interface Query {
  id: number;
  /** The raw 16-bit flags word. */
  flags: number;
  opcode: number;
  /** Lower-case name without the trailing dot; '' for the root. A '.' inside a label becomes '\0' (never matches). */
  qname: string;
  qtype: number;
  qclass: number;
  /** Offset just past the question (QTYPE, QCLASS). */
  questionEnd: number;
  /** EDNS, when the query carries a valid OPT record. */
  edns: { udpSize: number; version: number; dnssecOk: boolean } | undefined;
}

/** How a packet that is not a usable query must be treated: drop it, or answer with this rcode. */
export type QueryRejection =
  | { action: 'drop'; reason: string }
  | { action: 'reply'; rcode: number; id: number; flags: number; reason: string; questionEnd: number; edns: boolean };

/** What scanQuery made of a message. */
export const ScanOutcome = { QUERY: 0, DROP: 1, REPLY: 2 } as const;

/** ASCII upper case → lower case; every other byte unchanged (RFC 4343: only A-Z fold). */
const FOLD = Uint8Array.from({ length: 256 }, (_, c) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c));
const FNV_PRIME = 0x01000193;
/** Holds a dotted name while getScannedName decodes it (at most 253 bytes). */
const NAME_SCRATCH = Buffer.alloc(256);

/**
 * Everything scanQuery reads from one message. The caller owns one instance and reuses it for every
 * query, so reading a question allocates nothing; fields are valid until the next scan.
 */
export class QueryScan {
  id = 0;
  /** The raw 16-bit flags word. */
  flags = 0;
  opcode = 0;
  qtype = 0;
  qclass = 0;
  /** Offset just past the question (QTYPE, QCLASS); HEADER_LENGTH when the question was not readable. */
  questionEnd = HEADER_LENGTH;
  /** The question name in wire form (length-prefixed labels, final 0), A-Z folded to a-z: `key[0, keyLength)`. */
  readonly key = new Uint8Array(256);
  keyLength = 0;
  /** FNV-1a over `key` and QTYPE, started from `hashSeed`. */
  hash = 0;
  /** Set once by the owner (random per process, so colliding names cannot be precomputed). */
  hashSeed = 0x811c9dc5;
  /** A valid OPT record was present (or, for a rejection, the reply must carry one). */
  edns = false;
  ednsUdpSize = 0;
  ednsVersion = 0;
  dnssecOk = false;
  /** For ScanOutcome.REPLY: the rcode to answer with. */
  rcode = 0;
  /** For DROP and REPLY: why, in a few words (tests and logs). */
  reason = '';
}

/**
 * Judges the header first (miekg's acceptfunc): too short or QR=1 → drop; opcode ≠ QUERY → NOTIMP;
 * QDCOUNT ≠ 1 → FORMERR; then reads the question (labels ≤ 63, name ≤ 255, no pointers) into
 * `s.key` (folded, hashed in the same pass) and an optional OPT record. Returns a ScanOutcome;
 * allocates nothing on the QUERY path. Never throws.
 */
export function scanQuery(buf: Uint8Array, s: QueryScan): number {
  const len = buf.length;
  s.edns = false;
  s.questionEnd = HEADER_LENGTH;
  if (len < HEADER_LENGTH) return drop(s, 'shorter than a header');
  s.id = (buf[0] << 8) | buf[1];
  const flags = (buf[2] << 8) | buf[3];
  s.flags = flags;
  if (flags & FLAG_QR) return drop(s, 'QR set (a response)');
  const opcode = (flags & OPCODE_MASK) >> 11;
  s.opcode = opcode;
  const qdcount = (buf[4] << 8) | buf[5];
  if (opcode !== 0) {
    const q = qdcount === 1 ? readQuestionEnd(buf) : -1;
    s.questionEnd = q > 0 ? q : HEADER_LENGTH;
    return reject(s, 4, `opcode ${opcode} not implemented`);
  }
  if (qdcount !== 1) return reject(s, 1, `QDCOUNT ${qdcount}`);
  const key = s.key;
  let h = s.hashSeed;
  let off = HEADER_LENGTH;
  let n = 0;
  for (;;) {
    if (off >= len) return reject(s, 1, 'question name runs past the message');
    const l = buf[off];
    if (l === 0) break;
    if (l & 0xc0) return reject(s, 1, l >= 0xc0 ? 'compression pointer in the question' : 'reserved label type');
    const end = off + 1 + l;
    if (end > len) return reject(s, 1, 'label runs past the message');
    // The name with its final 0 must fit in 255 bytes.
    if (n + 1 + l + 1 > 255) return reject(s, 1, 'name longer than 255 bytes');
    key[n++] = l;
    h = Math.imul(h ^ l, FNV_PRIME);
    for (let i = off + 1; i < end; i++) {
      const c = FOLD[buf[i]];
      key[n++] = c;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    off = end;
  }
  key[n++] = 0;
  off++;
  s.keyLength = n;
  if (off + 4 > len) return reject(s, 1, 'question truncated');
  const qtype = (buf[off] << 8) | buf[off + 1];
  s.qtype = qtype;
  s.qclass = (buf[off + 2] << 8) | buf[off + 3];
  h = Math.imul(h ^ (qtype >> 8), FNV_PRIME);
  s.hash = Math.imul(h ^ (qtype & 0xff), FNV_PRIME);
  const questionEnd = off + 4;
  s.questionEnd = questionEnd;
  if (buf[6] !== 0 || buf[7] !== 0 || buf[8] !== 0 || buf[9] !== 0) return reject(s, 1, 'answer or authority records in a query');
  const arcount = (buf[10] << 8) | buf[11];
  // Trailing bytes after the question without additional records are tolerated, as most servers do; the reply carries only the question.
  return arcount === 0 ? ScanOutcome.QUERY : readAdditional(buf, questionEnd, arcount, s);
}

function drop(s: QueryScan, reason: string): number {
  s.reason = reason;
  return ScanOutcome.DROP;
}

function reject(s: QueryScan, rcode: number, reason: string): number {
  s.rcode = rcode;
  s.reason = reason;
  return ScanOutcome.REPLY;
}

/**
 * The scanned question name as the index spells it: lower case, dotted, no trailing dot, '' for
 * the root; a '.' inside a label becomes '\0' (so it never matches a stored name).
 */
export function getScannedName(s: QueryScan): string {
  const key = s.key;
  const end = s.keyLength - 1;
  if (end <= 0) return '';
  const name = NAME_SCRATCH;
  let n = 0;
  let off = 0;
  while (off < end) {
    const l = key[off];
    if (off > 0) name[n++] = 0x2e;
    for (let i = off + 1; i <= off + l; i++) name[n++] = key[i] === 0x2e ? 0 : key[i];
    off += 1 + l;
  }
  return name.toString('latin1', 0, n);
}

/** Reads a query into plain objects (scanQuery, for the rare paths: logs, tools, tests). */
export function readQuery(buf: Uint8Array): Query | QueryRejection {
  const s = new QueryScan();
  const outcome = scanQuery(buf, s);
  if (outcome === ScanOutcome.DROP) return { action: 'drop', reason: s.reason };
  if (outcome === ScanOutcome.REPLY) return { action: 'reply', rcode: s.rcode, id: s.id, flags: s.flags, reason: s.reason, questionEnd: s.questionEnd, edns: s.edns };
  const edns = s.edns ? { udpSize: s.ednsUdpSize, version: s.ednsVersion, dnssecOk: s.dnssecOk } : undefined;
  return { id: s.id, flags: s.flags, opcode: s.opcode, qname: getScannedName(s), qtype: s.qtype, qclass: s.qclass, questionEnd: s.questionEnd, edns };
}

function readQuestionEnd(buf: Uint8Array): number {
  let off = HEADER_LENGTH;
  while (off < buf.length) {
    const l = buf[off];
    if (l === 0) return off + 5 <= buf.length ? off + 5 : -1;
    if (l & 0xc0) return -1;
    off += 1 + l;
  }
  return -1;
}

/** Skips a (possibly compressed) name; returns the offset after it or -1. */
function skipName(buf: Uint8Array, off: number): number {
  for (let guard = 0; guard < 128 && off < buf.length; guard++) {
    const l = buf[off];
    if (l === 0) return off + 1;
    if ((l & 0xc0) === 0xc0) return off + 2 <= buf.length ? off + 2 : -1;
    if (l & 0xc0) return -1;
    off += 1 + l;
  }
  return -1;
}

/** Reads the additional section for the OPT record (RFC 6891): at most one, owner root, version 0. */
function readAdditional(buf: Uint8Array, off: number, count: number, s: QueryScan): number {
  let seen = false;
  for (let i = 0; i < count; i++) {
    const nameStart = off;
    off = skipName(buf, off);
    if (off < 0 || off + 10 > buf.length) return reject(s, 1, 'malformed additional section');
    const type = (buf[off] << 8) | buf[off + 1];
    const rdlen = (buf[off + 8] << 8) | buf[off + 9];
    if (off + 10 + rdlen > buf.length) return reject(s, 1, 'malformed additional section');
    if (type === TYPE_OPT) {
      if (seen) {
        s.edns = true;
        return reject(s, 1, 'more than one OPT record');
      }
      if (buf[nameStart] !== 0) return reject(s, 1, 'malformed additional section');
      seen = true;
      const cls = (buf[off + 2] << 8) | buf[off + 3];
      s.ednsUdpSize = cls > CLASSIC_UDP_SIZE ? cls : CLASSIC_UDP_SIZE;
      s.ednsVersion = buf[off + 5];
      s.dnssecOk = (buf[off + 6] & 0x80) !== 0;
    }
    off += 10 + rdlen;
  }
  if (seen) {
    s.edns = true;
    if (s.ednsVersion > 0) return reject(s, 16, `EDNS version ${s.ednsVersion}`);
  }
  return ScanOutcome.QUERY;
}
