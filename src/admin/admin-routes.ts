import type { AdminRoute } from './admin-server.js';
import type { ClusterSnapshot } from '../runtime/cluster-snapshot.js';
import type { QueryCounters } from '../dns/server/query-handler.js';
import { renderRecords } from '../dns/records/zone-file.js';

/** What the admin routes may read (and, through later additions, change) of the running server. */
export interface AdminContext {
  getSnapshot(): ClusterSnapshot;
  counters: QueryCounters;
}

/** Every admin route; each feature adds its own route list here. */
export function buildAdminRoutes(ctx: AdminContext): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/version',
      handle: () => ({ status: 200, body: JSON.stringify({ name: 'kube-dns-sim', serial: ctx.getSnapshot().index.serial }) }),
    },
    {
      // `?format=zone|json` (default zone), `&zone=Z` repeatable: what `records --server` prints.
      method: 'GET',
      path: '/records',
      handle: (req) => {
        const format = req.query.get('format') ?? 'zone';
        if (format !== 'zone' && format !== 'json') return { status: 400, body: JSON.stringify({ error: `format ${format} is not zone or json` }) };
        const { text, unknown } = renderRecords(ctx.getSnapshot().index, format, req.query.getAll('zone'));
        if (unknown.length) return { status: 404, body: JSON.stringify({ error: `zone ${unknown.join(', ')} is not served` }) };
        return { status: 200, body: text, contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/dns; charset=utf-8' };
      },
    },
  ];
}
