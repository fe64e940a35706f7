import type { ClusterState, EndpointSlice, Pod } from '../../cluster/types.js';
import { toReverseName } from '../../cluster/ip-address.js';
import { RecordIndexBuilder, type NameEntry, type RecordIndex } from './record-index.js';
import { RRType, type ResourceRecord } from './resource-record.js';
import { DNS_SCHEMA_VERSION, type ResolvedDnsConfig } from './dns-config.js';
import { addServiceRecords, getReadyAddresses, getServiceName, toAddressRecord } from './service-records.js';
import { addSlice, canonicalAddress, DerivedNameCache, DerivedNames, isServiceSource, type NameSources, type PtrSource, type ServiceSource } from './derived-names.js';

/**
 * The SOA of a served zone, as CoreDNS's `plugin.SOA` (plugin/backend_lookup.go) writes it:
 * `ns.dns.<zone>` and `hostmaster.<zone>` of that zone (reverse zones too), refresh 7200, retry
 * 1800, expire 86400, minimum = ttl, and a record TTL of min(ttl, 300).
 */
export function buildSoaRecord(zone: string, serial: number, ttl: number): ResourceRecord {
  return {
    name: zone,
    ttl: Math.min(ttl, 300),
    data: { type: 'SOA', mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl },
  };
}

/**
 * The addresses CoreDNS gives for itself (nsAddrs in plugin/kubernetes/ns.go): it finds the
 * endpoint slices holding its own pod's IPs and names every Service they belong to,
 * `<svc>.<ns>.svc.<zone>` with its cluster IPs (or, for a headless one, each endpoint name).
 * The simulated CoreDNS pod is the first ready endpoint of kube-system/kube-dns. Duplicate
 * (name, address) pairs are dropped (CoreDNS repeats them in the additional section of a dual-stack NS answer).
 */
function getNameServerAddresses(state: ClusterState, zone: string, endpointPodNames: boolean, own: NameServerEndpoints): { name: string; address: string }[] {
  const out: { name: string; address: string }[] = [];
  const seen = new Set<string>();
  const push = (name: string, address: string): void => {
    if (seen.has(`${name}/${address}`)) return;
    seen.add(`${name}/${address}`);
    out.push({ name, address });
  };
  for (const slices of own.values()) {
    for (const slice of slices) {
      for (const svc of state.services) {
        if (svc.namespace !== slice.namespace || svc.name !== slice.serviceName || svc.type === 'ExternalName') continue;
        const svcName = getServiceName(svc, zone);
        if (svc.headless) for (const r of getReadyAddresses([slice], endpointPodNames)) push(`${r.label}.${svcName}`, r.address);
        else for (const cip of svc.clusterIPs) push(svcName, cip);
      }
    }
  }
  return out;
}

/** CoreDNS's own pod IPs, each with the endpoint slices that hold it as a ready endpoint (the same for every zone). */
type NameServerEndpoints = Map<string, EndpointSlice[]>;

/** Finds the simulated CoreDNS pod's IPs (see getNameServerAddresses) and the slices naming them, in one pass over the slices. */
function findNameServerEndpoints(state: ClusterState): NameServerEndpoints {
  const kubeDns = state.endpointSlices.filter((s) => s.namespace === 'kube-system' && s.serviceName === 'kube-dns');
  const first = kubeDns.flatMap((s) => s.endpoints).find((e) => e.ready && e.addresses.length > 0);
  const own: NameServerEndpoints = new Map();
  if (!first) return own;
  const localIPs = first.targetRef ? kubeDns.flatMap((s) => s.endpoints).filter((e) => e.ready && e.targetRef?.name === first.targetRef!.name).flatMap((e) => e.addresses) : first.addresses;
  for (const ip of localIPs) own.set(ip, []);
  for (const slice of state.endpointSlices) {
    const holds = new Set<string>();
    for (const e of slice.endpoints) if (e.ready) for (const a of e.addresses) if (own.has(a)) holds.add(a);
    for (const ip of holds) own.get(ip)!.push(slice);
  }
  return own;
}

/**
 * PTR targets by address, as CoreDNS's `serviceRecordForIP` (plugin/kubernetes/reverse.go): a
 * cluster IP names its one Service; otherwise every ready endpoint with that address names its
 * endpoint (`<hostname>.<svc>.<ns>.svc.<cluster domain>`). Pod IPs that are no endpoint have none.
 */
export function getPtrTargets(state: Pick<ClusterState, 'services' | 'endpointSlices'>, config: ResolvedDnsConfig, exposed: ReadonlySet<string>, shadowed?: Set<string>): Map<string, string[]> {
  const filtered = (ns: string): boolean => config.namespaces.length > 0 && !exposed.has(ns);
  const zone = config.clusterDomain;
  const byIp = new Map<string, string[]>();
  for (const svc of state.services) {
    if (filtered(svc.namespace) || svc.headless || svc.type === 'ExternalName') continue;
    for (const ip of svc.clusterIPs) if (!byIp.has(ip)) byIp.set(ip, [getServiceName(svc, zone)]);
  }
  const clusterIPs = new Set(byIp.keys());
  for (const slice of state.endpointSlices) {
    if (filtered(slice.namespace)) continue;
    for (const r of getReadyAddresses([slice], config.endpointPodNames)) {
      if (clusterIPs.has(r.address)) {
        shadowed?.add(r.address);
        continue;
      }
      const target = `${r.label}.${slice.serviceName}.${slice.namespace}.svc.${zone}`;
      const list = byIp.get(r.address) ?? [];
      if (!list.includes(target)) list.push(target);
      byIp.set(r.address, list);
    }
  }
  return byIp;
}

/** Endpoint slices by `namespace/service`, in slice order. */
export function groupSlicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const byService = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const key = `${s.namespace}/${s.serviceName}`;
    const list = byService.get(key);
    if (list) list.push(s);
    else byService.set(key, [s]);
  }
  return byService;
}

/**
 * Whether a namespace's Service names can be derived apart: no served zone lies inside another,
 * so every name under `<ns>.svc.<zone>` (two labels or more before it) is written by one Service of
 * that namespace alone and by nothing else of the index.
 */
function hasSeparateZones(zones: readonly string[]): boolean {
  return zones.every((a) => zones.every((b2) => a === b2 || !(a.endsWith(`.${b2}`) || b2.endsWith(`.${a}`))));
}

/** The namespaces whose names are served: those that exist, narrowed by `--namespaces`. */
function getExposedNamespaces(state: ClusterState, config: ResolvedDnsConfig): Set<string> {
  return new Set(state.namespaces.map((n) => n.name).filter((n) => config.namespaces.length === 0 || config.namespaces.includes(n)));
}

/**
 * Derives every record the cluster serves (Kubernetes DNS-Based Service Discovery 1.1.0, as
 * CoreDNS's `kubernetes` plugin serves it). Pure: same state, config and serial → same names.
 * The apexes and namespaces are built at once; Service and PTR names are derived when first asked
 * (DerivedNames), from a cache shared with `previous` (built with the same config), where an
 * unchanged Service keeps its entries. Served zones that nest are built whole, at once, as is
 * every name with `build: 'whole'` (the reference the derived names are tested against).
 */
export function buildRecordIndex(state: ClusterState, config: ResolvedDnsConfig, serial: number, previous?: RecordIndex, build: 'derived' | 'whole' = 'derived'): RecordIndex {
  const exposed = getExposedNamespaces(state, config);
  const forwardZones = config.zones.filter((z) => !isReverseZone(z));
  const b = buildFixedNames(state, config, serial, exposed, forwardZones);
  let names: ReadonlyMap<string, NameEntry>;
  if (build === 'derived' && hasSeparateZones(config.zones)) {
    const reuse = previous?.names instanceof DerivedNames && previous.config === config ? previous.names.cache : undefined;
    names = new DerivedNames(buildNameSources(state, config, exposed, b.names, forwardZones), reuse ?? new DerivedNameCache());
  } else {
    addEveryName(b, state, config, exposed, forwardZones);
    names = b.names;
  }
  return {
    config,
    serial,
    zones: [...config.zones].sort((a, b2) => b2.length - a.length),
    forwardZones,
    names,
    podAddressesByNamespace: getPodAddressesByNamespace(state.pods),
    namespaces: exposed,
  };
}

/** The apexes (SOA, NS and its glue), their fixed names, and each exposed namespace's own names. */
function buildFixedNames(state: ClusterState, config: ResolvedDnsConfig, serial: number, exposed: ReadonlySet<string>, forwardZones: readonly string[]): RecordIndexBuilder {
  const b = new RecordIndexBuilder();
  const ttl = config.ttl;
  const ownEndpoints = findNameServerEndpoints(state);
  for (const z of config.zones) {
    // Apex: SOA and NS (handler.go), NODATA otherwise; `svc.<zone>` and `pod.<zone>` are NODATA in every zone (parse.go).
    b.add(buildSoaRecord(z, serial, ttl), 'empty');
    b.addName(z, 'empty');
    const nameServers = getNameServerAddresses(state, z, config.endpointPodNames, ownEndpoints);
    for (const ns of nameServers) {
      b.add({ name: z, ttl, data: { type: 'NS', target: ns.name } });
      b.addGlue(z, RRType.NS, toAddressRecord(ns.name, ns.address, ttl));
      b.add(toAddressRecord(`ns.dns.${z}`, ns.address, ttl), 'ns');
    }
    b.addName(`ns.dns.${z}`, 'ns');
    b.add({ name: `dns-version.${z}`, ttl: 28800, data: { type: 'TXT', text: [DNS_SCHEMA_VERSION] } }, 'strict');
    b.addName(`svc.${z}`, 'empty');
    b.addName(`pod.${z}`, 'empty');
  }
  for (const z of forwardZones) {
    for (const ns of exposed) {
      b.addName(`${ns}.svc.${z}`, 'empty');
      if (config.podMode !== 'disabled') b.addName(`${ns}.pod.${z}`, 'empty');
    }
  }
  return b;
}

/** Every Service and PTR name, at once (served zones that nest). */
function addEveryName(b: RecordIndexBuilder, state: ClusterState, config: ResolvedDnsConfig, exposed: ReadonlySet<string>, forwardZones: readonly string[]): void {
  const slicesByService = groupSlicesByService(state.endpointSlices);
  for (const z of forwardZones) {
    for (const svc of state.services) {
      if (exposed.has(svc.namespace)) addServiceRecords(b, svc, slicesByService.get(`${svc.namespace}/${svc.name}`) ?? [], z, config);
    }
  }
  const reverseZones = config.zones.filter(isReverseZone);
  for (const [ip, targets] of getPtrTargets(state, config, exposed)) {
    const rev = toReverseName(ip);
    if (!rev || !reverseZones.some((z) => rev.endsWith(`.${z}`))) continue;
    for (const target of targets) b.add({ name: rev, ttl: config.ttl, data: { type: 'PTR', target } }, 'strict');
  }
}

/** What DerivedNames derives the Service and PTR names from. */
function buildNameSources(state: ClusterState, config: ResolvedDnsConfig, exposed: ReadonlySet<string>, fixed: ReadonlyMap<string, NameEntry>, forwardZones: readonly string[]): NameSources {
  const slicesByService = groupSlicesByService(state.endpointSlices);
  const services = new Map<string, Map<string, ServiceSource>>();
  for (const ns of exposed) services.set(ns, new Map());
  for (const svc of state.services) {
    services.get(svc.namespace)?.set(svc.name, { service: svc, slices: slicesByService.get(`${svc.namespace}/${svc.name}`) ?? [] });
  }
  const { ptr, shadowedAddresses } = buildPtrSources(state, config, exposed);
  const reverseSuffixes = config.zones.filter(isReverseZone).map((z) => `.${z}`);
  return { config, fixed, services, ptr, shadowedAddresses, forwardZones, reverseSuffixes };
}

/**
 * What names each address in PTR, read in getPtrTargets's order: cluster IPs first (the first
 * Service wins), then ready endpoints (slices in state order), except those a cluster IP hides.
 */
export function buildPtrSources(state: Pick<ClusterState, 'services' | 'endpointSlices'>, config: ResolvedDnsConfig, exposed: ReadonlySet<string>): { ptr: Map<string, PtrSource>; shadowedAddresses: Set<string> } {
  const filtered = (ns: string): boolean => config.namespaces.length > 0 && !exposed.has(ns);
  const ptr = new Map<string, PtrSource>();
  for (const svc of state.services) {
    if (filtered(svc.namespace) || svc.headless || svc.type === 'ExternalName') continue;
    for (const ip of svc.clusterIPs) {
      const key = canonicalAddress(ip);
      if (key !== undefined && !ptr.has(key)) ptr.set(key, svc);
    }
  }
  const shadowedAddresses = new Set<string>();
  for (const slice of state.endpointSlices) {
    if (filtered(slice.namespace) || slice.addressType === 'FQDN') continue;
    for (const ep of slice.endpoints) {
      if (!ep.ready) continue;
      for (const address of ep.addresses) {
        const key = canonicalAddress(address);
        if (key === undefined) continue;
        const held = ptr.get(key);
        if (held === undefined) ptr.set(key, slice);
        else if (isServiceSource(held)) shadowedAddresses.add(address);
        else ptr.set(key, addSlice(held, slice));
      }
    }
  }
  return { ptr, shadowedAddresses };
}

/** Primary addresses of the pods that are not terminating, by namespace (for `pods verified`). */
export function getPodAddressesByNamespace(pods: readonly Pod[]): Map<string, Set<string>> {
  const byNamespace = new Map<string, Set<string>>();
  for (const pod of pods) {
    if (pod.terminating || pod.ips.length === 0) continue;
    let set = byNamespace.get(pod.namespace);
    if (!set) byNamespace.set(pod.namespace, (set = new Set()));
    set.add(pod.ips[0]);
  }
  return byNamespace;
}

/** `in-addr.arpa`, `ip6.arpa` and zones inside them. */
export function isReverseZone(z: string): boolean {
  return z === 'in-addr.arpa' || z.endsWith('.in-addr.arpa') || z === 'ip6.arpa' || z.endsWith('.ip6.arpa');
}
