import { EntriesMap } from './entries-map.js';
import type { EndpointSlice, Service } from '../../cluster/types.js';
import { formatIP, fromReverseName, parseIP, parseIPv4, toReverseName } from '../../cluster/ip-address.js';
import { addServiceRecords, getEndpointLabel, getServiceName, listServiceNamesWithRecords, type ServiceNamePart } from './service-records.js';
import type { ResolvedDnsConfig } from './dns-config.js';
import { RecordIndexBuilder, type NameEntry } from './record-index.js';

/** One Service and its endpoint slices: everything its names derive from. */
export interface ServiceSource {
  service: Service;
  slices: readonly EndpointSlice[];
}

/**
 * What names an address in PTR (CoreDNS's serviceRecordForIP, plugin/kubernetes/reverse.go): the
 * Service whose cluster IP it is, else the endpoint slice (or slices, in state order) with a ready
 * endpoint of it. One slice is held as itself: a 100k-pod cluster has 100k of them.
 */
export type PtrSource = Service | EndpointSlice | readonly EndpointSlice[];

export function isServiceSource(source: PtrSource): source is Service {
  return !Array.isArray(source) && 'clusterIPs' in source;
}

/** The slices of a source that is not a Service. */
export function getSourceSlices(source: EndpointSlice | readonly EndpointSlice[]): readonly EndpointSlice[] {
  return Array.isArray(source) ? source : [source as EndpointSlice];
}

/** `held` and then `slice` (once): a new list, `held`'s is never written. */
export function addSlice(held: EndpointSlice | readonly EndpointSlice[], slice: EndpointSlice): EndpointSlice | readonly EndpointSlice[] {
  const slices = getSourceSlices(held);
  return slices[slices.length - 1] === slice ? held : [...slices, slice];
}

/** What an index's names are derived from; shared between an index and the ones patched from it. */
export interface NameSources {
  config: ResolvedDnsConfig;
  /** Apexes, their fixed names and the exposed namespaces' own names: few, built at once. */
  fixed: ReadonlyMap<string, NameEntry>;
  /** The exposed namespaces (every one, with or without Services) → their Services by name. */
  services: ReadonlyMap<string, ReadonlyMap<string, ServiceSource>>;
  /** Canonical address → what names it (see canonicalAddress). */
  ptr: ReadonlyMap<string, PtrSource>;
  /** Endpoint addresses a cluster IP hides from PTR (the rule spans namespaces: patches check it). */
  shadowedAddresses: ReadonlySet<string>;
  forwardZones: readonly string[];
  /** Served reverse zones with a leading dot (`.in-addr.arpa`). */
  reverseSuffixes: readonly string[];
}

/** The address as its reverse name spells it (IPv6 compressed, lower-case); undefined when not an address. */
export function canonicalAddress(ip: string): string | undefined {
  if (parseIPv4(ip) !== undefined) return ip;
  const p = parseIP(ip);
  return p ? formatIP(p.value, p.family) : undefined;
}

/**
 * Names derived on first use and kept in a bounded cache, a Service (or an address) at a time:
 * a 100k-pod cluster has ~230k names, which as entries hold ~180 MB and take over a second to build,
 * while the answer table (src/dns/wire/question-table.ts) answers repeated questions without them.
 *
 * Reads like the Map of every name the cluster serves (CoreDNS's `kubernetes` plugin, as
 * build-record-index.ts derives them): a name under `<ns>.svc.<zone>` with two labels or more is one
 * Service's (`<svc>` is the label before the namespace), so its names are that Service's alone
 * (this needs served zones that do not nest: buildRecordIndex checks); a reverse name is one
 * address's. Iterating derives every name (zone exports, `explain`) without filling the cache.
 */
export class DerivedNames extends EntriesMap<string, NameEntry> {
  private counted: number | undefined;
  private readonly serviceSuffixes: readonly string[];

  constructor(
    readonly sources: NameSources,
    readonly cache: DerivedNameCache,
  ) {
    super();
    this.serviceSuffixes = sources.forwardZones.map((z) => `.svc.${z}`);
  }

  get(name: string): NameEntry | undefined {
    const at = this.locate(name);
    if (at === undefined) return undefined;
    if (at.kind === 'fixed') return at.entry;
    const { config } = this.sources;
    if (at.kind === 'service') {
      // `<svc>…` itself and `_<port>._<proto>.<svc>…` are the Service's own names; `<label>.<svc>…` an endpoint's.
      const head = name.length - at.key.length;
      const labels = head === 0 ? [] : name.slice(0, head - 1).split('.');
      if (labels.length === 0 || (labels.length === 2 && labels[0].startsWith('_') && labels[1].startsWith('_'))) {
        return this.cache.get(at.key, at.source, () => deriveServiceNames(at.source, at.zone, config, 'service')).get(name);
      }
      if (labels.length !== 1) return undefined;
      return this.cache.get(name, at.source, () => deriveServiceNames(at.source, at.zone, config, { endpoint: labels[0] })).get(name);
    }
    return this.cache.get(name, at.source, () => derivePtrNames(name, at.address, at.source, config)).get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /**
   * What `name`'s entry is derived from, without deriving it: a fixed name's entry, a Service's
   * source, an address's PTR source; undefined when the name does not exist. Two indexes whose
   * sources for a name are the same (isSameNameSource) give it the same entry.
   */
  sourceOf(name: string): object | undefined {
    const at = this.locate(name);
    return at === undefined ? undefined : at.kind === 'fixed' ? at.entry : at.source;
  }

  /** Which part of the sources `name` comes from. */
  private locate(name: string): NameLocation | undefined {
    const fixed = this.sources.fixed.get(name);
    if (fixed) return { kind: 'fixed', entry: fixed };
    for (let i = 0; i < this.serviceSuffixes.length; i++) {
      const suffix = this.serviceSuffixes[i];
      if (name.endsWith(suffix)) return this.locateServiceName(name, name.length - suffix.length, this.sources.forwardZones[i]);
    }
    for (const suffix of this.sources.reverseSuffixes) if (name.endsWith(suffix)) return this.locatePtrName(name);
    return undefined;
  }

  /** `name` is `<labels>.<svc>.<ns>` then `.svc.<zone>` from `end` on. */
  private locateServiceName(name: string, end: number, zone: string): NameLocation | undefined {
    const nsDot = name.lastIndexOf('.', end - 1);
    if (nsDot <= 0) return undefined;
    const svcDot = name.lastIndexOf('.', nsDot - 1);
    const services = this.sources.services.get(name.slice(nsDot + 1, end));
    const source = services?.get(name.slice(svcDot + 1, nsDot));
    return source ? { kind: 'service', key: name.slice(svcDot + 1), source, zone } : undefined;
  }

  private locatePtrName(name: string): NameLocation | undefined {
    const address = fromReverseName(name);
    const source = address === undefined ? undefined : this.sources.ptr.get(address);
    if (!source || toReverseName(address!) !== name) return undefined;
    return { kind: 'ptr', address: address!, source };
  }

  get size(): number {
    this.counted ??= [...this.keys()].length;
    return this.counted;
  }

  *entries(): MapIterator<[string, NameEntry]> {
    const { fixed, services, ptr, forwardZones, reverseSuffixes, config } = this.sources;
    yield* fixed;
    for (const zone of forwardZones) for (const byName of services.values()) for (const source of byName.values()) yield* deriveServiceNames(source, zone, config);
    for (const [address, source] of ptr) {
      const rev = toReverseName(address);
      if (rev && reverseSuffixes.some((z) => rev.endsWith(z))) yield* derivePtrNames(rev, address, source, config);
    }
  }
}

type NameLocation =
  | { kind: 'fixed'; entry: NameEntry }
  | { kind: 'service'; key: string; source: ServiceSource; zone: string }
  | { kind: 'ptr'; address: string; source: PtrSource };

/**
 * Every name of an index under `zone` (a served zone) that has records of any type, without
 * deriving the entries where the index can: `explain` compares a missed name with all of them.
 */
export function* listNamesWithRecords(names: ReadonlyMap<string, NameEntry>, zone: string): Generator<string> {
  const inZone = (name: string): boolean => name === zone || name.endsWith(`.${zone}`);
  if (!(names instanceof DerivedNames)) {
    for (const [name, entry] of names) if (entry.rrsets.size > 0 && inZone(name)) yield name;
    return;
  }
  const { fixed, services, ptr, forwardZones, reverseSuffixes, config } = names.sources;
  for (const [name, entry] of fixed) if (entry.rrsets.size > 0 && inZone(name)) yield name;
  if (forwardZones.includes(zone)) for (const byName of services.values()) for (const s of byName.values()) yield* listServiceNamesWithRecords(s.service, s.slices, zone, config);
  if (!reverseSuffixes.includes(`.${zone}`)) return;
  for (const [address, source] of ptr) {
    const rev = toReverseName(address);
    if (rev && rev.endsWith(`.${zone}`) && derivePtrNames(rev, address, source, config).size > 0) yield rev;
  }
}

/** What an index's entry for `name` derives from (see DerivedNames.sourceOf); an index built whole: the entry itself. */
export function getNameSource(names: ReadonlyMap<string, NameEntry>, name: string): object | undefined {
  return names instanceof DerivedNames ? names.sourceOf(name) : names.get(name);
}

/** Whether two name sources give the same entry: the same object, or a Service's or address's source of the same objects. */
export function isSameNameSource(a: object | undefined, b: object | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && isSameSource(a as ServiceSource, b as ServiceSource));
}

/** The names one Service has in one forward zone (or the `only` part of them). */
function deriveServiceNames(source: ServiceSource, zone: string, config: ResolvedDnsConfig, only: ServiceNamePart = 'all'): ReadonlyMap<string, NameEntry> {
  const b = new RecordIndexBuilder();
  addServiceRecords(b, source.service, source.slices, zone, config, only);
  return b.names;
}

/** The PTR name of one address: the Service's name, or every ready endpoint's name, each once. */
function derivePtrNames(rev: string, address: string, source: PtrSource, config: ResolvedDnsConfig): ReadonlyMap<string, NameEntry> {
  const b = new RecordIndexBuilder();
  const zone = config.clusterDomain;
  if (isServiceSource(source)) {
    b.add({ name: rev, ttl: config.ttl, data: { type: 'PTR', target: getServiceName(source, zone) } }, 'strict');
    return b.names;
  }
  for (const slice of getSourceSlices(source)) {
    for (const ep of slice.endpoints) {
      if (!ep.ready) continue;
      for (const a of ep.addresses) {
        if (a !== address && canonicalAddress(a) !== address) continue;
        const label = getEndpointLabel(a, ep.hostname, config.endpointPodNames ? ep.targetRef?.name : undefined);
        b.add({ name: rev, ttl: config.ttl, data: { type: 'PTR', target: `${label}.${slice.serviceName}.${slice.namespace}.svc.${zone}` } }, 'strict');
      }
    }
  }
  return b.names;
}

/** Whether a cached derivation still stands for `source`: the same objects (an unchanged Service and slices keep theirs). */
function isSameSource(a: ServiceSource | PtrSource, b: ServiceSource | PtrSource): boolean {
  if (a === b) return true;
  const list = (s: ServiceSource | PtrSource): readonly unknown[] | undefined => (Array.isArray(s) ? s : 'service' in s && 'slices' in s ? [s.service, ...s.slices] : undefined);
  const la = list(a);
  const lb = list(b);
  return la !== undefined && lb !== undefined && la.length === lb.length && la.every((x, i) => x === lb[i]);
}

/**
 * Derived names, per Service (`<svc>.<ns>.svc.<zone>`) or reverse name, least recently used first
 * out once more than `maxNames` names are held. Shared by an index and the ones patched from it: an
 * entry is used only while its source objects are the asking index's, so a changed Service is
 * derived again and an unchanged one keeps its entries (and their prepared answers).
 */
export class DerivedNameCache {
  private readonly held = new Map<string, { source: ServiceSource | PtrSource; names: ReadonlyMap<string, NameEntry> }>();
  private count = 0;

  constructor(private readonly maxNames = 50_000) {}

  get(key: string, source: ServiceSource | PtrSource, derive: () => ReadonlyMap<string, NameEntry>): ReadonlyMap<string, NameEntry> {
    const hit = this.held.get(key);
    if (hit && isSameSource(hit.source, source)) {
      // Most recently used last: Map keeps insertion order.
      this.held.delete(key);
      this.held.set(key, hit);
      return hit.names;
    }
    if (hit) this.drop(key, hit.names.size);
    const names = derive();
    this.held.set(key, { source, names });
    this.count += names.size;
    for (const [oldest, value] of this.held) {
      if (this.count <= this.maxNames || oldest === key) break;
      this.drop(oldest, value.names.size);
    }
    return names;
  }

  /** Names held (for tests and metrics). */
  get size(): number {
    return this.count;
  }

  private drop(key: string, names: number): void {
    this.held.delete(key);
    this.count -= names;
  }
}
