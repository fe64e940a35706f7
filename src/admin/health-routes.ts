import type { AdminRoute } from './admin-server.js';

/** What the health and readiness endpoints look at. */
export interface HealthContext {
  /** Components not ready yet (empty = ready); e.g. `kubernetes` until the cluster is loaded, `dns` while shutting down. */
  getNotReady(): readonly string[];
}

/**
 * `/health` (CoreDNS `health`): 200 `OK` while the process serves. `/ready` (CoreDNS `ready`): 200
 * `OK` when every component is ready, else 503 with the names of those that are not, one a line.
 */
export function buildHealthRoutes(ctx: HealthContext): AdminRoute[] {
  const text = 'text/plain; charset=utf-8';
  return [
    { method: 'GET', path: '/health', handle: () => ({ status: 200, body: 'OK', contentType: text }) },
    {
      method: 'GET',
      path: '/ready',
      handle: () => {
        const notReady = ctx.getNotReady();
        return notReady.length === 0 ? { status: 200, body: 'OK', contentType: text } : { status: 503, body: `${notReady.join('\n')}\n`, contentType: text };
      },
    },
  ];
}
