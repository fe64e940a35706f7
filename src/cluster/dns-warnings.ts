import type { Finding, SourcePosition } from '../manifest/finding.js';
import { newFinding } from '../manifest/finding-codes.js';
import { BUILTIN_FILE } from './builtin-objects.js';
import { toSelectorString } from './labels.js';
import type { ClusterState, Origin } from './types.js';

/** Finds where a field of an object sits in its manifest; undefined when unknown (the object's start is used). */
export type FieldLocator = (kind: string, namespace: string, name: string, path: readonly (string | number)[]) => SourcePosition | undefined;

/**
 * Warnings about what is valid to the API server but visibly wrong in DNS (spec 2.4: pods of a
 * StatefulSet get `<pod>.<service>` names only through a headless Service; a Service's records come
 * from the pods its selector matches). Pure; built-in objects are not judged.
 */
export function computeDnsWarnings(state: ClusterState, locate: FieldLocator = () => undefined): Finding[] {
  const findings: Finding[] = [];
  const at = (origin: Origin, kind: string, namespace: string, name: string, path: readonly (string | number)[], pathText: string) => {
    const p = locate(kind, namespace, name, path);
    return { file: origin.file, line: p?.line ?? origin.line, col: p?.col ?? origin.col, path: pathText };
  };
  // By key: a scan of the Services per StatefulSet is O(sets × services), 10M steps at 100k pods.
  const servicesByKey = new Map<string, ClusterState['services'][number]>();
  for (const x of state.services) if (!servicesByKey.has(`${x.namespace}/${x.name}`)) servicesByKey.set(`${x.namespace}/${x.name}`, x);
  for (const s of state.statefulSets) {
    if (s.origin.file === BUILTIN_FILE || !s.serviceName) continue;
    const svc = servicesByKey.get(`${s.namespace}/${s.serviceName}`);
    const spot = { ...at(s.origin, 'StatefulSet', s.namespace, s.name, ['spec', 'serviceName'], 'spec.serviceName'), value: s.serviceName };
    if (!svc) findings.push(newFinding('DNS_SERVICE_NOT_FOUND', spot, { statefulSet: s.name, service: s.serviceName, namespace: s.namespace }));
    else if (!svc.headless) findings.push(newFinding('DNS_SERVICE_NOT_HEADLESS', spot, { statefulSet: s.name, service: s.serviceName }));
  }
  // Selected pods are exactly the managed slices' endpoints: counting those is O(slices), where
  // matching every Service against every pod would be O(services × pods) on each reload.
  const selectedPods = new Map<string, number>();
  for (const slice of state.endpointSlices) {
    if (!slice.managed) continue;
    const key = `${slice.namespace}/${slice.serviceName}`;
    selectedPods.set(key, (selectedPods.get(key) ?? 0) + slice.endpoints.length);
  }
  for (const svc of state.services) {
    if (svc.origin.file === BUILTIN_FILE || svc.type === 'ExternalName' || !svc.selector || Object.keys(svc.selector).length === 0) continue;
    const selector = svc.selector;
    if ((selectedPods.get(`${svc.namespace}/${svc.name}`) ?? 0) > 0) continue;
    findings.push(newFinding('DNS_SELECTOR_MATCHES_NOTHING', at(svc.origin, 'Service', svc.namespace, svc.name, ['spec', 'selector'], 'spec.selector'), { service: svc.name, selector: toSelectorString(selector), headless: svc.headless }));
  }
  return findings;
}
