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
}

export function newOverlays(): Overlays {
  return { statefulSetReplicas: {}, deletedPods: [], applied: [] };
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
  return {
    ...desired,
    statefulSets: desired.statefulSets.map((s) => {
      const r = overlays.statefulSetReplicas[`${s.namespace}/${s.name}`];
      return r === undefined ? s : { ...s, replicas: r };
    }),
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
  for (const key of [...overlays.deletedPods].sort()) out.push(`pod ${key}: deleted (files define it)`);
  for (const key of appliedKeys) out.push(`${key.split('/')[0].toLowerCase()} ${key.split('/').slice(1).filter(Boolean).join('/')}: from apply -f`);
  return out;
}
