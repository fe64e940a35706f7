import type { AdminRequest, AdminResponse, AdminRoute } from '../admin/admin-server.js';
import type { ClusterObjectSource, OperationResult } from '../runtime/live-cluster-runtime.js';
import { SYSTEM_NAMESPACES } from '../cluster/reconcile.js';
import { API_RESOURCES, findResource, toApiVersion, toQualifiedResource, type ApiResource } from './api-resources.js';
import { parseApiPath } from './api-path.js';
import { decodeProtobufBody } from './protobuf-body.js';
import { alreadyExists, badRequest, conflict, invalid, methodNotSupported, newFailureStatus, notFound, pathNotFound, type KubeStatus } from './api-status.js';
import { buildCoreVersions, buildGroup, buildGroupList, buildResourceList } from './discovery.js';
import { buildOpenApiDocument, buildOpenApiIndex, listOpenApiGroupVersions } from './openapi.js';
import { OVERLAY_ANNOTATION, type ApiObject } from './api-objects.js';
import { ObjectStore } from './object-store.js';
import { serveWatch } from './watch-stream.js';
import { checkWrite, parseFieldValidation } from './write-validation.js';
import { applyPatch } from './patch/index.js';
import { toTable } from './table/to-table.js';
import { parseTableAccept as parseAccept } from './table/table-accept.js';
import { buildObjectMatcher } from './object-matcher.js';

/**
 * The Kubernetes REST API over the simulated cluster: discovery, OpenAPI, list / get / watch
 * (JSON or server-side Table), create / update / patch / delete and the scale subresource, with
 * the API server's status codes and `Status` bodies. Reads come from the object store (a reader
 * of the simulation); writes go to the live cluster as overlays, through the same reconcile as
 * every other change, and are answered once they are on disk.
 */

/** What the API needs of the live cluster (LiveClusterRuntime provides it). */
export interface KubeApiBackend {
  getApiSource(): ClusterObjectSource;
  onChange(listener: (namespaces: ReadonlySet<string> | undefined) => void): () => void;
  writeObject(body: Record<string, unknown>): OperationResult;
  deleteObject(kind: string, namespace: string, name: string): OperationResult;
  scaleWorkload(kind: 'StatefulSet' | 'ReplicaSet' | 'Deployment', namespace: string, name: string, replicas: number): OperationResult;
  whenSaved(): Promise<string | undefined>;
}

export interface KubeApiOptions {
  /** Events a watch may have waiting for a client that does not read before it is cut off. */
  maxWatchPendingEvents: number;
  /** The longest a watch runs (a client asks for less with timeoutSeconds). */
  maxWatchMs: number;
  now: () => number;
}

export const DEFAULT_KUBE_API_OPTIONS: KubeApiOptions = { maxWatchPendingEvents: 2_000, maxWatchMs: 30 * 60_000, now: Date.now };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const JSON_TYPE = 'application/json';

function respond(status: number, body: unknown, warnings: readonly string[] = []): AdminResponse {
  const headers = warnings.length ? { warning: warnings.slice(0, 20).map((w) => `299 - ${JSON.stringify(w)}`) } : undefined;
  return { status, body: JSON.stringify(body), contentType: JSON_TYPE, ...(headers ? { headers } : {}) };
}

const fail = (s: KubeStatus, warnings: readonly string[] = []): AdminResponse => respond(s.code, s, warnings);

/** The Table version the client asked for, if it asked for a Table. */
function parseTableAccept(accept: string | undefined): { version: 'v1' | 'v1beta1' } | undefined {
  const t = parseAccept(accept);
  return t && t.asTable ? { version: t.version } : undefined;
}

/** Metadata fields only the server writes; dropped from what a client sends. */
const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** An object as sent back to be stored: no status, no server metadata. */
function toWrittenBody(o: Obj): Obj {
  const { status: _status, ...rest } = o;
  const metadata = { ...(isObj(rest.metadata) ? rest.metadata : {}) };
  for (const k of SERVER_FIELDS) delete metadata[k];
  // The overlay note is the server's own annotation, recomputed on every read.
  if (isObj(metadata.annotations) && OVERLAY_ANNOTATION in metadata.annotations) {
    const { [OVERLAY_ANNOTATION]: _note, ...annotations } = metadata.annotations;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return { ...rest, metadata };
}

function parseBody(req: AdminRequest): Obj | KubeStatus {
  if (String(req.headers['content-type'] ?? '').startsWith('application/vnd.kubernetes.protobuf')) {
    const d = decodeProtobufBody(req.body);
    return d.ok ? d.object : newFailureStatus(415, 'UnsupportedMediaType', d.message);
  }
  const text = req.body.toString('utf8');
  try {
    const v = JSON.parse(text);
    if (isObj(v)) return v;
    return badRequest(`the request body must be a JSON object, got ${Array.isArray(v) ? 'an array' : typeof v}`);
  } catch (err) {
    return badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

const isStatus = (v: unknown): v is KubeStatus => isObj(v) && v.kind === 'Status' && typeof v.code === 'number';

export class KubeApi {
  private store: ObjectStore | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly options: KubeApiOptions;
  /** Open watches (for tests and /metrics). */
  openWatches = 0;

  constructor(private readonly backend: KubeApiBackend, options: Partial<KubeApiOptions> = {}) {
    this.options = { ...DEFAULT_KUBE_API_OPTIONS, ...options };
  }

  private building: Promise<ObjectStore> | undefined;

  /**
   * The store, built on first use (a server nobody asks through the API pays nothing for it), one
   * namespace at a time with a turn of the event loop between them, so DNS keeps answering while
   * a 100k-pod cluster's objects are derived. Changes during the build are synced as they come.
   */
  whenStoreReady(): Promise<ObjectStore> {
    if (this.store) return Promise.resolve(this.getStore());
    this.building ??= this.buildStore();
    return this.building;
  }

  private async buildStore(): Promise<ObjectStore> {
    const store = new ObjectStore(this.options.now());
    this.unsubscribe = this.backend.onChange((namespaces) => this.markDirty(store, namespaces));
    store.sync(this.backend.getApiSource(), new Set());
    const st = this.backend.getApiSource().state;
    const namespaces = new Set<string>(st.namespaces.map((n) => n.name));
    for (const list of [st.services, st.pods, st.endpointSlices, st.statefulSets, st.replicaSets, st.deployments, st.persistentVolumeClaims]) for (const o of list) namespaces.add(o.namespace);
    for (const ns of namespaces) {
      store.sync(this.backend.getApiSource(), new Set([ns]));
      await new Promise((r) => setImmediate(r));
    }
    this.syncDirty(store);
    store.finishInitialSync();
    this.store = store;
    return store;
  }

  /** Namespaces changed since the store last synced ('all': a whole-cluster change). */
  private dirty: Set<string> | 'all' | undefined;

  /**
   * A change is synced into the store on the next turn of the event loop (or when the API reads
   * first): the new DNS answers are served before the store derives its objects.
   */
  private markDirty(store: ObjectStore, namespaces: ReadonlySet<string> | undefined): void {
    const first = this.dirty === undefined;
    if (namespaces === undefined || this.dirty === 'all') this.dirty = 'all';
    else {
      this.dirty ??= new Set();
      for (const ns of namespaces) this.dirty.add(ns);
    }
    if (first) setImmediate(() => this.syncDirty(store));
  }

  private syncDirty(store: ObjectStore): void {
    const dirty = this.dirty;
    if (dirty === undefined) return;
    this.dirty = undefined;
    store.sync(this.backend.getApiSource(), dirty === 'all' ? undefined : dirty);
  }

  /** The store, up to date with every change so far, once whenStoreReady has resolved (request handlers await it first). */
  getStore(): ObjectStore {
    if (!this.store) throw new Error('the object store is not built yet: await whenStoreReady() first');
    this.syncDirty(this.store);
    return this.store;
  }

  close(): void {
    this.unsubscribe?.();
  }

  /** The routes: every method on /api and /apis, plus /openapi. */
  routes(): AdminRoute[] {
    const handle = (req: AdminRequest) => this.handle(req);
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
    return [
      ...methods.map((method) => ({ method, path: /^\/apis?(?:\/.*)?$/, handle })),
      { method: 'GET', path: '/openapi/v3', handle: () => respond(200, buildOpenApiIndex()) },
      {
        method: 'GET',
        path: /^\/openapi\/v3\/(.+)$/,
        handle: (req) => {
          const gv = listOpenApiGroupVersions().find((g) => g.path === req.params[0]);
          const doc = gv && buildOpenApiDocument(gv.group, gv.version);
          return doc ? respond(200, doc) : fail(pathNotFound());
        },
      },
      { method: 'GET', path: '/openapi/v2', handle: () => fail(newFailureStatus(404, 'NotFound', 'kube-dns-sim serves OpenAPI v3 only (/openapi/v3)')) },
    ];
  }

  private async handle(req: AdminRequest): Promise<AdminResponse> {
    const p = parseApiPath(req.path);
    if (!p) return fail(pathNotFound());
    if (req.method === 'GET') {
      if (p.type === 'core-versions') return respond(200, buildCoreVersions(req.host ?? '127.0.0.1'));
      if (p.type === 'group-list') return respond(200, buildGroupList());
      if (p.type === 'group') return this.orNotFound(buildGroup(p.group));
      if (p.type === 'resource-list') return this.orNotFound(buildResourceList(p.group, p.version));
    }
    if (p.type !== 'resource') return fail(newFailureStatus(405, 'MethodNotAllowed', `${req.method} is not supported on ${req.path}`));
    const r = findResource(p.group, p.version, p.resource);
    if (!r) return fail(pathNotFound());
    if (p.namespace !== undefined && !r.namespaced) return fail(pathNotFound());
    const name = p.name;
    if (p.subresource !== undefined && (p.subresource !== 'scale' || !r.subresources.includes('scale'))) return fail(pathNotFound());
    await this.whenStoreReady();
    if (p.subresource === 'scale') return this.handleScale(req, r, p.namespace ?? '', name!);
    switch (req.method) {
      case 'GET':
        if (name !== undefined) return this.getOne(req, r, p.namespace, name);
        return req.query.get('watch') === 'true' || req.query.get('watch') === '1' ? this.watch(req, r, p.namespace) : this.list(req, r, p.namespace);
      case 'POST':
        if (name !== undefined) return fail(newFailureStatus(405, 'MethodNotAllowed', 'POST goes to the collection, not to an object'));
        return this.create(req, r, p.namespace);
      case 'PUT':
        return name === undefined ? fail(methodNotSupported(r, 'update of a collection')) : this.update(req, r, p.namespace, name);
      case 'PATCH':
        return name === undefined ? fail(methodNotSupported(r, 'patch of a collection')) : this.patch(req, r, p.namespace, name);
      case 'DELETE':
        return name === undefined ? fail(methodNotSupported(r, 'deletecollection', 'delete the objects one by one')) : this.remove(r, p.namespace, name);
    }
    return fail(pathNotFound());
  }

  private orNotFound(doc: unknown): AdminResponse {
    return doc ? respond(200, doc) : fail(pathNotFound());
  }

  /** The Table the client asked for (`Accept: ...;as=Table;...`), or the objects as JSON. */
  private render(req: AdminRequest, r: ApiResource, items: ApiObject[], list: { resourceVersion: string; continue?: string; remainingItemCount?: number } | undefined): AdminResponse {
    const table = parseTableAccept(req.headers.accept);
    if (table) {
      const includeObject = (req.query.get('includeObject') ?? 'Metadata') as 'None' | 'Metadata' | 'Object';
      const t = toTable(r.kind, items, { now: this.options.now(), includeObject, resourceVersion: list?.resourceVersion ?? String(items[0]?.metadata.resourceVersion ?? ''), version: table.version }) as unknown as Obj;
      if (list?.continue) t.metadata = { ...(t.metadata as Obj), continue: list.continue, ...(list.remainingItemCount !== undefined ? { remainingItemCount: list.remainingItemCount } : {}) };
      return respond(200, t);
    }
    if (!list) return respond(200, items[0]);
    const stripped = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    return respond(200, { kind: `${r.kind}List`, apiVersion: toApiVersion(r), metadata: { resourceVersion: list.resourceVersion, ...(list.continue ? { continue: list.continue } : {}), ...(list.remainingItemCount !== undefined ? { remainingItemCount: list.remainingItemCount } : {}) }, items: stripped });
  }

  private getOne(req: AdminRequest, r: ApiResource, namespace: string | undefined, name: string): AdminResponse {
    const o = this.getStore().get(r.resource, namespace, name);
    if (!o) return fail(notFound(r, name));
    return this.render(req, r, [o], undefined);
  }

  private list(req: AdminRequest, r: ApiResource, namespace: string | undefined): AdminResponse {
    const store = this.getStore();
    const matcher = buildObjectMatcher(r.kind, req.query.get('labelSelector'), req.query.get('fieldSelector'));
    if (isStatus(matcher)) return fail(matcher);
    const rv = String(store.resourceVersion);
    const limit = Number(req.query.get('limit') ?? 0);
    const cont = req.query.get('continue');
    let after: string | undefined;
    if (cont) {
      try {
        after = String(JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')).start);
      } catch {
        return fail(badRequest(`invalid continue token "${cont}"`));
      }
    }
    const page = store.list(r.resource, namespace, { after, limit: Number.isInteger(limit) && limit > 0 ? limit : 0, matches: matcher });
    if (page.more > 0) {
      const last = page.items[page.items.length - 1];
      const token = Buffer.from(JSON.stringify({ rv, start: last.metadata.namespace ? `${last.metadata.namespace}/${last.metadata.name}` : last.metadata.name })).toString('base64url');
      return this.render(req, r, page.items, { resourceVersion: rv, continue: token, ...(page.exact ? { remainingItemCount: page.more } : {}) });
    }
    return this.render(req, r, page.items, { resourceVersion: rv });
  }

  private watch(req: AdminRequest, r: ApiResource, namespace: string | undefined): AdminResponse {
    const matcher = buildObjectMatcher(r.kind, req.query.get('labelSelector'), req.query.get('fieldSelector'));
    if (isStatus(matcher)) return fail(matcher);
    const table = parseTableAccept(req.headers.accept);
    const includeObject = (req.query.get('includeObject') ?? 'Metadata') as 'None' | 'Metadata' | 'Object';
    const timeoutSeconds = Number(req.query.get('timeoutSeconds') ?? 0);
    const timeoutMs = timeoutSeconds > 0 ? Math.min(timeoutSeconds * 1000, this.options.maxWatchMs) : this.options.maxWatchMs;
    const store = this.getStore();
    const apiVersion = toApiVersion(r);
    return {
      status: 200,
      body: '',
      contentType: JSON_TYPE,
      stream: (res) => {
        this.openWatches++;
        serveWatch(
          store,
          {
            resource: r.resource,
            namespace,
            matches: matcher,
            resourceVersion: req.query.get('resourceVersion') ?? undefined,
            timeoutMs,
            bookmarks: req.query.get('allowWatchBookmarks') === 'true',
            maxPendingEvents: this.options.maxWatchPendingEvents,
            encode: (_type, object, first) => (table ? toTable(r.kind, [object], { now: this.options.now(), includeObject, resourceVersion: String(object.metadata.resourceVersion), noHeaders: !first, version: table.version }) : object),
            bookmarkObject: (rv) => ({ kind: r.kind, apiVersion, metadata: { resourceVersion: String(rv) } }) as unknown as ApiObject,
          },
          res,
          () => this.openWatches--,
        );
      },
    };
  }

  /** Waits until the change is on disk; a failed write turns the answer into a 500. */
  private async durable(ok: AdminResponse): Promise<AdminResponse> {
    const problem = await this.backend.whenSaved();
    return problem === undefined ? ok : fail(newFailureStatus(500, 'InternalError', `the change was made, but the state file could not be written (${problem}): it is lost on restart`));
  }

  /** Checks kind, apiVersion, name and namespace of a sent object against the URL; fills the namespace in. */
  private checkIdentity(body: Obj, r: ApiResource, namespace: string | undefined, name: string | undefined): Obj | KubeStatus {
    const apiVersion = toApiVersion(r);
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) return badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
    if (body.kind !== undefined && body.kind !== r.kind) return badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${r.kind})`);
    const metadata = isObj(body.metadata) ? { ...body.metadata } : {};
    if (r.namespaced) {
      if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== namespace) return badRequest('the namespace of the provided object does not match the namespace sent on the request');
      metadata.namespace = namespace;
    } else delete metadata.namespace;
    if (name !== undefined) {
      if (metadata.name === undefined || metadata.name === '') metadata.name = name;
      else if (metadata.name !== name) return badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`);
    } else if ((metadata.name === undefined || metadata.name === '') && typeof metadata.generateName === 'string' && metadata.generateName !== '') {
      metadata.name = `${metadata.generateName}${Math.random().toString(36).slice(2, 7).padEnd(5, 'x')}`;
    }
    if (typeof metadata.name !== 'string' || metadata.name === '') return newFailureStatus(422, 'Invalid', `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, { kind: r.kind, causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }] });
    return { ...body, apiVersion, kind: r.kind, metadata };
  }

  /** A namespaced write needs its namespace to exist, as in a real cluster. */
  private checkNamespace(r: ApiResource, namespace: string | undefined): KubeStatus | undefined {
    if (!r.namespaced || namespace === undefined) return undefined;
    if (this.getStore().get('namespaces', undefined, namespace)) return undefined;
    return notFound(API_RESOURCES.find((x) => x.resource === 'namespaces')!, namespace);
  }

  /** Validates and writes a whole object; answers with it as stored. */
  private async write(req: AdminRequest, r: ApiResource, body: Obj, status: number): Promise<AdminResponse> {
    const fieldValidation = parseFieldValidation(req.query.get('fieldValidation'));
    if (!fieldValidation) return fail(badRequest(`fieldValidation must be one of Strict, Warn, Ignore, got "${req.query.get('fieldValidation')}"`));
    const name = String((body.metadata as Obj).name);
    const checked = checkWrite(body, fieldValidation, r.kind, toApiVersion(r));
    if (checked.kind === 'unknown-fields') return fail(badRequest(checked.message));
    if (checked.kind === 'invalid') return fail(invalid(r, name, checked.causes));
    if (req.query.getAll('dryRun').includes('All')) return respond(status, checked.body, checked.warnings);
    const result = this.backend.writeObject(checked.body);
    // The new answers are published: let waiting DNS queries have them before the store derives its objects.
    await nextTurn();
    if (result.status >= 300) return fail(invalid(r, name, (result.findings ?? []).filter((f) => f.severity === 'error').map((f) => ({ reason: 'FieldValueInvalid', message: f.message, field: f.path }))));
    const namespace = (body.metadata as Obj).namespace as string | undefined;
    const stored = this.getStore().get(r.resource, r.namespaced ? namespace : undefined, name);
    return this.durable(respond(status, stored ?? checked.body, checked.warnings));
  }

  private async create(req: AdminRequest, r: ApiResource, namespace: string | undefined): Promise<AdminResponse> {
    if (!r.writable) return fail(methodNotSupported(r, 'create', 'the simulation makes these objects itself (claims come from StatefulSets\' volumeClaimTemplates)'));
    if (r.namespaced && namespace === undefined) return fail(newFailureStatus(405, 'MethodNotAllowed', `create ${r.resource} under /namespaces/<namespace>/${r.resource}`));
    const parsed = parseBody(req);
    if (isStatus(parsed)) return fail(parsed);
    const body = this.checkIdentity(parsed, r, namespace, undefined);
    if (isStatus(body)) return fail(body);
    const name = String((body.metadata as Obj).name);
    const missingNs = this.checkNamespace(r, namespace);
    if (missingNs) return fail(missingNs);
    if (this.getStore().get(r.resource, namespace, name)) return fail(alreadyExists(r, name));
    return this.write(req, r, toWrittenBody(body), 201);
  }

  /** Whether an object is the user's (a manifest or an API write), as opposed to one a controller made. */
  private isWritten(r: ApiResource, namespace: string | undefined, name: string): boolean {
    return this.backend.getApiSource().manifests.has(`${r.kind}/${r.namespaced ? namespace : ''}/${name}`);
  }

  private controllerMade(r: ApiResource, name: string, o: ApiObject): KubeStatus {
    const owner = (o.metadata.ownerReferences as { kind: string; name: string }[] | undefined)?.[0];
    const by = owner ? `${owner.kind.toLowerCase()} ${owner.name}` : 'the simulation';
    return methodNotSupported(r, 'update', `${toQualifiedResource(r)} "${name}" is made by ${by}: kube-dns-sim keeps controller-made objects as their controller makes them; change the ${owner ? owner.kind : 'object that makes it'} instead`);
  }

  private async update(req: AdminRequest, r: ApiResource, namespace: string | undefined, name: string): Promise<AdminResponse> {
    const current = this.getStore().get(r.resource, namespace, name);
    if (!current) return fail(notFound(r, name));
    if (!r.writable || (!this.isWritten(r, namespace, name) && r.kind !== 'Namespace')) return fail(this.controllerMade(r, name, current));
    const parsed = parseBody(req);
    if (isStatus(parsed)) return fail(parsed);
    const body = this.checkIdentity(parsed, r, namespace, name);
    if (isStatus(body)) return fail(body);
    const sentRv = (body.metadata as Obj).resourceVersion;
    if (sentRv !== undefined && sentRv !== '' && sentRv !== current.metadata.resourceVersion) return fail(conflict(r, name, 'the object has been modified; please apply your changes to the latest version and try again'));
    return this.write(req, r, toWrittenBody(body), 200);
  }

  private async patch(req: AdminRequest, r: ApiResource, namespace: string | undefined, name: string): Promise<AdminResponse> {
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    const current = this.getStore().get(r.resource, namespace, name);
    const parsed = contentType === 'application/apply-patch+yaml' ? parseApplyBody(req) : parseAnyJson(req);
    if (isStatus(parsed)) return fail(parsed);
    if (!current) {
      // Server-side apply creates what does not exist yet.
      if (contentType !== 'application/apply-patch+yaml' || !isObj(parsed)) return fail(notFound(r, name));
      if (!r.writable) return fail(methodNotSupported(r, 'create'));
      const body = this.checkIdentity(parsed, r, namespace, name);
      if (isStatus(body)) return fail(body);
      const missingNs = this.checkNamespace(r, namespace);
      if (missingNs) return fail(missingNs);
      return this.write(req, r, toWrittenBody(body), 201);
    }
    if (!r.writable || (!this.isWritten(r, namespace, name) && r.kind !== 'Namespace')) return fail(this.controllerMade(r, name, current));
    const patchType = contentType === 'application/apply-patch+yaml' ? 'application/strategic-merge-patch+json' : contentType;
    const patched = applyPatch(patchType, current as Obj, parsed, { group: r.group, version: r.version, kind: r.kind });
    if (!patched.ok) return fail(newFailureStatus(patched.reason === 'UnsupportedMediaType' ? 415 : patched.reason === 'Invalid' ? 422 : 400, patched.reason, patched.message));
    const body = this.checkIdentity(patched.value, r, namespace, name);
    if (isStatus(body)) return fail(body);
    return this.write(req, r, toWrittenBody(body), 200);
  }

  private async remove(r: ApiResource, namespace: string | undefined, name: string): Promise<AdminResponse> {
    const current = this.getStore().get(r.resource, namespace, name);
    if (!current) return fail(notFound(r, name));
    if (r.kind === 'Namespace' && SYSTEM_NAMESPACES.includes(name)) return fail(newFailureStatus(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' }));
    if (r.kind !== 'Pod' && r.kind !== 'Namespace' && !this.isWritten(r, namespace, name)) {
      return fail(methodNotSupported(r, 'delete', `${toQualifiedResource(r)} "${name}" is made by ${(current.metadata.ownerReferences as { kind: string; name: string }[] | undefined)?.map((o) => `${o.kind.toLowerCase()} ${o.name}`)[0] ?? 'the simulation'}, which would make it again at once; delete its owner instead`));
    }
    const result = this.backend.deleteObject(r.kind, namespace ?? '', name);
    // The new answers are published: let waiting DNS queries have them before the store derives its objects.
    await nextTurn();
    if (result.status === 404) return fail(notFound(r, name));
    if (result.status >= 300) return fail(newFailureStatus(result.status, 'BadRequest', result.message));
    const gone = { ...current, metadata: { ...current.metadata, deletionTimestamp: new Date(this.options.now()).toISOString().replace(/\.\d+Z$/, 'Z'), deletionGracePeriodSeconds: 0 } };
    return this.durable(respond(200, gone));
  }

  private toScale(r: ApiResource, o: ApiObject): Obj {
    const spec = o.spec as Obj;
    const status = o.status as Obj;
    const selector = isObj(spec.selector) && isObj(spec.selector.matchLabels) ? Object.entries(spec.selector.matchLabels).map(([k, v]) => `${k}=${String(v)}`).join(',') : '';
    const m = o.metadata;
    return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp }, spec: { replicas: spec.replicas }, status: { replicas: status.replicas ?? 0, selector } };
  }

  private async handleScale(req: AdminRequest, r: ApiResource, namespace: string, name: string): Promise<AdminResponse> {
    const current = this.getStore().get(r.resource, namespace, name);
    if (!current) return fail(notFound(r, name));
    const scale = this.toScale(r, current);
    if (req.method === 'GET') return respond(200, scale);
    let next: Obj;
    if (req.method === 'PUT') {
      const parsed = parseBody(req);
      if (isStatus(parsed)) return fail(parsed);
      next = parsed;
    } else if (req.method === 'PATCH') {
      const parsed = parseAnyJson(req);
      if (isStatus(parsed)) return fail(parsed);
      const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim();
      const patched = applyPatch(contentType, scale, parsed, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
      if (!patched.ok) return fail(newFailureStatus(patched.reason === 'UnsupportedMediaType' ? 415 : patched.reason === 'Invalid' ? 422 : 400, patched.reason, patched.message));
      next = patched.value;
    } else return fail(methodNotSupported(r, req.method.toLowerCase()));
    const replicas = isObj(next.spec) ? next.spec.replicas : undefined;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      return fail(newFailureStatus(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, { name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }] }));
    }
    if (replicas > 10_000) return fail(newFailureStatus(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: kube-dns-sim simulates at most 10000 replicas per workload`));
    const result = this.backend.scaleWorkload(r.kind as 'StatefulSet' | 'ReplicaSet' | 'Deployment', namespace, name, replicas);
    // The new answers are published: let waiting DNS queries have them before the store derives its objects.
    await nextTurn();
    if (result.status === 404) return fail(notFound(r, name));
    if (result.status >= 300) return fail(newFailureStatus(result.status, 'BadRequest', result.message));
    const after = this.getStore().get(r.resource, namespace, name) ?? current;
    return this.durable(respond(200, this.toScale(r, after)));
  }
}

function parseAnyJson(req: AdminRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch (err) {
    return badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Server-side apply bodies are YAML or JSON (JSON is YAML). */
function parseApplyBody(req: AdminRequest): Obj | KubeStatus {
  const text = req.body.toString('utf8');
  try {
    const v = JSON.parse(text);
    return isObj(v) ? v : badRequest('the apply configuration must be an object');
  } catch {
    return badRequest('the apply configuration must be JSON (kubectl sends JSON)');
  }
}
