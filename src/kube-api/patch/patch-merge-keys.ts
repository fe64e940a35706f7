/**
 * How strategic merge patch treats each field of the built-in kinds the simulator serves: the
 * `patchStrategy` and `patchMergeKey` Go struct tags of k8s.io/api (core/v1, apps/v1,
 * discovery/v1, autoscaling/v1) and k8s.io/apimachinery meta/v1 ObjectMeta, keyed by kind and
 * by field path as `kubectl explain` writes it (list items are transparent:
 * `spec.containers.ports` is the ports of every container). A field not listed has no tags:
 * maps under it merge, lists under it are replaced whole.
 */

/** One field's strategic merge patch tags. */
export interface FieldPatchMeta {
  /** `merge` merges lists (by `mergeKey` for lists of maps, by value for scalars); `replace` replaces maps; `retainKeys` marks union structs. */
  strategies: readonly ('merge' | 'replace' | 'retainKeys')[];
  /** The key that identifies a list item (`name`, `containerPort`, ...); absent for lists of scalars. */
  mergeKey?: string;
}

/** Finds the tags of the field at `path` (field names from the root); undefined when the field has none. */
export type PatchMetaLookup = (path: readonly string[]) => FieldPatchMeta | undefined;

type FieldTable = Readonly<Record<string, FieldPatchMeta>>;

const mergeBy = (mergeKey: string): FieldPatchMeta => ({ strategies: ['merge'], mergeKey });
const mergeRetainingKeysBy = (mergeKey: string): FieldPatchMeta => ({ strategies: ['merge', 'retainKeys'], mergeKey });
const MERGE_SCALARS: FieldPatchMeta = { strategies: ['merge'] };
const RETAIN_KEYS: FieldPatchMeta = { strategies: ['retainKeys'] };

/** The fields under `prefix` in `table`, their paths prefixed. */
function under(prefix: string, table: FieldTable): FieldTable {
  return Object.fromEntries(Object.entries(table).map(([path, meta]) => [`${prefix}.${path}`, meta]));
}

// meta/v1 ObjectMeta (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
const OBJECT_META: FieldTable = {
  finalizers: MERGE_SCALARS,
  ownerReferences: mergeBy('uid'),
};

// core/v1 Container, and EphemeralContainerCommon which has the same tagged fields.
const CONTAINER: FieldTable = {
  env: mergeBy('name'),
  ports: mergeBy('containerPort'),
  volumeDevices: mergeBy('devicePath'),
  volumeMounts: mergeBy('mountPath'),
};

// core/v1 PodSpec. tolerations, readinessGates, dnsConfig.*, affinity.* and containers[].resizePolicy have no tags: replaced.
const POD_SPEC: FieldTable = {
  containers: mergeBy('name'),
  ...under('containers', CONTAINER),
  ephemeralContainers: mergeBy('name'),
  ...under('ephemeralContainers', CONTAINER),
  evictionResponders: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  imagePullSecrets: mergeBy('name'),
  initContainers: mergeBy('name'),
  ...under('initContainers', CONTAINER),
  resourceClaims: mergeRetainingKeysBy('name'),
  schedulingGates: mergeBy('name'),
  topologySpreadConstraints: mergeBy('topologyKey'),
  volumes: mergeRetainingKeysBy('name'),
  ...under('volumes.ephemeral.volumeClaimTemplate.metadata', OBJECT_META),
};

// core/v1 PodStatus. containerStatuses and friends have no tags: replaced.
const POD_STATUS: FieldTable = {
  conditions: mergeBy('type'),
  hostIPs: mergeBy('ip'),
  nodeAllocatableResourceClaimStatuses: mergeBy('resourceClaimName'),
  'nodeAllocatableResourceClaimStatuses.mapping': mergeBy('name'),
  'nodeAllocatableResourceClaimStatuses.overhead': mergeBy('name'),
  podIPs: mergeBy('ip'),
  resourceClaimStatuses: mergeRetainingKeysBy('name'),
};

// core/v1 PodTemplateSpec, under spec.template of the workloads.
const POD_TEMPLATE: FieldTable = {
  ...under('metadata', OBJECT_META),
  ...under('spec', POD_SPEC),
};

// Workload status conditions (apps/v1 StatefulSetStatus, ReplicaSetStatus, DeploymentStatus).
const CONDITIONS: FieldTable = { conditions: mergeBy('type') };

/**
 * Tagged fields per `group/version/Kind` (core group as `v1/Kind`). StatefulSet
 * spec.volumeClaimTemplates, Endpoints subsets, EndpointSlice endpoints and ports, Service
 * spec.ipFamilies and Namespace spec.finalizers have no tags: replaced whole.
 */
export const PATCH_META_BY_KIND: Readonly<Record<string, FieldTable>> = {
  'v1/Pod': { ...under('metadata', OBJECT_META), ...under('spec', POD_SPEC), ...under('status', POD_STATUS) },
  'v1/Service': { ...under('metadata', OBJECT_META), 'spec.ports': mergeBy('port'), ...under('status', CONDITIONS) },
  'v1/Endpoints': under('metadata', OBJECT_META),
  'v1/Namespace': { ...under('metadata', OBJECT_META), ...under('status', CONDITIONS) },
  'v1/PersistentVolumeClaim': {
    ...under('metadata', OBJECT_META),
    'status.conditions': mergeBy('type'),
    'status.healthStatus.healthConditions': mergeBy('status'),
  },
  'apps/v1/StatefulSet': { ...under('metadata', OBJECT_META), ...under('spec.template', POD_TEMPLATE), ...under('status', CONDITIONS) },
  'apps/v1/ReplicaSet': { ...under('metadata', OBJECT_META), ...under('spec.template', POD_TEMPLATE), ...under('status', CONDITIONS) },
  'apps/v1/Deployment': {
    ...under('metadata', OBJECT_META),
    'spec.strategy': RETAIN_KEYS,
    ...under('spec.template', POD_TEMPLATE),
    ...under('status', CONDITIONS),
  },
  'discovery.k8s.io/v1/EndpointSlice': under('metadata', OBJECT_META),
  'autoscaling/v1/Scale': under('metadata', OBJECT_META),
};

/** The table key of a target: `group/version/Kind`, or `version/Kind` for the core group. */
export function toKindKey(target: { group: string; version: string; kind: string }): string {
  return target.group ? `${target.group}/${target.version}/${target.kind}` : `${target.version}/${target.kind}`;
}

/** The lookup for a served kind, or undefined when the kind has no Go struct here (strategic merge patch is then 415, as for custom resources). */
export function getPatchMetaLookup(target: { group: string; version: string; kind: string }): PatchMetaLookup | undefined {
  const key = toKindKey(target);
  if (!Object.prototype.hasOwnProperty.call(PATCH_META_BY_KIND, key)) return undefined;
  const table = PATCH_META_BY_KIND[key];
  return (path) => {
    const dotted = path.join('.');
    return Object.prototype.hasOwnProperty.call(table, dotted) ? table[dotted] : undefined;
  };
}
