import type { ManifestObject } from '../manifest/manifest-object.js';
import type { ClusterState, Namespace } from './types.js';

/** One namespace's objects of a ClusterState (every list but the namespaces). */
export type NamespaceState = Omit<ClusterState, 'namespaces'>;

type NamespacedList = keyof NamespaceState;
const LISTS: readonly NamespacedList[] = ['services', 'pods', 'endpointSlices', 'statefulSets', 'replicaSets', 'deployments', 'persistentVolumeClaims'];

/** The objects of `namespace` in `state` (a ClusterState, whose lists hold each namespace as one run: see replaceNamespaceState), in their order. */
export function getNamespaceState(state: NamespaceState, namespace: string): NamespaceState {
  const run = <T extends { namespace: string }>(list: readonly T[]): T[] => {
    const [start, end] = findNamespaceRun(list, namespace);
    return list.slice(start, end);
  };
  const managed = run(state.endpointSlices);
  return {
    services: run(state.services),
    pods: run(state.pods),
    endpointSlices: [...managed, ...state.endpointSlices.filter((s) => !s.managed && s.namespace === namespace)],
    statefulSets: run(state.statefulSets),
    replicaSets: run(state.replicaSets),
    deployments: run(state.deployments),
    persistentVolumeClaims: run(state.persistentVolumeClaims),
  };
}

/** Whether a namespace part holds no object at all. */
export function isEmptyNamespaceState(part: NamespaceState): boolean {
  return LISTS.every((list) => part[list].length === 0);
}

/**
 * Whether a namespace part makes its namespace appear in the namespace list (as buildClusterState
 * lists it): any object but a claim does; a namespace left with only retained claims is not listed.
 */
export function isListedNamespaceState(part: NamespaceState): boolean {
  return LISTS.some((list) => list !== 'persistentVolumeClaims' && part[list].length > 0);
}

/**
 * `state` with the objects of `namespace` replaced by `part`'s, everything else shared. Each list
 * holds a namespace's objects as one run, the runs ordered by `<namespace>/` (lists sorted by
 * `namespace/name`; the controller-made endpoint slices follow their sorted Services), so the run is
 * cut out and the new one put in its place: the same lists a whole rebuild gives. Endpoint slices
 * from manifests are not in such runs: the caller rebuilds whole when either side has any.
 */
export function replaceNamespaceState(state: ClusterState, namespace: string, part: NamespaceState, namespaces: readonly Namespace[] = state.namespaces): ClusterState {
  const run = <T extends { namespace: string }>(list: readonly T[], part: readonly T[]): T[] => replaceRun(list, namespace, part);
  const next: ClusterState = {
    namespaces,
    services: run(state.services, part.services),
    pods: run(state.pods, part.pods),
    // The controller's slices (in runs) come first; the manifests' follow and are kept as they are.
    endpointSlices: run(state.endpointSlices, part.endpointSlices),
    statefulSets: run(state.statefulSets, part.statefulSets),
    replicaSets: run(state.replicaSets, part.replicaSets),
    deployments: run(state.deployments, part.deployments),
    persistentVolumeClaims: run(state.persistentVolumeClaims, part.persistentVolumeClaims),
  };
  return next;
}

function replaceRun<T extends { namespace: string }>(list: readonly T[], namespace: string, run: readonly T[]): T[] {
  const [start, end] = findNamespaceRun(list, namespace);
  // The same objects (a Service edit leaves the pods as they were): the list is shared, not copied.
  if (end - start === run.length && run.every((o, i) => o === list[start + i])) return list as T[];
  // One copy into an array of the final length (the lists of a 100k-pod cluster are copied on every change).
  const out: T[] = new Array(list.length - (end - start) + run.length);
  let k = 0;
  for (let i = 0; i < start; i++) out[k++] = list[i];
  for (const o of run) out[k++] = o;
  for (let i = end; i < list.length; i++) out[k++] = list[i];
  return out;
}

/**
 * Where `namespace`'s run lies in `list` ([start, end)), or where it would go (start = end), by a
 * binary search: the runs are ordered by `<namespace>/` (a prefix of the `namespace/name` keys the
 * lists are sorted by). Endpoint slices from manifests follow the controller's runs, outside the search.
 */
export function findNamespaceRun(list: readonly { namespace: string; managed?: boolean }[], namespace: string): [number, number] {
  const key = `${namespace}/`;
  let limit = list.length;
  while (limit > 0 && list[limit - 1].managed === false) limit--;
  let start = 0;
  let high = limit;
  while (start < high) {
    const mid = (start + high) >>> 1;
    if (`${list[mid].namespace}/` < key) start = mid + 1;
    else high = mid;
  }
  let end = start;
  while (end < limit && list[end].namespace === namespace) end++;
  return [start, end];
}

/** Manifests by namespace (`defaultNamespace` for those naming none); cluster-scoped objects (Namespace) under ''. */
export function groupManifestsByNamespace(objects: readonly ManifestObject[], defaultNamespace: string): Map<string, ManifestObject[]> {
  const groups = new Map<string, ManifestObject[]>();
  for (const m of objects) {
    const ns = m.kind === 'Namespace' ? '' : (m.namespace ?? defaultNamespace);
    const list = groups.get(ns);
    if (list) list.push(m);
    else groups.set(ns, [m]);
  }
  return groups;
}

/**
 * The namespaces whose manifests differ between two groupings: in order, the same objects, or
 * objects read again from a changed file with the same body at the same place. A file holding a
 * Namespace and its objects (one file per namespace, as the bench's) is read again whole when one
 * of them changes: its Namespace object is new, but the cluster-scoped group has not changed.
 */
export function findChangedNamespaces(before: ReadonlyMap<string, readonly ManifestObject[]>, after: ReadonlyMap<string, readonly ManifestObject[]>): Set<string> {
  const changed = new Set<string>();
  const isSame = (a: ManifestObject, b: ManifestObject): boolean =>
    a === b || (a.kind === b.kind && a.name === b.name && a.namespace === b.namespace && a.apiVersion === b.apiVersion && a.source.file === b.source.file && a.source.line === b.source.line && a.source.col === b.source.col && isSameJson(a.body, b.body));
  for (const [ns, list] of after) {
    const old = before.get(ns);
    if (!old || old.length !== list.length || list.some((m, i) => !isSame(m, old[i]))) changed.add(ns);
  }
  for (const ns of before.keys()) if (!after.has(ns)) changed.add(ns);
  return changed;
}

/**
 * Whether two plain data values serialise to the same JSON (properties in the same order, undefined
 * ones left out), without serialising them: a namespace's reconcile compares its 1000s of objects.
 * Never true where JSON.stringify would differ (NaN, for one, is never the same).
 */
export function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] === undefined || b[i] === undefined || !isSameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < kx.length && x[kx[i]] === undefined) i++;
    while (j < ky.length && y[ky[j]] === undefined) j++;
    if (i === kx.length || j === ky.length) return i === kx.length && j === ky.length;
    if (kx[i] !== ky[j] || !isSameJson(x[kx[i]], y[ky[j]])) return false;
    i++;
    j++;
  }
}

/**
 * `after` with every object equal (as JSON) to the object of the same name in `before` replaced by
 * that older object. A reload that changes one Service rebuilds its namespace's pods and slices; keeping
 * the unchanged ones lets the new copies die young instead of being kept (and copied by the GC).
 */
export function keepUnchangedObjects(before: NamespaceState, after: NamespaceState): NamespaceState {
  const keep = <T extends { namespace: string; name: string }>(old: readonly T[], next: readonly T[]): T[] => {
    const byName = new Map(old.map((o) => [o.name, o]));
    return next.map((o) => {
      const prev = byName.get(o.name);
      return prev && isSameJson(prev, o) ? prev : o;
    });
  };
  return {
    services: keep(before.services, after.services),
    pods: keep(before.pods, after.pods),
    endpointSlices: keep(before.endpointSlices, after.endpointSlices),
    statefulSets: keep(before.statefulSets, after.statefulSets),
    replicaSets: keep(before.replicaSets, after.replicaSets),
    deployments: keep(before.deployments, after.deployments),
    persistentVolumeClaims: keep(before.persistentVolumeClaims, after.persistentVolumeClaims),
  };
}
