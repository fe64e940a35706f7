export type { ControllerOptions, LiveCluster, LivePod } from './pod-lifecycle.js';
import { buildClusterState, type ClusterOptions, type DesiredCluster, type ReconcileResult } from '../reconcile.js';
import { newBarePod } from './pod-factory.js';
import { addPod, findPodByName, indexDraft, isPodReady, terminatePod, type ControllerOptions, type Draft, type LiveCluster, type LivePod } from './pod-lifecycle.js';
import { syncStatefulSet, syncStatefulSetClaims } from './statefulset-controller.js';
import { syncDeployment } from './deployment-controller.js';
import { syncReplicaSet } from './replicaset-controller.js';

/**
 * A working copy the controllers may change: new arrays, a new counters object and a shallow copy
 * of each pod. Controllers only set pods' own fields and replace (never edit) claims, ReplicaSets,
 * labels and port lists, so these stay shared; a deep clone of 100k pods cost ~0.9 s per change.
 */
export function copyLiveCluster(live: LiveCluster): LiveCluster {
  return {
    pods: live.pods.map(copyLivePod),
    claims: [...live.claims],
    replicaSets: [...live.replicaSets],
    counters: { ...live.counters },
    claimsDeletedWithSet: [...live.claimsDeletedWithSet],
  };
}

/** A shallow copy of a pod, every field written out: `{ ...pod }` of these 22 fields took 6 µs a pod. */
function copyLivePod(p: LivePod): LivePod {
  return {
    namespace: p.namespace,
    name: p.name,
    labels: p.labels,
    hostname: p.hostname,
    subdomain: p.subdomain,
    requestedIPs: p.requestedIPs,
    containerPorts: p.containerPorts,
    origin: p.origin,
    owner: p.owner,
    ordinal: p.ordinal,
    claims: p.claims,
    addressKey: p.addressKey,
    phase: p.phase,
    ready: p.ready,
    terminating: p.terminating,
    createdAt: p.createdAt,
    readyAt: p.readyAt,
    goneAt: p.goneAt,
    probeReady: p.probeReady,
    readinessOverride: p.readinessOverride,
    revision: p.revision,
    index: p.index,
  };
}

export function newLiveCluster(): LiveCluster {
  return { pods: [], claims: [], replicaSets: [], counters: {}, claimsDeletedWithSet: [] };
}

/** Whether a live cluster (or a namespace's part of one) holds nothing at all. */
export function isEmptyLiveCluster(live: LiveCluster): boolean {
  return live.pods.length + live.claims.length + live.replicaSets.length + live.claimsDeletedWithSet.length === 0 && Object.keys(live.counters).length === 0;
}

export interface SettleResult {
  live: LiveCluster;
  /** The earliest future time a pod starts or finishes terminating; undefined when nothing is pending. */
  nextWakeAt: number | undefined;
}

/**
 * Runs every controller at time `now` until none has anything left to do. Pure: `live` is not
 * changed; the same inputs give the same result. Waiting pods (start-up, termination) make
 * `nextWakeAt`: settle again then.
 */
export function settleCluster(desired: DesiredCluster, live: LiveCluster, now: number, options: ControllerOptions): SettleResult {
  const draft: Draft = { live: copyLiveCluster(live), now, options };
  for (let i = 0; i < 100_000 && runControllers(desired, draft); i++);
  return { live: draft.live, nextWakeAt: getNextWakeAt(draft.live, now) };
}

/** The earliest time after `now` a pod of `live` starts or finishes terminating; undefined when none waits. */
export function getNextWakeAt(live: LiveCluster, now: number): number | undefined {
  let nextWakeAt: number | undefined;
  for (const p of live.pods) {
    const t = p.terminating ? p.goneAt : p.phase === 'Pending' ? p.readyAt : undefined;
    if (t !== undefined && t > now && (nextWakeAt === undefined || t < nextWakeAt)) nextWakeAt = t;
  }
  return nextWakeAt;
}

/**
 * A live cluster cut by namespace: controllers only ever relate objects of one namespace (pods,
 * claims, ReplicaSets, counters `kind:ns/name`, `ns/name` set keys), so each part settles alone.
 */
export function splitLiveCluster(live: LiveCluster): Map<string, LiveCluster> {
  const parts = new Map<string, LiveCluster>();
  const part = (ns: string): LiveCluster => {
    let p = parts.get(ns);
    if (!p) parts.set(ns, (p = newLiveCluster()));
    return p;
  };
  for (const p of live.pods) part(p.namespace).pods.push(p);
  for (const c of live.claims) part(c.namespace).claims.push(c);
  for (const rs of live.replicaSets) part(rs.namespace).replicaSets.push(rs);
  for (const [key, n] of Object.entries(live.counters)) {
    const colon = key.indexOf(':');
    part(key.slice(colon + 1, key.indexOf('/', colon))).counters[key] = n;
  }
  for (const key of live.claimsDeletedWithSet) part(key.slice(0, key.indexOf('/'))).claimsDeletedWithSet.push(key);
  return parts;
}

/** The parts of splitLiveCluster joined again (in the parts' order). */
export function mergeLiveClusters(parts: Iterable<LiveCluster>): LiveCluster {
  const live = newLiveCluster();
  for (const p of parts) {
    for (const x of p.pods) live.pods.push(x);
    for (const x of p.claims) live.claims.push(x);
    for (const x of p.replicaSets) live.replicaSets.push(x);
    Object.assign(live.counters, p.counters);
    for (const x of p.claimsDeletedWithSet) live.claimsDeletedWithSet.push(x);
  }
  return live;
}

/** One pass of every controller; true when anything changed. */
function runControllers(desired: DesiredCluster, d: Draft): boolean {
  let changed = advanceLifecycle(d);
  indexDraft(d);
  changed = syncBarePods(desired, d) || changed;
  const setKeys = new Set(desired.statefulSets.map((s) => `${s.namespace}/${s.name}`));
  for (const sts of desired.statefulSets) changed = syncStatefulSet(sts, d) || changed;
  changed = syncStatefulSetClaims(desired.statefulSets, d) || changed;
  for (const dep of desired.deployments) changed = syncDeployment(dep, d) || changed;
  const deploymentKeys = new Set(desired.deployments.map((x) => `${x.namespace}/${x.name}`));
  const before = d.live.replicaSets.length;
  d.live.replicaSets = d.live.replicaSets.filter((rs) => rs.owner && deploymentKeys.has(`${rs.namespace}/${rs.owner.name}`));
  changed = changed || d.live.replicaSets.length !== before;
  const replicaSets = [...desired.replicaSets.filter((rs) => !rs.owner), ...d.live.replicaSets];
  for (const rs of replicaSets) changed = syncReplicaSet(rs, d) || changed;

  // Orphans: pods whose owner is gone terminate (the garbage collector).
  const rsKeys = new Set(replicaSets.map((rs) => `${rs.namespace}/${rs.name}`));
  const podKeys = new Set(desired.pods.map((p) => `${p.namespace}/${p.name}`));
  for (const p of d.live.pods) {
    if (p.terminating) continue;
    const key = p.owner ? `${p.namespace}/${p.owner.name}` : `${p.namespace}/${p.name}`;
    const alive = !p.owner ? podKeys.has(key) : p.owner.kind === 'StatefulSet' ? setKeys.has(key) : rsKeys.has(key);
    if (!alive) changed = terminatePod(d, p) || changed;
  }
  return changed;
}

/** Start-up and termination timers; readiness from phase, probe and override. */
function advanceLifecycle(d: Draft): boolean {
  let changed = false;
  const kept = d.live.pods.filter((p) => !(p.terminating && p.goneAt !== undefined && p.goneAt <= d.now));
  if (kept.length !== d.live.pods.length) {
    d.live.pods = kept;
    changed = true;
  }
  for (const p of d.live.pods) {
    if (p.phase === 'Pending' && !p.terminating && p.readyAt <= d.now) {
      p.phase = 'Running';
      changed = true;
    }
    const ready = isPodReady(p);
    if (p.ready !== ready) {
      p.ready = ready;
      changed = true;
    }
  }
  return changed;
}

/** Pod manifests: created when missing, kept in step with their manifest. */
function syncBarePods(desired: DesiredCluster, d: Draft): boolean {
  let changed = false;
  for (const dp of desired.pods) {
    const existing = findPodByName(d, dp.namespace, dp.name);
    if (!existing) {
      addPod(d, (n) => newBarePod(dp, n), { probeReady: dp.ready });
      changed = true;
    } else if (!existing.owner && !existing.terminating) {
      const fresh = { labels: dp.labels, hostname: dp.hostname, subdomain: dp.subdomain, requestedIPs: dp.requestedIPs, containerPorts: dp.containerPorts, origin: dp.origin, probeReady: dp.ready };
      if (JSON.stringify(fresh) !== JSON.stringify({ labels: existing.labels, hostname: existing.hostname, subdomain: existing.subdomain, requestedIPs: existing.requestedIPs, containerPorts: existing.containerPorts, origin: existing.origin, probeReady: existing.probeReady })) {
        Object.assign(existing, structuredClone(fresh));
        changed = true;
      }
    }
  }
  return changed;
}

/** `kubectl delete pod`: the pod terminates; its controller (if any) replaces it. Undefined when no such pod. */
export function deleteLivePod(live: LiveCluster, namespace: string, name: string, now: number, options: ControllerOptions): LiveCluster | undefined {
  const draft: Draft = { live: copyLiveCluster(live), now, options };
  const pod = draft.live.pods.find((p) => p.namespace === namespace && p.name === name && !p.terminating);
  if (!pod) return undefined;
  terminatePod(draft, pod);
  return draft.live;
}

/** Forces a pod's readiness (`true`/`false`) or returns it to the probe (`undefined`). Undefined when no such pod. */
export function setLivePodReadiness(live: LiveCluster, namespace: string, name: string, ready: boolean | undefined): LiveCluster | undefined {
  const next = copyLiveCluster(live);
  const pod = next.pods.find((p) => p.namespace === namespace && p.name === name && !p.terminating);
  if (!pod) return undefined;
  pod.readinessOverride = ready;
  pod.ready = isPodReady(pod);
  return next;
}

/** The ClusterState of a live cluster: its pods, claims and ReplicaSets with the manifests' Services. */
export function buildLiveClusterState(desired: DesiredCluster, live: LiveCluster, options: ClusterOptions): ReconcileResult {
  const replicaSets = [...desired.replicaSets.filter((rs) => !rs.owner), ...live.replicaSets];
  return buildClusterState(desired, { pods: live.pods, claims: live.claims, replicaSets }, options);
}
