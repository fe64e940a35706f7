/**
 * The resources the simulated cluster serves through the Kubernetes API, as discovery lists them
 * (`kubectl api-resources`): group, version, plural, kind, short names, verbs. One table, read by
 * discovery, OpenAPI, routing and the object store.
 */

export type ResourceName = 'namespaces' | 'pods' | 'services' | 'endpoints' | 'persistentvolumeclaims' | 'endpointslices' | 'statefulsets' | 'replicasets' | 'deployments';

export interface ApiResource {
  resource: ResourceName;
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  singular: string;
  shortNames: readonly string[];
  namespaced: boolean;
  verbs: readonly string[];
  categories: readonly string[];
  /** Subresources served (`scale`, `status`). */
  subresources: readonly string[];
  /** Whether objects of this resource can be written through the API (create/update/patch). */
  writable: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const READ_VERBS = ['get', 'list', 'watch'] as const;

/** Every served resource, in discovery order. */
export const API_RESOURCES: readonly ApiResource[] = [
  { resource: 'endpoints', group: '', version: 'v1', kind: 'Endpoints', singular: 'endpoints', shortNames: ['ep'], namespaced: true, verbs: ALL_VERBS, categories: [], subresources: [], writable: true },
  { resource: 'namespaces', group: '', version: 'v1', kind: 'Namespace', singular: 'namespace', shortNames: ['ns'], namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], categories: [], subresources: [], writable: true },
  { resource: 'persistentvolumeclaims', group: '', version: 'v1', kind: 'PersistentVolumeClaim', singular: 'persistentvolumeclaim', shortNames: ['pvc'], namespaced: true, verbs: READ_VERBS, categories: [], subresources: [], writable: false },
  { resource: 'pods', group: '', version: 'v1', kind: 'Pod', singular: 'pod', shortNames: ['po'], namespaced: true, verbs: ALL_VERBS, categories: ['all'], subresources: [], writable: true },
  { resource: 'services', group: '', version: 'v1', kind: 'Service', singular: 'service', shortNames: ['svc'], namespaced: true, verbs: ALL_VERBS, categories: ['all'], subresources: [], writable: true },
  { resource: 'deployments', group: 'apps', version: 'v1', kind: 'Deployment', singular: 'deployment', shortNames: ['deploy'], namespaced: true, verbs: ALL_VERBS, categories: ['all'], subresources: ['scale'], writable: true },
  { resource: 'replicasets', group: 'apps', version: 'v1', kind: 'ReplicaSet', singular: 'replicaset', shortNames: ['rs'], namespaced: true, verbs: ALL_VERBS, categories: ['all'], subresources: ['scale'], writable: true },
  { resource: 'statefulsets', group: 'apps', version: 'v1', kind: 'StatefulSet', singular: 'statefulset', shortNames: ['sts'], namespaced: true, verbs: ALL_VERBS, categories: ['all'], subresources: ['scale'], writable: true },
  { resource: 'endpointslices', group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', singular: 'endpointslice', shortNames: [], namespaced: true, verbs: ALL_VERBS, categories: [], subresources: [], writable: true },
];

/** The API groups (besides the core group), with their one served version. */
export const API_GROUPS: readonly { name: string; version: string }[] = [
  { name: 'apps', version: 'v1' },
  { name: 'discovery.k8s.io', version: 'v1' },
];

/** `group/version` as apiVersion spells it (`v1` for the core group). */
export function toApiVersion(r: Pick<ApiResource, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The URL prefix of a group version: `/api/v1` or `/apis/apps/v1`. */
export function toGroupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** The resource of a group/version/plural; undefined when not served. */
export function findResource(group: string, version: string, resource: string): ApiResource | undefined {
  return API_RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

/** The resource serving a kind; undefined when not served. */
export function findResourceByKind(kind: string): ApiResource | undefined {
  return API_RESOURCES.find((r) => r.kind === kind);
}

/** `pods` → `pods`, `statefulsets` → `statefulsets.apps`: the name errors use (`statefulsets.apps "x" not found`). */
export function toQualifiedResource(r: Pick<ApiResource, 'group' | 'resource'>): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}
