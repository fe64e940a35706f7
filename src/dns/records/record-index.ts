import { getTypeCode, type ResourceRecord } from './resource-record.js';
import type { ResolvedDnsConfig } from './dns-config.js';

/** Everything served at one name: RRsets by type code, and glue for the additional section. */
export interface NameEntry {
  rrsets: Map<number, ResourceRecord[]>;
  /** Additional-section records per answered type (SRV target addresses). */
  glue: Map<number, ResourceRecord[]>;
  /** Prepared wire answers per type code, filled lazily by the wire layer. */
  prepared: Map<number, unknown>;
}

/**
 * The cluster's DNS data, derived once per cluster change and swapped in whole:
 * lower-case absolute names (no trailing dot) → entries. A name present with no RRsets is an
 * empty non-terminal (NODATA, not NXDOMAIN).
 */
export interface RecordIndex {
  config: ResolvedDnsConfig;
  serial: number;
  /** Served zones, longest first, so the first suffix match is the most specific zone. */
  zones: readonly string[];
  names: ReadonlyMap<string, NameEntry>;
  /** Pod addresses by namespace, for `pods verified` dynamic answers. */
  podAddressesByNamespace: ReadonlyMap<string, ReadonlySet<string>>;
  /** Exposed namespaces (all existing ones, or those of `--namespaces`). */
  namespaces: ReadonlySet<string>;
}

/** Mutable builder used only while deriving an index. */
export class RecordIndexBuilder {
  readonly names = new Map<string, NameEntry>();
  /** Data keys already in each RRset or glue list: duplicate checks stay O(1) for RRsets of thousands. */
  private readonly keys = new WeakMap<ResourceRecord[], Set<string>>();

  private entry(name: string): NameEntry {
    let e = this.names.get(name);
    if (!e) this.names.set(name, (e = { rrsets: new Map(), glue: new Map(), prepared: new Map() }));
    return e;
  }

  /** Adds a record, once: an identical record at the same name is not repeated. */
  add(rr: ResourceRecord): void {
    const code = getTypeCode(rr.data.type);
    const e = this.entry(rr.name);
    let set = e.rrsets.get(code);
    if (!set) e.rrsets.set(code, (set = []));
    if (this.isNew(set, toDataKey(rr))) set.push(rr);
  }

  /** Adds additional-section records for answers of `typeCode` at `name`. */
  addGlue(name: string, typeCode: number, rr: ResourceRecord): void {
    const e = this.entry(name);
    let set = e.glue.get(typeCode);
    if (!set) e.glue.set(typeCode, (set = []));
    if (this.isNew(set, `${rr.name} ${toDataKey(rr)}`)) set.push(rr);
  }

  private isNew(set: ResourceRecord[], key: string): boolean {
    let keys = this.keys.get(set);
    if (!keys) this.keys.set(set, (keys = new Set()));
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  }

  /** Marks a name as existing without records of its own (empty non-terminal). */
  addName(name: string): void {
    this.entry(name);
  }
}

/** Equal for records with equal data (of the same type); cheap for the common types. */
function toDataKey(rr: ResourceRecord): string {
  const d = rr.data;
  switch (d.type) {
    case 'A':
    case 'AAAA':
      return `${d.type} ${d.address}`;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return `${d.type} ${d.target}`;
    case 'SRV':
      return `SRV ${d.priority} ${d.weight} ${d.port} ${d.target}`;
    default:
      return JSON.stringify(d);
  }
}

/** The most specific served zone containing `name`, or undefined. */
export function findZone(zones: readonly string[], name: string): string | undefined {
  for (const z of zones) if (name === z || name.endsWith(`.${z}`)) return z;
  return undefined;
}
