import type { LivePod } from '../cluster/controllers/live-cluster.js';
import type { ClusterState, EndpointSlice, PersistentVolumeClaim, Pod, Service, StatefulSet } from '../cluster/types.js';

/**
 * Cluster objects in the shapes the Kubernetes API returns (and `kubectl get -o json` prints),
 * keeping only fields the simulation knows. Pure.
 */
export type KubeObject = { apiVersion: string; kind: string; metadata: Record<string, unknown>; [k: string]: unknown };

/** Annotation carrying how an object differs from the manifest files. */
export const OVERLAY_ANNOTATION = 'kube-dns-sim/overlay';

export function toKubeList(items: KubeObject[]): { apiVersion: 'v1'; kind: 'List'; metadata: { resourceVersion: '' }; items: KubeObject[] } {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}

/** RFC 3339 seconds, as the API prints timestamps. */
export function toTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function toMetadata(o: { namespace: string; name: string; labels?: Readonly<Record<string, string>> }, note: string | undefined, extra: Record<string, unknown> = {}, created?: number): Record<string, unknown> {
  return {
    name: o.name,
    namespace: o.namespace,
    ...(created !== undefined ? { creationTimestamp: toTimestamp(created) } : {}),
    ...(o.labels && Object.keys(o.labels).length ? { labels: { ...o.labels } } : {}),
    ...(note ? { annotations: { [OVERLAY_ANNOTATION]: note } } : {}),
    ...extra,
  };
}

export function toPodObject(p: Pod, live: LivePod | undefined, note: string | undefined): KubeObject {
  const owner = p.owner ? [{ apiVersion: 'apps/v1', kind: p.owner.kind, name: p.owner.name, controller: true, blockOwnerDeletion: true }] : undefined;
  const created = live ? toTimestamp(live.createdAt) : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: toMetadata(p, note, {
      ...(created ? { creationTimestamp: created } : {}),
      ...(owner ? { ownerReferences: owner } : {}),
      ...(p.terminating && live?.goneAt !== undefined ? { deletionTimestamp: toTimestamp(live.goneAt) } : {}),
    }),
    spec: {
      ...(p.hostname ? { hostname: p.hostname } : {}),
      ...(p.subdomain ? { subdomain: p.subdomain } : {}),
      containers: [{ name: 'main', ports: p.containerPorts.map((c) => ({ ...(c.name ? { name: c.name } : {}), containerPort: c.containerPort, protocol: c.protocol })) }],
      ...(p.claims.length ? { volumes: p.claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) } : {}),
    },
    status: {
      phase: p.phase,
      ...(p.ips.length ? { podIP: p.ips[0], podIPs: p.ips.map((ip) => ({ ip })) } : {}),
      conditions: [
        { type: 'Ready', status: p.ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: p.ready ? 'True' : 'False' },
      ],
    },
  };
}

export function toServiceObject(s: Service, note: string | undefined, created?: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: toMetadata(s, note, {}, created),
    spec: {
      type: s.type,
      ...(s.type === 'ExternalName' ? { externalName: s.externalName } : { clusterIP: s.headless ? 'None' : (s.clusterIPs[0] ?? ''), clusterIPs: s.headless ? ['None'] : [...s.clusterIPs], ipFamilies: [...s.ipFamilies] }),
      ...(s.selector ? { selector: { ...s.selector } } : {}),
      ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, targetPort: p.targetPort })),
      ...(s.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
    },
    status: { loadBalancer: {} },
  };
}

export function toEndpointSliceObject(e: EndpointSlice, created?: number): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: toMetadata({ namespace: e.namespace, name: e.name }, undefined, {
      labels: { 'kubernetes.io/service-name': e.serviceName, ...(e.managed ? { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } : {}) },
    }, created),
    addressType: e.addressType,
    endpoints: e.endpoints.map((ep) => ({
      addresses: [...ep.addresses],
      conditions: { ready: ep.ready, serving: ep.serving, terminating: ep.terminating },
      ...(ep.hostname ? { hostname: ep.hostname } : {}),
      ...(ep.targetRef ? { targetRef: { ...ep.targetRef } } : {}),
    })),
    ports: e.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
  };
}

export function toStatefulSetObject(s: StatefulSet, state: ClusterState, note: string | undefined, created?: number): KubeObject {
  const pods = state.pods.filter((p) => p.namespace === s.namespace && p.owner?.kind === 'StatefulSet' && p.owner.name === s.name && !p.terminating);
  const ready = pods.filter((p) => p.ready).length;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: toMetadata(s, note, {}, created),
    spec: {
      replicas: s.replicas,
      ...(s.serviceName ? { serviceName: s.serviceName } : {}),
      podManagementPolicy: s.podManagementPolicy,
      ...(s.ordinalsStart ? { ordinals: { start: s.ordinalsStart } } : {}),
      selector: { matchLabels: { ...s.selector } },
      updateStrategy: { type: s.updateStrategy },
      persistentVolumeClaimRetentionPolicy: { ...s.claimRetention },
      volumeClaimTemplates: s.claimTemplates.map((t) => ({ metadata: { name: t.name }, spec: { accessModes: [...t.accessModes], resources: { requests: { storage: t.storage } }, ...(t.storageClassName ? { storageClassName: t.storageClassName } : {}) } })),
    },
    status: { replicas: pods.length, readyReplicas: ready, availableReplicas: ready, currentRevision: `${s.name}-${s.revision}`, updateRevision: `${s.name}-${s.revision}` },
  };
}

export function toClaimObject(c: PersistentVolumeClaim, created?: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: toMetadata(c, undefined, { labels: { 'app.kubernetes.io/managed-by': 'statefulset', 'statefulset.kubernetes.io/owner': c.owner.statefulSet } }, created),
    spec: { accessModes: [...c.accessModes], resources: { requests: { storage: c.storage } }, ...(c.storageClassName ? { storageClassName: c.storageClassName } : {}), volumeName: c.volumeName },
    status: { phase: c.phase, accessModes: [...c.accessModes], capacity: { storage: c.storage } },
  };
}
