import { toDeploymentReplicaSet } from '../reconcile.js';
import { getDeploymentReplicaSetName } from '../names.js';
import type { Deployment, ReplicaSet } from '../types.js';
import { getOwnedPods, type Draft } from './pod-lifecycle.js';

/** maxSurge/maxUnavailable as a count of `replicas`: percentages round up for surge, down for unavailable. */
export function resolveIntOrPercent(v: number | string, replicas: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = Number(v.slice(0, -1)) / 100;
  return roundUp ? Math.ceil(pct * replicas) : Math.floor(pct * replicas);
}

/**
 * One step of the Deployment controller's RollingUpdate (pkg/controller/deployment/rolling.go):
 * the ReplicaSet of the current template (`<deploy>-<pod-template-hash>`) scales up while the total
 * stays within replicas+maxSurge; old ReplicaSets scale down while at least replicas-maxUnavailable
 * pods stay available. Old ReplicaSets at 0 with no pods left are removed. True when it changed anything.
 */
export function syncDeployment(dep: Deployment, d: Draft): boolean {
  let changed = false;
  const owned = () => d.live.replicaSets.filter((rs) => rs.namespace === dep.namespace && rs.owner?.kind === 'Deployment' && rs.owner.name === dep.name);
  const newName = getDeploymentReplicaSetName(dep.name, dep.templateHash);
  let current = owned().find((rs) => rs.name === newName);
  if (!current) {
    current = toDeploymentReplicaSet(dep, dep.templateHash, 0);
    d.live.replicaSets.push(current);
    changed = true;
  }
  const olds = owned().filter((rs) => rs !== current);
  const setScale = (rs: ReplicaSet, n: number) => {
    if (rs.replicas === n) return;
    const i = d.live.replicaSets.indexOf(rs);
    d.live.replicaSets[i] = { ...rs, replicas: n };
    if (rs === current) current = d.live.replicaSets[i];
    changed = true;
  };

  if (olds.length === 0) {
    setScale(current, dep.replicas);
    return changed;
  }
  let surge = resolveIntOrPercent(dep.maxSurge, dep.replicas, true);
  const unavailable = resolveIntOrPercent(dep.maxUnavailable, dep.replicas, false);
  if (surge === 0 && unavailable === 0) surge = 1;
  const total = () => owned().reduce((n, rs) => n + rs.replicas, 0);
  const readyOf = (rs: ReplicaSet) => getOwnedPods(d, 'ReplicaSet', rs.namespace, rs.name).filter((p) => p.ready && !p.terminating).length;

  if (total() < dep.replicas + surge && current.replicas < dep.replicas) {
    setScale(current, Math.min(dep.replicas, current.replicas + dep.replicas + surge - total()));
  } else if (current.replicas > dep.replicas) setScale(current, dep.replicas);

  const newUnavailable = Math.max(0, current.replicas - readyOf(current));
  let canScaleDown = total() - (dep.replicas - unavailable) - newUnavailable;
  for (const old of [...olds].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (canScaleDown <= 0) break;
    const by = Math.min(old.replicas, canScaleDown);
    if (by > 0) setScale(old, old.replicas - by);
    canScaleDown -= by;
  }
  for (const old of owned().filter((rs) => rs.name !== newName)) {
    if (old.replicas === 0 && getOwnedPods(d, 'ReplicaSet', old.namespace, old.name).length === 0) {
      d.live.replicaSets = d.live.replicaSets.filter((rs) => rs !== old);
      changed = true;
    }
  }
  return changed;
}
