/**
 * The fields kube-dns-sim reads of the objects a Kubernetes API server returns (core/v1 Service,
 * Pod, Namespace; discovery.k8s.io/v1 EndpointSlice), as they arrive in JSON. Everything is
 * optional: the conversions (to-cluster-objects.ts) never trust a server to send a field.
 */

export interface ApiObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  deletionTimestamp?: string | null;
  ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
}

/** Any object of a list or watch event: what the store keys it by. */
export interface ApiObject {
  kind?: string;
  apiVersion?: string;
  metadata?: ApiObjectMeta;
}

export interface ApiServicePort {
  name?: string;
  port?: number;
  protocol?: string;
  targetPort?: number | string;
}

export interface ApiService extends ApiObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    ipFamilies?: string[];
    selector?: Record<string, string> | null;
    ports?: ApiServicePort[];
    externalName?: string;
    publishNotReadyAddresses?: boolean;
  };
}

export interface ApiEndpoint {
  addresses?: string[];
  conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
  hostname?: string | null;
  targetRef?: { kind?: string; namespace?: string; name?: string } | null;
}

export interface ApiEndpointSlice extends ApiObject {
  addressType?: string;
  endpoints?: ApiEndpoint[] | null;
  ports?: { name?: string | null; port?: number | null; protocol?: string | null }[] | null;
}

export interface ApiPod extends ApiObject {
  spec?: {
    hostname?: string;
    subdomain?: string;
    volumes?: { persistentVolumeClaim?: { claimName?: string } }[];
    containers?: { ports?: { name?: string; containerPort?: number; protocol?: string }[] }[];
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip?: string }[];
    conditions?: { type?: string; status?: string }[];
  };
}

export type ApiNamespace = ApiObject;

/** A list response (`PodList`, ...): its items and where a watch resumes. */
export interface ApiList {
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: ApiObject[];
}

/** One line of a watch stream. ERROR carries a `Status` (`code` 410: the resourceVersion is too old). */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: ApiObject & { code?: number; reason?: string; message?: string };
}
