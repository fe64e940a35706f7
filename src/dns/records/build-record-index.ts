import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { ClusterState, EndpointSlice, Pod, Service } from '../../cluster/types.js';
import { toReverseName } from '../../cluster/ip-address.js';
import { NO_PREPARED, RecordIndexBuilder, type RecordIndex } from './record-index.js';
import { RRType, type ResourceRecord } from './resource-record.js';
import { DNS_SCHEMA_VERSION, type ResolvedDnsConfig } from './dns-config.js';

/** `<service>.<ns>.svc.<zone>`. */
export function getServiceName(svc: { name: string; namespace: string }, zone: string): string {
  return `${svc.name}.${svc.namespace}.svc.${zone}`;
}

/**
 * An endpoint's DNS label, as CoreDNS's `endpointHostname` (plugin/kubernetes/kubernetes.go): its
 * hostname; else, with `endpoint_pod_names`, its targetRef name (kept only when shorter than 64,
 * object/endpoint.go); else the address with dashes (`10-244-1-5`, `fd00--1`, a trailing `-`
 * becomes `-0`). Lower-case, as names are compared case-insensitively (spec 2.1).
 */
export function getEndpointLabel(address: string, hostname: string | undefined, podName?: string): string {
  if (hostname) return hostname.toLowerCase();
  if (podName && podName.length < 64) return podName.toLowerCase();
  if (address.includes('.')) return address.replace(/\./g, '-');
  const label = address.replace(/:/g, '-').toLowerCase();
  return label.endsWith('-') ? `${label}0` : label;
}

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

/** CoreDNS's `msg.Service`: one (target, port, address) combination a name expands to. Port -1 is the "no ports" sentinel. */
interface ServiceEntry {
  target: string;
  port: number;
  /** The address record at `target` (shared by every name that answers it, and its glue). */
  record: ResourceRecord;
}

interface ReadyAddress {
  slice: EndpointSlice;
  address: string;
  label: string;
}

interface SlicePort {
  name: string;
  protocol: string;
  port: number;
}

/** object/endpoint.go and object/service.go add a port -1 sentinel when there are no ports. */
const NO_PORTS: readonly SlicePort[] = [{ name: '', protocol: '', port: -1 }];

function toAddressRecord(name: string, address: string, ttl: number): ResourceRecord {
  return { name, ttl, data: isIP(address) === 6 ? { type: 'AAAA', address } : { type: 'A', address } };
}

/**
 * Ready addresses of a Service across all its slices, in slice order (EndpointSliceToEndpoints in
 * object/endpoint.go keeps only endpoints whose `conditions.ready` is true or absent).
 */
export function getReadyAddresses(slices: readonly EndpointSlice[], endpointPodNames: boolean): ReadyAddress[] {
  const out: ReadyAddress[] = [];
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    for (const ep of slice.endpoints) {
      if (!ep.ready) continue;
      const podName = endpointPodNames ? ep.targetRef?.name : undefined;
      for (const address of ep.addresses) out.push({ slice, address, label: getEndpointLabel(address, ep.hostname, podName) });
    }
  }
  return out;
}

function getSlicePorts(slice: EndpointSlice): readonly SlicePort[] {
  return slice.ports.length ? slice.ports : NO_PORTS;
}

/** `_<port>._<proto>` of a named port, lower-case. */
function getPortName(p: SlicePort): string {
  return `_${p.name.toLowerCase()}._${p.protocol.toLowerCase()}`;
}

/** matchPortAndProtocol in kubernetes.go: case-insensitive name and protocol. */
function isPortMatch(p: SlicePort, name: string, protocol: string): boolean {
  return p.name.toLowerCase() === name && p.protocol.toLowerCase() === protocol;
}

/**
 * Adds what CoreDNS answers at `name` for these entries: A/AAAA per distinct address
 * (plugin.A/AAAA), and SRV per distinct (target, port) with priority 0, weight
 * floor(100 / entries) but at least 1, port -1 skipped, and each target's address as glue (plugin.SRV).
 */
function addEntries(b: RecordIndexBuilder, name: string, entries: readonly ServiceEntry[], ttl: number): void {
  if (entries.length === 0) return;
  b.addName(name, 'records');
  // Records and their data are shared between names where equal: a 100k-pod index holds each address once.
  for (const e of entries) b.add(e.record.name === name ? e.record : { name, ttl, data: e.record.data });
  const weight = Math.max(1, Math.floor(100 / entries.length));
  for (const e of entries) {
    if (e.port === -1) continue;
    b.add({ name, ttl, data: { type: 'SRV', priority: 0, weight, port: e.port, target: e.target } });
    b.addGlue(name, RRType.SRV, e.record);
  }
}

/** Adds every name one Service has in zone `zone` (its own, endpoint and port names). */
export function addServiceRecords(b: RecordIndexBuilder, svc: Service, slices: readonly EndpointSlice[], zone: string, config: ResolvedDnsConfig): void {
  const ttl = config.ttl;
  const svcName = getServiceName(svc, zone);

  if (svc.type === 'ExternalName') {
    // spec 2.5. kubernetes.go findServices serves it only when the external name is a name, not an IP.
    if (svc.externalName && !isIP(svc.externalName)) b.add({ name: svcName, ttl, data: { type: 'CNAME', target: svc.externalName } });
    return;
  }

  const ready = getReadyAddresses(slices, config.endpointPodNames);
  // ignore_empty_service: a ClusterIP service without a ready address does not exist (kubernetes.go findServices).
  if (!svc.headless && config.ignoreEmptyService && ready.length === 0) return;
  // spec 2.4.1: a headless service without a ready endpoint does not exist.
  if (svc.headless && ready.length === 0) return;

  // One target name and one address record per ready address, whatever the number of names and ports using them.
  const recordOf = new Map<ReadyAddress, ResourceRecord>();
  for (const r of ready) recordOf.set(r, toAddressRecord(`${r.label}.${svcName}`, r.address, ttl));
  const endpointEntries = (r: ReadyAddress, ports: readonly SlicePort[]): ServiceEntry[] => {
    const record = recordOf.get(r)!;
    return ports.map((p) => ({ target: record.name, port: p.port, record }));
  };

  // Endpoint names exist under ClusterIP services too (kubernetes.go: `svc.Headless() || r.endpoint != ""`), beyond spec 2.4.1.
  const byLabel = new Map<string, ServiceEntry[]>();
  for (const r of ready) {
    const list = byLabel.get(r.label) ?? [];
    list.push(...endpointEntries(r, getSlicePorts(r.slice)));
    byLabel.set(r.label, list);
  }
  for (const [label, entries] of byLabel) addEntries(b, `${label}.${svcName}`, entries, ttl);

  if (!svc.headless) {
    // spec 2.3: A/AAAA per cluster IP; SRV per port (the bare-name SRV is CoreDNS's extension), targets the service.
    const ports: readonly SlicePort[] = svc.ports.length ? svc.ports : NO_PORTS;
    const ipRecords = svc.clusterIPs.map((ip) => toAddressRecord(svcName, ip, ttl));
    const forPorts = (list: readonly SlicePort[]): ServiceEntry[] => list.flatMap((p) => ipRecords.map((record) => ({ target: svcName, port: p.port, record })));
    if (svc.clusterIPs.length === 0) b.addName(svcName, 'records');
    addEntries(b, svcName, forPorts(ports), ttl);
    for (const p of ports) {
      if (!p.name) continue; // spec 2.3.2: unnamed ports have no SRV name.
      addEntries(b, `${getPortName(p)}.${svcName}`, forPorts(ports.filter((q) => isPortMatch(q, p.name.toLowerCase(), p.protocol.toLowerCase()))), ttl);
    }
    return;
  }

  // spec 2.4: headless. Every ready address, and the ports of its own slice.
  addEntries(b, svcName, ready.flatMap((r) => endpointEntries(r, getSlicePorts(r.slice))), ttl);
  const named = new Map<string, SlicePort>();
  for (const s of slices) for (const p of s.ports) if (p.name) named.set(getPortName(p), p);
  for (const [portName, p] of named) {
    const name = p.name.toLowerCase();
    const protocol = p.protocol.toLowerCase();
    addEntries(b, `${portName}.${svcName}`, ready.flatMap((r) => endpointEntries(r, r.slice.ports.filter((q) => isPortMatch(q, name, protocol)))), ttl);
  }
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

/**
 * The Service names one namespace has in one forward zone, and what they came from: its Services
 * and their slices, whose digest (taken when a later build first compares, not at every build)
 * decides whether that build may reuse the names.
 */
export interface NamespaceNames {
  names: string[];
  services: readonly Service[];
  slices: readonly (readonly EndpointSlice[])[];
  digest?: string;
}

function getDigest(n: NamespaceNames): string {
  n.digest ??= digestNamespaceServices(n.services, n.slices);
  return n.digest;
}

/**
 * What a build remembers for the next one (kept out of RecordIndex): `<zone> <namespace>` → its
 * Service names, and the endpoint addresses that have no PTR because they are also a cluster IP.
 */
export const namespaceNamesOf = new WeakMap<RecordIndex, { names: ReadonlyMap<string, NamespaceNames>; shadowedAddresses: ReadonlySet<string> }>();

/** The digest a namespace's Service names are reused by: its Services and their slices. */
export function digestNamespaceServices(services: readonly Service[], slices: readonly (readonly EndpointSlice[])[]): string {
  return createHash('sha256').update(JSON.stringify([services, slices])).digest('base64');
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
 * Whether a namespace's Service names can be built apart and reused: no served zone lies inside
 * another, so every name under `<ns>.svc.<zone>` (three labels or more before the zone) is
 * written by that namespace's Services alone and by nothing else of the index.
 */
function hasSeparateZones(zones: readonly string[]): boolean {
  return zones.every((a) => zones.every((b2) => a === b2 || !(a.endsWith(`.${b2}`) || b2.endsWith(`.${a}`))));
}

/**
 * Derives every record the cluster serves (Kubernetes DNS-Based Service Discovery 1.1.0, as
 * CoreDNS's `kubernetes` plugin serves it). Pure: same state, config and serial → same index.
 * With `previous` (built with the same config), a namespace whose Services and endpoint slices are
 * unchanged takes its Service names' entries from it (fresh prepared answers) instead of deriving
 * them again; the result is the same either way.
 */
export function buildRecordIndex(state: ClusterState, config: ResolvedDnsConfig, serial: number, previous?: RecordIndex): RecordIndex {
  if (hasSeparateZones(config.zones)) {
    const index = buildIndex(state, config, serial, true, previous && previous.config === config ? previous : undefined);
    if (index) return index;
  }
  return buildIndex(state, config, serial, false, undefined)!;
}

/**
 * buildRecordIndex; `perNamespace` builds (or takes from `previous`) the Service names one
 * namespace at a time and remembers them for the next build. Undefined when two runs of names met
 * (not expected when hasSeparateZones holds; the caller then builds without).
 */
function buildIndex(state: ClusterState, config: ResolvedDnsConfig, serial: number, perNamespace: boolean, previous: RecordIndex | undefined): RecordIndex | undefined {
  const before = previous ? namespaceNamesOf.get(previous)?.names : undefined;
  const memo = new Map<string, NamespaceNames>();
  const b = new RecordIndexBuilder();
  const ttl = config.ttl;
  const exposed = new Set(state.namespaces.map((n) => n.name).filter((n) => config.namespaces.length === 0 || config.namespaces.includes(n)));
  const reverseZones = config.zones.filter(isReverseZone);
  const forwardZones = config.zones.filter((z) => !isReverseZone(z));

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

  const slicesByService = groupSlicesByService(state.endpointSlices);

  for (const z of forwardZones) {
    for (const ns of exposed) {
      b.addName(`${ns}.svc.${z}`, 'empty');
      if (config.podMode !== 'disabled') b.addName(`${ns}.pod.${z}`, 'empty');
    }
    if (!perNamespace) {
      for (const svc of state.services) {
        if (exposed.has(svc.namespace)) addServiceRecords(b, svc, slicesByService.get(`${svc.namespace}/${svc.name}`) ?? [], z, config);
      }
      continue;
    }
    // Services are sorted by namespace, so each namespace's names go in as one run, in the same order as above.
    for (const group of groupByNamespace(state.services)) {
      if (!exposed.has(group[0].namespace)) continue;
      const slices = group.map((svc) => slicesByService.get(`${svc.namespace}/${svc.name}`) ?? []);
      const memoKey = `${z} ${group[0].namespace}`;
      if (memo.has(memoKey)) return undefined;
      const fresh: NamespaceNames = { names: [], services: group, slices };
      const old = before?.get(memoKey);
      let names: string[];
      if (old && previous && getDigest(old) === getDigest(fresh)) {
        names = old.names;
        for (const name of names) {
          if (b.names.has(name)) return undefined;
          const e = previous.names.get(name)!;
          b.names.set(name, { rrsets: e.rrsets, glue: e.glue, prepared: NO_PREPARED, existence: e.existence });
        }
      } else {
        const nb = new RecordIndexBuilder();
        group.forEach((svc, i) => addServiceRecords(nb, svc, slices[i], z, config));
        names = [...nb.names.keys()];
        for (const [name, e] of nb.names) {
          if (b.names.has(name)) return undefined;
          b.names.set(name, e);
        }
      }
      fresh.names = names;
      memo.set(memoKey, fresh);
    }
  }

  const shadowedAddresses = new Set<string>();
  for (const [ip, targets] of getPtrTargets(state, config, exposed, shadowedAddresses)) {
    const rev = toReverseName(ip);
    if (!rev || !reverseZones.some((z) => rev.endsWith(`.${z}`))) continue;
    for (const target of targets) b.add({ name: rev, ttl, data: { type: 'PTR', target } }, 'strict');
  }

  const podAddressesByNamespace = getPodAddressesByNamespace(state.pods);

  const index: RecordIndex = {
    config,
    serial,
    zones: [...config.zones].sort((a, b2) => b2.length - a.length),
    forwardZones,
    names: b.names,
    podAddressesByNamespace,
    namespaces: exposed,
  };
  if (perNamespace) namespaceNamesOf.set(index, { names: memo, shadowedAddresses });
  return index;
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

/** Runs of consecutive Services of the same namespace. */
function groupByNamespace(services: readonly Service[]): Service[][] {
  const groups: Service[][] = [];
  for (const svc of services) {
    const last = groups[groups.length - 1];
    if (last && last[0].namespace === svc.namespace) last.push(svc);
    else groups.push([svc]);
  }
  return groups;
}
