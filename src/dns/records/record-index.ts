import { getTypeCode, type ResourceRecord } from './resource-record.js';
import { TypeMap } from './type-map.js';
import type { ResolvedDnsConfig } from './dns-config.js';

/**
 * How a name answers a type it has no records for: NODATA or NXDOMAIN. CoreDNS decides this per
 * query from `Records()` (plugin/kubernetes/kubernetes.go) and the TXT special case in
 * `Services()`, so names of different shapes disagree for some types:
 * - `records`: a service, endpoint, port or pod name: NODATA for every other type.
 * - `empty`: an apex, `svc.<zone>`, `pod.<zone>`, `<ns>.svc.<zone>`: NODATA, but TXT is NXDOMAIN
 *   (Services() answers TXT with NXDOMAIN when Records() finds nothing).
 * - `ns`: `ns.dns.<zone>` (isDefaultNS in ns.go): NODATA, but TXT and PTR are NXDOMAIN (parseRequest rejects the name).
 * - `strict`: `dns-version.<zone>` and PTR names: every other type is NXDOMAIN (parseRequest rejects them).
 */
export type NameExistence = 'records' | 'empty' | 'ns' | 'strict';

/** Everything served at one name: RRsets by type code, and glue for the additional section. */
export interface NameEntry {
  rrsets: TypeMap<ResourceRecord[]>;
  /** Additional-section records per answered type (SRV target and NS addresses); NO_GLUE when none. */
  glue: TypeMap<ResourceRecord[]>;
  /**
   * Prepared wire answers per type code, filled lazily by the wire layer. Starts as the shared
   * NO_PREPARED: replace it with a new Map before the first `set` (a 100k-pod index has ~230k names).
   */
  prepared: Map<number, unknown>;
  existence: NameExistence;
}

/** The glue of every name without glue (shared, never written). */
export const NO_GLUE: TypeMap<ResourceRecord[]> = new TypeMap();
/** The prepared answers of a name none was prepared for yet (shared: never `set` on it). */
export const NO_PREPARED: Map<number, unknown> = new Map();

/**
 * The cluster's DNS data, derived once per cluster change and swapped in whole:
 * lower-case absolute names (no trailing dot) → entries.
 */
export interface RecordIndex {
  config: ResolvedDnsConfig;
  serial: number;
  /** Served zones, longest first, so the first suffix match is the most specific zone. */
  zones: readonly string[];
  /** Forward zones (services and pods are served under each, as CoreDNS does for every zone of the plugin). */
  forwardZones: readonly string[];
  names: ReadonlyMap<string, NameEntry>;
  /** Primary pod IPs (status.podIP) by namespace, for `pods verified`; terminating pods left out (object/pod.go). */
  podAddressesByNamespace: ReadonlyMap<string, ReadonlySet<string>>;
  /** Exposed namespaces: those that exist, narrowed by `--namespaces`. */
  namespaces: ReadonlySet<string>;
  /**
   * Built before the first complete list from a Kubernetes API (serve --kubeconfig): a name not
   * found answers SERVFAIL instead of NXDOMAIN, as CoreDNS's handler.go does while !HasSynced().
   */
  unsynced?: boolean;
}

/** Mutable builder used only while deriving an index. */
export class RecordIndexBuilder {
  readonly names = new Map<string, NameEntry>();
  /** Data keys already in each RRset or glue list: duplicate checks stay O(1) for RRsets of thousands. */
  private readonly keys = new WeakMap<ResourceRecord[], Set<string>>();

  private entry(name: string, existence: NameExistence): NameEntry {
    let e = this.names.get(name);
    if (!e) this.names.set(name, (e = { rrsets: new TypeMap(), glue: NO_GLUE, prepared: NO_PREPARED, existence }));
    return e;
  }

  /** Adds a record, once: an identical record at the same name is not repeated. */
  add(rr: ResourceRecord, existence: NameExistence = 'records'): void {
    const code = getTypeCode(rr.data.type);
    const e = this.entry(rr.name, existence);
    const set = e.rrsets.get(code);
    // `[rr]`, not `[]` and a push: V8 gives a pushed-to empty array room for 17 elements, and most
    // RRsets of a large cluster hold one record.
    if (!set) e.rrsets.set(code, [rr]);
    else if (this.isNew(set, rr, toDataKey)) set.push(rr);
  }

  /** Adds additional-section records for answers of `typeCode` at `name`, once each. */
  addGlue(name: string, typeCode: number, rr: ResourceRecord): void {
    const e = this.entry(name, 'records');
    if (e.glue === NO_GLUE) e.glue = new TypeMap();
    const glue = e.glue;
    const set = glue.get(typeCode);
    if (!set) glue.set(typeCode, [rr]);
    else if (this.isNew(set, rr, toGlueKey)) set.push(rr);
  }

  /**
   * Whether `rr` is not yet in `set` by `keyOf`. Small sets (most names hold one record per type)
   * are scanned; a key set is built only once a set grows past SMALL_SET, so a 100k-pod index does
   * not allocate a Set and a key string per record.
   */
  private isNew(set: ResourceRecord[], rr: ResourceRecord, keyOf: (rr: ResourceRecord) => string): boolean {
    let keys = this.keys.get(set);
    if (!keys) {
      if (set.length < SMALL_SET) {
        if (set.length === 0) return true;
        const key = keyOf(rr);
        return !set.some((other) => keyOf(other) === key);
      }
      this.keys.set(set, (keys = new Set(set.map(keyOf))));
    }
    const key = keyOf(rr);
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  }

  /** Marks a name as existing (creating it without records if new) and sets how it answers other types. */
  addName(name: string, existence: NameExistence): void {
    this.entry(name, existence).existence = existence;
  }
}

/** RRsets and glue lists shorter than this are checked for duplicates by a scan. */
const SMALL_SET = 8;

/** Equal for glue records with equal owner and data. */
function toGlueKey(rr: ResourceRecord): string {
  return `${rr.name} ${toDataKey(rr)}`;
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
  // No `.${z}` string per call: this runs on every query that misses the index.
  for (const z of zones) if (name === z || (name.length > z.length && name.charCodeAt(name.length - z.length - 1) === 0x2e && name.endsWith(z))) return z;
  return undefined;
}

/** Whether a name of this existence answers NXDOMAIN (rather than NODATA) for a type it has no records of. */
export function isNameErrorFor(existence: NameExistence, qtype: number): boolean {
  const TXT = 16;
  const PTR = 12;
  switch (existence) {
    case 'records':
      return false;
    case 'empty':
      return qtype === TXT;
    case 'ns':
      return qtype === TXT || qtype === PTR;
    case 'strict':
      return true;
  }
}
