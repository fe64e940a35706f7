/**
 * Slim cluster objects: only what DNS and the simulation need (as CoreDNS's object/pod.go keeps
 * only what its lookups read). All are plain immutable data.
 */

export type IPFamily = 'IPv4' | 'IPv6';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ObjectMeta {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** Where a manifest object came from (`<built-in>` for kubeadm's defaults). */
export interface Origin {
  file: string;
  line: number;
  col: number;
}

export interface ServicePort {
  /** '' when the port is unnamed (then it has no SRV name, spec 2.3.1). */
  name: string;
  port: number;
  protocol: Protocol;
  targetPort: number | string;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface Service extends ObjectMeta {
  type: ServiceType;
  /** `clusterIP: None`. */
  headless: boolean;
  /** Allocated cluster IPs, primary family first; empty for headless and ExternalName. */
  clusterIPs: readonly string[];
  ipFamilies: readonly IPFamily[];
  /** undefined: no selector (endpoints come from EndpointSlice/Endpoints manifests). */
  selector: Readonly<Record<string, string>> | undefined;
  ports: readonly ServicePort[];
  externalName: string | undefined;
  publishNotReadyAddresses: boolean;
  origin: Origin;
}

export interface OwnerRef {
  kind: 'StatefulSet' | 'ReplicaSet' | 'Deployment';
  name: string;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface Pod extends ObjectMeta {
  /** Pod IPs, primary family first; empty while the pod has none. */
  ips: readonly string[];
  /** spec.hostname (StatefulSet pods: the pod name). */
  hostname: string | undefined;
  /** spec.subdomain (StatefulSet pods: spec.serviceName). */
  subdomain: string | undefined;
  phase: PodPhase;
  ready: boolean;
  /** Being deleted: leaves every endpoint at once. */
  terminating: boolean;
  owner: OwnerRef | undefined;
  /** StatefulSet ordinal, -1 otherwise. */
  ordinal: number;
  /** Claim names mounted from volumeClaimTemplates. */
  claims: readonly string[];
  /** Named container ports, for resolving a Service's named targetPort. */
  containerPorts: readonly ContainerPort[];
  origin: Origin;
}

export interface ContainerPort {
  name: string;
  containerPort: number;
  protocol: Protocol;
}

export interface Endpoint {
  addresses: readonly string[];
  hostname: string | undefined;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  targetRef: { kind: string; namespace: string; name: string } | undefined;
}

export interface EndpointPort {
  name: string;
  port: number;
  protocol: Protocol;
}

export interface EndpointSlice {
  namespace: string;
  name: string;
  /** Label kubernetes.io/service-name. */
  serviceName: string;
  addressType: IPFamily | 'FQDN';
  endpoints: readonly Endpoint[];
  ports: readonly EndpointPort[];
  /** true when built by the simulated endpoint-slice controller, false when from a manifest. */
  managed: boolean;
}

export interface PersistentVolumeClaim {
  namespace: string;
  name: string;
  storage: string;
  accessModes: readonly string[];
  storageClassName: string | undefined;
  phase: 'Bound' | 'Pending';
  volumeName: string;
  owner: { statefulSet: string; ordinal: number };
}

export interface ClaimTemplate {
  name: string;
  storage: string;
  accessModes: readonly string[];
  storageClassName: string | undefined;
}

/** What a workload's pod template contributes to each pod it creates. */
export interface PodTemplate {
  labels: Readonly<Record<string, string>>;
  hostname: string | undefined;
  subdomain: string | undefined;
  containerPorts: readonly ContainerPort[];
}

export interface StatefulSet extends ObjectMeta {
  replicas: number;
  serviceName: string | undefined;
  selector: Readonly<Record<string, string>>;
  template: PodTemplate;
  ordinalsStart: number;
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  claimTemplates: readonly ClaimTemplate[];
  /** updateStrategy.type; RollingUpdate replaces pods from the highest ordinal down. */
  updateStrategy: 'RollingUpdate' | 'OnDelete';
  /** Hash of the pod template (the controller-revision-hash); pods of another revision are outdated. */
  revision: string;
  /** persistentVolumeClaimRetentionPolicy (Retain unless stated). */
  claimRetention: { whenScaled: 'Retain' | 'Delete'; whenDeleted: 'Retain' | 'Delete' };
  origin: Origin;
}

export interface ReplicaSet extends ObjectMeta {
  replicas: number;
  selector: Readonly<Record<string, string>>;
  template: PodTemplate;
  owner: OwnerRef | undefined;
  origin: Origin;
}

export interface Deployment extends ObjectMeta {
  replicas: number;
  selector: Readonly<Record<string, string>>;
  template: PodTemplate;
  /** pod-template-hash of the current template. */
  templateHash: string;
  /** strategy.rollingUpdate, as written (a count or a percentage such as "25%"). */
  maxSurge: number | string;
  maxUnavailable: number | string;
  origin: Origin;
}

export interface Namespace {
  name: string;
  /** declared by a Namespace object (as opposed to implied by an object living in it). */
  declared: boolean;
}

/** The whole simulated cluster at one moment. Immutable; a change builds a new one. */
export interface ClusterState {
  namespaces: readonly Namespace[];
  services: readonly Service[];
  pods: readonly Pod[];
  endpointSlices: readonly EndpointSlice[];
  statefulSets: readonly StatefulSet[];
  replicaSets: readonly ReplicaSet[];
  deployments: readonly Deployment[];
  persistentVolumeClaims: readonly PersistentVolumeClaim[];
}
