import type { PersistentVolumeClaim, ReplicaSet } from '../types.js';
import { getPodAddressKey, type PodRecord } from './pod-factory.js';

/** A pod the live cluster holds, with the simulated lifecycle around the controller's record. */
export interface LivePod extends PodRecord {
  createdAt: number;
  /** When the simulated start-up ends: Running, and Ready unless overridden. */
  readyAt: number;
  /** When a terminating pod is gone; undefined while it is not terminating. */
  goneAt: number | undefined;
  /** What the simulated readiness probe says once started (Pod manifests: their Ready condition). */
  probeReady: boolean;
  /** Set by `readiness pod NAME true|false`; undefined follows the probe. Dies with the pod. */
  readinessOverride: boolean | undefined;
  /** StatefulSet pods: the revision (template hash) they were created from; '' otherwise. */
  revision: string;
  /** ReplicaSet pods: the creation index their name derives from; -1 otherwise. */
  index: number;
}

/** The live cluster's own state: what the manifests cannot say. Plain data (JSON-safe, for the state file). */
export interface LiveCluster {
  pods: LivePod[];
  claims: PersistentVolumeClaim[];
  /** Deployment-owned ReplicaSets at their current scale (several while a rollout runs). */
  replicaSets: ReplicaSet[];
  /** `rs:ns/name` → next pod index; `pod:ns/name` → pods ever created under that name; `pvc:ns/name` → claims ever deleted. */
  counters: Record<string, number>;
  /** StatefulSets (`ns/name`) whose claims go with them (whenDeleted: Delete). */
  claimsDeletedWithSet: string[];
}

export interface ControllerOptions {
  /** Simulated start-up (and shutdown) time of every pod, in ms; 0 settles at once. */
  podReadyDelayMs: number;
}

/** A mutable working copy the controllers change during one settle; never escapes before settle returns. */
export interface Draft {
  live: LiveCluster;
  now: number;
  options: ControllerOptions;
  /** Lookups over `live` for one controller pass (see indexDraft); without it, controllers scan. */
  index?: DraftIndex;
}

/**
 * Pods by owner and by name, and claim keys, so one controller pass costs O(pods) rather than
 * O(workloads × pods). Valid while pods are only added (addPod) or marked; rebuilt when pods are dropped.
 */
export interface DraftIndex {
  /** `Kind/ns/name` of the owner → its pods, in `live.pods` order. */
  byOwner: Map<string, LivePod[]>;
  /** `ns/name` → the first pod of that name in `live.pods`. */
  byName: Map<string, LivePod>;
  /** `ns/name` of every claim. */
  claims: Set<string>;
}

/** `Kind/ns/name` of a pod's owner. */
export function getOwnerKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** Builds the index of the draft's current pods and claims (see DraftIndex). */
export function indexDraft(d: Draft): void {
  const index: DraftIndex = { byOwner: new Map(), byName: new Map(), claims: new Set() };
  d.index = index;
  for (const p of d.live.pods) addToIndex(index, p);
  for (const c of d.live.claims) index.claims.add(`${c.namespace}/${c.name}`);
}

function addToIndex(index: DraftIndex, p: LivePod): void {
  const nameKey = `${p.namespace}/${p.name}`;
  if (!index.byName.has(nameKey)) index.byName.set(nameKey, p);
  if (!p.owner) return;
  const key = getOwnerKey(p.owner.kind, p.namespace, p.owner.name);
  const list = index.byOwner.get(key);
  if (list) list.push(p);
  else index.byOwner.set(key, [p]);
}

/** The pods of one owner (terminating ones included), in `live.pods` order; a fresh array. */
export function getOwnedPods(d: Draft, kind: string, namespace: string, name: string): LivePod[] {
  if (d.index) return [...(d.index.byOwner.get(getOwnerKey(kind, namespace, name)) ?? [])];
  return d.live.pods.filter((p) => p.namespace === namespace && p.owner?.kind === kind && p.owner.name === name);
}

/** The first pod named `namespace/name` (terminating or not), or undefined. */
export function findPodByName(d: Draft, namespace: string, name: string): LivePod | undefined {
  if (d.index) return d.index.byName.get(`${namespace}/${name}`);
  return d.live.pods.find((p) => p.namespace === namespace && p.name === name);
}

/** Whether a claim `namespace/name` exists. */
export function hasClaim(d: Draft, namespace: string, name: string): boolean {
  if (d.index) return d.index.claims.has(`${namespace}/${name}`);
  return d.live.claims.some((c) => c.namespace === namespace && c.name === name);
}

/** Adds a claim (kept in the index). */
export function addClaim(d: Draft, claim: PersistentVolumeClaim): void {
  d.live.claims.push(claim);
  d.index?.claims.add(`${claim.namespace}/${claim.name}`);
}

/** Removes the given claims (kept in the index). */
export function removeClaims(d: Draft, gone: readonly PersistentVolumeClaim[]): void {
  const set = new Set(gone);
  d.live.claims = d.live.claims.filter((c) => !set.has(c));
  for (const c of gone) d.index?.claims.delete(`${c.namespace}/${c.name}`);
}

/** Running, not terminating, and the override (else the probe) says ready. */
export function isPodReady(p: LivePod): boolean {
  return p.phase === 'Running' && !p.terminating && (p.readinessOverride ?? p.probeReady);
}

/** Running and Ready and not terminating: what OrderedReady waits for. */
export function isPodHealthy(p: LivePod): boolean {
  return !p.terminating && p.phase === 'Running' && p.ready;
}

/** Creates a pod under the next incarnation of its name: Pending for the start-up delay, then Running. */
export function addPod(d: Draft, make: (incarnation: number) => PodRecord, extra: { probeReady?: boolean; revision?: string; index?: number } = {}): LivePod {
  const probe = make(0);
  const counterKey = `pod:${probe.namespace}/${probe.name}`;
  const incarnation = d.live.counters[counterKey] ?? 0;
  d.live.counters[counterKey] = incarnation + 1;
  // make is pure per incarnation: the probe already is the first incarnation's record.
  const record = incarnation === 0 ? probe : make(incarnation);
  const delay = d.options.podReadyDelayMs;
  // Every field written out (not `...record`): a spread with added fields is V8's slow path, and
  // this runs once per pod (100k times when a large cluster starts).
  const pod: LivePod = {
    namespace: record.namespace,
    name: record.name,
    labels: record.labels,
    hostname: record.hostname,
    subdomain: record.subdomain,
    requestedIPs: record.requestedIPs,
    containerPorts: record.containerPorts,
    origin: record.origin,
    owner: record.owner,
    ordinal: record.ordinal,
    claims: record.claims,
    addressKey: getPodAddressKey(record.namespace, record.name, incarnation),
    phase: delay > 0 ? 'Pending' : 'Running',
    ready: false,
    terminating: false,
    createdAt: d.now,
    readyAt: d.now + delay,
    goneAt: undefined,
    probeReady: extra.probeReady ?? true,
    readinessOverride: undefined,
    revision: extra.revision ?? '',
    index: extra.index ?? -1,
  };
  pod.ready = isPodReady(pod);
  d.live.pods.push(pod);
  if (d.index) addToIndex(d.index, pod);
  return pod;
}

/** Marks a pod terminating: it leaves every endpoint at once and is gone after the delay. False if it already was. */
export function terminatePod(d: Draft, p: LivePod): boolean {
  if (p.terminating) return false;
  p.terminating = true;
  p.ready = false;
  p.goneAt = d.now + d.options.podReadyDelayMs;
  return true;
}
