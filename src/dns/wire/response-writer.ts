import type { PreparedAnswer } from './prepared-answer.js';
import { CLASSIC_UDP_SIZE, FLAG_CD, FLAG_QR, FLAG_RD, FLAG_TC, HEADER_LENGTH, SERVER_UDP_SIZE, TYPE_OPT } from './constants.js';

const OPT_LENGTH = 11;

/**
 * Assembles a reply: header (ID, flags patched), the query's question copied byte for byte (so the
 * owner pointers 0xC00C echo the client's spelling), the prepared sections (with the client's
 * spelling of the zone copied into literal targets), and an OPT record when the query had EDNS.
 * Over `maxSize`, as miekg/dns `Msg.Truncate` (CoreDNS `request.Scrub`): as many whole records as fit,
 * answer first, then authority, then additional, stopping at the first that does not fit; TC set
 * (RFC 2181 9: the client may retry over TCP, or use what it got); never above `maxSize` unless the
 * question alone is. One allocation, copies only.
 */
export function writeResponse(query: Uint8Array, questionEnd: number, prepared: PreparedAnswer, edns: boolean, maxSize: number): Buffer {
  const body = prepared.body;
  const optLen = edns ? OPT_LENGTH : 0;
  let bodyLength = body.length;
  let records = prepared.recordEnds.length;
  const truncated = questionEnd + bodyLength + optLen > maxSize;
  if (truncated) {
    const budget = maxSize - questionEnd - optLen;
    const ends = prepared.recordEnds;
    records = 0;
    while (records < ends.length && ends[records] <= budget) records++;
    bodyLength = records > 0 ? ends[records - 1] : 0;
  }
  const size = questionEnd + bodyLength + optLen;
  const out = Buffer.allocUnsafe(size);
  const qflags = (query[2] << 8) | query[3];
  const flags = FLAG_QR | (qflags & (FLAG_RD | FLAG_CD)) | prepared.flags | (truncated ? FLAG_TC : 0);
  out[0] = query[0];
  out[1] = query[1];
  out[2] = flags >> 8;
  out[3] = flags & 0xff;
  out[4] = 0;
  out[5] = 1;
  // A byte loop for the question (tens of bytes): cheaper than the view a subarray copy would allocate.
  for (let i = HEADER_LENGTH; i < questionEnd; i++) out[i] = query[i];
  const an = Math.min(prepared.ancount, records);
  const ns = Math.min(prepared.nscount, records - an);
  const ar = Math.min(prepared.arcount, records - an - ns) + (edns ? 1 : 0);
  out[6] = an >> 8;
  out[7] = an & 0xff;
  out[8] = ns >> 8;
  out[9] = ns & 0xff;
  out[10] = ar >> 8;
  out[11] = ar & 0xff;
  if (bodyLength === body.length) out.set(body, questionEnd);
  else body.copy(out, questionEnd, 0, bodyLength);
  const patches = prepared.zonePatches;
  for (let p = 0; p < patches.length; p++) {
    const at = questionEnd + patches[p];
    if (patches[p] >= bodyLength) break;
    for (let i = 0; i < prepared.zoneLength; i++) out[at + i] = query[prepared.zoneOffset + i];
  }
  if (edns) writeOpt(out, size - OPT_LENGTH, 0);
  return out;
}

/** Writes an OPT pseudo-record at `off`: our UDP size, the extended rcode's upper bits, version 0, no DO. */
export function writeOpt(out: Buffer, off: number, extendedRcode: number): void {
  out[off] = 0;
  out.writeUInt16BE(TYPE_OPT, off + 1);
  out.writeUInt16BE(SERVER_UDP_SIZE, off + 3);
  out[off + 5] = (extendedRcode >> 4) & 0xff;
  out[off + 6] = 0;
  out[off + 7] = 0;
  out[off + 8] = 0;
  out.writeUInt16BE(0, off + 9);
}

/** A reply with no records: the rcode (FORMERR, NOTIMP, REFUSED, BADVERS) and the question if it was readable. */
export function writeErrorResponse(query: Uint8Array, questionEnd: number, rcode: number, edns: boolean): Buffer {
  const qlen = Math.max(0, questionEnd - HEADER_LENGTH);
  const optLen = edns ? OPT_LENGTH : 0;
  const out = Buffer.alloc(HEADER_LENGTH + qlen + optLen);
  const qflags = (query[2] << 8) | query[3];
  const flags = FLAG_QR | (qflags & 0x7800) | (qflags & (FLAG_RD | FLAG_CD)) | (rcode & 0xf);
  out[0] = query[0];
  out[1] = query[1];
  out[2] = flags >> 8;
  out[3] = flags & 0xff;
  out[5] = qlen > 0 ? 1 : 0;
  out[11] = edns ? 1 : 0;
  if (qlen > 0) out.set(query.subarray(HEADER_LENGTH, questionEnd), HEADER_LENGTH);
  if (edns) writeOpt(out, HEADER_LENGTH + qlen, rcode);
  return out;
}

/** Largest UDP payload over IPv4 (65535 - 20 IP - 8 UDP). */
const MAX_UDP_PAYLOAD = 65507;

/**
 * The UDP reply limit for a query: the client's EDNS size (at least 512), else 512. CoreDNS honours
 * the client's size (request.Size in request/request.go); ours (SERVER_UDP_SIZE) is only advertised.
 */
export function getUdpLimit(ednsUdpSize: number | undefined): number {
  return ednsUdpSize === undefined ? CLASSIC_UDP_SIZE : Math.min(Math.max(ednsUdpSize, CLASSIC_UDP_SIZE), MAX_UDP_PAYLOAD);
}
