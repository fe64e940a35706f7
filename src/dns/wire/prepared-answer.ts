import { isIPv4 } from 'node:net';
import { parseIP } from '../../cluster/ip-address.js';
import { getTypeCode, type ResourceRecord } from '../records/resource-record.js';
import type { LookupResult } from '../records/lookup.js';
import { CLASS_IN, FLAG_AA, HEADER_LENGTH } from './constants.js';
import { NameCompressor, getNameWireLength } from './name-compressor.js';

/**
 * An answer ready to send, built when the cluster changes (or on first use), never per query:
 * the header flags and counts, and the sections after the question as bytes, with names compressed
 * against a question at offset 12 of the given length.
 */
export interface PreparedAnswer {
  /** AA and the 4-bit rcode, to OR into the reply's flags. */
  flags: number;
  ancount: number;
  nscount: number;
  arcount: number;
  /** Answer, authority and additional sections. */
  body: Buffer;
  /** The result it was built from (for logs, metrics and tests). */
  rcode: number;
  /** The serial of the index it was built from, when cached in a name entry (see QueryHandler.getPreparedAnswer). */
  serial?: number;
}

/** Compiles a lookup result for a question named `qname` (lower-case) into prepared bytes. */
export function toPreparedAnswer(result: LookupResult, qname: string, serial?: number): PreparedAnswer {
  const compressor = new NameCompressor();
  compressor.seed(qname, HEADER_LENGTH);
  const base = HEADER_LENGTH + getNameWireLength(qname) + 4;
  const out: number[] = [];
  for (const rr of result.answer) writeRecord(out, base, compressor, rr);
  for (const rr of result.authority) writeRecord(out, base, compressor, rr);
  for (const rr of result.additional) writeRecord(out, base, compressor, rr);
  return {
    flags: (result.authoritative ? FLAG_AA : 0) | (result.rcode & 0xf),
    ancount: result.answer.length,
    nscount: result.authority.length,
    arcount: result.additional.length,
    body: Buffer.from(out),
    rcode: result.rcode,
    serial,
  };
}

function push16(out: number[], v: number): void {
  out.push((v >> 8) & 0xff, v & 0xff);
}

function push32(out: number[], v: number): void {
  out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function writeRecord(out: number[], base: number, c: NameCompressor, rr: ResourceRecord): void {
  c.write(out, base, rr.name);
  push16(out, getTypeCode(rr.data.type));
  push16(out, CLASS_IN);
  push32(out, rr.ttl);
  const lenAt = out.length;
  push16(out, 0);
  const start = out.length;
  const d = rr.data;
  switch (d.type) {
    case 'A': {
      if (!isIPv4(d.address)) throw new Error(`A record with non-IPv4 address ${d.address}`);
      for (const p of d.address.split('.')) out.push(Number(p));
      break;
    }
    case 'AAAA': {
      const v = parseIP(d.address);
      if (!v || v.family !== 6) throw new Error(`AAAA record with non-IPv6 address ${d.address}`);
      for (let i = 15; i >= 0; i--) out.push(Number((v.value >> BigInt(i * 8)) & 0xffn));
      break;
    }
    case 'CNAME':
    case 'PTR':
    case 'NS':
      c.write(out, base, d.target);
      break;
    case 'SRV':
      push16(out, d.priority);
      push16(out, d.weight);
      push16(out, d.port);
      c.write(out, base, d.target, false);
      break;
    case 'TXT':
      for (const t of d.text) {
        const bytes = Buffer.from(t, 'utf8').subarray(0, 255);
        out.push(bytes.length, ...bytes);
      }
      break;
    case 'SOA':
      c.write(out, base, d.mname);
      c.write(out, base, d.rname);
      push32(out, d.serial);
      push32(out, d.refresh);
      push32(out, d.retry);
      push32(out, d.expire);
      push32(out, d.minimum);
      break;
  }
  const len = out.length - start;
  out[lenAt] = (len >> 8) & 0xff;
  out[lenAt + 1] = len & 0xff;
}
