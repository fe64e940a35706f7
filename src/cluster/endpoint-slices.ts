import { isIP } from 'node:net';
import { isSelectorMatch } from './labels.js';
import { parseIP, parseIPv4 } from './ip-address.js';
import { computeNameSuffix } from './names.js';
import type { ContainerPort, Endpoint, EndpointPort, EndpointSlice, IPFamily, Pod, Service } from './types.js';

/**
 * The pods of a namespace that carry the selector's first label with its value, in pod order (a
 * superset of the selected pods; empty for an empty selector). Indexed lazily per (namespace, label
 * key): a 100k-pod cluster otherwise tests every pod of a namespace against each of its Services.
 */
function newCandidatePods(podsByNamespace: ReadonlyMap<string, readonly Pod[]>): (namespace: string, selector: Readonly<Record<string, string>>) => readonly Pod[] {
  const byKey = new Map<string, Map<string, Pod[]>>();
  return (namespace, selector) => {
    const keys = Object.keys(selector);
    if (keys.length === 0) return [];
    const key = keys[0];
    const indexKey = `${namespace}\n${key}`;
    let byValue = byKey.get(indexKey);
    if (!byValue) {
      byValue = new Map();
      for (const p of podsByNamespace.get(namespace) ?? []) {
        if (!Object.hasOwn(p.labels, key)) continue;
        const value = p.labels[key];
        const list = byValue.get(value);
        if (list) list.push(p);
        else byValue.set(value, [p]);
      }
      byKey.set(indexKey, byValue);
    }
    return byValue.get(selector[key]) ?? [];
  };
}

/**
 * The EndpointSlice controller as a pure function: for each Service with a selector, one slice per
 * address family and resolved port set, holding every selected pod of its namespace whatever owns it.
 * Not-ready pods are kept with ready=false (DNS skips them) unless publishNotReadyAddresses;
 * terminating pods leave at once.
 */
export function buildEndpointSlices(services: readonly Service[], pods: readonly Pod[]): EndpointSlice[] {
  const podsByNamespace = new Map<string, Pod[]>();
  for (const p of pods) {
    const list = podsByNamespace.get(p.namespace);
    if (list) list.push(p);
    else podsByNamespace.set(p.namespace, [p]);
  }
  const candidates = newCandidatePods(podsByNamespace);
  const slices: EndpointSlice[] = [];
  for (const svc of services) {
    if (!svc.selector || svc.type === 'ExternalName') continue;
    const selected = candidates(svc.namespace, svc.selector).filter((p) => !p.terminating && p.ips.length > 0 && isSelectorMatch(svc.selector!, p.labels));
    const families: IPFamily[] = svc.ipFamilies.length ? [...svc.ipFamilies] : ['IPv4'];
    for (const family of families) {
      const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
      // Resolved ports depend on the pod only through its container port list, which a workload's pods share.
      const resolved = new Map<readonly ContainerPort[], { ports: EndpointPort[]; key: string }>();
      const familyNumber = family === 'IPv4' ? 4 : 6;
      for (const pod of selected) {
        // Pod addresses are canonical (the allocator formats them), so isIP tells the family without parsing to a bigint.
        const address = pod.ips.find((ip) => isIP(ip) === familyNumber);
        if (!address) continue;
        let r = resolved.get(pod.containerPorts);
        if (!r) {
          const resolvedPorts = resolveEndpointPorts(svc, pod);
          resolved.set(pod.containerPorts, (r = { ports: resolvedPorts, key: JSON.stringify(resolvedPorts) }));
        }
        const { ports, key } = r;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { ports, endpoints: [] }));
        const ready = svc.publishNotReadyAddresses || pod.ready;
        g.endpoints.push({
          addresses: [address],
          // The endpoints controller sets hostname only when the pod's subdomain names this service.
          hostname: pod.hostname && pod.subdomain === svc.name ? pod.hostname : undefined,
          ready,
          serving: ready,
          terminating: false,
          targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name },
        });
      }
      if (groups.size === 0) groups.set('[]', { ports: resolveEndpointPorts(svc, undefined), endpoints: [] });
      let n = 0;
      for (const g of groups.values()) {
        // Each address parsed once (a slice of a 100k-pod cluster sorts thousands); a stable sort as before.
        const keyed = g.endpoints.map((e) => ({ e, key: parseIPv4(e.addresses[0]) ?? parseIP(e.addresses[0])?.value ?? 0n }));
        keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        g.endpoints = keyed.map((k) => k.e);
        slices.push({
          namespace: svc.namespace,
          name: `${svc.name}-${computeNameSuffix(`${svc.namespace}/${svc.name}/${family}/${n++}`)}`,
          serviceName: svc.name,
          addressType: family,
          endpoints: g.endpoints,
          ports: g.ports,
          managed: true,
        });
      }
    }
  }
  return slices;
}

/** Resolves each service port's targetPort against the pod's container ports; a named port the pod lacks is dropped. */
export function resolveEndpointPorts(svc: Service, pod: Pod | undefined): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.ports) {
    let port: number | undefined;
    if (typeof sp.targetPort === 'number') port = sp.targetPort;
    else if (/^\d+$/.test(sp.targetPort)) port = Number(sp.targetPort);
    else if (pod) port = pod.containerPorts.find((c) => c.name === sp.targetPort && c.protocol === sp.protocol)?.containerPort;
    if (port === undefined && !pod) port = sp.port;
    if (port !== undefined && port > 0) out.push({ name: sp.name, port, protocol: sp.protocol });
  }
  return out;
}
