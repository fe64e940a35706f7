// printPersistentVolumeClaim, with helper.GetAccessModesAsString and GetPersistentVolumeClaimClass.
import { toAge } from './human-duration.js';
import { toCanonicalQuantity } from './quantity.js';
import type { ApiObject, RowCells } from './table-types.js';

const ACCESS_MODES: [mode: string, short: string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];

/** `RWO,ROX,RWX,RWOP` in that fixed order, duplicates dropped. */
export function toAccessModesString(modes: readonly string[] | undefined): string {
  return ACCESS_MODES.filter(([m]) => (modes ?? []).includes(m))
    .map(([, s]) => s)
    .join(',');
}

/** The beta storage-class annotation wins over spec.storageClassName; "" when neither. */
export function getClaimClass(pvc: ApiObject): string {
  const ann = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (ann !== undefined) return ann;
  return pvc.spec?.storageClassName ?? '';
}

/** PVC: STATUS (Terminating when deleting), VOLUME, CAPACITY and ACCESS MODES (only once bound to a volume), STORAGECLASS, VOLUMEATTRIBUTESCLASS, AGE, VOLUMEMODE. */
export function toPersistentVolumeClaimCells(pvc: ApiObject, nowMs: number): RowCells {
  const phase = pvc.metadata?.deletionTimestamp != null ? 'Terminating' : pvc.status?.phase ?? '';
  const volumeName: string = pvc.spec?.volumeName ?? '';
  const bound = volumeName !== '';
  const storage = pvc.status?.capacity?.storage;
  const capacity = bound ? (storage === undefined ? '0' : toCanonicalQuantity(String(storage))) : '';
  return {
    cells: [
      pvc.metadata?.name ?? '',
      phase,
      volumeName,
      capacity,
      bound ? toAccessModesString(pvc.status?.accessModes) : '',
      getClaimClass(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      toAge(pvc.metadata?.creationTimestamp, nowMs),
      pvc.spec?.volumeMode ?? '<unset>',
    ],
  };
}
