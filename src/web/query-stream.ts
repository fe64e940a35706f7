import type http from 'node:http';
import type { QueryLogEntry } from '../dns/server/query-handler.js';
import { getRcodeName, getTypeName } from '../dns/wire/code-names.js';
import { SseStream } from './sse-stream.js';

/** One query as the page lists it. */
export interface WebQuery {
  /** Milliseconds since the epoch. */
  at: number;
  name: string;
  type: string;
  rcode: string;
  client: string;
  proto: string;
  ms: number;
}

/** How many queries the ring keeps (what a page that opens sees first). */
export const QUERY_RING_SIZE = 500;

type QueryHook = ((e: QueryLogEntry) => void) | null;

/**
 * The last queries, for the web view's query stream. The DNS handler's `onQueryLog` hook is set
 * only while a page watches (plus `--log-queries`' own line when on): with nobody watching a query
 * costs nothing more than before. The ring is a fixed array written in place (bounded memory).
 */
export class QueryRing {
  private readonly ring: (WebQuery | undefined)[];
  private next = 0;
  private readonly listeners = new Set<(q: WebQuery) => void>();

  /** `setHook`: installs the handler's hook (null: none); `base`: the `--log-queries` line, kept whatever the page does. */
  constructor(private readonly setHook: (hook: QueryHook) => void, private readonly base: QueryHook = null, size = QUERY_RING_SIZE) {
    this.ring = new Array(size).fill(undefined);
    this.install();
  }

  /** Queries kept, oldest first. */
  getRecent(): WebQuery[] {
    const out: WebQuery[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const q = this.ring[(this.next + i) % this.ring.length];
      if (q) out.push(q);
    }
    return out;
  }

  /** Whether the hook is on (someone watches). */
  get isWatched(): boolean {
    return this.listeners.size > 0;
  }

  /** Calls `listener` for each query from now on; the returned function stops it. */
  subscribe(listener: (q: WebQuery) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.install();
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.install();
    };
  }

  /** Records one query (the hook). */
  readonly record = (e: QueryLogEntry): void => {
    const q: WebQuery = { at: Date.now(), name: e.name, type: getTypeName(e.type), rcode: getRcodeName(e.rcode), client: e.client, proto: e.transport, ms: e.durationMs };
    this.ring[this.next] = q;
    this.next = (this.next + 1) % this.ring.length;
    for (const l of this.listeners) l(q);
  };

  private install(): void {
    const base = this.base;
    if (this.listeners.size === 0) this.setHook(base);
    else if (base === null) this.setHook(this.record);
    else
      this.setHook((e) => {
        base(e);
        this.record(e);
      });
  }
}

/** `GET /web/v1/queries`: a `queries` event with the ring, then one every `batchMs` with the new ones. */
export function serveQueryStream(ring: QueryRing, res: http.ServerResponse, batchMs: number, maxBufferedBytes = 1 << 20): void {
  // Under load a batch keeps the newest QUERY_RING_SIZE queries and says how many it skipped.
  const stream = new SseStream<WebQuery>(res, 'queries', (queries, skipped) => ({ queries, skipped }), batchMs, maxBufferedBytes, QUERY_RING_SIZE, true);
  stream.send('queries', { queries: ring.getRecent(), skipped: 0 });
  const unsubscribe = ring.subscribe((q) => stream.queue(q));
  stream.whenEnded(unsubscribe);
}
