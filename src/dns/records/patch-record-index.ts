import type { EndpointSlice, Pod, Service } from '../../cluster/types.js';
import { buildSoaRecord, groupSlicesByService, getPodAddressesByNamespace } from './build-record-index.js';
import { canonicalAddress, DerivedNames, addSlice, getSourceSlices, isServiceSource, type PtrSource, type ServiceSource } from './derived-names.js';
import { LayeredMap } from './layered-map.js';
import type { NameEntry, RecordIndex } from './record-index.js';
import { RRType } from './resource-record.js';
import { TypeMap } from './type-map.js';

/** One namespace's part of a ClusterState: what its DNS names derive from. */
export interface NamespaceRecordInputs {
  services: readonly Service[];
  endpointSlices: readonly EndpointSlice[];
  pods: readonly Pod[];
}

/**
 * The index after one namespace changed from `before` to `after`, derived from `previous` (which
 * stays as it was) by replacing that namespace's Services and the addresses they and its endpoints
 * hold, and the apexes' SOA serial. The same names as buildRecordIndex over the whole new state, in
 * O(the namespace): names are derived when asked (DerivedNames), and the derivations of Services
 * the change left as they were stay in the shared cache.
 *
 * Undefined when the change reaches beyond the namespace and the caller must build the whole
 * index: `previous` does not derive its names (served zones nest); the namespace is kube-system
 * (the NS records name CoreDNS's own endpoints) or has endpoint slices from manifests (any
 * address, any name); an address it gives or takes is also another namespace's; or a cluster IP
 * hides an endpoint's PTR (the rule spans namespaces).
 */
export function patchRecordIndex(previous: RecordIndex, namespace: string, before: NamespaceRecordInputs, after: NamespaceRecordInputs, serial: number): RecordIndex | undefined {
  if (!(previous.names instanceof DerivedNames) || namespace === 'kube-system') return undefined;
  if ([...before.endpointSlices, ...after.endpointSlices].some((s) => !s.managed)) return undefined;
  const sources = previous.names.sources;
  let { services, ptr } = sources;

  if (previous.namespaces.has(namespace)) {
    const changes = patchPtrSources(sources.ptr, sources.shadowedAddresses, namespace, before, after);
    if (!changes) return undefined;
    ptr = LayeredMap.patch(sources.ptr, changes);
    const slicesByService = groupSlicesByService(after.endpointSlices);
    const own = new Map<string, ServiceSource>();
    for (const svc of after.services) own.set(svc.name, { service: svc, slices: slicesByService.get(`${svc.namespace}/${svc.name}`) ?? [] });
    services = new Map(services).set(namespace, own);
  }

  const fixed = new Map<string, NameEntry>(sources.fixed);
  for (const zone of previous.config.zones) {
    const apex = fixed.get(zone);
    if (!apex) return undefined;
    const rrsets = new TypeMap(apex.rrsets).set(RRType.SOA, [buildSoaRecord(zone, serial, previous.config.ttl)]);
    fixed.set(zone, { ...apex, rrsets, prepared: new Map() });
  }

  const podAddressesByNamespace = new Map(previous.podAddressesByNamespace);
  const podAddresses = getPodAddressesByNamespace(after.pods).get(namespace);
  if (podAddresses) podAddressesByNamespace.set(namespace, podAddresses);
  else podAddressesByNamespace.delete(namespace);

  const names = new DerivedNames({ ...sources, fixed, services, ptr }, previous.names.cache);
  return { ...previous, serial, names, podAddressesByNamespace };
}

/**
 * The PTR sources to replace (null: remove) when a namespace's cluster IPs and ready endpoints go
 * from `before` to `after`; undefined when an address is also another namespace's, or a cluster
 * IP hides an endpoint (buildPtrSources' order decides those across namespaces: a whole build).
 * Only the Services and slices the change replaced are read: an unchanged one (the same object)
 * names the same addresses as before.
 */
function patchPtrSources(ptr: ReadonlyMap<string, PtrSource>, shadowed: ReadonlySet<string>, namespace: string, before: NamespaceRecordInputs, after: NamespaceRecordInputs): Map<string, PtrSource | null> | undefined {
  const changes = new Map<string, PtrSource | null>();
  const current = (key: string): PtrSource | undefined => (changes.has(key) ? (changes.get(key) ?? undefined) : ptr.get(key));
  const isClusterIPService = (svc: Service): boolean => !svc.headless && svc.type !== 'ExternalName';
  const readyAddresses = function* (slice: EndpointSlice): Generator<string> {
    if (slice.addressType !== 'FQDN') for (const ep of slice.endpoints) if (ep.ready) yield* ep.addresses;
  };
  const only = <T>(list: readonly T[], other: readonly T[]): T[] => {
    const kept = new Set(other);
    return list.filter((o) => !kept.has(o));
  };
  const sliceOrder = new Map(after.endpointSlices.map((s, i) => [s, i]));

  for (const svc of only(before.services, after.services)) {
    if (!isClusterIPService(svc)) continue;
    for (const ip of svc.clusterIPs) {
      const key = canonicalAddress(ip);
      if (key === undefined) continue;
      // Taking away a cluster IP that hid another namespace's endpoint brings that endpoint's PTR back.
      if (shadowed.has(ip)) return undefined;
      if (current(key) === svc) changes.set(key, null);
    }
  }
  for (const slice of only(before.endpointSlices, after.endpointSlices)) {
    for (const address of readyAddresses(slice)) {
      const key = canonicalAddress(address);
      const held = key === undefined ? undefined : current(key);
      if (key === undefined || held === undefined) continue;
      if (isServiceSource(held)) return undefined;
      const slices = getSourceSlices(held);
      if (slices.some((s) => s.namespace !== namespace)) return undefined;
      const rest = slices.filter((s) => s !== slice);
      changes.set(key, rest.length === 0 ? null : rest.length === 1 ? rest[0] : rest);
    }
  }

  for (const svc of only(after.services, before.services)) {
    if (!isClusterIPService(svc)) continue;
    for (const ip of svc.clusterIPs) {
      const key = canonicalAddress(ip);
      if (key === undefined) continue;
      if (current(key) !== undefined) return undefined;
      changes.set(key, svc);
    }
  }
  for (const slice of only(after.endpointSlices, before.endpointSlices)) {
    for (const address of readyAddresses(slice)) {
      const key = canonicalAddress(address);
      if (key === undefined) continue;
      const held = current(key);
      if (held === undefined) changes.set(key, slice);
      else if (isServiceSource(held) || getSourceSlices(held).some((s) => s.namespace !== namespace)) return undefined;
      else {
        // In the order of the namespace's slices, as a whole build reads them.
        const slices = getSourceSlices(addSlice(held, slice)).slice().sort((a, b) => (sliceOrder.get(a) ?? -1) - (sliceOrder.get(b) ?? -1));
        changes.set(key, slices);
      }
    }
  }
  // Addresses a replaced slice gave back and its replacement took again: no change at all.
  for (const [key, value] of changes) if (isSamePtrSource(ptr.get(key), value)) changes.delete(key);
  return changes;
}

function isSamePtrSource(a: PtrSource | undefined, b: PtrSource | null): boolean {
  if (a === b) return true;
  if (a === undefined || b === null || isServiceSource(a) || isServiceSource(b)) return false;
  const x = getSourceSlices(a);
  const y = getSourceSlices(b);
  return x.length === y.length && x.every((s, i) => s === y[i]);
}
