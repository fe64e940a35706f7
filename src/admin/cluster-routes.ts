import type { AdminRequest, AdminResponse, AdminRoute } from './admin-server.js';
import type { LiveView, OperationResult } from '../runtime/live-cluster-runtime.js';

/** What the cluster routes need of the live cluster (LiveClusterRuntime provides it). */
export interface LiveClusterControl {
  getView(): LiveView;
  deletePod(namespace: string, name: string): OperationResult;
  scaleStatefulSet(namespace: string, name: string, replicas: number): OperationResult;
  setReadiness(namespace: string, name: string, ready: boolean | undefined): OperationResult;
  apply(file: string, text: string): OperationResult;
  /** Resolves once every change so far is durable (undefined), or with why the state file could not be written. */
  whenSaved(): Promise<string | undefined>;
}

const json = (status: number, body: unknown): AdminResponse => ({ status, body: JSON.stringify(body) });

/** A kubectl-style Status for failures. */
function toStatus(r: OperationResult): AdminResponse {
  if (r.status < 300) return json(r.status, { kind: 'Status', apiVersion: 'v1', status: 'Success', message: r.message, ...(r.findings?.length ? { findings: r.findings } : {}) });
  const reason = r.status === 404 ? 'NotFound' : r.status === 422 ? 'Invalid' : 'BadRequest';
  return json(r.status, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: r.message, reason, code: r.status, ...(r.findings?.length ? { findings: r.findings } : {}) });
}

/** Acknowledges a successful change only once it is on disk: a crash after the reply loses nothing. */
async function toDurableStatus(live: LiveClusterControl, r: OperationResult): Promise<AdminResponse> {
  if (r.status >= 300 && !r.changed) return toStatus(r);
  const problem = await live.whenSaved();
  return toStatus(problem === undefined ? r : { status: 500, message: `${r.message}, but the state file could not be written (${problem}): the change is lost on restart` });
}

const bad = (message: string): AdminResponse => toStatus({ status: 400, message });

function parseJsonBody(req: AdminRequest): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(req.body.toString('utf8') || '{}');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}


/** The cluster API: list routes in the Kubernetes API's paths, and the operations `kubectl` verbs map to. */
export function buildClusterRoutes(live: LiveClusterControl): AdminRoute[] {
  const routes: AdminRoute[] = [];
  routes.push(
    {
      method: 'PUT',
      path: /^\/sim\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/readiness$/,
      handle: (req) => {
        const ready = parseJsonBody(req)?.ready;
        if (ready !== true && ready !== false && ready !== null) return bad('body must be {"ready":true}, {"ready":false} or {"ready":null} (follow the probe)');
        return toDurableStatus(live, live.setReadiness(req.params[0], req.params[1], ready ?? undefined));
      },
    },
    {
      method: 'POST',
      path: '/sim/v1/apply',
      handle: (req) => {
        const b = parseJsonBody(req);
        if (!b || typeof b.file !== 'string' || typeof b.text !== 'string') return bad('body must be {"file":"name.yaml","text":"<manifest text>"}');
        return toDurableStatus(live, live.apply(b.file, b.text));
      },
    },
    { method: 'GET', path: '/sim/v1/overlays', handle: () => json(200, { items: live.getView().overlayLines }) },
  );
  return routes;
}
