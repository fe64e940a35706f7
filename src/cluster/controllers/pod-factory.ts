import type { DesiredPod } from '../from-manifest.js';
import { fnv32a, getClaimName, getGeneratedPodName, getStatefulSetPodName } from '../names.js';
import type { OwnerRef, PersistentVolumeClaim, PodPhase, ReplicaSet, StatefulSet } from '../types.js';

/** A pod as its controller made it, before addresses are allocated. */
export interface PodRecord extends DesiredPod {
  owner: OwnerRef | undefined;
  /** StatefulSet ordinal, -1 otherwise. */
  ordinal: number;
  claims: readonly string[];
  phase: PodPhase;
  terminating: boolean;
  /**
   * Identity for address allocation: `ns/name` for the first pod of a name, `ns/name#N` for its
   * N-th re-creation, so that a re-created StatefulSet pod gets a new IP (as from a real CNI).
   */
  addressKey: string;
}

/**
 * What every pod of one workload shares (never written): its owner reference, and the template's
 * container ports. One copy per StatefulSet or ReplicaSet, not per pod: 100k pods share 1k.
 */
const sharedByWorkload = new WeakMap<StatefulSet | ReplicaSet, { owner: OwnerRef }>();
const NO_CLAIMS: readonly string[] = Object.freeze([]);
const NO_IPS: readonly string[] = Object.freeze([]);

function getOwnerRef(w: StatefulSet | ReplicaSet, kind: OwnerRef['kind']): OwnerRef {
  let shared = sharedByWorkload.get(w);
  if (!shared) sharedByWorkload.set(w, (shared = { owner: { kind, name: w.name } }));
  return shared.owner;
}

/** `ns/name` for incarnation 0, `ns/name#N` after. */
export function getPodAddressKey(namespace: string, name: string, incarnation: number): string {
  return incarnation > 0 ? `${namespace}/${name}#${incarnation}` : `${namespace}/${name}`;
}

/** The pod a StatefulSet creates for `ordinal`: hostname = pod name, subdomain = serviceName, one claim per template. */
export function newStatefulSetPod(sts: StatefulSet, ordinal: number, incarnation = 0): PodRecord {
  const name = getStatefulSetPodName(sts.name, ordinal);
  return {
    namespace: sts.namespace,
    name,
    labels: { ...sts.template.labels, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(ordinal) },
    hostname: name,
    subdomain: sts.serviceName,
    requestedIPs: NO_IPS,
    ready: true,
    containerPorts: sts.template.containerPorts,
    origin: sts.origin,
    owner: getOwnerRef(sts, 'StatefulSet'),
    ordinal,
    claims: sts.claimTemplates.length === 0 ? NO_CLAIMS : sts.claimTemplates.map((t) => getClaimName(t.name, sts.name, ordinal)),
    phase: 'Running',
    terminating: false,
    addressKey: getPodAddressKey(sts.namespace, name, incarnation),
  };
}

/** The `index`-th pod a ReplicaSet ever creates: `<rs>-<5 chars>` derived from `ns/rs/index`. */
export function newReplicaSetPod(rs: ReplicaSet, index: number): PodRecord {
  const name = getGeneratedPodName(rs.name, `${rs.namespace}/${rs.name}/${index}`);
  return {
    namespace: rs.namespace,
    name,
    labels: { ...rs.template.labels },
    hostname: rs.template.hostname,
    subdomain: rs.template.subdomain,
    requestedIPs: NO_IPS,
    ready: true,
    containerPorts: rs.template.containerPorts,
    origin: rs.origin,
    owner: getOwnerRef(rs, 'ReplicaSet'),
    ordinal: -1,
    claims: NO_CLAIMS,
    phase: 'Running',
    terminating: false,
    addressKey: getPodAddressKey(rs.namespace, name, 0),
  };
}

/** A Pod manifest as a running pod. */
export function newBarePod(p: DesiredPod, incarnation = 0): PodRecord {
  return { ...p, owner: undefined, ordinal: -1, claims: NO_CLAIMS, phase: 'Running', terminating: false, addressKey: getPodAddressKey(p.namespace, p.name, incarnation) };
}

/** A volume name in the shape `pvc-<uid>`, derived from the claim and how often it was created (no randomness). */
export function getVolumeName(namespace: string, claim: string, generation = 0): string {
  const hex = [0, 1, 2, 3].map((i) => fnv32a(`${namespace}/${claim}#${generation}#${i}`).toString(16).padStart(8, '0')).join('');
  return `pvc-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The claims a StatefulSet pod mounts, Bound, with the templates' size, access modes and class. */
export function newStatefulSetClaims(sts: StatefulSet, ordinal: number, generationOf: (claim: string) => number = () => 0): PersistentVolumeClaim[] {
  return sts.claimTemplates.map((t) => {
    const name = getClaimName(t.name, sts.name, ordinal);
    return {
      namespace: sts.namespace,
      name,
      storage: t.storage,
      accessModes: t.accessModes,
      storageClassName: t.storageClassName,
      phase: 'Bound',
      volumeName: getVolumeName(sts.namespace, name, generationOf(name)),
      owner: { statefulSet: sts.name, ordinal },
    };
  });
}
