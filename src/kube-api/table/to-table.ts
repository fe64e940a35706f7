// The apiserver's Table conversion: printers' TableGenerator (always wide) plus handlers/response.go asTable (includeObject).
import { COLUMN_DEFINITIONS, DEFAULT_COLUMN_DEFINITIONS, type PrintedKind } from './column-definitions.js';
import { toEndpointSliceCells, toEndpointsCells } from './endpoint-cells.js';
import { toNamespaceCells } from './namespace-cells.js';
import { toPersistentVolumeClaimCells } from './pvc-cells.js';
import { toPodCells } from './pod-cells.js';
import { toServiceCells } from './service-cells.js';
import type { ApiObject, RowCells, Table, TableRow } from './table-types.js';
import { toDeploymentCells, toReplicaSetCells, toStatefulSetCells } from './workload-cells.js';

/** What each row carries besides its cells (metav1.IncludeObjectPolicy). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Options of one Table conversion. */
export interface TableOptions {
  /** Wall clock in ms, for AGE and restart ages. */
  now: number;
  /** Default `Metadata`: a PartialObjectMetadata per row. */
  includeObject?: IncludeObject;
  /** Omit column definitions (`columnDefinitions: null`), as for watch events after the first. */
  noHeaders?: boolean;
  /** The list's (or object's) resourceVersion, copied into the Table's metadata. */
  resourceVersion?: string;
  /** The list's continue token, when paginating. */
  continue?: string;
  /** Which meta.k8s.io version was negotiated; default `v1`. */
  version?: 'v1' | 'v1beta1';
}

const CELLS: Record<PrintedKind, (obj: ApiObject, nowMs: number) => RowCells> = {
  Pod: toPodCells,
  Service: toServiceCells,
  Endpoints: toEndpointsCells,
  EndpointSlice: toEndpointSliceCells,
  StatefulSet: toStatefulSetCells,
  ReplicaSet: toReplicaSetCells,
  Deployment: toDeploymentCells,
  PersistentVolumeClaim: toPersistentVolumeClaimCells,
  Namespace: toNamespaceCells,
};

/** Whether `kind` has its own printer columns (others get Name and Created At). */
export function isPrintedKind(kind: string): kind is PrintedKind {
  return Object.prototype.hasOwnProperty.call(CELLS, kind);
}

/** rest.DefaultTableConvertor cells: name and creationTimestamp as RFC 3339 (UTC, seconds). */
function toDefaultCells(obj: ApiObject): RowCells {
  const ts = obj.metadata?.creationTimestamp;
  const ms = typeof ts === 'string' ? Date.parse(ts) : NaN;
  return { cells: [obj.metadata?.name ?? '', Number.isNaN(ms) ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')] };
}

/** meta.AsPartialObjectMetadata: the object's metadata (Go prints an unset creationTimestamp as null). */
function toPartialObjectMetadata(obj: ApiObject, apiVersion: string): Record<string, unknown> {
  const metadata = { ...(obj.metadata ?? {}) };
  if (!('creationTimestamp' in metadata)) metadata.creationTimestamp = null;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata };
}

/** A meta.k8s.io Table of `objects` of one `kind`, cells and columns exactly as the apiserver prints them (wide columns included). */
export function toTable(kind: string, objects: readonly ApiObject[], options: TableOptions): Table {
  const apiVersion = options.version === 'v1beta1' ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1';
  const include = options.includeObject ?? 'Metadata';
  const cellsOf = isPrintedKind(kind) ? CELLS[kind] : toDefaultCells;
  const columns = isPrintedKind(kind) ? COLUMN_DEFINITIONS[kind] : DEFAULT_COLUMN_DEFINITIONS;
  const rows = objects.map((obj): TableRow => {
    const { cells, conditions } = cellsOf(obj, options.now);
    const object = include === 'Object' ? obj : include === 'Metadata' ? toPartialObjectMetadata(obj, apiVersion) : null;
    return conditions ? { cells, conditions, object } : { cells, object };
  });
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  return { kind: 'Table', apiVersion, metadata, columnDefinitions: options.noHeaders ? null : columns.map((c) => ({ ...c })), rows };
}
