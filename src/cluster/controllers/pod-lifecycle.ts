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
  const record = make(incarnation);
  const delay = d.options.podReadyDelayMs;
  const pod: LivePod = {
    ...record,
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
