import type http from 'node:http';
import type { ObjectStore, StoreEvent, WatchEventType } from '../kube-api/object-store.js';
import { toWebObject, WEB_RESOURCES, type WebObject, type WebResource } from './web-objects.js';
import { SseStream } from './sse-stream.js';

/**
 * `GET /web/v1/cluster?namespace=NS`: the web view's one live stream. First a `snapshot` event
 * (the namespace list, and the slim objects of NS), then `changes` events, each the store's events
 * for NS (and namespaces coming or going) of the last BATCH_MS. One connection for every kind: a
 * browser opens at most 6 HTTP/1.1 connections to one origin, and a watch per kind would take 8.
 * A reconnecting page gets a fresh snapshot (no resume to get wrong).
 */

/** How long changes are collected before one event carries them (a scale of 100 pods: a few events, not 300). */
export const BATCH_MS = 100;

export interface WebChange {
  type: WatchEventType;
  resource: WebResource | 'namespaces';
  object: WebObject;
}

export interface ClusterSnapshotEvent {
  resourceVersion: number;
  clusterDomain: string;
  namespace: string;
  namespaces: string[];
  objects: Record<WebResource, WebObject[]>;
}

const isWebResource = (r: string): r is WebResource => (WEB_RESOURCES as readonly string[]).includes(r);

/** Streams NS's objects on `res` until the client goes. */
export function serveClusterStream(store: ObjectStore, namespace: string, clusterDomain: string, res: http.ServerResponse, maxBufferedBytes = 8 << 20): void {
  const stream = new SseStream<WebChange>(res, 'changes', (changes) => ({ resourceVersion: store.resourceVersion, changes }), BATCH_MS, maxBufferedBytes);
  const onEvent = (e: StoreEvent): void => {
    if (e.resource === 'namespaces') stream.queue({ type: e.type, resource: 'namespaces', object: { name: e.object.metadata.name } });
    else if (isWebResource(e.resource) && e.object.metadata.namespace === namespace) stream.queue({ type: e.type, resource: e.resource, object: toWebObject(e.resource, e.object) });
  };
  const objects = {} as Record<WebResource, WebObject[]>;
  for (const r of WEB_RESOURCES) objects[r] = store.list(r, namespace).items.map((o) => toWebObject(r, o));
  const snapshot: ClusterSnapshotEvent = {
    resourceVersion: store.resourceVersion,
    clusterDomain,
    namespace,
    namespaces: store.list('namespaces').items.map((o) => o.metadata.name),
    objects,
  };
  stream.send('snapshot', snapshot);
  const unsubscribe = store.subscribe(onEvent);
  stream.whenEnded(unsubscribe);
}
