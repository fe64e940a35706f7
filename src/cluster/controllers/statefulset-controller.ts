import type { StatefulSet } from '../types.js';
import { newStatefulSetClaims, newStatefulSetPod } from './pod-factory.js';
import { addClaim, addPod, getOwnedPods, hasClaim, isPodHealthy, removeClaims, terminatePod, type Draft, type LivePod } from './pod-lifecycle.js';

/**
 * One step of the StatefulSet controller (pkg/controller/statefulset, simplified):
 * - creates missing ordinals `[start, start+replicas)`; OrderedReady creates one pod and waits until
 *   it is Running and Ready, and never creates over a not-yet-gone pod of the same name; Parallel creates all;
 * - condemns ordinals outside the range, highest first; OrderedReady one at a time, only while the
 *   others are healthy;
 * - RollingUpdate replaces pods of an old revision from the highest ordinal down, one at a time.
 * A created pod mounts its claims, reusing a claim that is still there (same binding).
 * True when it changed anything.
 */
export function syncStatefulSet(sts: StatefulSet, d: Draft): boolean {
  const ordered = sts.podManagementPolicy === 'OrderedReady';
  const first = sts.ordinalsStart;
  const end = first + sts.replicas;
  const mine = getOwnedPods(d, 'StatefulSet', sts.namespace, sts.name);
  const byOrdinal = new Map(mine.map((p) => [p.ordinal, p]));
  let changed = false;

  for (let ordinal = first; ordinal < end; ordinal++) {
    const pod = byOrdinal.get(ordinal);
    if (!pod) {
      const created = createSetPod(sts, ordinal, d);
      // OrderedReady waits for each pod; one that is healthy at once (no start-up delay) lets the next start now,
      // as the next pass at the same instant would.
      if (ordered && !isPodHealthy(created)) return true;
      changed = true;
      continue;
    }
    if (ordered && !isPodHealthy(pod)) return changed;
  }
  if (changed) return true;

  const condemned = mine.filter((p) => p.ordinal < first || p.ordinal >= end).sort((a, b) => b.ordinal - a.ordinal);
  if (condemned.length > 0) {
    if (ordered) {
      if (mine.some((p) => p.terminating) || mine.some((p) => !condemned.includes(p) && !isPodHealthy(p))) return changed;
      return condemnPod(sts, condemned[0], d) || changed;
    }
    for (const p of condemned) changed = condemnPod(sts, p, d) || changed;
    return changed;
  }

  if (sts.updateStrategy === 'RollingUpdate') {
    if (mine.some((p) => !isPodHealthy(p))) return changed;
    const outdated = mine.filter((p) => p.revision !== sts.revision).sort((a, b) => b.ordinal - a.ordinal);
    if (outdated.length > 0) changed = terminatePod(d, outdated[0]) || changed;
  }
  return changed;
}

function createSetPod(sts: StatefulSet, ordinal: number, d: Draft): LivePod {
  const generationOf = (claim: string) => d.live.counters[`pvc:${sts.namespace}/${claim}`] ?? 0;
  for (const claim of newStatefulSetClaims(sts, ordinal, generationOf)) {
    if (!hasClaim(d, claim.namespace, claim.name)) addClaim(d, claim);
  }
  return addPod(d, (n) => newStatefulSetPod(sts, ordinal, n), { revision: sts.revision });
}

/** Scale-down: the pod terminates; its claims go too only when whenScaled is Delete. */
function condemnPod(sts: StatefulSet, pod: LivePod, d: Draft): boolean {
  if (pod.terminating) return false;
  terminatePod(d, pod);
  if (sts.claimRetention.whenScaled === 'Delete') deleteClaims(d, (c) => c.namespace === sts.namespace && c.owner.statefulSet === sts.name && c.owner.ordinal === pod.ordinal);
  return true;
}

/** Claims of removed sets go when their set said whenDeleted: Delete; otherwise they stay for a set of the same name. */
export function syncStatefulSetClaims(sets: readonly StatefulSet[], d: Draft): boolean {
  const present = new Set(sets.map((s) => `${s.namespace}/${s.name}`));
  const deleteWith = new Set(sets.filter((s) => s.claimRetention.whenDeleted === 'Delete').map((s) => `${s.namespace}/${s.name}`));
  let changed = false;
  for (const key of d.live.claimsDeletedWithSet) {
    if (present.has(key)) continue;
    changed = deleteClaims(d, (c) => `${c.namespace}/${c.owner.statefulSet}` === key) || changed;
  }
  const next = [...deleteWith].sort();
  if (JSON.stringify(next) !== JSON.stringify(d.live.claimsDeletedWithSet)) {
    d.live.claimsDeletedWithSet = next;
    changed = true;
  }
  return changed;
}

function deleteClaims(d: Draft, match: (c: Draft['live']['claims'][number]) => boolean): boolean {
  const gone = d.live.claims.filter(match);
  if (gone.length === 0) return false;
  for (const c of gone) d.live.counters[`pvc:${c.namespace}/${c.name}`] = (d.live.counters[`pvc:${c.namespace}/${c.name}`] ?? 0) + 1;
  removeClaims(d, gone);
  return true;
}
