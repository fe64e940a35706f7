// printNamespace.
import { toAge } from './human-duration.js';
import type { ApiObject, RowCells } from './table-types.js';

/** Namespace: STATUS is the phase (Active, Terminating). */
export function toNamespaceCells(ns: ApiObject, nowMs: number): RowCells {
  return { cells: [ns.metadata?.name ?? '', ns.status?.phase ?? '', toAge(ns.metadata?.creationTimestamp, nowMs)] };
}
