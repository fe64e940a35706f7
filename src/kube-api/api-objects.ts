import { createHash } from 'node:crypto';
import type { ClusterObjectSource } from '../runtime/live-cluster-runtime.js';
import type { ClusterState, EndpointSlice, PersistentVolumeClaim, Pod, ReplicaSet, Service } from '../cluster/types.js';
import type { ResourceName } from './api-resources.js';
import { addPodSpecDefaults } from '../cluster/pod-spec-defaults.js';
import { findNamespaceRun } from '../cluster/namespace-state.js';

/**
 * Objects as the Kubernetes API server returns them: what the user wrote (the manifest body, from
 * a file or an API write) with the fields the server fills in — uid, creationTimestamp, the
 * defaulted spec fields, status from the simulation — and, for objects controllers make (pods of
 * workloads, Deployments' ReplicaSets, endpoint slices, claims), what those controllers would
 * write. resourceVersion and generation are the object store's (object-store.ts). Pure.
 */

export type ApiObject = { apiVersion: string; kind: string; metadata: ApiMetadata; [k: string]: unknown };
export type ApiMetadata = { name: string; namespace?: string; uid: string; creationTimestamp: string; [k: string]: unknown };
type Obj = Record<string, unknown>;

/** The node every simulated pod runs on (`-o wide`'s NODE). */
export const SIMULATED_NODE = 'kube-dns-sim';

/** What the builders read: the simulated state and where its objects came from. */
export type ApiObjectSource = ClusterObjectSource;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const clone = <T>(v: T): T => structuredClone(v);

/** RFC 3339 seconds, as the API prints timestamps. */
export function toTimestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second === lastSecond) return lastText;
  lastSecond = second;
  lastText = new Date(second * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  return lastText;
}
// Objects made together share their timestamps: the last conversion is kept.
let lastSecond = NaN;
let lastText = '';

/** A deterministic uid (RFC 4122 layout) for one incarnation of an object: same key and creation, same uid. */
export function computeUid(key: string, created: number | string): string {
  const h = createHash('sha256').update(`${key}@${created}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Metadata fields only the server sets: dropped from what a user wrote. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** The annotation that says how an object differs from the manifest files (scaled, written through the API...). */
export const OVERLAY_ANNOTATION = 'kube-dns-sim/overlay';

function toMetadata(src: ApiObjectSource, kind: string, namespace: string | undefined, name: string, created: number, written: Obj | undefined, extra: Obj = {}): ApiMetadata {
  const meta: Obj = written ? clone(obj(written.metadata)) : {};
  for (const k of SERVER_METADATA) delete meta[k];
  const note = src.overlayNotes.get(`${kind.toLowerCase()}/${namespace ?? ''}/${name}`);
  if (note) meta.annotations = { ...obj(meta.annotations), [OVERLAY_ANNOTATION]: note };
  return {
    ...meta,
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    uid: computeUid(`${kind}/${namespace ?? ''}/${name}`, created),
    creationTimestamp: toTimestamp(created),
    ...extra,
  } as ApiMetadata;
}

function writtenBody(src: ApiObjectSource, kind: string, namespace: string, name: string): Obj | undefined {
  const m = src.manifests.get(`${kind}/${kind === 'Namespace' ? '' : namespace}/${name}`);
  return m ? m.body : undefined;
}

const createdOf = (src: ApiObjectSource, key: string) => src.createdAt.get(key) ?? src.startedAt;

const defaultPodSpec = addPodSpecDefaults;

const PROBE_CONTAINER = [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }];

/** The controller owner reference of a controller-made object. */
function ownerReference(src: ApiObjectSource, namespace: string, kind: string, name: string): Obj {
  const key = `${kind.toLowerCase()}/${namespace}/${name}`;
  return { apiVersion: 'apps/v1', kind, name, uid: computeUid(`${kind}/${namespace}/${name}`, createdOf(src, key)), controller: true, blockOwnerDeletion: true };
}

/** A pod: its manifest (bare pods) or its workload's template, the simulated status. */
export function toApiPod(src: ApiObjectSource, p: Pod): ApiObject {
  const live = src.getLivePod(p.namespace, p.name);
  const created = live?.createdAt ?? src.startedAt;
  const written = p.owner ? undefined : writtenBody(src, 'Pod', p.namespace, p.name);
  const source = getPodSpecSource(src, p);
  const templateSpec = written ? obj(written.spec) : source ? obj(obj(obj(source.spec).template).spec) : undefined;
  const spec: Obj = defaultPodSpec({ ...(templateSpec ? clone(templateSpec) : { containers: PROBE_CONTAINER }) });
  if (p.hostname) spec.hostname = p.hostname;
  if (p.subdomain) spec.subdomain = p.subdomain;
  spec.nodeName = SIMULATED_NODE;
  if (p.claims.length && p.owner?.kind === 'StatefulSet') {
    const vols = (Array.isArray(spec.volumes) ? spec.volumes : []).filter((v) => !p.claims.some((c) => c.startsWith(`${obj(v).name}-`)));
    spec.volumes = [...p.claims.map((c) => ({ name: c.slice(0, c.length - `-${p.owner!.name}-${p.ordinal}`.length), persistentVolumeClaim: { claimName: c } })), ...vols];
  }
  const key = live?.addressKey ?? `${p.namespace}/${p.name}`;
  const containers = (Array.isArray(spec.containers) ? spec.containers : []).map(obj);
  const started = toTimestamp(live?.readyAt ?? created);
  const running = p.phase === 'Running' && !p.terminating;
  const cond = (type: string, status: boolean, at: string) => ({ type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at });
  const status: Obj = {
    phase: p.phase,
    conditions: [
      cond('PodReadyToStartContainers', running, started),
      cond('Initialized', true, toTimestamp(created)),
      cond('Ready', p.ready, started),
      cond('ContainersReady', p.ready, started),
      cond('PodScheduled', true, toTimestamp(created)),
    ],
    hostIP: '172.18.0.2',
    hostIPs: [{ ip: '172.18.0.2' }],
    ...(p.ips.length ? { podIP: p.ips[0], podIPs: p.ips.map((ip) => ({ ip })) } : {}),
    startTime: toTimestamp(created),
    containerStatuses: containers.map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: p.ready,
      restartCount: 0,
      started: running,
      state: running ? { running: { startedAt: started } } : { waiting: { reason: 'ContainerCreating' } },
    })),
    qosClass: 'BestEffort',
  };
  const labels = { ...p.labels };
  const extra: Obj = { labels, ...(p.owner ? { ownerReferences: [ownerReference(src, p.namespace, p.owner.kind, p.owner.name)] } : {}) };
  if (p.owner?.kind === 'ReplicaSet') extra.generateName = `${p.owner.name}-`;
  if (p.owner?.kind === 'StatefulSet') extra.generateName = `${p.owner.name}-`;
  if (p.terminating) {
    extra.deletionTimestamp = toTimestamp(live?.goneAt ?? created);
    extra.deletionGracePeriodSeconds = 30;
  }
  const metadata = toMetadata(src, 'Pod', p.namespace, p.name, created, written, extra);
  metadata.uid = computeUid(`Pod/${key}`, created);
  if (Object.keys(labels).length === 0) delete metadata.labels;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status };
}

/** A Service with the fields the API server defaults and allocates. */
export function toApiService(src: ApiObjectSource, s: Service): ApiObject {
  const written = writtenBody(src, 'Service', s.namespace, s.name);
  const spec: Obj = written ? clone(obj(written.spec)) : {};
  spec.type = s.type;
  spec.ports = s.ports.length || Array.isArray(spec.ports)
    ? (Array.isArray(spec.ports) ? spec.ports : s.ports).map((p) => {
        const po = obj(p);
        return { ...po, protocol: po.protocol ?? 'TCP', ...(s.type !== 'ExternalName' ? { targetPort: po.targetPort ?? po.port } : {}) };
      })
    : undefined;
  if (spec.ports === undefined) delete spec.ports;
  if (s.type !== 'ExternalName') {
    spec.clusterIP = s.headless ? 'None' : (s.clusterIPs[0] ?? '');
    spec.clusterIPs = s.headless ? ['None'] : [...s.clusterIPs];
    spec.ipFamilies = [...s.ipFamilies];
    spec.ipFamilyPolicy ??= s.ipFamilies.length > 1 ? 'RequireDualStack' : 'SingleStack';
    spec.sessionAffinity ??= 'None';
    spec.internalTrafficPolicy ??= 'Cluster';
    if (s.type === 'NodePort' || s.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  } else spec.sessionAffinity ??= 'None';
  const created = createdOf(src, `service/${s.namespace}/${s.name}`);
  return { apiVersion: 'v1', kind: 'Service', metadata: toMetadata(src, 'Service', s.namespace, s.name, created, written, s.labels && Object.keys(s.labels).length ? { labels: { ...s.labels } } : {}), spec, status: { loadBalancer: {} } };
}

/** An EndpointSlice as the endpoint-slice controller writes it (or as a manifest wrote it). */
export function toApiEndpointSlice(src: ApiObjectSource, e: EndpointSlice): ApiObject {
  const written = e.managed ? undefined : writtenBody(src, 'EndpointSlice', e.namespace, e.name);
  const created = createdOf(src, `endpointslice/${e.namespace}/${e.name}`);
  const labels = { ...obj(obj(written?.metadata).labels), 'kubernetes.io/service-name': e.serviceName, ...(e.managed ? { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } : {}) };
  const extra: Obj = { labels };
  if (e.managed) {
    extra.generateName = `${e.serviceName}-`;
    extra.ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: e.serviceName, uid: computeUid(`Service/${e.namespace}/${e.serviceName}`, createdOf(src, `service/${e.namespace}/${e.serviceName}`)), controller: true, blockOwnerDeletion: true }];
  }
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: toMetadata(src, 'EndpointSlice', e.namespace, e.name, created, written, extra),
    addressType: e.addressType,
    endpoints: e.endpoints.map((ep) => ({
      addresses: [...ep.addresses],
      conditions: { ready: ep.ready, serving: ep.serving, terminating: ep.terminating },
      ...(ep.hostname ? { hostname: ep.hostname } : {}),
      ...(ep.targetRef ? { targetRef: { ...ep.targetRef } } : {}),
      ...(e.managed ? { nodeName: SIMULATED_NODE } : {}),
    })),
    ports: e.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
  };
}

/** v1 Endpoints of a Service, from its endpoint slices (as the endpoints controller mirrors them). */
export function toApiEndpoints(src: ApiObjectSource, svc: Service, slices: readonly EndpointSlice[]): ApiObject {
  const written = writtenBody(src, 'Endpoints', svc.namespace, svc.name);
  const created = createdOf(src, `service/${svc.namespace}/${svc.name}`);
  const metadata = toMetadata(src, 'Endpoints', svc.namespace, svc.name, created, written, { labels: { ...svc.labels, ...(svc.headless ? { 'service.kubernetes.io/headless': '' } : {}) } });
  if (Object.keys(metadata.labels as Obj).length === 0) delete metadata.labels;
  if (written) return { ...clone(written), apiVersion: 'v1', kind: 'Endpoints', metadata };
  const bySubset = new Map<string, { addresses: Obj[]; notReadyAddresses: Obj[]; ports: Obj[] }>();
  for (const s of slices) {
    if (s.addressType === 'FQDN') continue;
    const ports = s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol }));
    const key = JSON.stringify(ports);
    let sub = bySubset.get(key);
    if (!sub) bySubset.set(key, (sub = { addresses: [], notReadyAddresses: [], ports }));
    for (const ep of s.endpoints) {
      if (ep.terminating && !svc.publishNotReadyAddresses) continue;
      for (const ip of ep.addresses) {
        const a = { ip, ...(ep.hostname ? { hostname: ep.hostname } : {}), nodeName: SIMULATED_NODE, ...(ep.targetRef ? { targetRef: { ...ep.targetRef } } : {}) };
        (ep.ready || svc.publishNotReadyAddresses ? sub.addresses : sub.notReadyAddresses).push(a);
      }
    }
  }
  const subsets = [...bySubset.values()]
    .filter((s) => s.addresses.length + s.notReadyAddresses.length > 0)
    .map((s) => ({ ...(s.addresses.length ? { addresses: s.addresses } : {}), ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses } : {}), ports: s.ports }));
  return { apiVersion: 'v1', kind: 'Endpoints', metadata, ...(subsets.length ? { subsets } : {}) };
}

/** Ready and current counts of a namespace's workloads' pods, per pods list (a state's lists are never changed). */
const ownerCounts = new WeakMap<readonly Pod[], Map<string, Map<string, { replicas: number; ready: number }>>>();

/**
 * Current (not terminating) and ready pods per owner `Kind/ns/name` of one namespace, counted once
 * per state and namespace: a scale recounts its namespace's 1000 pods, not the cluster's 100k.
 */
function getOwnerCounts(state: ClusterState, namespace: string): Map<string, { replicas: number; ready: number }> {
  let byNamespace = ownerCounts.get(state.pods);
  if (!byNamespace) ownerCounts.set(state.pods, (byNamespace = new Map()));
  let counts = byNamespace.get(namespace);
  if (counts) return counts;
  counts = new Map();
  const [start, end] = findNamespaceRun(state.pods, namespace);
  for (let i = start; i < end; i++) {
    const p = state.pods[i];
    if (!p.owner || p.terminating) continue;
    const key = `${p.owner.kind}/${p.namespace}/${p.owner.name}`;
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { replicas: 0, ready: 0 }));
    c.replicas++;
    if (p.ready) c.ready++;
  }
  byNamespace.set(namespace, counts);
  return counts;
}

function podCounts(state: ClusterState, namespace: string, kind: string, names: readonly string[]) {
  const counts = getOwnerCounts(state, namespace);
  let replicas = 0;
  let ready = 0;
  for (const n of names) {
    const c = counts.get(`${kind}/${namespace}/${n}`);
    replicas += c?.replicas ?? 0;
    ready += c?.ready ?? 0;
  }
  return { replicas, ready };
}

function workloadSpec(written: Obj | undefined, replicas: number): Obj {
  const spec = written ? clone(obj(written.spec)) : {};
  spec.replicas = replicas;
  const template = obj(spec.template);
  if (isObj(spec.template)) spec.template = { ...template, metadata: { ...obj(template.metadata) }, spec: defaultPodSpec(obj(template.spec)) };
  return spec;
}

/** A StatefulSet with its defaults and status. */
export function toApiStatefulSet(src: ApiObjectSource, s: ClusterState['statefulSets'][number]): ApiObject {
  const written = writtenBody(src, 'StatefulSet', s.namespace, s.name);
  const spec = workloadSpec(written, s.replicas);
  spec.podManagementPolicy = s.podManagementPolicy;
  spec.updateStrategy ??= s.updateStrategy === 'RollingUpdate' ? { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } : { type: 'OnDelete' };
  spec.revisionHistoryLimit ??= 10;
  spec.persistentVolumeClaimRetentionPolicy ??= { ...s.claimRetention };
  const { replicas, ready } = podCounts(src.state, s.namespace, 'StatefulSet', [s.name]);
  const revision = `${s.name}-${s.revision}`;
  const created = createdOf(src, `statefulset/${s.namespace}/${s.name}`);
  const status = { observedGeneration: 1, replicas, readyReplicas: ready, currentReplicas: replicas, updatedReplicas: replicas, availableReplicas: ready, currentRevision: revision, updateRevision: revision, collisionCount: 0 };
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: toMetadata(src, 'StatefulSet', s.namespace, s.name, created, written), spec, status };
}

/** A ReplicaSet: a manifest's, or a Deployment's current one (`<deploy>-<pod-template-hash>`). */
export function toApiReplicaSet(src: ApiObjectSource, rs: ReplicaSet): ApiObject {
  const owned = rs.owner !== undefined;
  const written = owned ? undefined : writtenBody(src, 'ReplicaSet', rs.namespace, rs.name);
  const deployment = owned ? writtenBody(src, 'Deployment', rs.namespace, rs.owner!.name) : undefined;
  const spec = workloadSpec(written ?? (deployment ? { spec: { template: clone(obj(obj(deployment.spec).template)) } } : undefined), rs.replicas);
  const hash = owned ? rs.name.slice(rs.owner!.name.length + 1) : undefined;
  spec.selector = written ? obj(obj(written.spec).selector) : { matchLabels: { ...rs.selector } };
  if (hash) {
    const t = obj(spec.template);
    spec.template = { ...t, metadata: { ...obj(t.metadata), labels: { ...obj(obj(t.metadata).labels), 'pod-template-hash': hash } } };
  }
  const { replicas, ready } = podCounts(src.state, rs.namespace, 'ReplicaSet', [rs.name]);
  const created = createdOf(src, `replicaset/${rs.namespace}/${rs.name}`);
  const extra: Obj = owned ? { labels: { ...rs.template.labels, 'pod-template-hash': hash }, ownerReferences: [ownerReference(src, rs.namespace, 'Deployment', rs.owner!.name)] } : {};
  const status = { replicas, fullyLabeledReplicas: replicas, readyReplicas: ready, availableReplicas: ready, observedGeneration: 1 };
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: toMetadata(src, 'ReplicaSet', rs.namespace, rs.name, created, written, extra), spec, status };
}

/** A Deployment with its defaults and the status of its ReplicaSets' pods. */
export function toApiDeployment(src: ApiObjectSource, d: ClusterState['deployments'][number]): ApiObject {
  const written = writtenBody(src, 'Deployment', d.namespace, d.name);
  const spec = workloadSpec(written, d.replicas);
  spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: d.maxUnavailable, maxSurge: d.maxSurge } };
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  const sets = src.state.replicaSets.filter((r) => r.namespace === d.namespace && r.owner?.kind === 'Deployment' && r.owner.name === d.name);
  const all = podCounts(src.state, d.namespace, 'ReplicaSet', sets.map((r) => r.name));
  const current = podCounts(src.state, d.namespace, 'ReplicaSet', [`${d.name}-${d.templateHash}`]);
  const created = createdOf(src, `deployment/${d.namespace}/${d.name}`);
  const status = { observedGeneration: 1, replicas: all.replicas, updatedReplicas: current.replicas, readyReplicas: all.ready, availableReplicas: all.ready, ...(all.replicas - all.ready > 0 ? { unavailableReplicas: all.replicas - all.ready } : {}) };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: toMetadata(src, 'Deployment', d.namespace, d.name, created, written), spec, status };
}

/** A claim as the StatefulSet controller creates it, bound to a simulated volume. */
export function toApiClaim(src: ApiObjectSource, c: PersistentVolumeClaim): ApiObject {
  const created = createdOf(src, `persistentvolumeclaim/${c.namespace}/${c.name}`);
  const spec: Obj = { accessModes: [...c.accessModes], resources: { requests: { storage: c.storage } }, ...(c.storageClassName ? { storageClassName: c.storageClassName } : {}), volumeMode: 'Filesystem', volumeName: c.volumeName };
  const labels = { 'app.kubernetes.io/managed-by': 'statefulset', 'statefulset.kubernetes.io/owner': c.owner.statefulSet };
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: toMetadata(src, 'PersistentVolumeClaim', c.namespace, c.name, created, undefined, { labels, finalizers: ['kubernetes.io/pvc-protection'] }), spec, status: { phase: c.phase, accessModes: [...c.accessModes], capacity: { storage: c.storage } } };
}

/** A Namespace, Active. */
export function toApiNamespace(src: ApiObjectSource, name: string): ApiObject {
  const written = writtenBody(src, 'Namespace', '', name);
  const created = createdOf(src, `namespace//${name}`);
  const metadata = toMetadata(src, 'Namespace', undefined, name, created, written);
  metadata.labels = { ...obj(metadata.labels), 'kubernetes.io/metadata.name': name };
  return { apiVersion: 'v1', kind: 'Namespace', metadata, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

/**
 * How to build one object, and what it is built from: while every one of `deps` is the same
 * (identical objects, equal strings and numbers), the object is the same, so a store need not
 * build it again to find out.
 */
export interface ObjectBuilder {
  deps: readonly unknown[];
  build: () => ApiObject;
}

/** The manifest a pod's spec comes from: its own (bare pods), else its workload's. */
function getPodSpecSource(src: ApiObjectSource, p: Pod): Obj | undefined {
  if (!p.owner) return writtenBody(src, 'Pod', p.namespace, p.name);
  if (p.owner.kind === 'ReplicaSet') {
    const rs = src.state.replicaSets.find((r) => r.namespace === p.namespace && r.name === p.owner!.name);
    return rs?.owner ? writtenBody(src, 'Deployment', p.namespace, rs.owner.name) : writtenBody(src, 'ReplicaSet', p.namespace, p.owner.name);
  }
  return writtenBody(src, p.owner.kind, p.namespace, p.owner.name);
}

/**
 * Every object of one resource (optionally of one namespace) as a builder, keyed `ns/name`
 * (cluster-scoped: `name`): callers build only the objects they need (a page, one object, the
 * changed ones).
 */
export function listApiObjectBuilders(src: ApiObjectSource, resource: ResourceName, namespace?: string): Map<string, ObjectBuilder> {
  const out = new Map<string, ObjectBuilder>();
  const st = src.state;
  const inNs = (o: { namespace: string }) => namespace === undefined || o.namespace === namespace;
  const note = (kind: string, ns: string, name: string) => src.overlayNotes.get(`${kind}/${ns}/${name}`);
  const put = (ns: string | undefined, name: string, deps: unknown[], build: () => ApiObject) => out.set(ns === undefined ? name : `${ns}/${name}`, { deps, build });
  switch (resource) {
    case 'namespaces':
      for (const n of st.namespaces) if (namespace === undefined || n.name === namespace) put(undefined, n.name, [writtenBody(src, 'Namespace', '', n.name), createdOf(src, `namespace//${n.name}`), note('namespace', '', n.name)], () => toApiNamespace(src, n.name));
      break;
    case 'pods':
      for (const p of st.pods) {
        if (!inNs(p)) continue;
        const owner = p.owner ? createdOf(src, `${p.owner.kind.toLowerCase()}/${p.namespace}/${p.owner.name}`) : undefined;
        // Live pods are copied on every settle: their fields the pod object reads, not their identity.
        const live = src.getLivePod(p.namespace, p.name);
        put(p.namespace, p.name, [p, live?.createdAt, live?.readyAt, live?.goneAt, live?.addressKey, getPodSpecSource(src, p), owner, note('pod', p.namespace, p.name)], () => toApiPod(src, p));
      }
      break;
    case 'services':
      for (const s of st.services) if (inNs(s)) put(s.namespace, s.name, [s, writtenBody(src, 'Service', s.namespace, s.name), createdOf(src, `service/${s.namespace}/${s.name}`), note('service', s.namespace, s.name)], () => toApiService(src, s));
      break;
    case 'endpoints': {
      const slices = new Map<string, EndpointSlice[]>();
      for (const e of st.endpointSlices) if (inNs(e)) slices.set(`${e.namespace}/${e.serviceName}`, [...(slices.get(`${e.namespace}/${e.serviceName}`) ?? []), e]);
      for (const s of st.services) {
        const key = `${s.namespace}/${s.name}`;
        if (!inNs(s) || s.type === 'ExternalName' || !(s.selector !== undefined || src.manifests.has(`Endpoints/${key}`) || slices.has(key))) continue;
        const own = slices.get(key) ?? [];
        put(s.namespace, s.name, [s, writtenBody(src, 'Endpoints', s.namespace, s.name), createdOf(src, `service/${key}`), ...own], () => toApiEndpoints(src, s, own));
      }
      break;
    }
    case 'endpointslices':
      for (const e of st.endpointSlices) if (inNs(e)) put(e.namespace, e.name, [e, e.managed ? undefined : writtenBody(src, 'EndpointSlice', e.namespace, e.name), createdOf(src, `endpointslice/${e.namespace}/${e.name}`), createdOf(src, `service/${e.namespace}/${e.serviceName}`)], () => toApiEndpointSlice(src, e));
      break;
    case 'statefulsets':
      for (const s of st.statefulSets) {
        if (!inNs(s)) continue;
        const c = podCounts(st, s.namespace, 'StatefulSet', [s.name]);
        put(s.namespace, s.name, [s, writtenBody(src, 'StatefulSet', s.namespace, s.name), createdOf(src, `statefulset/${s.namespace}/${s.name}`), note('statefulset', s.namespace, s.name), c.replicas, c.ready], () => toApiStatefulSet(src, s));
      }
      break;
    case 'replicasets':
      for (const r of st.replicaSets) {
        if (!inNs(r)) continue;
        const c = podCounts(st, r.namespace, 'ReplicaSet', [r.name]);
        const body = r.owner ? writtenBody(src, 'Deployment', r.namespace, r.owner.name) : writtenBody(src, 'ReplicaSet', r.namespace, r.name);
        const ownerCreated = r.owner ? createdOf(src, `deployment/${r.namespace}/${r.owner.name}`) : undefined;
        put(r.namespace, r.name, [r, body, ownerCreated, createdOf(src, `replicaset/${r.namespace}/${r.name}`), note('replicaset', r.namespace, r.name), c.replicas, c.ready], () => toApiReplicaSet(src, r));
      }
      break;
    case 'deployments':
      for (const d of st.deployments) {
        if (!inNs(d)) continue;
        const sets = st.replicaSets.filter((r) => r.namespace === d.namespace && r.owner?.kind === 'Deployment' && r.owner.name === d.name);
        const all = podCounts(st, d.namespace, 'ReplicaSet', sets.map((r) => r.name));
        const current = podCounts(st, d.namespace, 'ReplicaSet', [`${d.name}-${d.templateHash}`]);
        put(d.namespace, d.name, [d, writtenBody(src, 'Deployment', d.namespace, d.name), createdOf(src, `deployment/${d.namespace}/${d.name}`), note('deployment', d.namespace, d.name), all.replicas, all.ready, current.replicas], () => toApiDeployment(src, d));
      }
      break;
    case 'persistentvolumeclaims':
      for (const c of st.persistentVolumeClaims) if (inNs(c)) put(c.namespace, c.name, [c, createdOf(src, `persistentvolumeclaim/${c.namespace}/${c.name}`)], () => toApiClaim(src, c));
      break;
  }
  return out;
}
