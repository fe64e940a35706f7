import { isIP } from 'node:net';
import type { ContainerPort, Endpoint, EndpointPort, EndpointSlice, IPFamily, Namespace, Origin, OwnerRef, Pod, PodPhase, Protocol, Service, ServicePort, ServiceType } from '../cluster/types.js';
import type { ApiEndpoint, ApiEndpointSlice, ApiNamespace, ApiObject, ApiPod, ApiService } from './api-objects.js';

/**
 * Conversions of API objects to the slim cluster objects (src/cluster/types.ts), keeping what
 * CoreDNS's own conversions keep (plugin/kubernetes/object/service.go, endpoint.go, pod.go,
 * namespace.go) and reading the fields the way they do. Pure; undefined when an object is not one
 * DNS can use (no name, or a pod CoreDNS does not watch).
 */

/** The `file` of every object that came from a Kubernetes API server (findings and `explain` name it). */
export const KUBE_API_FILE = '<kube-api>';

const API_ORIGIN: Origin = { file: KUBE_API_FILE, line: 0, col: 0 };

/** The label naming an EndpointSlice's Service (discovery.k8s.io/v1 LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/** `namespace/name` of a namespaced object, `name` of a cluster-scoped one; '' when it has no name. */
export function getObjectKey(o: ApiObject): string {
  const name = o.metadata?.name ?? '';
  if (!name) return '';
  const ns = o.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

function toProtocol(p: string | null | undefined): Protocol {
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

function toLabels(o: ApiObject): Readonly<Record<string, string>> {
  return { ...(o.metadata?.labels ?? {}) };
}

function toFamily(ip: string): IPFamily {
  return isIP(ip) === 6 ? 'IPv6' : 'IPv4';
}

/**
 * A Service as object/service.go reads it: `spec.clusterIPs`, or `[spec.clusterIP]` when the
 * list is empty (servers before dual-stack); headless when the first is `None`. Unset protocols are
 * TCP and an unset targetPort is the port (the API server's defaults).
 */
export function toService(o: ApiService): Service | undefined {
  const name = o.metadata?.name;
  if (!name) return undefined;
  const spec = o.spec ?? {};
  const type = SERVICE_TYPES.find((t) => t === spec.type) ?? 'ClusterIP';
  const stated = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const headless = type !== 'ExternalName' && stated[0] === 'None';
  const clusterIPs = type === 'ExternalName' || headless ? [] : stated.filter((ip) => isIP(ip) !== 0);
  const families = (spec.ipFamilies ?? []).filter((f): f is IPFamily => f === 'IPv4' || f === 'IPv6');
  const ports: ServicePort[] = (spec.ports ?? []).map((p) => ({
    name: p.name ?? '',
    port: typeof p.port === 'number' ? p.port : -1,
    protocol: toProtocol(p.protocol),
    targetPort: p.targetPort ?? (typeof p.port === 'number' ? p.port : 0),
  }));
  const selector = spec.selector && Object.keys(spec.selector).length > 0 ? { ...spec.selector } : undefined;
  return {
    namespace: o.metadata?.namespace ?? 'default',
    name,
    labels: toLabels(o),
    type,
    headless,
    clusterIPs,
    ipFamilies: families.length > 0 ? families : [...new Set(clusterIPs.map(toFamily))],
    selector,
    ports,
    externalName: type === 'ExternalName' ? (spec.externalName ?? '') : undefined,
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    origin: API_ORIGIN,
  };
}

function toEndpoint(e: ApiEndpoint, namespace: string): Endpoint {
  const c = e.conditions ?? {};
  // endpointsliceReady (object/endpoint.go): an unset `ready` counts as ready.
  const ready = c.ready !== false;
  const ref = e.targetRef;
  return {
    addresses: [...(e.addresses ?? [])],
    hostname: e.hostname || undefined,
    ready,
    serving: c.serving ?? ready,
    terminating: c.terminating === true,
    targetRef: ref && ref.name ? { kind: ref.kind ?? '', namespace: ref.namespace ?? namespace, name: ref.name } : undefined,
  };
}

/**
 * An EndpointSlice as object/endpoint.go reads it: its Service from the `kubernetes.io/service-name`
 * label (undefined without one: no Service name can use it), every endpoint with its conditions
 * (the index keeps the ready ones), a port without a number as the `-1` sentinel.
 */
export function toEndpointSlice(o: ApiEndpointSlice): EndpointSlice | undefined {
  const name = o.metadata?.name;
  const serviceName = o.metadata?.labels?.[SERVICE_NAME_LABEL];
  if (!name || !serviceName) return undefined;
  const namespace = o.metadata?.namespace ?? 'default';
  const addressType = o.addressType === 'IPv4' || o.addressType === 'IPv6' ? o.addressType : 'FQDN';
  const ports: EndpointPort[] = (o.ports ?? []).map((p) => ({ name: p.name ?? '', port: typeof p.port === 'number' ? p.port : -1, protocol: toProtocol(p.protocol) }));
  return {
    namespace,
    name,
    serviceName,
    addressType,
    endpoints: (o.endpoints ?? []).map((e) => toEndpoint(e, namespace)),
    ports,
    managed: o.metadata?.labels?.[MANAGED_BY_LABEL] === ENDPOINTSLICE_CONTROLLER,
  };
}

/** The ordinal of a StatefulSet's pod: the `apps.kubernetes.io/pod-index` label, else the name's `-N` suffix; -1 when neither. */
export function getPodOrdinal(name: string, labels: Readonly<Record<string, string>>): number {
  const text = labels[POD_INDEX_LABEL] ?? /-(\d+)$/.exec(name)?.[1];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : -1;
}

function toOwner(o: ApiPod): OwnerRef | undefined {
  const ref = (o.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref || !ref.name) return undefined;
  return ref.kind === 'StatefulSet' || ref.kind === 'ReplicaSet' || ref.kind === 'Deployment' ? { kind: ref.kind, name: ref.name } : undefined;
}

/**
 * A Pod as CoreDNS sees it. CoreDNS lists pods with the field selector
 * `status.phase!=Succeeded,status.phase!=Failed,status.phase!=Unknown` (controller.go), so those
 * give undefined here. A pod with a deletionTimestamp is terminating (object/pod.go drops it from
 * the index, as buildRecordIndex does). IPs from `status.podIPs`, else `status.podIP`.
 */
export function toPod(o: ApiPod): Pod | undefined {
  const name = o.metadata?.name;
  if (!name) return undefined;
  const status = o.status ?? {};
  const phase = (status.phase ?? 'Pending') as PodPhase | 'Unknown';
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Unknown') return undefined;
  const listed = (status.podIPs ?? []).map((p) => p.ip ?? '').filter((ip) => isIP(ip) !== 0);
  const ips = listed.length > 0 ? listed : status.podIP && isIP(status.podIP) !== 0 ? [status.podIP] : [];
  const labels = toLabels(o);
  const owner = toOwner(o);
  const spec = o.spec ?? {};
  const containerPorts: ContainerPort[] = (spec.containers ?? []).flatMap((c) =>
    (c.ports ?? []).filter((p) => p.name && typeof p.containerPort === 'number').map((p) => ({ name: p.name!, containerPort: p.containerPort!, protocol: toProtocol(p.protocol) })),
  );
  return {
    namespace: o.metadata?.namespace ?? 'default',
    name,
    labels,
    ips,
    hostname: spec.hostname || undefined,
    subdomain: spec.subdomain || undefined,
    phase: phase === 'Running' ? 'Running' : 'Pending',
    ready: (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: !!o.metadata?.deletionTimestamp,
    owner,
    ordinal: owner?.kind === 'StatefulSet' ? getPodOrdinal(name, labels) : -1,
    claims: (spec.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName ?? '').filter(Boolean),
    containerPorts,
    origin: API_ORIGIN,
  };
}

/** A Namespace: it exists (the index exposes `<ns>.svc` names, and pod names, only in existing namespaces). */
export function toNamespace(o: ApiNamespace): Namespace | undefined {
  const name = o.metadata?.name;
  return name ? { name, declared: true } : undefined;
}
