import type { EndpointSlice, Pod, Service } from '../../cluster/types.js';
import { toReverseName } from '../../cluster/ip-address.js';
import {
  addServiceRecords,
  buildSoaRecord,
  getPodAddressesByNamespace,
  getPtrTargets,
  groupSlicesByService,
  isReverseZone,
  namespaceNamesOf,
  type NamespaceNames,
} from './build-record-index.js';
import { LayeredNames } from './layered-names.js';
import { isSameNameEntry, NO_PREPARED, RecordIndexBuilder, type NameEntry, type RecordIndex } from './record-index.js';
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
 * stays as it was) by replacing that namespace's Service names and PTR names and the apexes' SOA
 * serial. The same records as buildRecordIndex over the whole new state, in O(the namespace).
 *
 * Undefined when the change reaches beyond the namespace and the caller must build the whole
 * index: `previous` was not built per namespace; the namespace is kube-system (the NS records
 * name CoreDNS's own endpoints) or has endpoint slices from manifests (any address, any name);
 * a name or PTR it adds or removes is shared with another namespace; or a cluster IP hides an
 * endpoint's PTR (the rule spans namespaces).
 */
export function patchRecordIndex(previous: RecordIndex, namespace: string, before: NamespaceRecordInputs, after: NamespaceRecordInputs, serial: number): RecordIndex | undefined {
  const memo = namespaceNamesOf.get(previous);
  if (!memo || namespace === 'kube-system') return undefined;
  if ([...before.endpointSlices, ...after.endpointSlices].some((s) => !s.managed)) return undefined;
  const config = previous.config;
  const ttl = config.ttl;
  const changes = new Map<string, NameEntry | null>();
  const names = new Map(memo.names);

  if (previous.namespaces.has(namespace)) {
    const slicesByService = groupSlicesByService(after.endpointSlices);
    const slices = after.services.map((svc) => slicesByService.get(`${svc.namespace}/${svc.name}`) ?? []);
    for (const zone of previous.forwardZones) {
      const key = `${zone} ${namespace}`;
      const old = new Set(memo.names.get(key)?.names ?? []);
      for (const name of old) changes.set(name, null);
      const b = new RecordIndexBuilder();
      after.services.forEach((svc, i) => addServiceRecords(b, svc, slices[i], zone, config));
      for (const [name, entry] of b.names) {
        if (!old.has(name) && previous.names.has(name)) return undefined;
        changes.set(name, entry);
      }
      if (b.names.size > 0) names.set(key, { names: [...b.names.keys()], services: after.services, slices } satisfies NamespaceNames);
      else names.delete(key);
    }

    const exposed = new Set([namespace]);
    const hidden = new Set<string>();
    const ptrBefore = getPtrTargets(before, config, exposed, hidden);
    const ptrAfter = getPtrTargets(after, config, exposed, hidden);
    if (hidden.size > 0) return undefined;
    for (const svc of before.services) if (svc.clusterIPs.some((ip) => memo.shadowedAddresses.has(ip))) return undefined;
    const reverseZones = previous.zones.filter(isReverseZone).map((z) => `.${z}`);
    const reverseName = (ip: string): string | undefined => {
      const rev = toReverseName(ip);
      return rev && reverseZones.some((z) => rev.endsWith(z)) ? rev : undefined;
    };
    for (const [ip, targets] of ptrBefore) {
      const rev = reverseName(ip);
      if (!rev) continue;
      const held = previous.names.get(rev)?.rrsets.get(RRType.PTR) ?? [];
      // Exactly this namespace's targets, or another namespace also names this address.
      if (held.length !== targets.length || held.some((r, i) => (r.data as { target: string }).target !== targets[i])) return undefined;
      changes.set(rev, null);
    }
    const b = new RecordIndexBuilder();
    for (const [ip, targets] of ptrAfter) {
      const rev = reverseName(ip);
      if (!rev) continue;
      if (previous.names.has(rev) && changes.get(rev) !== null) return undefined;
      for (const target of targets) b.add({ name: rev, ttl, data: { type: 'PTR', target } }, 'strict');
    }
    for (const [name, entry] of b.names) changes.set(name, entry);
  }

  for (const zone of config.zones) {
    const apex = previous.names.get(zone);
    if (!apex) return undefined;
    const rrsets = new TypeMap(apex.rrsets).set(RRType.SOA, [buildSoaRecord(zone, serial, ttl)]);
    changes.set(zone, { rrsets, glue: apex.glue, prepared: NO_PREPARED, existence: apex.existence });
  }

  // Names the change left as they were keep their old entries: fewer layers to merge, warm answers.
  for (const [name, entry] of changes) {
    const old = entry && previous.names.get(name);
    if (old && isSameNameEntry(old, entry)) changes.delete(name);
  }

  const podAddressesByNamespace = new Map(previous.podAddressesByNamespace);
  const podAddresses = getPodAddressesByNamespace(after.pods).get(namespace);
  if (podAddresses) podAddressesByNamespace.set(namespace, podAddresses);
  else podAddressesByNamespace.delete(namespace);

  const index: RecordIndex = { ...previous, serial, names: LayeredNames.patch(previous.names, changes), podAddressesByNamespace };
  namespaceNamesOf.set(index, { names, shadowedAddresses: memo.shadowedAddresses });
  return index;
}
