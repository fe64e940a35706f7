import type { Finding } from '../manifest/finding.js';
import type { ManifestObject } from '../manifest/manifest-object.js';
import { allocateAddresses, isUsableIPv4Offset, type AllocationRequest } from './cidr-allocator.js';
import { BUILTIN_CLUSTER_IPS } from './builtin-objects.js';
import { buildEndpointSlices } from './endpoint-slices.js';
import { buildManifestEndpointSlices } from './endpoint-slice-manifests.js';
import { toDeployment, toDesiredPod, toDesiredService, toReplicaSet, toStatefulSet, type DesiredPod, type DesiredService } from './from-manifest.js';
import { parseCidr, parseIP, type Cidr } from './ip-address.js';
import { getDeploymentReplicaSetName } from './names.js';
import { newBarePod, newReplicaSetPod, newStatefulSetClaims, newStatefulSetPod, type PodRecord } from './controllers/pod-factory.js';
import type { ClusterState, Deployment, IPFamily, Namespace, Origin, PersistentVolumeClaim, Pod, ReplicaSet, Service, StatefulSet } from './types.js';

export interface ClusterOptions {
  /** Namespace of objects that name none. */
  defaultNamespace: string;
  serviceCidr: string;
  podCidr: string;
  serviceCidrV6: string;
  podCidrV6: string;
  /** Addresses handed out before (from a state file or the previous state), by allocation key. */
  previousAddresses?: ReadonlyMap<string, string>;
  /**
   * For building one namespace alone (the live runtime's incremental reload): addresses other
   * namespaces hold, which this build must not hand out, and whether the whole cluster is dual-stack.
   */
  partial?: { isAddressTaken: (ip: string) => boolean; dualStack: boolean };
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  defaultNamespace: 'default',
  serviceCidr: '10.96.0.0/12',
  podCidr: '10.244.0.0/16',
  serviceCidrV6: 'fd00:10:96::/112',
  podCidrV6: 'fd00:10:244::/56',
};

/** Namespaces every cluster has. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export interface ReconcileResult {
  state: ClusterState;
  /** Warnings about what a real cluster would do differently (IP conflicts, name clashes). */
  findings: Finding[];
  /** Every address handed out, by allocation key (for the state file). */
  addresses: Map<string, string>;
}

/** The decoded manifests: what the user asked for, before any controller acts. */
export interface DesiredCluster {
  services: DesiredService[];
  statefulSets: StatefulSet[];
  deployments: Deployment[];
  /** ReplicaSet manifests and the current ReplicaSet of each Deployment (`<deploy>-<pod-template-hash>`). */
  replicaSets: ReplicaSet[];
  /** Pod manifests. */
  pods: DesiredPod[];
  /** Namespace manifests. */
  declaredNamespaces: string[];
  /** EndpointSlice and Endpoints manifests (selector-less Services' endpoints). */
  endpointManifests: ManifestObject[];
  /** Warnings found while decoding (duplicates). */
  findings: Finding[];
}

/** What the workload controllers produced: pods, claims and the ReplicaSets that exist. */
export interface Workloads {
  pods: readonly PodRecord[];
  claims: readonly PersistentVolumeClaim[];
  replicaSets: readonly ReplicaSet[];
}

/**
 * Builds the whole simulated cluster from manifests: workloads create their pods, IPs are
 * allocated, endpoint slices are derived. Pure and order-independent: the same objects in any
 * order give the same state. This is the state the live controllers (controllers/) settle to
 * with no start-up delay and no overlays.
 */
export function reconcileCluster(manifests: readonly ManifestObject[], options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS): ReconcileResult {
  const desired = buildDesiredCluster(manifests, options);
  return buildClusterState(desired, buildSteadyStateWorkloads(desired), options);
}

/** Decodes manifests into desired objects; duplicates are warned about and dropped. Pure and order-independent. */
export function buildDesiredCluster(manifests: readonly ManifestObject[], options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS): DesiredCluster {
  const ns = options.defaultNamespace;
  const findings: Finding[] = [];
  const sorted = [...manifests].sort((a, b) => compareKeys(`${a.kind}/${a.namespace ?? ns}/${a.name}`, `${b.kind}/${b.namespace ?? ns}/${b.name}`));
  const warn = newWarn(findings);

  const seen = new Map<string, ManifestObject>();
  const unique: ManifestObject[] = [];
  for (const m of sorted) {
    const key = `${m.kind}/${m.kind === 'Namespace' ? '' : (m.namespace ?? ns)}/${m.name}`;
    const first = seen.get(key);
    if (first) {
      warn(m.source, 'OBJECT_DUPLICATE', 'metadata.name', `${m.kind} "${m.name}" is also defined at ${first.source.file}:${first.source.line}; this one is ignored`, 'rename one of them or delete the duplicate (kubectl apply would let the last one overwrite the first)', m.name);
      continue;
    }
    seen.set(key, m);
    unique.push(m);
  }
  const of = (kind: string) => unique.filter((m) => m.kind === kind);

  const services = of('Service').map((m) => toDesiredService(m, ns));
  const statefulSets = of('StatefulSet').map((m) => toStatefulSet(m, ns));
  const deployments = of('Deployment').map((m) => toDeployment(m, ns));
  const replicaSets: ReplicaSet[] = [...of('ReplicaSet').map((m) => toReplicaSet(m, ns)), ...deployments.map((d) => toDeploymentReplicaSet(d, d.templateHash, d.replicas))];
  const pods = of('Pod').map((m) => toDesiredPod(m, ns));
  return { services, statefulSets, deployments, replicaSets, pods, declaredNamespaces: of('Namespace').map((m) => m.name), endpointManifests: [...of('EndpointSlice'), ...of('Endpoints')], findings };
}

/** The key a Service's address of one family is allocated (and kept in the state file) under. */
export function getServiceAllocationKey(svc: { namespace: string; name: string }, family: IPFamily): string {
  return `svc:${svc.namespace}/${svc.name}:${family}`;
}

/** The key a pod's address of one family is allocated under (`addressKey`: see PodRecord). */
export function getPodAllocationKey(addressKey: string, family: IPFamily): string {
  return `pod:${addressKey}:${family}`;
}

/** A DesiredCluster with nothing in it. */
export function newDesiredCluster(): DesiredCluster {
  return { services: [], statefulSets: [], deployments: [], replicaSets: [], pods: [], declaredNamespaces: [], endpointManifests: [], findings: [] };
}

/**
 * buildDesiredCluster of the union of manifest groups that share no object key (one group per
 * namespace), from each group's own result. The endpoint manifests come in the order the whole
 * build gives them (EndpointSlice, then Endpoints, each by namespace and name); the other lists are
 * sorted again wherever their order shows.
 */
export function mergeDesiredClusters(parts: Iterable<DesiredCluster>, defaultNamespace: string): DesiredCluster {
  const merged = newDesiredCluster();
  const append = <T>(to: T[], from: readonly T[]) => {
    for (const x of from) to.push(x);
  };
  for (const p of parts) {
    append(merged.services, p.services);
    append(merged.statefulSets, p.statefulSets);
    append(merged.deployments, p.deployments);
    append(merged.replicaSets, p.replicaSets);
    append(merged.pods, p.pods);
    append(merged.declaredNamespaces, p.declaredNamespaces);
    append(merged.endpointManifests, p.endpointManifests);
    append(merged.findings, p.findings);
  }
  const kindOrder = (kind: string) => (kind === 'EndpointSlice' ? 0 : 1);
  const key = (m: ManifestObject) => `${m.namespace ?? defaultNamespace}/${m.name}`;
  merged.endpointManifests.sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || compareKeys(key(a), key(b)));
  return merged;
}

/** The ReplicaSet a Deployment runs for a template hash, at `replicas`. */
export function toDeploymentReplicaSet(d: Deployment, templateHash: string, replicas: number): ReplicaSet {
  const hashLabel = { 'pod-template-hash': templateHash };
  return {
    namespace: d.namespace,
    name: getDeploymentReplicaSetName(d.name, templateHash),
    labels: { ...d.template.labels, ...hashLabel },
    replicas,
    selector: { ...d.selector, ...hashLabel },
    template: { ...d.template, labels: { ...d.template.labels, ...hashLabel } },
    owner: { kind: 'Deployment' as const, name: d.name },
    origin: d.origin,
  };
}

/** What the controllers converge to: every ReplicaSet pod 0..replicas-1, every StatefulSet ordinal with its claims, every Pod manifest. */
export function buildSteadyStateWorkloads(desired: DesiredCluster): Workloads {
  const pods: PodRecord[] = [];
  for (const rs of desired.replicaSets) for (let i = 0; i < rs.replicas; i++) pods.push(newReplicaSetPod(rs, i));
  const claims: PersistentVolumeClaim[] = [];
  for (const sts of desired.statefulSets) {
    for (let i = 0; i < sts.replicas; i++) {
      pods.push(newStatefulSetPod(sts, sts.ordinalsStart + i));
      claims.push(...newStatefulSetClaims(sts, sts.ordinalsStart + i));
    }
  }
  for (const p of desired.pods) pods.push(newBarePod(p));
  return { pods, claims, replicaSets: desired.replicaSets };
}

/**
 * Allocates addresses (keeping `options.previousAddresses`), builds Services, pods, endpoint slices
 * and namespaces from desired objects and the controllers' workloads. Pure.
 */
export function buildClusterState(desired: DesiredCluster, workloads: Workloads, options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS): ReconcileResult {
  const findings: Finding[] = [...desired.findings];
  const warn = newWarn(findings);
  const desiredServices = desired.services;
  const { statefulSets, deployments } = desired;
  const replicaSets = [...workloads.replicaSets];
  const claims = [...workloads.claims];

  const podByKey = new Map<string, PodRecord>();
  for (const p of workloads.pods) {
    const key = `${p.namespace}/${p.name}`;
    const first = podByKey.get(key);
    if (first) {
      warn(p.origin, 'POD_NAME_CLASH', 'metadata.name', `pod ${key} would also be created by ${first.owner ? `${first.owner.kind} ${first.owner.name}` : 'a Pod manifest'}; only the first is simulated`, 'give the workloads names that do not produce the same pod name');
      continue;
    }
    podByKey.set(key, p);
  }

  // Addresses.
  const serviceCidrs = { IPv4: parseCidr(options.serviceCidr), IPv6: parseCidr(options.serviceCidrV6) };
  const podCidrs = { IPv4: parseCidr(options.podCidr), IPv6: parseCidr(options.podCidrV6) };
  const previous = options.previousAddresses ?? new Map<string, string>();
  const addresses = new Map<string, string>();

  const familiesByService = new Map(desiredServices.map((s) => [s, serviceFamilies(s)]));
  const serviceByKey = (family: IPFamily) => new Map(desiredServices.map((d) => [getServiceAllocationKey(d, family), d]));
  const builtinServiceIPs = new Map([['default/kubernetes', '10.96.0.1'], ['kube-system/kube-dns', '10.96.0.10']]);
  for (const family of ['IPv4', 'IPv6'] as const) {
    const requests: AllocationRequest[] = [];
    for (const s of desiredServices) {
      if (s.headless || !familiesByService.get(s)!.includes(family)) continue;
      const key = getServiceAllocationKey(s, family);
      if (family === 'IPv4' && builtinServiceIPs.get(`${s.namespace}/${s.name}`) === s.requestedClusterIPs[0] && s.origin.file === '<built-in>') {
        addresses.set(key, s.requestedClusterIPs[0]);
        continue;
      }
      const requested = s.requestedClusterIPs.find((ip) => parseIP(ip)?.family === (family === 'IPv4' ? 4 : 6));
      requests.push({ key, requested });
    }
    const cidr = serviceCidrs[family];
    const result = allocateAddresses(requests, cidr, family === 'IPv4' ? BUILTIN_CLUSTER_IPS : new Set(), previous, usableOffsets(cidr), options.partial?.isAddressTaken);
    for (const [k, v] of result.addresses) addresses.set(k, v);
    // Looked up by key: a crowded range can leave thousands of conflicts, and a scan per conflict is quadratic.
    const byKey = result.conflicts.length + result.exhausted.length > 0 ? serviceByKey(family) : new Map<string, DesiredService>();
    for (const c of result.conflicts) {
      const s = byKey.get(c.key)!;
      const what = c.reason === 'outside-range'
        ? { msg: `clusterIP ${c.requested} is outside the service range ${cidr.text}; a real API server rejects it ("provided IP is not in the valid range")`, hint: `use an address inside ${cidr.text}, or remove clusterIP to get one allocated` }
        : c.reason === 'taken'
          ? { msg: `clusterIP ${c.requested} is already allocated to another Service; a real API server rejects this one ("provided IP is already allocated"); simulated with ${c.assigned}`, hint: 'pick a free address or remove clusterIP' }
          : { msg: `clusterIP "${c.requested}" is not an IP address; simulated with ${c.assigned}`, hint: 'write an address such as 10.96.100.10, "None" for a headless Service, or remove the field' };
      warn(s.origin, 'CLUSTER_IP_CONFLICT', 'spec.clusterIP', what.msg, what.hint, c.requested);
    }
    for (const key of result.exhausted) {
      const s = byKey.get(key)!;
      warn(s.origin, 'CLUSTER_IP_EXHAUSTED', 'spec.clusterIP', `no free ${family} address left in ${cidr.text}`, 'use a larger --service-cidr');
    }
  }

  const pods = [...podByKey.values()];
  // A cluster is dual-stack once any Service asks for IPv6; then every pod gets an address of each family, as on a real dual-stack cluster.
  const dualStack = options.partial?.dualStack ?? isDualStack(desiredServices);
  const podFamilyList: readonly IPFamily[] = dualStack ? ['IPv4', 'IPv6'] : ['IPv4'];
  /** Families any pod asked an address of: a pod can only have addresses of these (a single-stack cluster skips 100k IPv6 lookups). */
  // Each pod's allocated addresses, by family, in `pods` order (looked up by the request's own key, not a new string).
  const podAddresses: string[][] = new Array(pods.length);
  const podRequests: { family: IPFamily; keys: (string | undefined)[] }[] = [];
  for (const family of ['IPv4', 'IPv6'] as const) {
    const requests: AllocationRequest[] = [];
    const keys: (string | undefined)[] = [];
    for (const p of pods) {
      const stated = p.requestedIPs.length > 0 ? p.requestedIPs.find((ip) => parseIP(ip)?.family === (family === 'IPv4' ? 4 : 6)) : undefined;
      if (!stated && !podFamilyList.includes(family)) {
        keys.push(undefined);
        continue;
      }
      const key = getPodAllocationKey(p.addressKey, family);
      keys.push(key);
      requests.push({ key, requested: stated });
    }
    if (requests.length > 0) podRequests.push({ family, keys });
    const cidr = podCidrs[family];
    const result = allocateAddresses(requests, cidr, new Set(), previous, usableOffsets(cidr), options.partial?.isAddressTaken);
    for (const [k, v] of result.addresses) addresses.set(k, v);
    if (result.exhausted.length > 0) warnPodsWithoutAddress(warn, pods, result.exhausted, family, cidr);
  }
  for (let i = 0; i < pods.length; i++) {
    // Built at their final length (a pushed-to empty array reserves room for 17 elements, 100k times).
    const ips: string[] = [];
    for (const { keys } of podRequests) {
      const ip = keys[i] === undefined ? undefined : addresses.get(keys[i]!);
      if (ip) ips.push(ip);
    }
    podAddresses[i] = ips.length === 1 ? [ips[0]] : ips.slice();
  }

  const services: Service[] = desiredServices.map((s) => {
    const families = familiesByService.get(s)!;
    const clusterIPs = s.headless ? [] : families.map((f) => addresses.get(getServiceAllocationKey(s, f))).filter((x): x is string => !!x);
    return {
      namespace: s.namespace,
      name: s.name,
      labels: s.labels,
      type: s.type,
      headless: s.headless,
      clusterIPs,
      ipFamilies: s.headless && s.ipFamilies.length === 0 && families.length === 1 ? families : families,
      selector: s.selector,
      ports: s.ports,
      externalName: s.externalName,
      publishNotReadyAddresses: s.publishNotReadyAddresses,
      origin: s.origin,
    };
  });
  const simulatedPods: Pod[] = pods.map((p, i) => ({
    namespace: p.namespace,
    name: p.name,
    labels: p.labels,
    ips: podAddresses[i],
    hostname: p.hostname,
    subdomain: p.subdomain,
    phase: p.phase,
    ready: p.ready,
    terminating: p.terminating,
    owner: p.owner,
    ordinal: p.ordinal,
    claims: p.claims,
    containerPorts: p.containerPorts,
    origin: p.origin,
  }));

  const namespaceNames = new Map<string, boolean>();
  for (const n of SYSTEM_NAMESPACES) namespaceNames.set(n, false);
  for (const name of desired.declaredNamespaces) namespaceNames.set(name, true);
  const manifestSlices = buildManifestEndpointSlices(desired.endpointManifests, options.defaultNamespace, services);
  for (const o of [...services, ...simulatedPods, ...statefulSets, ...replicaSets, ...deployments, ...manifestSlices]) if (!namespaceNames.has(o.namespace)) namespaceNames.set(o.namespace, false);
  const namespaces: Namespace[] = [...namespaceNames].sort(([a], [b]) => compareKeys(a, b)).map(([name, declared]) => ({ name, declared }));

  sortByKey(services);
  sortByKey(simulatedPods);
  const state: ClusterState = {
    namespaces,
    services,
    pods: simulatedPods,
    endpointSlices: [...buildEndpointSlices(services, simulatedPods), ...manifestSlices],
    statefulSets: sortByKey([...statefulSets]) as StatefulSet[],
    replicaSets: sortByKey(replicaSets),
    deployments: sortByKey(deployments),
    persistentVolumeClaims: sortByKey(claims),
  };
  return { state, findings, addresses };
}

/** One POD_IP_EXHAUSTED warning per manifest that made pods left without an address (not one per pod: a full block can leave thousands). */
function warnPodsWithoutAddress(warn: ReturnType<typeof newWarn>, pods: readonly PodRecord[], exhaustedKeys: readonly string[], family: IPFamily, cidr: Cidr): void {
  const exhausted = new Set(exhaustedKeys);
  const byOrigin = new Map<string, { origin: Origin; names: string[] }>();
  for (const p of pods) {
    if (!exhausted.has(getPodAllocationKey(p.addressKey, family))) continue;
    const key = `${p.origin.file}:${p.origin.line}:${p.origin.col}`;
    const group = byOrigin.get(key);
    if (group) group.names.push(p.name);
    else byOrigin.set(key, { origin: p.origin, names: [p.name] });
  }
  for (const { origin, names } of byOrigin.values()) {
    const shown = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
    warn(origin, 'POD_IP_EXHAUSTED', '', `no free ${family} pod address left in ${cidr.text} for ${names.length === 1 ? 'pod' : `${names.length} pods:`} ${shown}`, family === 'IPv4' ? 'use a larger --pod-cidr: the default /16 holds about 64k pods, a /14 about 250k' : 'the IPv6 pod range is fixed (fd00:10:244::/56); run fewer pods');
  }
}

function serviceFamilies(s: DesiredService): IPFamily[] {
  if (s.type === 'ExternalName') return [];
  const stated = s.requestedClusterIPs.map((ip) => (parseIP(ip)?.family === 6 ? 'IPv6' : 'IPv4') as IPFamily);
  const first = s.ipFamilies[0] ?? stated[0] ?? 'IPv4';
  const dual = s.ipFamilyPolicy !== 'SingleStack' || s.ipFamilies.length > 1 || stated.length > 1;
  return dual ? [first, first === 'IPv4' ? 'IPv6' : 'IPv4'] : [first];
}

/** A cluster is dual-stack once any Service asks for IPv6; then every pod gets an address of each family. */
export function isDualStack(services: readonly DesiredService[]): boolean {
  return services.some((s) => serviceFamilies(s).includes('IPv6'));
}

function newWarn(findings: Finding[]) {
  return (origin: Origin, code: string, path: string, message: string, hint: string, value?: unknown): void => {
    findings.push({ code, severity: 'warning', message, file: origin.file, line: origin.line, col: origin.col, path, value, hint });
  };
}

function usableOffsets(cidr: Cidr): (offset: bigint) => boolean {
  return isUsableIPv4Offset(cidr);
}

/** Sorts `list` in place by `namespace/name` (stably, as before), building each key once rather than per comparison. */
function sortByKey<T extends { namespace: string; name: string }>(list: T[]): T[] {
  const keyed = list.map((o) => ({ o, key: `${o.namespace}/${o.name}` }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  for (let i = 0; i < keyed.length; i++) list[i] = keyed[i].o;
  return list;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
