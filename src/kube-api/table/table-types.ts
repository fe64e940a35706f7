// meta.k8s.io/v1 Table as the apiserver serialises it (field order kept).

/** One column: `priority` 0 shows by default, 1 only with `-o wide`. */
export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

/** A row condition (pods that finished carry `Completed`). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** One row: cells in column order, then `conditions` when any, then `object` (null with includeObject=None). */
export interface TableRow {
  cells: (string | number | boolean)[];
  conditions?: TableRowCondition[];
  object: Record<string, unknown> | null;
}

/** The Table; `columnDefinitions` is null when headers are omitted (watch events after the first). */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** An API object as JSON, as the apiserver returns it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON read field by field, as the apiserver's printers read it
export type ApiObject = Record<string, any>;

/** Cells for one object, plus row conditions when the kind sets them. */
export interface RowCells {
  cells: (string | number | boolean)[];
  conditions?: TableRowCondition[];
}
