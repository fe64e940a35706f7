import { findZone, type RecordIndex } from './record-index.js';
import { RRType, toZoneLine, type ResourceRecord } from './resource-record.js';

/** The records of one served zone, SOA first, then NS, then by name and type. */
export interface ZoneRecords {
  zone: string;
  records: ResourceRecord[];
  /** In-zone glue of the apex NS that is stored at no name of its own (CoreDNS: NXDOMAIN there). */
  glue: ResourceRecord[];
}

/**
 * What the cluster answers that no zone file can say (computed per query by lookup.ts): listed in
 * the zone-file header and in the benchmark's differential check.
 */
export const NO_ZONE_FILE_FORM: readonly string[] = [
  '<a-b-c-d>.<ns>.pod.<zone> A/AAAA: computed from the asked name (pods insecure|verified), not stored',
  'short names asked without a search path (CNAME to <name>.<ns>.svc.<zone>, autopath-style): outside every zone',
  'the apex NS target\'s address in reverse zones (kube-dns.kube-system.svc.<reverse zone>): glue below, NXDOMAIN from kube-dns-sim as from CoreDNS',
  'empty names kept on purpose (pod.<zone>, <ns>.svc.<zone> of a namespace without services): NODATA here, NXDOMAIN from a zone file',
];

/**
 * Every stored record grouped by its most specific served zone (glue is not repeated where it is
 * also stored at its own name; the apex NS's in-zone glue is added where it is not). `only` limits the output to these zones, in that order;
 * `unknown` lists the ones the index does not serve.
 */
export function collectZoneRecords(index: RecordIndex, only?: readonly string[]): { zones: ZoneRecords[]; unknown: string[] } {
  const served = [...index.config.zones];
  const wanted = only && only.length ? only : served;
  const unknown = wanted.filter((z) => !served.includes(z));
  const byZone = new Map<string, ResourceRecord[]>();
  for (const z of wanted) if (served.includes(z)) byZone.set(z, []);
  // One pass over the names: an index derives most of them when asked (DerivedNames), so a name is read once.
  const entries = new Map(index.names);
  for (const name of sortNames(entries.keys())) {
    const zone = findZone(index.zones, name);
    const list = zone === undefined ? undefined : byZone.get(zone);
    if (!list) continue;
    const entry = entries.get(name)!;
    for (const t of [...entry.rrsets.keys()].sort((a, b) => a - b)) list.push(...entry.rrsets.get(t)!);
  }
  // In-bailiwick glue of the apex NS (CoreDNS names `kube-dns.kube-system.svc.<zone>` even in reverse
  // zones, where that name is stored nowhere else): a zone file must carry it or it does not load.
  const glueByZone = new Map<string, ResourceRecord[]>();
  for (const zone of byZone.keys()) {
    glueByZone.set(zone, (entries.get(zone)?.glue.get(RRType.NS) ?? []).filter((g) => findZone(index.zones, g.name) === zone && !entries.has(g.name)));
  }
  // Apex SOA and NS lead the zone (RFC 1035 5.2: the SOA is the first record of a zone file).
  for (const list of byZone.values()) list.sort((a, b) => apexRank(a) - apexRank(b));
  return { zones: [...byZone].map(([zone, records]) => ({ zone, records, glue: glueByZone.get(zone) ?? [] })), unknown };
}

/** RFC 1035 master-file text of one zone: a comment header, `$ORIGIN`, `$TTL`, absolute owner names. */
export function toZoneFileText(z: ZoneRecords, serial: number): string {
  const soa = z.records.find((r) => r.data.type === 'SOA');
  const lines = [
    `; zone ${z.zone}, exported by kube-dns-sim (serial ${serial}, ${z.records.length} records)`,
    ...NO_ZONE_FILE_FORM.map((n) => `; not in this file: ${n}`),
    `$ORIGIN ${z.zone}.`,
    `$TTL ${soa?.ttl ?? 5}`,
    ...z.records.map(toZoneLine),
    ...(z.glue.length ? ['; glue for the NS above (not answered at its own name)', ...z.glue.map(toZoneLine)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** The JSON export: `{ serial, zones: [{ zone, records: [{ name, ttl, type, ...data }] }] }`. */
export function toRecordsJson(zones: readonly ZoneRecords[], serial: number): string {
  return `${JSON.stringify({ serial, zones: zones.map((z) => ({ zone: z.zone, records: z.records.map((r) => ({ name: r.name, ttl: r.ttl, ...r.data })), glue: z.glue.map((r) => ({ name: r.name, ttl: r.ttl, ...r.data })) })) }, null, 2)}\n`;
}

function apexRank(rr: ResourceRecord): number {
  return rr.data.type === 'SOA' ? 0 : rr.data.type === 'NS' ? 1 : 2;
}

/** Orders names by their labels from the root (a parent before its children, siblings together). */
function sortNames(names: Iterable<string>): string[] {
  // '\x01' sorts below every label byte, so comparing the joined keys compares label by label.
  const keyed = [...names].map((n) => [n.split('.').reverse().join('\x01'), n] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map((k) => k[1]);
}

export type RecordsFormat = 'zone' | 'json';

/** The export of an index in one format: the zone files one after another, or one JSON document. */
export function renderRecords(index: RecordIndex, format: RecordsFormat, zones: readonly string[]): { text: string; unknown: string[] } {
  const { zones: out, unknown } = collectZoneRecords(index, zones);
  const text = format === 'json' ? toRecordsJson(out, index.serial) : out.map((z) => toZoneFileText(z, index.serial)).join('\n');
  return { text, unknown };
}
