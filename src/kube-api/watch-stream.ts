import type http from 'node:http';
import type { ApiObject } from './api-objects.js';
import type { ObjectStore, StoreEvent, WatchEventType } from './object-store.js';
import type { ResourceName } from './api-resources.js';
import { expired } from './api-status.js';

/**
 * One watch: a chunked stream of `{"type":..., "object":...}` lines, as the API server sends
 * them. Events are filtered by namespace and selectors, with the API server's transitions: an
 * object that starts matching arrives as ADDED, one that stops matching leaves as DELETED. A client
 * that does not read is cut off once `maxBufferedBytes` wait for it (it watches again, as clients
 * do), so a stalled watch holds bounded memory.
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
  maxBufferedBytes: number;
  /** Encodes one event's object (JSON object, or a Table row); `first`: the stream's first event. */
  encode: (type: WatchEventType | 'BOOKMARK', object: ApiObject, first: boolean) => unknown;
  /** A bookmark's object: kind, apiVersion, metadata.resourceVersion. */
  bookmarkObject: (resourceVersion: number) => ApiObject;
}

/** Streams a watch on `res` until the timeout, the client leaving, or the client falling too far behind. */
export function serveWatch(store: ObjectStore, o: WatchOptions, req: http.IncomingMessage, res: http.ServerResponse, onEnd?: () => void): void {
  let first = true;
  let ended = false;
  const write = (type: WatchEventType | 'BOOKMARK' | 'ERROR', object: unknown): void => {
    if (ended) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
    if (res.writableLength > o.maxBufferedBytes) finish(true);
  };
  const send = (type: WatchEventType | 'BOOKMARK', object: ApiObject): void => {
    write(type, o.encode(type, object, first));
    first = false;
  };
  const inScope = (obj: ApiObject | undefined) => obj !== undefined && (o.namespace === undefined || obj.metadata.namespace === o.namespace) && o.matches(obj);
  const onEvent = (e: StoreEvent): void => {
    if (e.resource !== o.resource) return;
    const now = inScope(e.object);
    const before = e.type !== 'ADDED' && inScope(e.previous);
    if (e.type === 'DELETED') {
      if (before || now) send('DELETED', e.object);
    } else if (now && before) send('MODIFIED', e.object);
    else if (now) send('ADDED', e.object);
    else if (before) send('DELETED', { ...e.previous!, metadata: { ...e.previous!.metadata, resourceVersion: String(e.resourceVersion) } });
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
    if (destroy) res.destroy();
    else res.end();
    onEnd?.();
  };
  // The request was read before the watch began: the client leaving shows on the response's connection.
  res.on('close', () => finish());
  res.on('error', () => finish(true));
  void req;

  if (o.resourceVersion === undefined || o.resourceVersion === '' || o.resourceVersion === '0') {
    for (const obj of store.list(o.resource, o.namespace, { matches: o.matches }).items) send('ADDED', obj);
  } else {
    const since = store.eventsSince(Number(o.resourceVersion));
    if (since === 'expired' || !/^\d+$/.test(o.resourceVersion)) {
      write('ERROR', expired(o.resourceVersion, store.oldestResourceVersion));
      return finish();
    }
    for (const e of since) onEvent(e);
  }
  unsubscribe = store.subscribe(onEvent);
  timer = setTimeout(() => finish(), o.timeoutMs).unref();
  if (o.bookmarks) bookmarkTimer = setInterval(() => write('BOOKMARK', o.bookmarkObject(store.resourceVersion)), o.bookmarkMs ?? 30_000).unref();
  if (first) res.flushHeaders?.();
}
