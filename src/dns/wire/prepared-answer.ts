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
  /** Where each record ends in `body`, in order: a reply cut to fit a UDP size keeps whole records (see writeResponse). */
  recordEnds: Uint32Array;
  /** Offsets in `body` of literal copies of the question's zone (SRV targets), overwritten per query with the client's spelling of the zone. */
  zonePatches: readonly number[];
  /** Absolute offset of the zone's first label in the question, and the zone's label bytes (no root): the source of `zonePatches`. */
  zoneOffset: number;
  zoneLength: number;
  /** The result it was built from (for logs, metrics and tests). */
  rcode: number;
  /** The serial of the index it was built from, when cached in a name entry (see QueryHandler.getPreparedAnswer). */
  serial?: number;
  /** What its name's entry was derived from, when cached in one (see getNameSource). */
  source?: object;
  /** No SOA in it and no CNAME followed: it reads the same whatever the index's serial. */
  serialFree?: boolean;
  /** The QueryHandler's index epoch it was last checked against (see QueryHandler.getCurrentAnswer). */
  epoch?: number;
}

/**
 * Compiles a lookup result for a question named `qname` (lower-case) into prepared bytes. `zone`:
 * the served zone the question falls in (names built from it are spelled with the zone as asked).
 */
export function toPreparedAnswer(result: LookupResult, qname: string, serial?: number, zone = ''): PreparedAnswer {
  const compressor = new NameCompressor();
  compressor.seed(qname, HEADER_LENGTH, zone);
  const base = HEADER_LENGTH + getNameWireLength(qname) + 4;
  const out: number[] = [];
  const records = [...result.answer, ...result.authority, ...result.additional];
  const recordEnds = new Uint32Array(records.length);
  const zonePatches: number[] = [];
  records.forEach((rr, i) => {
    // Additional records are glue: their owners are targets, never the question echoed.
    writeRecord(out, base, compressor, rr, zonePatches, i < result.answer.length + result.authority.length);
    recordEnds[i] = out.length;
  });
  const inZone = zone !== '' && (qname === zone || qname.endsWith(`.${zone}`));
  return {
    recordEnds,
    zonePatches,
    zoneOffset: inZone ? HEADER_LENGTH + getNameWireLength(qname) - getNameWireLength(zone) : 0,
    zoneLength: inZone ? getNameWireLength(zone) - 1 : 0,
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

function writeRecord(out: number[], base: number, c: NameCompressor, rr: ResourceRecord, zonePatches: number[], echoOwner: boolean): void {
  if (echoOwner) c.writeOwner(out, base, rr.name);
  else c.write(out, base, rr.name);
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
      {
        const zoneAt = c.write(out, base, d.target, false);
        if (zoneAt >= 0) zonePatches.push(zoneAt);
      }
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
