import { API_RESOURCES, type ResourceName } from './api-resources.js';
import { buildApiObjects, type ApiObject, type ApiObjectSource } from './api-objects.js';

/**
 * The API's object store, in the shape of the Kubernetes API server's watch cache: every object
 * of every served resource with its `resourceVersion` (one counter for the whole store) and
 * `generation`, and every change as an event (ADDED / MODIFIED / DELETED) kept in a bounded
 * window, so a watch can resume from a resourceVersion (older than the window: 410 Expired, the
 * client lists again). It is a reader of the simulation: `sync` derives the objects from the
 * simulated state after each change and records what differs.
 */

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceName;
  /** The object after the change (DELETED: as last seen, with the deletion's resourceVersion). */
  object: ApiObject;
  /** The object before the change (MODIFIED, DELETED), for selector transitions. */
  previous: ApiObject | undefined;
  resourceVersion: number;
}

interface Entry {
  object: ApiObject;
  /** The object without resourceVersion/generation, to tell a change. */
  json: string;
  spec: string;
}

/** How many events a watch can resume across. */
export const DEFAULT_EVENT_WINDOW = 50_000;

export class ObjectStore {
  private rv: number;
  private readonly entries = new Map<ResourceName, Map<string, Entry>>();
  private events: StoreEvent[] = [];
  /** resourceVersion before the oldest event kept: a watch from an older one has missed events. */
  private oldestResumable: number;
  private readonly listeners = new Set<(e: StoreEvent) => void>();

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
   * Derives every object from `src` and records each difference as an event. `namespaces`: only
   * these namespaces changed (the others, and their objects, are left as they are); undefined: all.
   */
  sync(src: ApiObjectSource, namespaces?: ReadonlySet<string>): void {
    for (const r of API_RESOURCES) {
      const current = this.entries.get(r.resource)!;
      if (!r.namespaced || namespaces === undefined) this.syncObjects(r.resource, current, buildApiObjects(src, r.resource), () => true);
      else
        for (const ns of namespaces) {
          const prefix = `${ns}/`;
          this.syncObjects(r.resource, current, buildApiObjects(src, r.resource, ns), (key) => key.startsWith(prefix));
        }
    }
  }

  private syncObjects(resource: ResourceName, current: Map<string, Entry>, next: Map<string, ApiObject>, inScope: (key: string) => boolean): void {
    for (const [key, entry] of current) {
      if (!inScope(key) || next.has(key)) continue;
      current.delete(key);
      this.emit('DELETED', resource, entry.object, entry.object);
    }
    for (const [key, object] of next) {
      const json = JSON.stringify(object);
      const old = current.get(key);
      if (old && old.json === json) continue;
      const spec = JSON.stringify(object.spec ?? null);
      if (old && old.object.metadata.uid !== object.metadata.uid) {
        current.delete(key);
        this.emit('DELETED', resource, old.object, old.object);
      }
      const same = old && old.object.metadata.uid === object.metadata.uid ? old : undefined;
      const generation = same ? Number(same.object.metadata.generation ?? 1) + (same.spec === spec ? 0 : 1) : 1;
      const stored = this.stamp(object, generation);
      current.set(key, { object: stored, json, spec });
      this.emit(same ? 'MODIFIED' : 'ADDED', resource, stored, same?.object);
    }
  }

  /** Sets generation (and status.observedGeneration: the simulation is always caught up) and the next resourceVersion. */
  private stamp(object: ApiObject, generation: number): ApiObject {
    const rv = String(this.rv + 1);
    const hasGeneration = object.kind !== 'Pod' && object.kind !== 'Namespace' && object.kind !== 'Endpoints' && object.kind !== 'EndpointSlice' && object.kind !== 'PersistentVolumeClaim';
    const status = object.status as Record<string, unknown> | undefined;
    return {
      ...object,
      metadata: { ...object.metadata, resourceVersion: rv, ...(hasGeneration ? { generation } : {}) },
      ...(hasGeneration && status && 'observedGeneration' in status ? { status: { ...status, observedGeneration: generation } } : {}),
    };
  }

  private emit(type: WatchEventType, resource: ResourceName, object: ApiObject, previous: ApiObject | undefined): void {
    this.rv++;
    const o = type === 'DELETED' ? { ...object, metadata: { ...object.metadata, resourceVersion: String(this.rv) } } : object;
    const e: StoreEvent = { type, resource, object: o, previous, resourceVersion: this.rv };
    this.events.push(e);
    if (this.events.length > this.window * 2) {
      this.events = this.events.slice(-this.window);
      this.oldestResumable = this.events[0].resourceVersion - 1;
    }
    for (const l of this.listeners) l(e);
  }

  /** The objects of a resource (of one namespace), sorted by namespace and name as the API lists them. */
  list(resource: ResourceName, namespace?: string): ApiObject[] {
    const out: ApiObject[] = [];
    for (const [key, e] of this.entries.get(resource)!) if (namespace === undefined || key.startsWith(`${namespace}/`)) out.push(e.object);
    return out.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  }

  /** One object; undefined when absent. */
  get(resource: ResourceName, namespace: string | undefined, name: string): ApiObject | undefined {
    return this.entries.get(resource)!.get(namespace === undefined ? name : `${namespace}/${name}`)?.object;
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
