import { isIPv6 } from 'node:net';
import { parseIP, formatIP } from '../../cluster/ip-address.js';
import { buildSoaRecord } from './build-record-index.js';
import { findZone, isNameErrorFor, type NameEntry, type RecordIndex } from './record-index.js';
import { RRType, type ResourceRecord } from './resource-record.js';
import { getPodSearchPath } from './dns-config.js';
import { TypeMap } from './type-map.js';

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

/** plugin.A stops following CNAMEs once more than 7 are collected (plugin/backend_lookup.go). */
const MAX_CNAME_CHAIN = 8;

function soaFor(index: RecordIndex, zone: string): ResourceRecord {
  return buildSoaRecord(zone, index.serial, index.config.ttl);
}

const refused = (): LookupResult => ({ rcode: Rcode.REFUSED, authoritative: false, answer: [], authority: [], additional: [], kind: 'refused' });
const negative = (index: RecordIndex, zone: string, rcode: number): LookupResult => ({
  // handler.go: a name error before the API has synced is a server failure (with the SOA all the same).
  rcode: rcode === Rcode.NXDOMAIN && index.unsynced ? Rcode.SERVFAIL : rcode,
  authoritative: true,
  answer: [],
  authority: [soaFor(index, zone)],
  additional: [],
  kind: rcode === Rcode.NXDOMAIN ? 'nxdomain' : 'nodata',
});

/**
 * Looks up one question in the index. `name` is lower-case, absolute, without the trailing dot
 * (`` for the root). NXDOMAIN and NODATA are told apart explicitly, per name shape and type, as
 * CoreDNS's handler does (see NameExistence).
 */
export function lookupName(index: RecordIndex, name: string, qtype: number): LookupResult {
  const zone = findZone(index.zones, name);
  if (zone === undefined) return lookupShortName(index, name, qtype);
  return lookupInZone(index, zone, name, qtype);
}

function lookupInZone(index: RecordIndex, zone: string, name: string, qtype: number): LookupResult {
  // handler.go: zone transfers are refused (no transfer plugin), SOA exists only at the apex and is
  // NODATA at every other name (existing or not), NS only at the apex.
  if (qtype === RRType.AXFR || qtype === RRType.IXFR) return refused();
  if (qtype === RRType.SOA && name !== zone) return negative(index, zone, Rcode.NOERROR);
  const entry = index.names.get(name) ?? getDynamicEntry(index, name);
  if (!entry) return negative(index, zone, Rcode.NXDOMAIN);
  const direct = entry.rrsets.get(qtype);
  if (direct && direct.length) return { rcode: Rcode.NOERROR, authoritative: true, answer: [...direct], authority: [], additional: [...(entry.glue.get(qtype) ?? [])], kind: 'answer' };
  const cname = entry.rrsets.get(RRType.CNAME);
  if (cname && cname.length && (qtype === RRType.A || qtype === RRType.AAAA)) {
    const chain = followCname(index, zone, name, cname[0], qtype, []);
    if (chain.length) return { rcode: Rcode.NOERROR, authoritative: true, answer: chain, authority: [], additional: [], kind: 'answer' };
  }
  return negative(index, zone, isNameErrorFor(entry.existence, qtype) ? Rcode.NXDOMAIN : Rcode.NOERROR);
}

/** Cache slot shared by every type a stored name answers NODATA for (see getAnswerCacheSlot). */
export const NODATA_SLOT = -1;
/** Cache slot shared by every type a stored name answers NXDOMAIN for. */
export const NXDOMAIN_SLOT = -2;

/**
 * Which cached answer of a stored name serves `qtype`: the type itself when lookupInZone treats it
 * specially or the name has records of it; otherwise one of two shared negative slots, so random
 * QTYPEs cannot grow the cache. Must mirror lookupInZone's decisions.
 */
export function getAnswerCacheSlot(entry: NameEntry, qtype: number): number {
  if (entry.rrsets.has(qtype) || qtype === RRType.SOA || qtype === RRType.AXFR || qtype === RRType.IXFR) return qtype;
  if ((qtype === RRType.A || qtype === RRType.AAAA) && entry.rrsets.has(RRType.CNAME)) return qtype;
  return isNameErrorFor(entry.existence, qtype) ? NXDOMAIN_SLOT : NODATA_SLOT;
}

/**
 * plugin.A/AAAA for an ExternalName service (plugin/backend_lookup.go): `x CNAME x` and repeated
 * CNAMEs are dropped; a target inside the zone is resolved here and the CNAME is kept only when the
 * target has addresses of the asked type; a target outside the zone would go to CoreDNS's upstream,
 * which the simulation does not have, so the CNAME is returned alone for the client's resolver to follow.
 */
function followCname(index: RecordIndex, zone: string, name: string, cname: ResourceRecord, qtype: number, previous: readonly ResourceRecord[]): ResourceRecord[] {
  const target = (cname.data as { target: string }).target;
  if (target === name || previous.length >= MAX_CNAME_CHAIN || previous.some((r) => (r.data as { target: string }).target === target)) return [];
  const targetZone = findZone(index.zones, target);
  if (targetZone !== zone) return [cname];
  const entry = index.names.get(target) ?? getDynamicEntry(index, target);
  if (!entry) return [];
  const direct = entry.rrsets.get(qtype);
  if (direct && direct.length) return [cname, ...direct];
  const next = entry.rrsets.get(RRType.CNAME);
  if (!next || !next.length) return [];
  const rest = followCname(index, zone, target, next[0], qtype, [...previous, cname]);
  return rest.length ? [cname, ...rest] : [];
}

/**
 * Names answered without being stored, each with the owner spelled as asked:
 * - pod names `<a-b-c-d>.<ns>.pod.<zone>` (spec 2.6), as kubernetes.go findPods: one or two more
 *   labels in front are ignored (parse.go reads them as endpoint or port/protocol);
 * - `<port>.<proto>.<svc>.<ns>.svc.<zone>` without underscores, which parse.go reads as `_<port>._<proto>`.
 */
function getDynamicEntry(index: RecordIndex, name: string): NameEntry | undefined {
  for (const zone of index.forwardZones) {
    if (name.endsWith(`.pod.${zone}`)) return getPodEntry(index, name, name.slice(0, -`.pod.${zone}`.length).split('.'), zone);
    if (name.endsWith(`.svc.${zone}`)) return getPortAliasEntry(index, name);
  }
  return undefined;
}

function getPodEntry(index: RecordIndex, name: string, labels: string[], zone: string): NameEntry | undefined {
  if (index.config.podMode === 'disabled' || labels.length < 2 || labels.length > 4) return undefined;
  const ns = labels[labels.length - 1];
  const podLabel = labels[labels.length - 2];
  if (!index.namespaces.has(ns)) return undefined;
  const ip = toAddressFromPodLabel(podLabel);
  if (!ip) return undefined;
  // verified: a pod of that namespace has this status.podIP, compared as text (kubernetes.go findPods).
  if (index.config.podMode === 'verified' && !index.podAddressesByNamespace.get(ns)?.has(ip.text)) return undefined;
  const ttl = index.config.ttl;
  const address: ResourceRecord = { name, ttl, data: ip.family === 6 ? { type: 'AAAA', address: ip.address } : { type: 'A', address: ip.address } };
  // plugin.SRV turns the pod's address into `0 100 0 <pod-label>.<ns>.pod.<zone>` with the address as glue.
  const target = `${podLabel}.${ns}.pod.${zone}`;
  const srv: ResourceRecord = { name, ttl, data: { type: 'SRV', priority: 0, weight: 100, port: 0, target } };
  const glue: ResourceRecord = { ...address, name: target };
  return {
    rrsets: new TypeMap<ResourceRecord[]>([[ip.family === 6 ? RRType.AAAA : RRType.A, [address]], [RRType.SRV, [srv]]]),
    glue: new TypeMap([[RRType.SRV, [glue]]]),
    prepared: new Map(),
    existence: 'records',
  };
}

function getPortAliasEntry(index: RecordIndex, name: string): NameEntry | undefined {
  const labels = name.split('.');
  if (labels.length < 2 || (labels[0].startsWith('_') && labels[1].startsWith('_'))) return undefined;
  const under = (l: string): string => (l.startsWith('_') ? l : `_${l}`);
  const alias = index.names.get([under(labels[0]), under(labels[1]), ...labels.slice(2)].join('.'));
  if (!alias) return undefined;
  const rrsets = new TypeMap<ResourceRecord[]>([...alias.rrsets].map(([type, set]) => [type, set.map((r) => ({ ...r, name }))] as const));
  return { rrsets, glue: alias.glue, prepared: new Map(), existence: alias.existence };
}

/**
 * A pod label as kubernetes.go findPods reads it: exactly three dashes and no `--` → IPv4 (dots),
 * otherwise IPv6 (colons); it must then parse as Go's net.ParseIP would (no leading zeros in IPv4).
 * `text` is that dotted/coloned spelling (compared as written in `pods verified`); `address` is the
 * address answered (an IPv4-mapped IPv6 address answers as A, as miekg's HostType does).
 */
export function toAddressFromPodLabel(label: string): { text: string; address: string; family: 4 | 6 } | undefined {
  const dashes = label.split('-').length - 1;
  if (dashes === 3 && !label.includes('--')) {
    const parts = label.split('-');
    if (!parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
    const text = parts.join('.');
    return { text, address: text, family: 4 };
  }
  const text = label.replace(/-/g, ':');
  if (!/^[0-9a-f:]+$/.test(text) || !isIPv6(text)) return undefined;
  const v = parseIP(text)!.value;
  if (v >> 32n === 0xffffn) return { text, address: formatIP(v & 0xffffffffn, 4), family: 4 };
  return { text, address: formatIP(v, 6), family: 6 };
}

/**
 * A short name asked from outside the cluster (no search path): tried as a pod of the default
 * namespace would (`<q>.<ns>.svc.<zone>`, `<q>.svc.<zone>`, `<q>.<zone>`); on a hit, a CNAME from
 * the asked name followed by the full name's records, as CoreDNS's `autopath` answers.
 */
export function lookupShortName(index: RecordIndex, name: string, qtype: number): LookupResult {
  const zone = index.config.clusterDomain;
  if (name !== '') {
    for (const suffix of getPodSearchPath(index.config.defaultNamespace, zone)) {
      const full = `${name}.${suffix}`;
      const inner = lookupInZone(index, zone, full, qtype);
      if (inner.rcode === Rcode.NXDOMAIN || inner.rcode === Rcode.REFUSED) continue;
      const cname: ResourceRecord = { name, ttl: index.config.ttl, data: { type: 'CNAME', target: full } };
      return { ...inner, answer: [cname, ...inner.answer], kind: 'short-name' };
    }
  }
  return { rcode: Rcode.REFUSED, authoritative: false, answer: [], authority: [], additional: [], kind: 'out-of-zone' };
}
