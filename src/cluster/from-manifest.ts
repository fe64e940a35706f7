import type { ManifestObject } from '../manifest/manifest-object.js';
import { computePodTemplateHash } from './names.js';
import { toHashedPodTemplate } from './pod-spec-defaults.js';
import type { ClaimTemplate, ContainerPort, Deployment, IPFamily, Origin, PodTemplate, Protocol, ReplicaSet, ServicePort, ServiceType, StatefulSet } from './types.js';

/**
 * Decoding of validated manifests into desired-state records. Every accessor tolerates a wrong
 * type (the validator has reported it) by falling back to the API server's default.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isInteger(v) ? v : dflt);

export function toStringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  return out;
}

function toProtocol(v: unknown): Protocol {
  return v === 'UDP' || v === 'SCTP' ? v : 'TCP';
}

function toOrigin(m: ManifestObject): Origin {
  return { file: m.source.file, line: m.source.line, col: m.source.col };
}

/** The namespace an object lives in: its own, else the default. Namespaces themselves have none. */
export function getObjectNamespace(m: ManifestObject, defaultNamespace: string): string {
  return m.namespace ?? defaultNamespace;
}

/** What a selector-bearing workload selects: `matchLabels` (matchExpressions are not simulated). */
export function toLabelSelector(v: unknown): Record<string, string> {
  return toStringMap(obj(v).matchLabels);
}

export function toPodTemplate(template: unknown): PodTemplate {
  const t = obj(template);
  const spec = obj(t.spec);
  return {
    labels: toStringMap(obj(t.metadata).labels),
    hostname: str(spec.hostname),
    subdomain: str(spec.subdomain),
    containerPorts: toContainerPorts(spec),
  };
}

export function toContainerPorts(podSpec: Obj): ContainerPort[] {
  const out: ContainerPort[] = [];
  const containers = [...(Array.isArray(podSpec.containers) ? podSpec.containers : []), ...(Array.isArray(podSpec.initContainers) ? podSpec.initContainers : [])];
  for (const c of containers) {
    for (const p of Array.isArray(obj(c).ports) ? (obj(c).ports as unknown[]) : []) {
      const port = obj(p);
      if (typeof port.containerPort === 'number') out.push({ name: str(port.name) ?? '', containerPort: port.containerPort, protocol: toProtocol(port.protocol) });
    }
  }
  return out;
}

export interface DesiredService {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  type: ServiceType;
  headless: boolean;
  /** Stated cluster IPs (spec.clusterIPs, else spec.clusterIP), 'None' removed. */
  requestedClusterIPs: string[];
  ipFamilies: IPFamily[];
  ipFamilyPolicy: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  selector: Record<string, string> | undefined;
  ports: ServicePort[];
  externalName: string | undefined;
  publishNotReadyAddresses: boolean;
  origin: Origin;
}

export function toDesiredService(m: ManifestObject, defaultNamespace: string): DesiredService {
  const spec = obj(m.body.spec);
  const type: ServiceType = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ExternalName' ? spec.type : 'ClusterIP';
  const stated = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.filter((x): x is string => typeof x === 'string') : str(spec.clusterIP) ? [str(spec.clusterIP)!] : [];
  const headless = type !== 'ExternalName' && stated[0] === 'None';
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies.filter((f): f is IPFamily => f === 'IPv4' || f === 'IPv6') : [];
  const policy = spec.ipFamilyPolicy === 'PreferDualStack' || spec.ipFamilyPolicy === 'RequireDualStack' ? spec.ipFamilyPolicy : 'SingleStack';
  const selector = toStringMap(spec.selector);
  const ports: ServicePort[] = (Array.isArray(spec.ports) ? spec.ports : []).filter(isObj).map((p) => ({
    name: str(p.name) ?? '',
    port: int(p.port, 0),
    protocol: toProtocol(p.protocol),
    targetPort: typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : int(p.port, 0),
  }));
  return {
    namespace: getObjectNamespace(m, defaultNamespace),
    name: m.name,
    labels: toStringMap(obj(m.body.metadata).labels),
    type,
    headless,
    requestedClusterIPs: type === 'ExternalName' ? [] : stated.filter((ip) => ip !== 'None' && ip !== ''),
    ipFamilies: families,
    ipFamilyPolicy: policy,
    selector: type === 'ExternalName' || Object.keys(selector).length === 0 ? undefined : selector,
    ports,
    externalName: type === 'ExternalName' ? str(spec.externalName)?.replace(/\.$/, '').toLowerCase() : undefined,
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    origin: toOrigin(m),
  };
}

export function toStatefulSet(m: ManifestObject, defaultNamespace: string): StatefulSet {
  const spec = obj(m.body.spec);
  const claimTemplates: ClaimTemplate[] = (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []).filter(isObj).map((t) => {
    const ts = obj(t.spec);
    return {
      name: str(obj(t.metadata).name) ?? '',
      storage: String(obj(obj(ts.resources).requests).storage ?? ''),
      accessModes: Array.isArray(ts.accessModes) ? ts.accessModes.map(String) : [],
      storageClassName: str(ts.storageClassName),
    };
  });
  return {
    namespace: getObjectNamespace(m, defaultNamespace),
    name: m.name,
    labels: toStringMap(obj(m.body.metadata).labels),
    replicas: Math.max(0, int(spec.replicas, 1)),
    serviceName: str(spec.serviceName) || undefined,
    selector: toLabelSelector(spec.selector),
    template: toPodTemplate(spec.template),
    ordinalsStart: Math.max(0, int(obj(spec.ordinals).start, 0)),
    podManagementPolicy: spec.podManagementPolicy === 'Parallel' ? 'Parallel' : 'OrderedReady',
    claimTemplates,
    updateStrategy: obj(spec.updateStrategy).type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
    revision: computePodTemplateHash(toHashedPodTemplate(spec.template ?? {})),
    claimRetention: {
      whenScaled: obj(spec.persistentVolumeClaimRetentionPolicy).whenScaled === 'Delete' ? 'Delete' : 'Retain',
      whenDeleted: obj(spec.persistentVolumeClaimRetentionPolicy).whenDeleted === 'Delete' ? 'Delete' : 'Retain',
    },
    origin: toOrigin(m),
  };
}

/** What every replicated workload (ReplicaSet, Deployment) decodes alike. */
function toReplicatedWorkload(m: ManifestObject, defaultNamespace: string, spec: Obj) {
  return {
    namespace: getObjectNamespace(m, defaultNamespace),
    name: m.name,
    labels: toStringMap(obj(m.body.metadata).labels),
    replicas: Math.max(0, int(spec.replicas, 1)),
    selector: toLabelSelector(spec.selector),
    template: toPodTemplate(spec.template),
    origin: toOrigin(m),
  };
}

export function toReplicaSet(m: ManifestObject, defaultNamespace: string): ReplicaSet {
  return { ...toReplicatedWorkload(m, defaultNamespace, obj(m.body.spec)), owner: undefined };
}

export function toDeployment(m: ManifestObject, defaultNamespace: string): Deployment {
  const spec = obj(m.body.spec);
  return {
    ...toReplicatedWorkload(m, defaultNamespace, spec),
    templateHash: computePodTemplateHash(toHashedPodTemplate(spec.template ?? {})),
    maxSurge: toIntOrPercent(obj(obj(spec.strategy).rollingUpdate).maxSurge, '25%'),
    maxUnavailable: toIntOrPercent(obj(obj(spec.strategy).rollingUpdate).maxUnavailable, '25%'),
  };
}

function toIntOrPercent(v: unknown, dflt: string): number | string {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) return v;
  return dflt;
}

export interface DesiredPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  hostname: string | undefined;
  subdomain: string | undefined;
  requestedIPs: readonly string[];
  ready: boolean;
  containerPorts: readonly ContainerPort[];
  origin: Origin;
}

export function toDesiredPod(m: ManifestObject, defaultNamespace: string): DesiredPod {
  const spec = obj(m.body.spec);
  const status = obj(m.body.status);
  const ips = Array.isArray(status.podIPs) ? status.podIPs.map((p) => str(obj(p).ip)).filter((x): x is string => !!x) : str(status.podIP) ? [str(status.podIP)!] : [];
  const readyCond = Array.isArray(status.conditions) ? status.conditions.map(obj).find((c) => c.type === 'Ready') : undefined;
  return {
    namespace: getObjectNamespace(m, defaultNamespace),
    name: m.name,
    labels: toStringMap(obj(m.body.metadata).labels),
    hostname: str(spec.hostname),
    subdomain: str(spec.subdomain),
    requestedIPs: ips,
    ready: readyCond ? readyCond.status === 'True' : true,
    containerPorts: toContainerPorts(spec),
    origin: toOrigin(m),
  };
}
