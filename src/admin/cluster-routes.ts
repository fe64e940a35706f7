import type { AdminRequest, AdminResponse, AdminRoute } from './admin-server.js';
import type { LiveView, OperationResult } from '../runtime/live-cluster-runtime.js';
import { toClaimObject, toEndpointSliceObject, toKubeList, toPodObject, toServiceObject, toStatefulSetObject, type KubeObject } from './kube-objects.js';

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
  if (r.status >= 300) return toStatus(r);
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

type Lister = (view: LiveView, namespace: string | undefined) => KubeObject[];

const inNs = (namespace: string | undefined) => (o: { namespace: string }) => namespace === undefined || o.namespace === namespace;

const LISTERS: { group: string; resource: string; list: Lister }[] = [
  {
    group: '/api/v1',
    resource: 'pods',
    list: (v, ns) => v.snapshot.cluster.state.pods.filter(inNs(ns)).map((p) => toPodObject(p, v.livePods.get(`${p.namespace}/${p.name}`), v.overlayNotes.get(`pod/${p.namespace}/${p.name}`))),
  },
  { group: '/api/v1', resource: 'services', list: (v, ns) => v.snapshot.cluster.state.services.filter(inNs(ns)).map((s) => toServiceObject(s, v.overlayNotes.get(`service/${s.namespace}/${s.name}`), v.createdAt.get(`service/${s.namespace}/${s.name}`))) },
  { group: '/apis/discovery.k8s.io/v1', resource: 'endpointslices', list: (v, ns) => v.snapshot.cluster.state.endpointSlices.filter(inNs(ns)).map((e) => toEndpointSliceObject(e, v.createdAt.get(`endpointslice/${e.namespace}/${e.name}`))) },
  {
    group: '/apis/apps/v1',
    resource: 'statefulsets',
    list: (v, ns) => v.snapshot.cluster.state.statefulSets.filter(inNs(ns)).map((s) => toStatefulSetObject(s, v.snapshot.cluster.state, v.overlayNotes.get(`statefulset/${s.namespace}/${s.name}`), v.createdAt.get(`statefulset/${s.namespace}/${s.name}`))),
  },
  { group: '/api/v1', resource: 'persistentvolumeclaims', list: (v, ns) => v.snapshot.cluster.state.persistentVolumeClaims.filter(inNs(ns)).map((c) => toClaimObject(c, v.createdAt.get(`persistentvolumeclaim/${c.namespace}/${c.name}`))) },
];

const escape = (s: string) => s.replace(/[./]/g, (c) => `\\${c}`);

/** The cluster API: list routes in the Kubernetes API's paths, and the operations `kubectl` verbs map to. */
export function buildClusterRoutes(live: LiveClusterControl): AdminRoute[] {
  const routes: AdminRoute[] = [];
  for (const l of LISTERS) {
    routes.push({ method: 'GET', path: `${l.group}/${l.resource}`, handle: () => json(200, toKubeList(l.list(live.getView(), undefined))) });
    routes.push({ method: 'GET', path: new RegExp(`^${escape(l.group)}/namespaces/([^/]+)/${l.resource}$`), handle: (req) => json(200, toKubeList(l.list(live.getView(), req.params[0]))) });
  }
  routes.push(
    { method: 'DELETE', path: /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/, handle: (req) => toDurableStatus(live, live.deletePod(req.params[0], req.params[1])) },
    {
      method: 'PATCH',
      path: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/statefulsets\/([^/]+)\/scale$/,
      handle: (req) => {
        const replicas = (parseJsonBody(req)?.spec as Record<string, unknown> | undefined)?.replicas;
        if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > 10_000) return bad('body must be {"spec":{"replicas":N}} with N a whole number from 0 to 10000');
        return toDurableStatus(live, live.scaleStatefulSet(req.params[0], req.params[1], replicas));
      },
    },
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
