import { stringify } from 'yaml';

/** A kubectl-shaped object as the admin API returns it. */
type Obj = { metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string; deletionTimestamp?: string }; [k: string]: any };

export type OutputFormat = 'table' | 'wide' | 'yaml' | 'json';

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** `5s`, `3m12s`, `2h` as kubectl prints ages; `<unknown>` without a timestamp. */
export function formatAge(created: string | undefined, nowMs: number): string {
  if (!created) return '<unknown>';
  const s = Math.max(0, Math.floor((nowMs - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  if (s < 3 * 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

function ports(o: Obj): string {
  const list = (o.spec?.ports ?? []) as { port: number; protocol: string }[];
  return list.length ? list.map((p) => `${p.port}/${p.protocol}`).join(',') : '<none>';
}

const COLUMNS: Record<string, { head: string[]; row: (o: Obj, now: number) => string[]; wideHead?: string[]; wideRow?: (o: Obj) => string[] }> = {
  pods: {
    head: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    row: (o, now) => {
      const ready = o.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status === 'True';
      return [o.metadata.name, ready ? '1/1' : '0/1', o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase === 'Pending' ? 'ContainerCreating' : o.status?.phase, '0', formatAge(o.metadata.creationTimestamp, now)];
    },
    wideHead: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    wideRow: (o) => [o.status?.podIP ?? '<none>', 'sim-node', '<none>', '<none>'],
  },
  services: {
    head: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    row: (o, now) => [o.metadata.name, o.spec.type, o.spec.clusterIP ?? '<none>', o.spec.externalName ?? '<none>', ports(o), formatAge(o.metadata.creationTimestamp, now)],
    wideHead: ['SELECTOR'],
    wideRow: (o) => [o.spec.selector ? Object.entries(o.spec.selector).map(([k, v]) => `${k}=${v}`).join(',') : '<none>'],
  },
  endpointslices: {
    head: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    row: (o, now) => {
      const eps = (o.endpoints as { addresses: string[] }[]).flatMap((e) => e.addresses);
      const shown = eps.length > 3 ? `${eps.slice(0, 3).join(',')} + ${eps.length - 3} more...` : eps.join(',') || '<unset>';
      const ps = (o.ports as { port: number }[]).map((p) => String(p.port)).join(',') || '<unset>';
      return [o.metadata.name, o.addressType, ps, shown, formatAge(o.metadata.creationTimestamp, now)];
    },
  },
  statefulsets: {
    head: ['NAME', 'READY', 'AGE'],
    row: (o, now) => [o.metadata.name, `${o.status.readyReplicas}/${o.spec.replicas}`, formatAge(o.metadata.creationTimestamp, now)],
    wideHead: ['SERVICE', 'POLICY'],
    wideRow: (o) => [o.spec.serviceName ?? '<none>', o.spec.podManagementPolicy],
  },
  persistentvolumeclaims: {
    head: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'AGE'],
    row: (o, now) => [o.metadata.name, o.status.phase, o.spec.volumeName, o.status.capacity?.storage ?? '', (o.spec.accessModes as string[]).map((m) => ACCESS_MODES[m] ?? m).join(','), o.spec.storageClassName ?? '<unset>', formatAge(o.metadata.creationTimestamp, now)],
  },
};

/** Renders a List as kubectl does for the format; `allNamespaces` adds the NAMESPACE column. */
export function formatList(resource: string, list: { items: Obj[] }, format: OutputFormat, allNamespaces: boolean, nowMs: number): string {
  if (format === 'json') return `${JSON.stringify(list, null, 4)}\n`;
  if (format === 'yaml') return stringify(list);
  const c = COLUMNS[resource];
  if (list.items.length === 0) return '';
  const wide = format === 'wide' && c.wideHead;
  const rows = [
    [...(allNamespaces ? ['NAMESPACE'] : []), ...c.head, ...(wide ? c.wideHead! : [])],
    ...list.items.map((o) => [...(allNamespaces ? [o.metadata.namespace ?? ''] : []), ...c.row(o, nowMs), ...(wide ? c.wideRow!(o) : [])]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}
