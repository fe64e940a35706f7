import { describe, expect, it } from 'vitest';
import { QueryRing } from '../../src/web/query-stream.js';
import type { QueryLogEntry } from '../../src/dns/server/query-handler.js';

const entry = (name: string): QueryLogEntry => ({ name, type: 1, rcode: 0, durationMs: 0.1, client: '127.0.0.1:5353', transport: 'udp' });

describe('QueryRing: the web view query stream', () => {
  it('sets the handler hook only while someone watches (nothing per query otherwise)', () => {
    const handler = { onQueryLog: null as ((e: QueryLogEntry) => void) | null };
    const ring = new QueryRing((hook) => (handler.onQueryLog = hook), null, 3);
    expect(handler.onQueryLog).toBeNull();
    const seen: string[] = [];
    const stop = ring.subscribe((q) => seen.push(q.name));
    expect(handler.onQueryLog).not.toBeNull();
    handler.onQueryLog!(entry('a.'));
    stop();
    expect(handler.onQueryLog).toBeNull();
    expect(seen).toEqual(['a.']);
  });

  it('keeps --log-queries whatever the page does, and calls both while watched', () => {
    const handler = { onQueryLog: null as ((e: QueryLogEntry) => void) | null };
    const logged: string[] = [];
    const base = (e: QueryLogEntry) => logged.push(e.name);
    const ring = new QueryRing((hook) => (handler.onQueryLog = hook), base, 3);
    expect(handler.onQueryLog).toBe(base);
    const stop = ring.subscribe(() => {});
    handler.onQueryLog!(entry('b.'));
    stop();
    expect(handler.onQueryLog).toBe(base);
    expect(logged).toEqual(['b.']);
    expect(ring.getRecent().map((q) => q.name)).toEqual(['b.']);
  });

  it('is bounded: the newest `size` queries, oldest first, with type and rcode by name', () => {
    const ring = new QueryRing(() => {}, null, 3);
    const stop = ring.subscribe(() => {});
    for (const n of ['1.', '2.', '3.', '4.', '5.']) ring.record(entry(n));
    stop();
    expect(ring.getRecent().map((q) => [q.name, q.type, q.rcode])).toEqual([['3.', 'A', 'NOERROR'], ['4.', 'A', 'NOERROR'], ['5.', 'A', 'NOERROR']]);
  });
});
