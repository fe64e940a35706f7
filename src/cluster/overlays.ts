import type { ManifestObject } from '../manifest/manifest-object.js';
import type { DesiredCluster } from './reconcile.js';

/**
 * Changes made to a running cluster through the admin API, kept apart from the manifest files
 * (as kubectl's changes are kept apart from a git checkout). They survive reloads of unrelated files.
 */
export interface Overlays {
  /** `ns/name` → replicas set by `scale statefulset`. */
  statefulSetReplicas: Record<string, number>;
  /** Pod manifests (`ns/name`) removed by `delete pod`; controller pods are replaced instead. */
  deletedPods: string[];
  /** Manifests sent by `apply -f`, in order; a later one wins over an earlier one and over the files. */
  applied: { file: string; text: string }[];
  /** `Kind/ns/name` of ReplicaSets and Deployments → replicas set through the scale subresource. */
  replicas?: Record<string, number>;
  /** Manifest keys (getManifestKey) of file objects deleted through the API: absent until their file changes. */
  deletedObjects?: string[];
}

export function newOverlays(): Overlays {
  return { statefulSetReplicas: {}, deletedPods: [], applied: [], replicas: {}, deletedObjects: [] };
}

/** `Kind/ns/name` (`Namespace//name`), the key under which one object overrides another. */
export function getManifestKey(m: ManifestObject, defaultNamespace: string): string {
  return `${m.kind}/${m.kind === 'Namespace' ? '' : (m.namespace ?? defaultNamespace)}/${m.name}`;
}

/** File objects with applied objects laid over them (same key: the applied one replaces it). */
export function mergeAppliedManifests(files: readonly ManifestObject[], applied: readonly ManifestObject[], defaultNamespace: string): ManifestObject[] {
  if (applied.length === 0) return [...files];
  const byKey = new Map<string, ManifestObject>();
  for (const m of files) if (!byKey.has(getManifestKey(m, defaultNamespace))) byKey.set(getManifestKey(m, defaultNamespace), m);
  const extra: ManifestObject[] = [];
  for (const m of files) if (byKey.get(getManifestKey(m, defaultNamespace)) !== m) extra.push(m); // duplicates: let reconcile warn
  for (const m of applied) byKey.set(getManifestKey(m, defaultNamespace), m);
  return [...byKey.values(), ...extra];
}

/** Desired objects with the scale and delete overlays applied. Pure. */
export function applyOverlays(desired: DesiredCluster, overlays: Overlays): DesiredCluster {
  const deleted = new Set(overlays.deletedPods);
  const replicas = overlays.replicas ?? {};
  const scaled = <T extends { namespace: string; name: string; replicas: number }>(kind: string, o: T): T => {
    const r = replicas[`${kind}/${o.namespace}/${o.name}`];
    return r === undefined ? o : { ...o, replicas: r };
  };
  const deployments = desired.deployments.map((d) => scaled('Deployment', d));
  const deploymentReplicas = new Map(deployments.map((d) => [`${d.namespace}/${d.name}`, d.replicas]));
  return {
    ...desired,
    statefulSets: desired.statefulSets.map((s) => {
      const r = overlays.statefulSetReplicas[`${s.namespace}/${s.name}`];
      return r === undefined ? s : { ...s, replicas: r };
    }),
    deployments,
    // A Deployment's current ReplicaSet follows the Deployment's scale.
    replicaSets: desired.replicaSets.map((rs) => (rs.owner ? { ...rs, replicas: deploymentReplicas.get(`${rs.namespace}/${rs.owner.name}`) ?? rs.replicas } : scaled('ReplicaSet', rs))),
    pods: desired.pods.filter((p) => !deleted.has(`${p.namespace}/${p.name}`)),
  };
}

/** One line per overlay saying how the running cluster differs from the files. */
export function describeOverlays(fromFiles: DesiredCluster, overlays: Overlays, appliedKeys: readonly string[]): string[] {
  const out: string[] = [];
  for (const [key, replicas] of Object.entries(overlays.statefulSetReplicas).sort()) {
    const file = fromFiles.statefulSets.find((s) => `${s.namespace}/${s.name}` === key);
    out.push(`statefulset ${key}: replicas ${replicas} (files: ${file ? file.replicas : 'not defined'})`);
  }
  for (const [key, replicas] of Object.entries(overlays.replicas ?? {}).sort()) {
    const [kind, ns, name] = key.split('/');
    const list = kind === 'Deployment' ? fromFiles.deployments : fromFiles.replicaSets;
    const file = list.find((s) => s.namespace === ns && s.name === name);
    out.push(`${kind.toLowerCase()} ${ns}/${name}: replicas ${replicas} (files: ${file ? file.replicas : 'not defined'})`);
  }
  for (const key of [...overlays.deletedPods].sort()) out.push(`pod ${key}: deleted (files define it)`);
  for (const key of [...(overlays.deletedObjects ?? [])].sort()) out.push(`${key.split('/')[0].toLowerCase()} ${key.split('/').slice(1).filter(Boolean).join('/')}: deleted (files define it)`);
  for (const key of appliedKeys) out.push(`${key.split('/')[0].toLowerCase()} ${key.split('/').slice(1).filter(Boolean).join('/')}: from apply -f`);
  return out;
}
