import type { ReplicaSet } from '../types.js';
import { newReplicaSetPod } from './pod-factory.js';
import { addPod, findPodByName, getOwnedPods, terminatePod, type Draft } from './pod-lifecycle.js';

/**
 * One step of the ReplicaSet controller: creates pods until `replicas` are not terminating, each under
 * a new name `<rs>-<5 chars>` (the name's seed is the set's creation counter, so a replacement never
 * reuses a name); removes extras not-ready first, then the newest. True when it changed anything.
 */
export function syncReplicaSet(rs: ReplicaSet, d: Draft): boolean {
  const active = getOwnedPods(d, 'ReplicaSet', rs.namespace, rs.name).filter((p) => !p.terminating);
  let changed = false;
  const counterKey = `rs:${rs.namespace}/${rs.name}`;
  for (let missing = rs.replicas - active.length; missing > 0; ) {
    const index = d.live.counters[counterKey] ?? 0;
    d.live.counters[counterKey] = index + 1;
    const candidate = newReplicaSetPod(rs, index);
    if (findPodByName(d, rs.namespace, candidate.name)) continue;
    addPod(d, () => newReplicaSetPod(rs, index), { index });
    missing--;
    changed = true;
  }
  if (active.length > rs.replicas) {
    const victims = [...active].sort((a, b) => Number(a.ready) - Number(b.ready) || b.index - a.index);
    for (const p of victims.slice(0, active.length - rs.replicas)) changed = terminatePod(d, p) || changed;
  }
  return changed;
}
