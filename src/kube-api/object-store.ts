import { createHash } from 'node:crypto';
import { API_RESOURCES, type ResourceName } from './api-resources.js';
import { listApiObjectBuilders, type ApiObject, type ApiObjectSource, type ObjectBuilder } from './api-objects.js';

/**
 * The API's object store, in the shape of the Kubernetes API server's watch cache: every object
 * of every served resource with its `resourceVersion` (one counter for the whole store) and
 * `generation`, and every change as an event (ADDED / MODIFIED / DELETED) kept in a bounded
 * window, so a watch can resume from a resourceVersion (older than the window: 410 Expired, the
 * client lists again). It is a reader of the simulation: `sync` derives the objects of the
 * namespaces that changed and records what differs.
 *
 * It keeps per object only its versions and a hash of its content: objects are built again from
 * the simulation when read (the builders are deterministic, and the simulation does not change
 * between syncs), so a 100k-pod cluster does not hold 100k API objects (a few KB each) twice.
 */

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceName;
  /** The object after the change (DELETED: as last seen, with the deletion's resourceVersion). */
  object: ApiObject;
  /** The object before the change (MODIFIED, DELETED), for selector transitions; undefined when not kept. */
  previous: ApiObject | undefined;
  resourceVersion: number;
}

interface Entry {
  uid: string;
  resourceVersion: number;
  generation: number;
  /** Hashes of the whole object (without versions) and of its spec, to tell a change and a spec change. */
  hash: string;
  specHash: string;
  /** The object as last emitted, kept for a DELETED or MODIFIED event's `previous` only while recent events need it. */
  last: ApiObject | undefined;
  /** What selectors read of the object (name, namespace, labels, scalar spec and status fields), kept always. */
  view: ApiObject;
  /** What the object was built from (ObjectBuilder.deps). */
  deps: readonly unknown[];
}

/** How many events a watch can resume across. */
export const DEFAULT_EVENT_WINDOW = 10_000;

/** Kinds whose objects have a generation (spec changes bump it). */
const HAS_GENERATION = new Set(['StatefulSet', 'ReplicaSet', 'Deployment']);

const hashOf = (text: string) => createHash('sha1').update(text).digest('base64');

export class ObjectStore {
  private rv: number;
  private readonly entries = new Map<ResourceName, Map<string, Entry>>();
  /** Keys of each resource in list order (namespace, name), rebuilt when keys come or go. */
  private readonly sortedKeys = new Map<ResourceName, string[]>();
  /** Keys of each namespaced resource by namespace: a namespace's sync finds its deleted objects without a scan of all 100k pods. */
  private readonly keysByNamespace = new Map<ResourceName, Map<string, Set<string>>>();
  private events: StoreEvent[] = [];
  /** resourceVersion before the oldest event kept: a watch from an older one has missed events. */
  private oldestResumable: number;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private src: ApiObjectSource | undefined;
  /** Builders over the last synced source, per resource (made on first read after a sync). */
  private builders = new Map<ResourceName, Map<string, ObjectBuilder>>();

  /** `firstResourceVersion`: where the counter starts (a new server starts above any earlier one's). */
  constructor(firstResourceVersion: number, private readonly window = DEFAULT_EVENT_WINDOW) {
    this.rv = firstResourceVersion;
    this.oldestResumable = firstResourceVersion;
    for (const r of API_RESOURCES) this.entries.set(r.resource, new Map());
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /**
   * Derives the objects from `src` and records each difference as an event. `namespaces`: only
   * these namespaces changed (the others, and their objects, are left as they are); undefined: all.
   */
  sync(src: ApiObjectSource, namespaces?: ReadonlySet<string>): void {
    this.src = src;
    this.builders = new Map();
    for (const r of API_RESOURCES) {
      const current = this.entries.get(r.resource)!;
      if (!r.namespaced || namespaces === undefined) this.syncObjects(r.resource, current, listApiObjectBuilders(src, r.resource), undefined, false);
      else
        for (const ns of namespaces) {
          this.syncObjects(r.resource, current, listApiObjectBuilders(src, r.resource, ns), ns, true);
        }
    }
  }

  /** Ends the first build: nobody watched before the store existed, so its objects are no events to resume across. */
  finishInitialSync(): void {
    this.events = [];
    this.oldestResumable = this.rv;
    for (const m of this.entries.values()) for (const e of m.values()) e.last = undefined;
  }

  /**
   * `namespace`: `next` holds that namespace's objects only (undefined: every object of the resource).
   * `trustDeps`: skip objects whose builder's deps are unchanged (a namespace's sync; a whole sync builds all).
   */
  private syncObjects(resource: ResourceName, current: Map<string, Entry>, next: Map<string, ObjectBuilder>, namespace: string | undefined, trustDeps: boolean): void {
    let byNamespace = this.keysByNamespace.get(resource);
    if (!byNamespace) this.keysByNamespace.set(resource, (byNamespace = new Map()));
    const keysOf = (key: string): Set<string> => {
      const ns = key.slice(0, Math.max(0, key.indexOf('/')));
      let keys = byNamespace.get(ns);
      if (!keys) byNamespace.set(ns, (keys = new Set()));
      return keys;
    };
    const gone = namespace === undefined ? [...current.keys()] : [...(byNamespace.get(namespace) ?? [])];
    for (const key of gone) {
      const entry = current.get(key);
      if (!entry || next.has(key)) continue;
      current.delete(key);
      keysOf(key).delete(key);
      this.sortedKeys.delete(resource);
      this.emit('DELETED', resource, entry.last ?? entry.view, undefined);
    }
    for (const [key, builder] of next) {
      const old = current.get(key);
      if (old && trustDeps && sameDeps(old.deps, builder.deps)) continue;
      const object = builder.build();
      const hash = hashOf(JSON.stringify(object));
      if (old && old.hash === hash) {
        old.deps = builder.deps;
        continue;
      }
      const specHash = HAS_GENERATION.has(object.kind) ? hashOf(JSON.stringify(object.spec ?? null)) : '';
      let same = old;
      if (old && old.uid !== object.metadata.uid) {
        current.delete(key);
        this.emit('DELETED', resource, old.last ?? old.view, undefined);
        same = undefined;
      }
      const generation = same ? same.generation + (same.specHash === specHash ? 0 : 1) : 1;
      const rv = this.rv + 1;
      const stored = stamp(object, rv, generation);
      if (!same) this.sortedKeys.delete(resource);
      keysOf(key).add(key);
      current.set(key, { uid: object.metadata.uid, resourceVersion: rv, generation, hash, specHash, last: stored, view: toSelectorView(stored), deps: builder.deps });
      this.emit(same ? 'MODIFIED' : 'ADDED', resource, stored, same && (same.last ?? same.view));
    }
  }

  private emit(type: WatchEventType, resource: ResourceName, object: ApiObject, previous: ApiObject | undefined): void {
    this.rv++;
    const o = type === 'DELETED' ? { ...object, metadata: { ...object.metadata, resourceVersion: String(this.rv) } } : object;
    const e: StoreEvent = { type, resource, object: o, previous, resourceVersion: this.rv };
    this.events.push(e);
    if (this.events.length > this.window * 2) this.trimEvents();
    for (const l of this.listeners) l(e);
  }

  /** Keeps the newest `window` events; objects only those events refer to are let go. */
  private trimEvents(): void {
    const dropped = this.events.slice(0, this.events.length - this.window);
    this.events = this.events.slice(-this.window);
    this.oldestResumable = this.events[0].resourceVersion - 1;
    for (const e of dropped) {
      const entry = this.entries.get(e.resource)!.get(keyOf(e.object));
      if (entry && entry.last === e.object) entry.last = undefined;
    }
  }

  private getBuilders(resource: ResourceName): Map<string, ObjectBuilder> {
    let b = this.builders.get(resource);
    if (!b) this.builders.set(resource, (b = this.src ? listApiObjectBuilders(this.src, resource) : new Map()));
    return b;
  }

  private materialize(resource: ResourceName, key: string, entry: Entry): ApiObject | undefined {
    if (entry.last) return entry.last;
    const builder = this.getBuilders(resource).get(key);
    return builder ? stamp(builder.build(), entry.resourceVersion, entry.generation) : undefined;
  }

  private getSortedKeys(resource: ResourceName): string[] {
    let keys = this.sortedKeys.get(resource);
    if (!keys) this.sortedKeys.set(resource, (keys = [...this.entries.get(resource)!.keys()].sort(compareKeys)));
    return keys;
  }

  /**
   * Objects of a resource (of one namespace) in list order, those after `after` (a key), that
   * pass `matches`, at most `limit` (0: all). `more`: how many objects remain past the last one
   * (`exact` false: at least that many may).
   */
  list(resource: ResourceName, namespace?: string, o: { after?: string; limit?: number; matches?: (obj: ApiObject) => boolean } = {}): { items: ApiObject[]; more: number; exact: boolean } {
    const keys = this.getSortedKeys(resource);
    const entries = this.entries.get(resource)!;
    const start = namespace === undefined ? '' : `${namespace}/`;
    // The first key past `after` (a page's last key), else the first of the namespace.
    const isBefore = o.after !== undefined ? (k: string) => compareKeys(k, o.after!) <= 0 : (k: string) => compareKeys(k, start) < 0;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (isBefore(keys[mid])) lo = mid + 1;
      else hi = mid;
    }
    let i = lo;
    const items: ApiObject[] = [];
    for (; i < keys.length; i++) {
      const key = keys[i];
      if (namespace !== undefined && !key.startsWith(start)) break;
      if (o.limit && items.length >= o.limit) {
        // A full page: with a filter, only whether more may follow is known (the API server then
        // gives no remainingItemCount either); without one, the keys left in range.
        if (o.matches) return { items, more: 1, exact: false };
        let end = i;
        while (end < keys.length && (namespace === undefined || keys[end].startsWith(start))) end++;
        return { items, more: end - i, exact: true };
      }
      const obj = this.materialize(resource, key, entries.get(key)!);
      if (!obj || (o.matches && !o.matches(obj))) continue;
      items.push(obj);
    }
    return { items, more: 0, exact: true };
  }

  /** One object; undefined when absent. */
  get(resource: ResourceName, namespace: string | undefined, name: string): ApiObject | undefined {
    const key = namespace === undefined ? name : `${namespace}/${name}`;
    const entry = this.entries.get(resource)!.get(key);
    return entry && this.materialize(resource, key, entry);
  }

  /** The events after `resourceVersion`, or 'expired' when the window no longer reaches back that far. */
  eventsSince(resourceVersion: number): StoreEvent[] | 'expired' {
    if (resourceVersion < this.oldestResumable) return 'expired';
    let i = this.events.length;
    while (i > 0 && this.events[i - 1].resourceVersion > resourceVersion) i--;
    return this.events.slice(i);
  }

  /** The oldest resourceVersion a watch can resume from. */
  get oldestResourceVersion(): number {
    return this.oldestResumable;
  }

  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `ns/name` list order: by namespace, then name (cluster-scoped keys are names). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keyOf(o: ApiObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

const scalars = (o: unknown): Record<string, unknown> | undefined => {
  if (typeof o !== 'object' || o === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v !== 'object' || v === null) out[k] = v;
  return out;
};

/** The part of an object selectors read (and a DELETED event carries once the object is no longer kept). */
function toSelectorView(o: ApiObject): ApiObject {
  const m = o.metadata;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}), uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp, ...(m.labels ? { labels: m.labels } : {}) },
    ...(o.spec ? { spec: scalars(o.spec) } : {}),
    ...(o.status ? { status: scalars(o.status) } : {}),
  };
}

/** Sets resourceVersion, generation (and status.observedGeneration: the simulation is always caught up). */
function stamp(object: ApiObject, rv: number, generation: number): ApiObject {
  const hasGeneration = HAS_GENERATION.has(object.kind);
  const status = object.status as Record<string, unknown> | undefined;
  return {
    ...object,
    metadata: { ...object.metadata, resourceVersion: String(rv), ...(hasGeneration ? { generation } : {}) },
    ...(hasGeneration && status && 'observedGeneration' in status ? { status: { ...status, observedGeneration: generation } } : {}),
  };
}
