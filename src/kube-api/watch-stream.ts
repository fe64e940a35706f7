import type http from 'node:http';
import type { ApiObject } from './api-objects.js';
import type { ObjectStore, StoreEvent, WatchEventType } from './object-store.js';
import type { ResourceName } from './api-resources.js';
import { expired } from './api-status.js';

/**
 * One watch: a chunked stream of `{"type":..., "object":...}` lines, as the API server sends
 * them. Events are filtered by namespace and selectors, with the API server's transitions: an
 * object that starts matching arrives as ADDED, one that stops matching leaves as DELETED.
 *
 * Events wait in a queue of references (to the store's own events, or to current objects for a
 * watch's initial ADDEDs) and are encoded only as the connection takes them (`drain`), so a
 * client resuming across a long backlog gets it all, at its own pace. A client that stops reading
 * while more than `maxPendingEvents` newer ones pile up is cut off (it watches again, as clients do): a
 * stalled watch holds a bounded number of references and at most a socket buffer of bytes.
 */

export interface WatchOptions {
  resource: ResourceName;
  namespace: string | undefined;
  matches: (o: ApiObject) => boolean;
  /** undefined or '0': start with ADDED for every current object; else resume after that resourceVersion. */
  resourceVersion: string | undefined;
  timeoutMs: number;
  /** `allowWatchBookmarks`: send a BOOKMARK with the store's resourceVersion every `bookmarkMs`. */
  bookmarks: boolean;
  bookmarkMs?: number;
  /** Events a client may leave unread (beyond its initial events and backlog) before it is cut off. */
  maxPendingEvents: number;
  /** Encodes one event's object (JSON object, or a Table row); `first`: the stream's first event. */
  encode: (type: WatchEventType | 'BOOKMARK', object: ApiObject, first: boolean) => unknown;
  /** A bookmark's object: kind, apiVersion, metadata.resourceVersion. */
  bookmarkObject: (resourceVersion: number) => ApiObject;
}

type Pending = { type: WatchEventType | 'BOOKMARK'; object: ApiObject };

/** Streams a watch on `res` until the timeout, the client leaving, or the client falling too far behind. */
export function serveWatch(store: ObjectStore, o: WatchOptions, res: http.ServerResponse, onEnd?: () => void): void {
  let first = true;
  let ended = false;
  const queue: Pending[] = [];
  let head = 0;
  /** Events queued before live ones began (initial ADDEDs, the backlog): never counted as falling behind. */
  let allowedBacklog = Infinity;
  let waiting = false;
  const flush = (): void => {
    while (!ended && head < queue.length) {
      const p = queue[head];
      queue[head++] = undefined as unknown as Pending;
      const more = res.write(`${JSON.stringify({ type: p.type, object: o.encode(p.type, p.object, first) })}\n`);
      first = false;
      if (!more) {
        waiting = true;
        return;
      }
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
      if (allowedBacklog !== Infinity) allowedBacklog = 0;
    }
  };
  const push = (type: Pending['type'], object: ApiObject): void => {
    if (ended) return;
    queue.push({ type, object });
    if (queue.length - head > allowedBacklog + o.maxPendingEvents) return finish(true);
    if (!waiting) flush();
  };
  const inScope = (obj: ApiObject | undefined) => obj !== undefined && (o.namespace === undefined || obj.metadata.namespace === o.namespace) && o.matches(obj);
  const onEvent = (e: StoreEvent): void => {
    if (e.resource !== o.resource) return;
    const now = inScope(e.object);
    const before = e.type !== 'ADDED' && inScope(e.previous);
    if (e.type === 'DELETED') {
      if (before || now) push('DELETED', e.object);
    } else if (now && before) push('MODIFIED', e.object);
    else if (now) push('ADDED', e.object);
    else if (before) push('DELETED', { ...e.previous!, metadata: { ...e.previous!.metadata, resourceVersion: String(e.resourceVersion) } });
  };
  let unsubscribe = (): void => {};
  let timer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const finish = (destroy = false): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearTimeout(timer);
    clearInterval(bookmarkTimer);
    queue.length = 0;
    if (destroy) res.destroy();
    else res.end();
    onEnd?.();
  };
  res.on('drain', () => {
    waiting = false;
    flush();
  });
  // The request was read before the watch began: the client leaving shows on the response's connection.
  res.on('close', () => finish());
  res.on('error', () => finish(true));

  waiting = true; // queue the initial events and the backlog, then write them as the connection takes them
  if (o.resourceVersion === undefined || o.resourceVersion === '' || o.resourceVersion === '0') {
    for (const obj of store.list(o.resource, o.namespace, { matches: o.matches }).items) push('ADDED', obj);
  } else {
    const since = /^\d+$/.test(o.resourceVersion) ? store.eventsSince(Number(o.resourceVersion)) : 'expired';
    if (since === 'expired') {
      res.write(`${JSON.stringify({ type: 'ERROR', object: expired(o.resourceVersion, store.oldestResourceVersion) })}\n`);
      return finish();
    }
    for (const e of since) onEvent(e);
  }
  allowedBacklog = queue.length - head;
  waiting = false;
  flush();
  unsubscribe = store.subscribe(onEvent);
  timer = setTimeout(() => finish(), o.timeoutMs).unref();
  if (o.bookmarks) bookmarkTimer = setInterval(() => push('BOOKMARK', o.bookmarkObject(store.resourceVersion)), o.bookmarkMs ?? 30_000).unref();
  if (queue.length === 0) res.flushHeaders?.();
}
