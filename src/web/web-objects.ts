import type { ApiMetadata, ApiObject } from '../kube-api/api-objects.js';
import type { ResourceName } from '../kube-api/api-resources.js';

/**
 * What the web view shows of each object: the fields that bear on DNS (names, addresses, ports,
 * readiness, ownership, claims) and nothing else, so a namespace's objects travel in a fraction of
 * the API's bytes. Built from the API's objects, the one source the page and kubectl both read.
 */

/** The resources the page shows, in the order a namespace's snapshot lists them. */
export const WEB_RESOURCES = ['services', 'endpointslices', 'pods', 'persistentvolumeclaims', 'statefulsets', 'replicasets', 'deployments'] as const satisfies readonly ResourceName[];

export type WebResource = (typeof WEB_RESOURCES)[number];

export interface WebObject {
  name: string;
  [field: string]: unknown;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The slim form of an API object of `resource`; the name alone for other resources. */
export function toWebObject(resource: ResourceName, o: ApiObject): WebObject {
  const meta = o.metadata as ApiMetadata & { labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; controller?: boolean }[]; deletionTimestamp?: string };
  const name = meta.name;
  const spec = obj(o.spec);
  const status = obj(o.status);
  switch (resource) {
    case 'services':
      return {
        name,
        type: str(spec.type) ?? 'ClusterIP',
        clusterIPs: Array.isArray(spec.clusterIPs) ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [],
        headless: spec.clusterIP === 'None',
        externalName: str(spec.externalName),
        ports: arr(spec.ports).map((p) => ({ name: str(p.name), port: p.port, protocol: str(p.protocol) ?? 'TCP', targetPort: p.targetPort })),
        selector: spec.selector ?? null,
      };
    case 'endpointslices':
      return {
        name,
        service: meta.labels?.['kubernetes.io/service-name'] ?? '',
        addressType: o.addressType,
        endpoints: arr(o.endpoints).map((e) => {
          const c = obj(e.conditions);
          return { addresses: e.addresses ?? [], ready: c.ready !== false, serving: c.serving !== false, terminating: c.terminating === true, hostname: str(e.hostname), pod: str(obj(e.targetRef).name) };
        }),
      };
    case 'pods': {
      const owner = (meta.ownerReferences ?? []).find((r) => r.controller) ?? meta.ownerReferences?.[0];
      const ready = arr(status.conditions).find((c) => c.type === 'Ready');
      const index = meta.labels?.['apps.kubernetes.io/pod-index'];
      return {
        name,
        ip: str(status.podIP) ?? '',
        phase: str(status.phase) ?? 'Pending',
        ready: ready?.status === 'True',
        terminating: meta.deletionTimestamp !== undefined,
        owner: owner ? { kind: owner.kind, name: owner.name } : null,
        ordinal: index === undefined ? null : Number(index),
        hostname: str(spec.hostname),
        subdomain: str(spec.subdomain),
        pvcs: arr(spec.volumes).flatMap((v) => str(obj(v.persistentVolumeClaim).claimName) ?? []),
        labels: meta.labels ?? {},
      };
    }
    case 'persistentvolumeclaims':
      return { name, phase: str(status.phase) ?? 'Pending', volume: str(spec.volumeName), capacity: obj(status.capacity).storage ?? obj(obj(spec.resources).requests).storage };
    case 'statefulsets':
    case 'replicasets':
    case 'deployments':
      return {
        name,
        kind: o.kind,
        replicas: spec.replicas ?? 1,
        readyReplicas: status.readyReplicas ?? 0,
        serviceName: str(spec.serviceName),
        owner: meta.ownerReferences?.[0]?.name,
        overlay: meta.annotations?.['kube-dns-sim/overlay'],
      };
    default:
      return { name };
  }
}
