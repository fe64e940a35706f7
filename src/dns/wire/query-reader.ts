import { CLASSIC_UDP_SIZE, FLAG_QR, HEADER_LENGTH, OPCODE_MASK, TYPE_OPT } from './constants.js';

/** Holds the folded question name while it is read (at most 253 bytes); never escapes readQuery. */
const NAME_SCRATCH = Buffer.alloc(256);

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

/**
 * Judges the header first (miekg's acceptfunc): too short or QR=1 → drop; opcode ≠ QUERY → NOTIMP;
 * QDCOUNT ≠ 1 → FORMERR; then reads the question (labels ≤ 63, name ≤ 255, no pointers) and an
 * optional OPT record. Never throws.
 */
export function readQuery(buf: Uint8Array): Query | QueryRejection {
  const len = buf.length;
  if (len < HEADER_LENGTH) return { action: 'drop', reason: 'shorter than a header' };
  const id = (buf[0] << 8) | buf[1];
  const flags = (buf[2] << 8) | buf[3];
  if (flags & FLAG_QR) return { action: 'drop', reason: 'QR set (a response)' };
  const opcode = (flags & OPCODE_MASK) >> 11;
  const qdcount = (buf[4] << 8) | buf[5];
  const ancount = (buf[6] << 8) | buf[7];
  const nscount = (buf[8] << 8) | buf[9];
  const arcount = (buf[10] << 8) | buf[11];
  const reject = (rcode: number, reason: string, questionEnd = HEADER_LENGTH) => ({ action: 'reply' as const, rcode, id, flags, reason, questionEnd, edns: false });
  if (opcode !== 0) {
    const q = qdcount === 1 ? readQuestionEnd(buf) : -1;
    return reject(4, `opcode ${opcode} not implemented`, q > 0 ? q : HEADER_LENGTH);
  }
  if (qdcount !== 1) return reject(1, `QDCOUNT ${qdcount}`);
  let off = HEADER_LENGTH;
  let total = 0;
  // The name is folded into a scratch buffer and decoded once (latin1: one char per byte), not built char by char.
  const name = NAME_SCRATCH;
  let n = 0;
  for (;;) {
    if (off >= len) return reject(1, 'question name runs past the message');
    const l = buf[off];
    if (l === 0) {
      off++;
      total++;
      break;
    }
    if (l & 0xc0) return reject(1, l >= 0xc0 ? 'compression pointer in the question' : 'reserved label type');
    if (off + 1 + l > len) return reject(1, 'label runs past the message');
    total += l + 1;
    if (total + 1 > 255) return reject(1, 'name longer than 255 bytes');
    if (n > 0) name[n++] = 0x2e;
    for (let i = off + 1; i <= off + l; i++) {
      let c = buf[i];
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      else if (c === 0x2e) c = 0;
      name[n++] = c;
    }
    off += 1 + l;
  }
  const qname = n === 0 ? '' : name.toString('latin1', 0, n);
  if (off + 4 > len) return reject(1, 'question truncated');
  const qtype = (buf[off] << 8) | buf[off + 1];
  const qclass = (buf[off + 2] << 8) | buf[off + 3];
  const questionEnd = off + 4;
  let edns: Query['edns'];
  if (ancount !== 0 || nscount !== 0) return { ...reject(1, 'answer or authority records in a query', questionEnd) };
  if (arcount > 0) {
    const opt = readAdditional(buf, questionEnd, arcount);
    if (opt === 'formerr') return reject(1, 'malformed additional section', questionEnd);
    if (opt === 'multiple-opt') return { ...reject(1, 'more than one OPT record', questionEnd), edns: true };
    if (opt) {
      if (opt.version > 0) return { ...reject(16, `EDNS version ${opt.version}`, questionEnd), edns: true };
      edns = opt;
    }
  } else if (questionEnd !== len) {
    // Trailing bytes after the question: tolerated, as most servers do; the reply carries only the question.
  }
  return { id, flags, opcode, qname, qtype, qclass, questionEnd, edns };
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

function readAdditional(buf: Uint8Array, off: number, count: number): { udpSize: number; version: number; dnssecOk: boolean } | undefined | 'formerr' | 'multiple-opt' {
  let opt: { udpSize: number; version: number; dnssecOk: boolean } | undefined;
  for (let i = 0; i < count; i++) {
    const nameStart = off;
    off = skipName(buf, off);
    if (off < 0 || off + 10 > buf.length) return 'formerr';
    const type = (buf[off] << 8) | buf[off + 1];
    const cls = (buf[off + 2] << 8) | buf[off + 3];
    const rdlen = (buf[off + 8] << 8) | buf[off + 9];
    if (off + 10 + rdlen > buf.length) return 'formerr';
    if (type === TYPE_OPT) {
      if (opt) return 'multiple-opt';
      if (buf[nameStart] !== 0) return 'formerr';
      opt = { udpSize: Math.max(CLASSIC_UDP_SIZE, cls), version: buf[off + 5], dnssecOk: (buf[off + 6] & 0x80) !== 0 };
    }
    off += 10 + rdlen;
  }
  return opt;
}
