import { isIP } from 'node:net';
import type { EndpointSlice, Service } from '../../cluster/types.js';
import type { ResolvedDnsConfig } from './dns-config.js';
import type { RecordIndexBuilder } from './record-index.js';
import { RRType, type ResourceRecord } from './resource-record.js';

/*
 * The names one Service has, as CoreDNS's `kubernetes` plugin answers them (Kubernetes DNS-Based
 * Service Discovery 1.1.0): its own name, its endpoints' names and its port names.
 */
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

export function toAddressRecord(name: string, address: string, ttl: number): ResourceRecord {
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

/**
 * Which of a Service's names to add: every one, the Service's own and port names, or the names of
 * the endpoints with one label (`<label>.<svc>.<ns>.svc.<zone>`): a pod's name is asked far more often
 * than its headless Service's 100 addresses, and deriving it alone is a hundredth of the work.
 */
export type ServiceNamePart = 'all' | 'service' | { endpoint: string };

/** Adds every name one Service has in zone `zone` (its own, endpoint and port names), or the `only` part of them. */
export function addServiceRecords(b: RecordIndexBuilder, svc: Service, slices: readonly EndpointSlice[], zone: string, config: ResolvedDnsConfig, only: ServiceNamePart = 'all'): void {
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
  const endpointEntries = (r: ReadyAddress, ports: readonly SlicePort[]): ServiceEntry[] => {
    let record = recordOf.get(r);
    if (!record) recordOf.set(r, (record = toAddressRecord(`${r.label}.${svcName}`, r.address, ttl)));
    return ports.map((p) => ({ target: record.name, port: p.port, record }));
  };

  // Endpoint names exist under ClusterIP services too (kubernetes.go: `svc.Headless() || r.endpoint != ""`), beyond spec 2.4.1.
  if (only !== 'service') {
    const byLabel = new Map<string, ServiceEntry[]>();
    for (const r of ready) {
      if (typeof only === 'object' && r.label !== only.endpoint) continue;
      const list = byLabel.get(r.label) ?? [];
      list.push(...endpointEntries(r, getSlicePorts(r.slice)));
      byLabel.set(r.label, list);
    }
    for (const [label, entries] of byLabel) addEntries(b, `${label}.${svcName}`, entries, ttl);
    if (typeof only === 'object') return;
  }

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
 * The names addServiceRecords gives records to (not the ones it leaves empty), without building
 * them: `explain`'s "did you mean" compares the asked name with every name of a 100k-pod cluster.
 */
export function listServiceNamesWithRecords(svc: Service, slices: readonly EndpointSlice[], zone: string, config: ResolvedDnsConfig): string[] {
  const svcName = getServiceName(svc, zone);
  if (svc.type === 'ExternalName') return svc.externalName && !isIP(svc.externalName) ? [svcName] : [];
  const ready = getReadyAddresses(slices, config.endpointPodNames);
  if (ready.length === 0 && (svc.headless || config.ignoreEmptyService)) return [];
  const names = new Set(ready.map((r) => `${r.label}.${svcName}`));
  if (svc.headless || svc.clusterIPs.length > 0) names.add(svcName);
  const ports: readonly SlicePort[] = svc.headless ? slices.flatMap((s) => s.ports) : svc.ports;
  for (const p of ports) {
    if (!p.name) continue;
    // A headless Service's port name has records only where a ready address's own slice has that port.
    const withRecords = svc.headless ? ready.some((r) => r.slice.ports.some((q) => isPortMatch(q, p.name.toLowerCase(), p.protocol.toLowerCase()))) : svc.clusterIPs.length > 0;
    if (withRecords) names.add(`${getPortName(p)}.${svcName}`);
  }
  return [...names];
}
