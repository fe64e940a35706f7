import { isIPv6 } from 'node:net';
import { toCanonicalIP } from '../../cluster/ip-address.js';
import { buildSoaRecord } from './build-record-index.js';
import { findZone, type NameEntry, type RecordIndex } from './record-index.js';
import { RRType, type ResourceRecord } from './resource-record.js';

export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** What the cluster answers for one question, before it becomes bytes. */
export interface LookupResult {
  rcode: number;
  authoritative: boolean;
  answer: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  /** Why, in a few words (for logs and `explain`): `answer`, `nodata`, `nxdomain`, `short-name`, `out-of-zone`. */
  kind: 'answer' | 'nodata' | 'nxdomain' | 'short-name' | 'out-of-zone' | 'refused';
}

const MAX_CNAME_CHAIN = 8;

function soaFor(index: RecordIndex, zone: string): ResourceRecord {
  return buildSoaRecord(zone, index.config.clusterDomain, index.serial, index.config.ttl);
}

/**
 * Looks up one question in the index. `name` is lower-case, absolute, without the trailing dot
 * (`` for the root). NXDOMAIN and NODATA are told apart explicitly (as CoreDNS's handler does).
 */
export function lookupName(index: RecordIndex, name: string, qtype: number): LookupResult {
  const zone = findZone(index.zones, name);
  if (zone === undefined) return lookupShortName(index, name, qtype);
  return lookupInZone(index, zone, name, qtype);
}

function lookupInZone(index: RecordIndex, zone: string, name: string, qtype: number): LookupResult {
  if (qtype === RRType.AXFR || qtype === RRType.IXFR) return { rcode: Rcode.REFUSED, authoritative: false, answer: [], authority: [], additional: [], kind: 'refused' };
  const answer: ResourceRecord[] = [];
  const additional: ResourceRecord[] = [];
  let current = name;
  let currentZone = zone;
  const visited = new Set<string>();
  for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
    const entry = index.names.get(current) ?? dynamicEntry(index, current);
    if (!entry) {
      if (hop > 0) return { rcode: Rcode.NOERROR, authoritative: true, answer, authority: [], additional, kind: 'answer' };
      return { rcode: Rcode.NXDOMAIN, authoritative: true, answer, authority: [soaFor(index, currentZone)], additional: [], kind: 'nxdomain' };
    }
    const direct = entry.rrsets.get(qtype);
    if (direct && direct.length) {
      answer.push(...direct);
      const glue = entry.glue.get(qtype);
      if (glue) additional.push(...glue);
      return { rcode: Rcode.NOERROR, authoritative: true, answer, authority: [], additional, kind: 'answer' };
    }
    const cname = entry.rrsets.get(RRType.CNAME);
    if (cname && cname.length && qtype !== RRType.CNAME) {
      answer.push(cname[0]);
      visited.add(current);
      const target = (cname[0].data as { target: string }).target;
      const targetZone = findZone(index.zones, target);
      // Out-of-zone targets and loops end the chain: the client's resolver follows on.
      if (targetZone === undefined || visited.has(target)) return { rcode: Rcode.NOERROR, authoritative: true, answer, authority: [], additional, kind: 'answer' };
      current = target;
      currentZone = targetZone;
      continue;
    }
    if (hop > 0) return { rcode: Rcode.NOERROR, authoritative: true, answer, authority: [soaFor(index, currentZone)], additional, kind: 'answer' };
    return { rcode: Rcode.NOERROR, authoritative: true, answer: [], authority: [soaFor(index, currentZone)], additional: [], kind: 'nodata' };
  }
  return { rcode: Rcode.NOERROR, authoritative: true, answer, authority: [], additional, kind: 'answer' };
}

/**
 * Names computed on demand rather than stored: `<a-b-c-d>.<ns>.pod.<zone>` (spec 2.5 pod records,
 * `pods insecure` answers any well-formed address in an existing namespace).
 */
function dynamicEntry(index: RecordIndex, name: string): NameEntry | undefined {
  const zone = index.config.clusterDomain;
  const suffix = `.pod.${zone}`;
  if (index.config.podMode === 'disabled' || !name.endsWith(suffix)) return undefined;
  const rest = name.slice(0, -suffix.length).split('.');
  if (rest.length !== 2) return undefined;
  const [label, ns] = rest;
  if (!index.namespaces.has(ns)) return undefined;
  const ip = toAddressFromPodLabel(label);
  if (!ip) return undefined;
  if (index.config.podMode === 'verified' && !index.podAddressesByNamespace.get(ns)?.has(ip)) return undefined;
  const rr: ResourceRecord = { name, ttl: index.config.ttl, data: ip.includes(':') ? { type: 'AAAA', address: ip } : { type: 'A', address: ip } };
  return { rrsets: new Map<number, ResourceRecord[]>([[ip.includes(':') ? RRType.AAAA : RRType.A, [rr]]]), glue: new Map(), prepared: new Map() };
}

/** `10-244-1-5` → `10.244.1.5`; IPv6 dashed forms (`fd00--1`) too; undefined otherwise. */
export function toAddressFromPodLabel(label: string): string | undefined {
  const v4 = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})$/.exec(label);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
  }
  if (!label.includes('-') || !/^[0-9a-f-]+$/.test(label)) return undefined;
  const candidate = label.replace(/-/g, ':');
  return isIPv6(candidate) ? toCanonicalIP(candidate) : undefined;
}

/**
 * A short name asked from outside the cluster (no search path): tried as a pod of the default
 * namespace would (`<q>.<ns>.svc.<zone>`, `<q>.svc.<zone>`, `<q>.<zone>`); on a hit, a CNAME from
 * the asked name followed by the full name's records, as CoreDNS's `autopath` answers.
 */
export function lookupShortName(index: RecordIndex, name: string, qtype: number): LookupResult {
  const zone = index.config.clusterDomain;
  if (name !== '') {
    for (const suffix of [`${index.config.defaultNamespace}.svc.${zone}`, `svc.${zone}`, zone]) {
      const full = `${name}.${suffix}`;
      const inner = lookupInZone(index, zone, full, qtype);
      if (inner.rcode === Rcode.NXDOMAIN) continue;
      const cname: ResourceRecord = { name, ttl: index.config.ttl, data: { type: 'CNAME', target: full } };
      return { ...inner, answer: [cname, ...inner.answer], kind: 'short-name' };
    }
  }
  return { rcode: Rcode.REFUSED, authoritative: false, answer: [], authority: [], additional: [], kind: 'out-of-zone' };
}
