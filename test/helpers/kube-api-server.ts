import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A small Kubernetes API server for tests: list (with resourceVersion, `limit` and `continue`) and
 * watch (`?watch=true&resourceVersion=N`, JSON lines `{"type":...,"object":...}`, BOOKMARK when asked
 * for) of Namespaces, Services, EndpointSlices and Pods, with the failures a client must survive on
 * demand: an event history that no longer reaches back (410 Gone, as an ERROR event or, with
 * `goneAsHttpStatus`, as the HTTP status), dropped watch connections, an ERROR 410 on an open watch.
 * One resourceVersion counter for everything, as etcd's revision. Loopback only.
 */

export const RESOURCE_PATHS = {
  namespaces: '/api/v1/namespaces',
  services: '/api/v1/services',
  endpointslices: '/apis/discovery.k8s.io/v1/endpointslices',
  pods: '/api/v1/pods',
} as const;

export type Resource = keyof typeof RESOURCE_PATHS;

const LIST_KINDS: Record<Resource, { kind: string; apiVersion: string }> = {
  namespaces: { kind: 'NamespaceList', apiVersion: 'v1' },
  services: { kind: 'ServiceList', apiVersion: 'v1' },
  endpointslices: { kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1' },
  pods: { kind: 'PodList', apiVersion: 'v1' },
};

type KubeObject = { metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown }; [k: string]: unknown };

interface StoredEvent {
  rv: number;
  resource: Resource;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

interface OpenWatch {
  resource: Resource;
  res: http.ServerResponse;
  bookmarks: boolean;
}

export interface FakeKubeApiOptions {
  /** Require `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
  /** Answer a watch from a forgotten resourceVersion with HTTP 410 instead of an ERROR event. */
  goneAsHttpStatus?: boolean;
  /** Serve https with this key and certificate, and require a client certificate signed by `ca` (as kind's API server does). */
  tls?: { key: string; cert: string; ca: string };
}

export class FakeKubeApi {
  /** `METHOD path?query` of every request, in order. */
  readonly requests: string[] = [];
  private rv = 1;
  /** Events up to this resourceVersion are forgotten: a watch from it or before gets 410. */
  private forgottenUpTo = 0;
  private readonly objects = new Map<Resource, Map<string, KubeObject>>();
  private readonly events: StoredEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private server!: http.Server;
  port = 0;

  private constructor(private readonly opts: FakeKubeApiOptions) {
    for (const r of Object.keys(RESOURCE_PATHS) as Resource[]) this.objects.set(r, new Map());
  }

  /** Starts on 127.0.0.1 (`port` 0: a free one). */
  static async start(opts: FakeKubeApiOptions = {}, port = 0): Promise<FakeKubeApi> {
    const api = new FakeKubeApi(opts);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => api.handle(req, res);
    api.server = opts.tls ? https.createServer({ ...opts.tls, requestCert: true, rejectUnauthorized: true }, handler) : http.createServer(handler);
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      api.server.listen(port, '127.0.0.1', () => resolve());
    });
    api.port = (api.server.address() as AddressInfo).port;
    return api;
  }

  get url(): string {
    return `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** Creates or replaces an object (ADDED or MODIFIED to every watch of its resource). */
  apply(resource: Resource, object: KubeObject): void {
    const key = keyOf(object);
    const store = this.objects.get(resource)!;
    const type = store.has(key) ? 'MODIFIED' : 'ADDED';
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(++this.rv);
    store.set(key, stored);
    this.emit({ rv: this.rv, resource, type, object: stored });
  }

  /** Deletes an object (DELETED, with its last state). */
  remove(resource: Resource, namespace: string | undefined, name: string): void {
    const key = namespace ? `${namespace}/${name}` : name;
    const store = this.objects.get(resource)!;
    const old = store.get(key);
    if (!old) throw new Error(`no ${resource} ${key}`);
    store.delete(key);
    const object = structuredClone(old);
    object.metadata.resourceVersion = String(++this.rv);
    this.emit({ rv: this.rv, resource, type: 'DELETED', object });
  }

  /** Forgets the event history: a watch resuming from any resourceVersion seen so far gets 410 Gone. */
  forgetHistory(): void {
    this.forgottenUpTo = this.rv;
    // A list from now on is newer than anything forgotten (an empty revision, as a compaction leaves).
    this.rv++;
    this.events.length = 0;
  }

  /** Cuts every open watch connection (no end of stream: the socket is destroyed). */
  dropWatches(): void {
    for (const w of this.watches) w.res.socket?.destroy();
    this.watches.clear();
  }

  /** Sends an ERROR event with code 410 on every open watch and ends them (what a server does when its watch cache moved on). */
  sendGone(): void {
    for (const w of this.watches) {
      w.res.end(`${JSON.stringify({ type: 'ERROR', object: goneStatus(this.rv) })}\n`);
    }
    this.watches.clear();
  }

  /** Sends a BOOKMARK with the current resourceVersion to the watches that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watches) {
      if (!w.bookmarks) continue;
      const { kind, apiVersion } = LIST_KINDS[w.resource];
      w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: kind.replace(/List$/, ''), apiVersion, metadata: { resourceVersion: String(this.rv) } } })}\n`);
    }
  }

  /** How many watches are open (per resource when named). */
  countWatches(resource?: Resource): number {
    return [...this.watches].filter((w) => resource === undefined || w.resource === resource).length;
  }

  async close(): Promise<void> {
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private emit(e: StoredEvent): void {
    this.events.push(e);
    const line = `${JSON.stringify({ type: e.type, object: e.object })}\n`;
    for (const w of this.watches) if (w.resource === e.resource) w.res.write(line);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.opts.token && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return send(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
    const resource = (Object.keys(RESOURCE_PATHS) as Resource[]).find((r) => RESOURCE_PATHS[r] === url.pathname);
    if (req.method !== 'GET' || !resource) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 });
    if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') return this.watch(resource, url.searchParams, res, send);
    this.list(resource, url.searchParams, send);
  }

  private list(resource: Resource, q: URLSearchParams, send: (status: number, body: unknown) => void): void {
    const all = [...this.objects.get(resource)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
    const limit = Number(q.get('limit') ?? 0);
    let offset = 0;
    const token = q.get('continue');
    if (token) {
      const [rv, at] = token.split(':').map(Number);
      if (rv <= this.forgottenUpTo) return send(410, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'The provided continue parameter is too old', reason: 'Expired', code: 410 });
      offset = at;
    }
    const items = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const more = limit > 0 && offset + limit < all.length;
    send(200, { ...LIST_KINDS[resource], metadata: { resourceVersion: String(this.rv), ...(more ? { continue: `${this.rv}:${offset + limit}` } : {}) }, items });
  }

  private watch(resource: Resource, q: URLSearchParams, res: http.ServerResponse, send: (status: number, body: unknown) => void): void {
    const from = Number(q.get('resourceVersion') || this.rv);
    if (from <= this.forgottenUpTo) {
      if (this.opts.goneAsHttpStatus) return send(410, goneStatus(from));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: goneStatus(from) })}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    for (const e of this.events) if (e.resource === resource && e.rv > from) res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
    const w: OpenWatch = { resource, res, bookmarks: q.get('allowWatchBookmarks') === 'true' };
    this.watches.add(w);
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    res.once('close', () => {
      clearTimeout(timer);
      this.watches.delete(w);
    });
  }
}

function keyOf(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

function goneStatus(rv: number) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${rv}`, reason: 'Expired', code: 410 };
}

// Builders of API objects as a server returns them (only the fields that matter to DNS, plus a few that do not).

export function newNamespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, status: { phase: 'Active' } };
}

export function newService(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, uid: `uid-${namespace}-${name}` }, spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec } };
}

export interface EndpointSpec {
  ip: string;
  ready?: boolean;
  hostname?: string;
  pod?: string;
}

export function newEndpointSlice(namespace: string, name: string, service: string, endpoints: EndpointSpec[], ports: { name?: string; port: number; protocol?: string }[] = [], addressType = 'IPv4'): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType,
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', namespace, name: e.pod, uid: `uid-${e.pod}` } } : {}),
      nodeName: 'kwok-node-0',
    })),
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

export function newPod(namespace: string, name: string, ip: string | undefined, ready: boolean, extra: { hostname?: string; subdomain?: string; phase?: string; owner?: { kind: string; name: string } } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: name.replace(/-\d+$/, '') },
      ...(extra.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: extra.owner.kind, name: extra.owner.name, controller: true, uid: 'x' }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(extra.hostname ? { hostname: extra.hostname } : {}), ...(extra.subdomain ? { subdomain: extra.subdomain } : {}) },
    status: {
      phase: extra.phase ?? (ip ? 'Running' : 'Pending'),
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}
