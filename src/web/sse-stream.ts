import type http from 'node:http';

/**
 * A server-sent-events response that batches: `queue` collects items, one `event` carrying all of
 * them is written every `batchMs` (none when nothing came). A client that stops reading is cut off
 * once `maxBufferedBytes` wait for it (EventSource reconnects and starts over), so a stalled page
 * holds bounded memory.
 */
export class SseStream<T> {
  private pending: T[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private readonly onEnd: (() => void)[] = [];

  constructor(
    private readonly res: http.ServerResponse,
    private readonly event: string,
    private readonly toData: (items: T[], dropped: number) => unknown,
    private readonly batchMs: number,
    private readonly maxBufferedBytes: number,
    private readonly maxPending = 10_000,
    /** Past maxPending: drop the oldest items and count them (true), or cut the client off (false). */
    private readonly dropOldest = false,
  ) {
    res.on('close', () => this.end());
    res.on('error', () => this.end(true));
    this.timer = setInterval(() => this.flush(), batchMs).unref();
  }

  /** Writes one event now. */
  send(event: string, data: unknown): void {
    if (this.ended) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (this.res.writableLength > this.maxBufferedBytes) this.end(true);
  }

  /** Adds an item to the next batch; past `maxPending` unsent items, see `dropOldest`. */
  queue(item: T): void {
    if (this.ended) return;
    this.pending.push(item);
    if (this.pending.length <= this.maxPending) return;
    if (!this.dropOldest) return this.end(true);
    this.pending.shift();
    this.dropped++;
  }

  /** Calls `f` when the stream ends (client gone, cut off, or `end`). */
  whenEnded(f: () => void): void {
    if (this.ended) f();
    else this.onEnd.push(f);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const items = this.pending;
    const dropped = this.dropped;
    this.pending = [];
    this.dropped = 0;
    this.send(this.event, this.toData(items, dropped));
  }

  end(destroy = false): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.pending = [];
    if (destroy) this.res.destroy();
    else this.res.end();
    for (const f of this.onEnd.splice(0)) f();
  }
}

/** The head of an event stream. */
export const SSE_HEADERS: Record<string, string> = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
