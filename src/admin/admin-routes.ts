import type { AdminRoute } from './admin-server.js';
import type { ClusterSnapshot } from '../runtime/cluster-snapshot.js';
import type { QueryCounters } from '../dns/server/query-handler.js';
import { buildClusterRoutes, type LiveClusterControl } from './cluster-routes.js';

/** What the admin routes may read (and, through later additions, change) of the running server. */
export interface AdminContext {
  getSnapshot(): ClusterSnapshot;
  counters: QueryCounters;
  /** The live cluster, when the server runs one (get/delete/scale/apply/readiness). */
  live?: LiveClusterControl;
}

/** Every admin route; each feature adds its own route list here. */
export function buildAdminRoutes(ctx: AdminContext): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/version',
      handle: () => ({ status: 200, body: JSON.stringify({ name: 'kube-dns-sim', serial: ctx.getSnapshot().index.serial }) }),
    },
    ...(ctx.live ? buildClusterRoutes(ctx.live) : []),
  ];
}
