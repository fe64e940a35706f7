import type { AdminRoute } from './admin-server.js';
import type { ClusterSnapshot } from '../runtime/cluster-snapshot.js';
import type { QueryCounters } from '../dns/server/query-handler.js';
import { buildClusterRoutes, type LiveClusterControl } from './cluster-routes.js';
import type { UpstreamCounters } from '../dns/forward/forwarder.js';
import { buildHealthRoutes } from './health-routes.js';
import { buildMetricsRoutes } from './metrics-routes.js';
import { buildExplainRoutes } from './explain-routes.js';
import { renderRecords } from '../dns/records/zone-file.js';
import type { KubeApi } from '../kube-api/kube-api.js';
import { buildVersionInfo } from '../kube-api/discovery.js';
import { buildManifestErrorRoutes } from './manifest-error-routes.js';
import { buildWebRoutes, type WebContext } from '../web/web-routes.js';

/** What the admin routes may read (and, through later additions, change) of the running server. */
export interface AdminContext {
  getSnapshot(): ClusterSnapshot;
  counters: QueryCounters;
  /** The live cluster, when the server runs one (get/delete/scale/apply/readiness). */
  live?: LiveClusterControl;
  /** Components not ready, for `/ready` (absent: always ready). */
  getNotReady?(): readonly string[];
  /** `dns://ADDRESS:PORT`, the `server` label of the metrics. */
  dnsServer?: string;
  /** Per-upstream counters when forwarding is on. */
  getUpstreamCounters?(): ReadonlyMap<string, UpstreamCounters>;
  /** The Kubernetes API over the live cluster (/api, /apis, /openapi). */
  kubeApi?: KubeApi;
  /** The web view at `/` (needs the Kubernetes API). */
  web?: WebContext;
}

/** Every admin route; each feature adds its own route list here. */
export function buildAdminRoutes(ctx: AdminContext): AdminRoute[] {
  return [
    ...buildExplainRoutes(() => ctx.getSnapshot()),
    ...buildHealthRoutes({ getNotReady: () => ctx.getNotReady?.() ?? [] }),
    ...buildMetricsRoutes({ counters: ctx.counters, server: ctx.dnsServer ?? 'dns://:53', getUpstreamCounters: ctx.getUpstreamCounters, version: '0.1.0', getManifestErrors: () => (ctx.getSnapshot().manifests.brokenFiles ?? []).reduce((n, b) => n + b.errors.length, 0) }),
    ...buildManifestErrorRoutes(() => ctx.getSnapshot().manifests.brokenFiles ?? []),
    {
      method: 'GET',
      path: '/version',
      handle: () => ({ status: 200, body: JSON.stringify(buildVersionInfo(ctx.getSnapshot().index.serial, '0.1.0')) }),
    },
    ...(ctx.live ? buildClusterRoutes(ctx.live) : []),
    ...(ctx.kubeApi ? ctx.kubeApi.routes() : []),
    ...(ctx.web ? buildWebRoutes(ctx.web) : []),
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
