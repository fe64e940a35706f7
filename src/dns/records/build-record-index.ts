import type { ClusterState, EndpointSlice, Service } from '../../cluster/types.js';
import { toReverseName } from '../../cluster/ip-address.js';
import { RecordIndexBuilder, type RecordIndex } from './record-index.js';
import { RRType, type ResourceRecord } from './resource-record.js';
import { DNS_SCHEMA_VERSION, type ResolvedDnsConfig } from './dns-config.js';

/** `<service>.<ns>.svc.<zone>`. */
export function getServiceName(svc: { name: string; namespace: string }, zone: string): string {
  return `${svc.name}.${svc.namespace}.svc.${zone}`;
}

/** An endpoint's DNS label: its hostname, else the address with dashes (`10-244-1-5`, `fd00--1`, trailing `-` → `-0`). */
export function getEndpointLabel(address: string, hostname: string | undefined): string {
  if (hostname) return hostname;
  let label = address.replace(/[.:]/g, '-');
  if (label.endsWith('-')) label += '0';
  if (label.startsWith('-')) label = `0${label}`;
  return label;
}

/** The SOA record of a served zone (CoreDNS's values: refresh 7200, retry 1800, expire 86400, minimum = ttl). */
export function buildSoaRecord(zone: string, clusterDomain: string, serial: number, ttl: number): ResourceRecord {
  return {
    name: zone,
    ttl,
    data: { type: 'SOA', mname: `ns.dns.${clusterDomain}`, rname: `hostmaster.${clusterDomain}`, serial, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl },
  };
}

interface ReadyEndpoint {
  address: string;
  label: string;
  family: 4 | 6;
}

/** Ready addresses of a Service across all its slices, each address once (spec 2.4.1). */
export function getReadyEndpoints(slices: readonly EndpointSlice[], endpointPodNames: boolean): ReadyEndpoint[] {
  const out: ReadyEndpoint[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    for (const ep of slice.endpoints) {
      if (!ep.ready) continue;
      for (const address of ep.addresses) {
        if (seen.has(address)) continue;
        seen.add(address);
        const podName = endpointPodNames && ep.targetRef?.kind === 'Pod' && ep.targetRef.name.length <= 63 ? ep.targetRef.name : undefined;
        out.push({ address, label: ep.hostname ?? podName ?? getEndpointLabel(address, undefined), family: slice.addressType === 'IPv6' ? 6 : 4 });
      }
    }
  }
  return out;
}

/**
 * Derives every record the cluster serves (Kubernetes DNS-Based Service Discovery 1.1.0, as
 * CoreDNS's `kubernetes` plugin serves it). Pure: same state, config and serial → same index.
 */
export function buildRecordIndex(state: ClusterState, config: ResolvedDnsConfig, serial: number): RecordIndex {
  const b = new RecordIndexBuilder();
  const zone = config.clusterDomain;
  const ttl = config.ttl;
  const exposed = new Set(state.namespaces.map((n) => n.name).filter((n) => config.namespaces.length === 0 || config.namespaces.includes(n)));
  const reverseZones = config.zones.filter((z) => z.endsWith('in-addr.arpa') || z.endsWith('ip6.arpa'));
  const addPtr = (address: string, target: string): void => {
    const rev = toReverseName(address);
    if (rev && reverseZones.some((z) => rev === z || rev.endsWith(`.${z}`))) b.add({ name: rev, ttl, data: { type: 'PTR', target } });
  };

  // Zone apex and fixed names (spec 2.2, 2.5).
  for (const z of config.zones) {
    b.add(buildSoaRecord(z, zone, serial, ttl));
    b.add({ name: z, ttl, data: { type: 'NS', target: `ns.dns.${zone}` } });
  }
  b.add({ name: `dns-version.${zone}`, ttl: 28800, data: { type: 'TXT', text: [DNS_SCHEMA_VERSION] } });
  const kubeDns = state.services.find((s) => s.namespace === 'kube-system' && s.name === 'kube-dns');
  for (const ip of kubeDns?.clusterIPs ?? []) b.add({ name: `ns.dns.${zone}`, ttl, data: { type: ip.includes(':') ? 'AAAA' : 'A', address: ip } });
  b.addName(`svc.${zone}`);
  b.addName(`pod.${zone}`);
  for (const ns of exposed) b.addName(`${ns}.svc.${zone}`);

  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const s of state.endpointSlices) {
    const key = `${s.namespace}/${s.serviceName}`;
    const list = slicesByService.get(key);
    if (list) list.push(s);
    else slicesByService.set(key, [s]);
  }

  for (const svc of state.services) {
    if (!exposed.has(svc.namespace)) continue;
    addServiceRecords(b, svc, slicesByService.get(`${svc.namespace}/${svc.name}`) ?? [], config, addPtr);
  }

  if (config.podMode === 'verified') {
    for (const pod of state.pods) {
      if (!exposed.has(pod.namespace)) continue;
      for (const ip of pod.ips) b.add({ name: `${getEndpointLabel(ip, undefined)}.${pod.namespace}.pod.${zone}`, ttl, data: { type: ip.includes(':') ? 'AAAA' : 'A', address: ip } });
    }
  }

  const podAddressesByNamespace = new Map<string, Set<string>>();
  for (const pod of state.pods) {
    let set = podAddressesByNamespace.get(pod.namespace);
    if (!set) podAddressesByNamespace.set(pod.namespace, (set = new Set()));
    for (const ip of pod.ips) set.add(ip);
  }

  return {
    config,
    serial,
    zones: [...config.zones].sort((a, b2) => b2.length - a.length),
    names: b.names,
    podAddressesByNamespace,
    namespaces: exposed,
  };
}

function addServiceRecords(b: RecordIndexBuilder, svc: Service, slices: readonly EndpointSlice[], config: ResolvedDnsConfig, addPtr: (address: string, target: string) => void): void {
  const zone = config.clusterDomain;
  const ttl = config.ttl;
  const svcName = getServiceName(svc, zone);

  if (svc.type === 'ExternalName') {
    // spec 2.5: a CNAME to the external name.
    if (svc.externalName) b.add({ name: svcName, ttl, data: { type: 'CNAME', target: svc.externalName } });
    return;
  }

  const endpoints = getReadyEndpoints(slices, config.endpointPodNames);
  // Endpoint names and their PTRs exist under ClusterIP and headless services alike (as CoreDNS serves them).
  for (const ep of endpoints) {
    const epName = `${ep.label}.${svcName}`;
    b.add({ name: epName, ttl, data: ep.family === 6 ? { type: 'AAAA', address: ep.address } : { type: 'A', address: ep.address } });
    addPtr(ep.address, epName);
  }

  const srvPorts = slices.length > 0 && svc.headless ? uniquePorts(slices) : svc.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol }));

  if (!svc.headless) {
    // spec 2.3: ClusterIP A/AAAA, SRV to the service name, PTR.
    for (const ip of svc.clusterIPs) {
      b.add({ name: svcName, ttl, data: ip.includes(':') ? { type: 'AAAA', address: ip } : { type: 'A', address: ip } });
      addPtr(ip, svcName);
    }
    if (svc.clusterIPs.length === 0 && config.ignoreEmptyService) return;
    if (svc.clusterIPs.length === 0) b.addName(svcName);
    const addresses = svc.clusterIPs.map((ip): ResourceRecord => ({ name: svcName, ttl, data: ip.includes(':') ? { type: 'AAAA', address: ip } : { type: 'A', address: ip } }));
    const weight = srvPorts.length ? Math.floor(100 / srvPorts.length) : 0;
    for (const p of srvPorts) {
      const srv: ResourceRecord = { name: svcName, ttl, data: { type: 'SRV', priority: 0, weight, port: p.port, target: svcName } };
      b.add(srv);
      for (const a of addresses) b.addGlue(svcName, RRType.SRV, a);
      if (p.name) {
        const portName = `_${p.name}._${p.protocol.toLowerCase()}.${svcName}`;
        b.add({ ...srv, name: portName, data: { ...srv.data, weight: 100 } as ResourceRecord['data'] });
        for (const a of addresses) b.addGlue(portName, RRType.SRV, a);
      }
    }
    return;
  }

  // spec 2.4: headless. No ready endpoint → the name does not exist.
  if (endpoints.length === 0) return;
  for (const ep of endpoints) b.add({ name: svcName, ttl, data: ep.family === 6 ? { type: 'AAAA', address: ep.address } : { type: 'A', address: ep.address } });
  const bare: ResourceRecord[] = [];
  for (const p of srvPorts) {
    const targets = endpoints.map((ep) => ({ ep, target: `${ep.label}.${svcName}` }));
    const weight = Math.floor(100 / Math.max(1, targets.length));
    const records = targets.map(({ target }): ResourceRecord => ({ name: svcName, ttl, data: { type: 'SRV', priority: 0, weight, port: p.port, target } }));
    bare.push(...records);
    if (p.name) {
      const portName = `_${p.name}._${p.protocol.toLowerCase()}.${svcName}`;
      for (const r of records) b.add({ ...r, name: portName });
      for (const { ep, target } of targets) b.addGlue(portName, RRType.SRV, { name: target, ttl, data: ep.family === 6 ? { type: 'AAAA', address: ep.address } : { type: 'A', address: ep.address } });
    }
  }
  const bareWeight = Math.floor(100 / Math.max(1, bare.length));
  for (const r of bare) b.add({ ...r, data: { ...r.data, weight: bareWeight } as ResourceRecord['data'] });
  for (const ep of endpoints) if (bare.length) b.addGlue(svcName, RRType.SRV, { name: `${ep.label}.${svcName}`, ttl, data: ep.family === 6 ? { type: 'AAAA', address: ep.address } : { type: 'A', address: ep.address } });
}

function uniquePorts(slices: readonly EndpointSlice[]): { name: string; port: number; protocol: string }[] {
  const seen = new Map<string, { name: string; port: number; protocol: string }>();
  for (const s of slices) for (const p of s.ports) seen.set(`${p.name}/${p.port}/${p.protocol}`, p);
  return [...seen.values()];
}
