// printStatefulSet, printReplicaSet, printDeployment, with layoutContainerCells.
import { formatLabelSelector, toLabelSelector } from '../selectors/label-selector-object.js';
import { toAge } from './human-duration.js';
import type { ApiObject, RowCells } from './table-types.js';

/** layoutContainerCells: container names and images of the pod template, comma-joined. */
export function toContainerCells(obj: ApiObject): [names: string, images: string] {
  const containers = (obj.spec?.template?.spec?.containers ?? []) as { name?: string; image?: string }[];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}

/** spec.replicas as defaulted by the apiserver (1 when unset). */
const getDesired = (obj: ApiObject): number => obj.spec?.replicas ?? 1;

/** StatefulSet: READY `ready/desired`, AGE, CONTAINERS, IMAGES. */
export function toStatefulSetCells(sts: ApiObject, nowMs: number): RowCells {
  return { cells: [sts.metadata?.name ?? '', `${sts.status?.readyReplicas ?? 0}/${getDesired(sts)}`, toAge(sts.metadata?.creationTimestamp, nowMs), ...toContainerCells(sts)] };
}

/** ReplicaSet: DESIRED, CURRENT, READY as integers, AGE, CONTAINERS, IMAGES, SELECTOR (`<none>` when empty). */
export function toReplicaSetCells(rs: ApiObject, nowMs: number): RowCells {
  const s = rs.status ?? {};
  return { cells: [rs.metadata?.name ?? '', getDesired(rs), s.replicas ?? 0, s.readyReplicas ?? 0, toAge(rs.metadata?.creationTimestamp, nowMs), ...toContainerCells(rs), formatLabelSelector(rs.spec?.selector)] };
}

/** Deployment: READY `ready/desired`, UP-TO-DATE and AVAILABLE as integers, AGE, CONTAINERS, IMAGES, SELECTOR (`` when empty, `<invalid>` when bad). */
export function toDeploymentCells(d: ApiObject, nowMs: number): RowCells {
  const s = d.status ?? {};
  const { selector } = toLabelSelector(d.spec?.selector);
  return {
    cells: [d.metadata?.name ?? '', `${s.readyReplicas ?? 0}/${getDesired(d)}`, s.updatedReplicas ?? 0, s.availableReplicas ?? 0, toAge(d.metadata?.creationTimestamp, nowMs), ...toContainerCells(d), selector ? selector.toString() : '<invalid>'],
  };
}
