import type { ClusterState, Pod, Service } from '../../cluster/types.js';
import type { ResourceRecord } from '../records/resource-record.js';

/** How a pod is owned, in words: `StatefulSet myweb-sts, ordinal 0`, `ReplicaSet web-7d9 ← Deployment web`. */
export function describePodOwner(state: ClusterState, pod: Pod): string {
  if (!pod.owner) return 'no owner';
  if (pod.owner.kind === 'StatefulSet') return `StatefulSet ${pod.owner.name}, ordinal ${pod.ordinal}`;
  const rs = state.replicaSets.find((r) => r.namespace === pod.namespace && r.name === pod.owner!.name);
  return rs?.owner ? `ReplicaSet ${rs.name} ← ${rs.owner.kind} ${rs.owner.name}` : `${pod.owner.kind} ${pod.owner.name}`;
}

function describeService(svc: Service): string {
  const kind = svc.type === 'ExternalName' ? `ExternalName ${svc.externalName}` : svc.headless ? 'headless' : `${svc.type} ${svc.clusterIPs.join(', ')}`;
  return `Service ${svc.namespace}/${svc.name} (${kind})`;
}

/** `Service ns/svc (headless) ← EndpointSlice s ← Pod p (StatefulSet x, ordinal 0)` for the endpoint with `address` (and `hostname` label if given). */
function describeEndpoint(state: ClusterState, svc: Service, address: string | undefined, label: string | undefined): string | undefined {
  for (const slice of state.endpointSlices) {
    if (slice.namespace !== svc.namespace || slice.serviceName !== svc.name) continue;
    for (const ep of slice.endpoints) {
      if (address !== undefined && !ep.addresses.includes(address)) continue;
      if (label !== undefined && ep.hostname !== label && !ep.addresses.some((a) => a.replace(/[.:]/g, '-') === label) && ep.targetRef?.name !== label) continue;
      const pod = ep.targetRef?.kind === 'Pod' ? state.pods.find((p) => p.namespace === ep.targetRef!.namespace && p.name === ep.targetRef!.name) : undefined;
      const tail = pod ? ` ← Pod ${pod.name} (${describePodOwner(state, pod)})` : ep.targetRef ? ` ← ${ep.targetRef.kind} ${ep.targetRef.name}` : '';
      return `${describeService(svc)} ← EndpointSlice ${slice.name}${tail}`;
    }
  }
  return undefined;
}

/**
 * The chain of objects that produced a record, in words, or a short reason for records no object
 * makes (SOA, NS, the schema TXT). Names follow spec 2.3–2.5 under `clusterDomain`.
 */
export function describeRecordOrigin(state: ClusterState, clusterDomain: string, rr: ResourceRecord): string {
  const d = rr.data;
  if (d.type === 'SOA' || d.type === 'NS') return 'the zone apex (spec 2.2)';
  if (d.type === 'TXT') return 'the DNS schema version (spec 2.2)';
  if (d.type === 'PTR') return `reverse record of ${d.target}. (spec 2.3.3/2.4.3)`;
  const suffix = `.svc.${clusterDomain}`;
  const podSuffix = `.pod.${clusterDomain}`;
  if (rr.name.endsWith(podSuffix)) {
    const [, ns] = rr.name.slice(0, -podSuffix.length).split('.');
    const address = d.type === 'A' || d.type === 'AAAA' ? d.address : '';
    const pod = state.pods.find((p) => p.namespace === ns && p.ips.includes(address));
    return `pod A record (spec 2.5, \`pods insecure\`: any address in an existing namespace)${pod ? ` — Pod ${ns}/${pod.name} has this IP` : ''}`;
  }
  if (!rr.name.endsWith(suffix)) return d.type === 'CNAME' ? `short-name rule: ${rr.name} is asked as ${d.target}` : 'not a cluster name';
  const labels = rr.name.slice(0, -suffix.length).split('.');
  const ns = labels[labels.length - 1];
  if (labels[0].startsWith('_') && labels.length === 4) {
    const svc = state.services.find((s) => s.namespace === ns && s.name === labels[2]);
    return svc ? `${describeService(svc)}, port ${labels[0].slice(1)}/${labels[1].slice(1).toUpperCase()} (spec 2.3.2/2.4.2)` : 'SRV record';
  }
  if (labels.length === 2) {
    const svc = state.services.find((s) => s.namespace === ns && s.name === labels[0]);
    if (!svc) return 'no Service';
    if (svc.headless && (d.type === 'A' || d.type === 'AAAA')) return describeEndpoint(state, svc, d.address, undefined) ?? describeService(svc);
    return describeService(svc);
  }
  if (labels.length === 3) {
    const svc = state.services.find((s) => s.namespace === ns && s.name === labels[1]);
    if (!svc) return 'no Service';
    const address = d.type === 'A' || d.type === 'AAAA' ? d.address : undefined;
    return describeEndpoint(state, svc, address, labels[0]) ?? describeService(svc);
  }
  return 'cluster name';
}
