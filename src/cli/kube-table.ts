import { stringify } from 'yaml';

/**
 * kubectl's output of what the Kubernetes API returns: a server-side `Table` printed as kubectl's
 * table printer does (columns of priority 0, all of them for `-o wide`, NAMESPACE first for `-A`,
 * columns padded by three spaces), and lists as `-o json` / `-o yaml` print them (a `List` whose
 * items carry apiVersion and kind).
 */

export type OutputFormat = 'table' | 'wide' | 'yaml' | 'json';

interface TableColumn {
  name: string;
  priority: number;
}
interface Table {
  columnDefinitions: TableColumn[] | null;
  rows: { cells: unknown[]; object?: { metadata?: { namespace?: string } } }[];
}

/** Renders a Table as kubectl does; '' when it has no rows. `resourcePrefix` (`pod/`) when several kinds are printed. */
export function formatTable(table: Table, wide: boolean, allNamespaces: boolean): string {
  if (table.rows.length === 0) return '';
  const columns = (table.columnDefinitions ?? []).map((c, i) => ({ ...c, i })).filter((c) => wide || c.priority === 0);
  const cell = (v: unknown) => (v === null || v === undefined ? '<none>' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const rows = [
    [...(allNamespaces ? ['NAMESPACE'] : []), ...columns.map((c) => c.name.toUpperCase())],
    ...table.rows.map((r) => [...(allNamespaces ? [r.object?.metadata?.namespace ?? ''] : []), ...columns.map((c) => cell(r.cells[c.i]))]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}

/** A `<Kind>List` from the API as kubectl prints it with -o json|yaml: `kind: List`, items with apiVersion and kind. */
export function formatList(list: { apiVersion: string; kind: string; items: Record<string, unknown>[] }, format: 'json' | 'yaml'): string {
  const kind = list.kind.replace(/List$/, '');
  const out = { apiVersion: 'v1', items: list.items.map((o) => ({ apiVersion: list.apiVersion, kind, ...o })), kind: 'List', metadata: { resourceVersion: '' } };
  return format === 'json' ? `${JSON.stringify(out, null, 4)}\n` : stringify(out);
}
