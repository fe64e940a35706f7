import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { ApiList, ApiObject, WatchEvent } from './api-objects.js';
import type { KubeConnection } from './kube-connection.js';
import type { ObjectStore } from './object-store.js';
import { getObjectKey } from './to-cluster-objects.js';

export interface ListWatchOptions<T> {
  connection: KubeConnection;
  /** The plural resource name, for logs: `pods`. */
  resource: string;
  /** The collection path across all namespaces: `/api/v1/pods`. */
  path: string;
  /** API object → slim object; undefined drops it (as a delete). */
  toObject: (o: ApiObject) => T | undefined;
  store: ObjectStore<T>;
  /** Called after the store changed (synchronously, once per list or event that changed it): the key an event changed, undefined for a list. */
  onChange: (key: string | undefined) => void;
  /** Called once, after the first complete list is in the store. */
  onSynced: () => void;
  log: Logger;
  /** Items per list page (`limit`; the server may ignore it). */
  pageSize?: number;
  /** First retry delay after a failure, doubled per failure in a row up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** `timeoutSeconds` of each watch: the server ends it then and it resumes from where it was. */
  watchTimeoutSeconds?: () => number;
}

/** A failure answered by the server: its HTTP status and the message of its `Status` body. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The watch's resourceVersion is too old (HTTP 410 Gone, or an ERROR event with code 410): list again. */
class ExpiredError extends Error {}

/** An ERROR event other than 410: client-go's reflector lists again after it, and so does this. */
class WatchErrorEvent extends ApiError {}

const DEFAULT_PAGE_SIZE = 500;
/** A watch line longer than this is not an event of a sane server: the connection is dropped. */
const MAX_EVENT_BYTES = 64 << 20;
/** A list page or an error body longer than this is refused. */
const MAX_BODY_BYTES = 1 << 30;
/** Whole seconds without a byte from a list request before it is given up. */
const LIST_IDLE_TIMEOUT_MS = 60_000;
/** A watch that ends this soon after it started, with no event, counts as a failure (no tight loop). */
const MIN_HEALTHY_WATCH_MS = 1000;

/** client-go's reflector: watches time out after a random 5 to 10 minutes so they do not all end together. */
function defaultWatchTimeoutSeconds(): number {
  return 300 + Math.floor(Math.random() * 300);
}

/**
 * One resource's list/watch loop, the protocol client-go's reflector speaks: list (in pages of
 * `limit`), then watch from the list's resourceVersion with bookmarks; a watch that ends or drops
 * resumes from the last resourceVersion seen (event or BOOKMARK); `410 Gone` (as the status of the
 * watch request or as an ERROR event) lists again; any other failure retries with a doubling delay.
 * Logs one line per list, re-list, watch (re)connect and failure.
 */
export class ListWatch<T> {
  /** The first complete list is in the store. */
  synced = false;
  /** Where the next watch resumes; undefined: list first. */
  resourceVersion: string | undefined;
  /** Counts for logs and tests. */
  readonly counts = { lists: 0, watches: 0, events: 0, failures: 0 };
  private stopped = false;
  private abort = new AbortController();
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  /** Why the next list is a re-list (for its log line); undefined for the first. */
  private relistReason: string | undefined;
  /** The current attempt got a watch stream (a failure after that is a drop, not a failure in a row). */
  private connected = false;

  constructor(private readonly o: ListWatchOptions<T>) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let failuresInARow = 0;
    while (!this.stopped) {
      this.connected = false;
      try {
        if (this.resourceVersion === undefined) await this.list();
        const healthy = await this.watch(this.resourceVersion!);
        failuresInARow = healthy ? 0 : failuresInARow + 1;
        if (!healthy) {
          const delay = this.getBackoffMs(failuresInARow);
          this.o.log.warn({ resource: this.o.resource, retryInMs: delay }, `watch of ${this.o.resource} ended at once without an event; resuming from resourceVersion ${this.resourceVersion} in ${formatDelay(delay)}`);
          await this.sleep(delay);
        }
      } catch (err) {
        if (this.stopped) break;
        if (err instanceof ExpiredError) {
          this.relistReason = `resourceVersion ${this.resourceVersion} expired (410 Gone)`;
          this.resourceVersion = undefined;
          continue;
        }
        failuresInARow = this.connected ? 1 : failuresInARow + 1;
        this.counts.failures++;
        const watching = this.resourceVersion !== undefined;
        let next = watching ? `resuming from resourceVersion ${this.resourceVersion}` : 'retrying';
        if (err instanceof WatchErrorEvent) {
          this.relistReason = err.message;
          this.resourceVersion = undefined;
          next = 'listing again';
        }
        const delay = this.getBackoffMs(failuresInARow);
        const what = watching ? `watch of ${this.o.resource} failed` : `cannot list ${this.o.resource} from ${this.o.connection.server}`;
        this.o.log.warn({ resource: this.o.resource, server: this.o.connection.server, err: describeError(err), retryInMs: delay }, `${what}: ${describeError(err)}; ${next} in ${formatDelay(delay)}`);
        await this.sleep(delay);
      }
    }
  }

  private getBackoffMs(failures: number): number {
    const initial = this.o.initialBackoffMs ?? 250;
    return Math.min(initial * 2 ** Math.max(0, failures - 1), this.o.maxBackoffMs ?? 8000);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Lists every page, then replaces the store's objects and sets `resourceVersion`. */
  private async list(): Promise<void> {
    const started = performance.now();
    const objects = new Map<string, T>();
    let next: string | undefined;
    let resourceVersion = '';
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: String(this.o.pageSize ?? DEFAULT_PAGE_SIZE) });
      if (next) query.set('continue', next);
      const res = await this.o.connection.get(`${this.o.path}?${query}`, this.abort.signal, LIST_IDLE_TIMEOUT_MS);
      const body = await readBody(res, MAX_BODY_BYTES);
      if (res.statusCode === 410 && next) {
        // The continue token expired between pages: start the list over.
        this.o.log.info({ resource: this.o.resource }, `list of ${this.o.resource} expired between pages (410 Gone); listing again from the start`);
        next = undefined;
        objects.clear();
        continue;
      }
      if (res.statusCode !== 200) throw toApiError(res.statusCode ?? 0, body);
      const list = JSON.parse(body) as ApiList;
      pages++;
      for (const item of list.items ?? []) {
        const key = getObjectKey(item);
        if (!key) continue;
        const o = this.o.toObject(item);
        if (o !== undefined) objects.set(key, o);
      }
      resourceVersion = list.metadata?.resourceVersion ?? '';
      next = list.metadata?.continue || undefined;
    } while (next);
    this.counts.lists++;
    const changed = this.o.store.replaceAll(objects);
    this.resourceVersion = resourceVersion;
    const ms = Math.round(performance.now() - started);
    const fields = { resource: this.o.resource, objects: objects.size, resourceVersion, pages, ms };
    if (this.relistReason) this.o.log.info({ ...fields, why: this.relistReason }, `re-listed ${this.o.resource}: ${objects.size} (${this.relistReason}; now at resourceVersion ${resourceVersion})`);
    else this.o.log.info(fields, `listed ${this.o.resource}: ${objects.size} at resourceVersion ${resourceVersion} from ${this.o.connection.server} (${ms} ms)`);
    this.relistReason = undefined;
    if (changed) this.o.onChange(undefined);
    if (!this.synced) {
      this.synced = true;
      this.o.onSynced();
    }
  }

  /**
   * Watches from `from` until the server ends the watch (true: resume at once; false when it ended
   * at once with no event: wait first). Rejects with ExpiredError on 410, with anything else on failure.
   */
  private async watch(from: string): Promise<boolean> {
    const timeout = (this.o.watchTimeoutSeconds ?? defaultWatchTimeoutSeconds)();
    const query = new URLSearchParams({ watch: 'true', resourceVersion: from, allowWatchBookmarks: 'true', timeoutSeconds: String(timeout) });
    const started = performance.now();
    const res = await this.o.connection.get(`${this.o.path}?${query}`, this.abort.signal, (timeout + 30) * 1000);
    if (res.statusCode === 410) {
      res.resume();
      throw new ExpiredError();
    }
    if (res.statusCode !== 200) throw toApiError(res.statusCode ?? 0, await readBody(res, 1 << 16));
    this.counts.watches++;
    this.connected = true;
    this.o.log.info({ resource: this.o.resource, resourceVersion: from }, `watching ${this.o.resource} from resourceVersion ${from}`);
    let events = 0;
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        if (err) {
          res.destroy();
          reject(err);
        } else resolve();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (settled) return;
        pending += chunk;
        let nl: number;
        while (!settled && (nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (!line) continue;
          try {
            events++;
            this.apply(JSON.parse(line) as WatchEvent);
          } catch (err) {
            finish(err as Error);
          }
        }
        if (pending.length > MAX_EVENT_BYTES) finish(new Error(`a watch event longer than ${MAX_EVENT_BYTES} bytes`));
      });
      res.once('end', () => finish());
      res.once('error', (err) => finish(err));
      res.once('close', () => finish(res.complete ? undefined : new Error('connection closed in the middle of the watch')));
    });
    return events > 0 || performance.now() - started >= MIN_HEALTHY_WATCH_MS;
  }

  /** Applies one watch event to the store. */
  private apply(e: WatchEvent): void {
    if (e.type === 'ERROR') {
      if (e.object?.code === 410) throw new ExpiredError();
      throw new WatchErrorEvent(e.object?.code ?? 0, `ERROR event: ${e.object?.message ?? JSON.stringify(e.object)}`);
    }
    const rv = e.object?.metadata?.resourceVersion;
    if (e.type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') throw new Error(`unknown watch event type ${JSON.stringify((e as { type: unknown }).type)}`);
    this.counts.events++;
    const key = getObjectKey(e.object);
    const changed = key !== '' && (e.type === 'DELETED' ? this.o.store.delete(key) : this.o.store.set(key, this.o.toObject(e.object)));
    if (rv) this.resourceVersion = rv;
    if (changed) this.o.onChange(key);
  }
}

function readBody(res: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) res.destroy(new Error(`response larger than ${limit} bytes`));
      else chunks.push(c);
    });
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}

/** `403 Forbidden: pods is forbidden: ...` from a `Status` body (or the start of whatever came). */
function toApiError(status: number, body: string): ApiError {
  let message = body.slice(0, 200).trim();
  try {
    const s = JSON.parse(body) as { message?: string; reason?: string };
    if (s.message) message = s.reason ? `${s.reason}: ${s.message}` : s.message;
  } catch {
    // not JSON: keep the text
  }
  return new ApiError(status, `HTTP ${status}${message ? ` ${message}` : ''}`);
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return `${err.message} (${code}): give the server's CA with --kubeconfig (certificate-authority-data) or NODE_EXTRA_CA_CERTS=ca.pem`;
  }
  const cause = (err as Error & { cause?: unknown }).cause;
  if (err instanceof AggregateError && err.errors.length) return describeError(err.errors[0]);
  return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message || code || (cause instanceof Error ? cause.message : 'unknown error');
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}
