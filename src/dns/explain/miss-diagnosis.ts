import { distance } from 'fastest-levenshtein';
import type { ClusterState } from '../../cluster/types.js';
import type { RecordIndex } from '../records/record-index.js';
import { listNamesWithRecords } from '../records/derived-names.js';

/**
 * Existing cluster names closest to what was asked, shortest edit distance first (at most `limit`,
 * each within a third of the asked name's length, at least 2 edits). Names under the asking
 * namespace's search domain are also shown relative to it (`myweb-svc-headless`).
 */
export function findClosestNames(index: RecordIndex, candidates: readonly string[], asked: string, askingNamespace: string, limit = 3): { name: string; relative: string | undefined }[] {
  const zone = index.config.clusterDomain;
  const own = `.${askingNamespace}.svc.${zone}`;
  const scored: { name: string; d: number }[] = [];
  for (const name of listNamesWithRecords(index.names, zone)) {
    if (name.startsWith('_') || name === zone) continue;
    let best = Infinity;
    for (const c of candidates) best = Math.min(best, distance(c, name));
    if (best <= Math.max(2, Math.floor(asked.replace(/\.$/, '').length / 3))) scored.push({ name, d: best });
  }
  scored.sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map(({ name }) => ({ name, relative: name.endsWith(own) ? name.slice(0, -own.length) : undefined }));
}

/**
 * Likely reasons a name did not resolve for a pod of `namespace`, from the cluster objects:
 * the object lives in another namespace, the pod is not ready, its StatefulSet has no
 * `serviceName`, there is no (headless) Service of that name. Empty when nothing explains it.
 * `labels` are the asked name's labels relative to the cluster (`[host, svc]`, `[svc, ns]`, …).
 */
export function diagnoseMiss(state: ClusterState, namespace: string, labels: readonly string[]): string[] {
  const causes: string[] = [];
  const namespaces = new Set(state.namespaces.map((n) => n.name));
  const askedNs = labels.length >= 2 && namespaces.has(labels[labels.length - 1]) ? labels[labels.length - 1] : undefined;
  // A Service name: `svc` (in the pod's namespace) or `svc.ns`.
  if (labels.length === 1 || (labels.length === 2 && askedNs)) {
    const name = labels[0];
    const ns = labels.length === 2 ? askedNs! : namespace;
    const elsewhere = state.services.filter((s) => s.name === name && s.namespace !== ns);
    if (elsewhere.length > 0 && !state.services.some((s) => s.name === name && s.namespace === ns)) {
      causes.push(`wrong namespace: Service ${name} exists in ${elsewhere.map((s) => s.namespace).join(', ')}, not in ${ns}; ask for ${name}.${elsewhere[0].namespace}`);
    }
  }
  // A pod under a headless Service: `host.svc` or `host.svc.ns`.
  if (labels.length === 2 || labels.length === 3) {
    const [host, svcName] = labels;
    const ns = labels.length === 3 ? labels[2] : namespace;
    const pods = state.pods.filter((p) => p.namespace === ns && (p.hostname === host || p.name === host));
    const svc = state.services.find((s) => s.namespace === ns && s.name === svcName);
    for (const pod of pods) {
      const sts = pod.owner?.kind === 'StatefulSet' ? state.statefulSets.find((s) => s.namespace === ns && s.name === pod.owner!.name) : undefined;
      if (sts && !sts.serviceName) causes.push(`StatefulSet ${sts.name} has no spec.serviceName: its pods (${pod.name}) get no per-pod DNS names; set serviceName: ${svcName}`);
      else if (pod.subdomain && pod.subdomain !== svcName) causes.push(`Pod ${pod.name} is under ${pod.subdomain} (its ${sts ? 'StatefulSet serviceName' : 'spec.subdomain'}), not ${svcName}: ask for ${host}.${pod.subdomain}`);
      else if (pod.subdomain === svcName && !svc) causes.push(`no headless Service: Pod ${pod.name} sets subdomain ${svcName} but no Service ${ns}/${svcName} exists; create one with clusterIP: None`);
      else if (svc && !svc.headless) causes.push(`Service ${ns}/${svcName} is not headless: per-pod names need clusterIP: None`);
      else if (svc && (!pod.ready || pod.terminating) && !svc.publishNotReadyAddresses) causes.push(`Pod ${pod.name} is not ready (phase ${pod.phase}${pod.terminating ? ', terminating' : ''}): not-ready endpoints get no records unless the Service sets publishNotReadyAddresses`);
    }
    if (pods.length === 0) {
      const elsewhere = state.pods.filter((p) => p.namespace !== ns && (p.hostname === host || p.name === host) && p.subdomain === svcName);
      if (elsewhere.length > 0) causes.push(`wrong namespace: Pod ${host} under ${svcName} runs in ${elsewhere[0].namespace}, not ${ns}; ask for ${host}.${svcName}.${elsewhere[0].namespace}`);
    }
  }
  return [...new Set(causes)];
}
