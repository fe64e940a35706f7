import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonChunks } from '../../src/runtime/json-chunks.js';

describe('toJsonChunks: chunks that join to exactly JSON.stringify', () => {
  const settings = [
    { name: 'tiny batches, deep opening', batch: 1, depth: 5 },
    { name: 'small batches', batch: 3, depth: 2 },
    { name: 'the defaults', batch: undefined, depth: undefined },
  ];
  for (const s of settings) {
    it(`any JSON value (${s.name})`, () => {
      fc.assert(
        fc.property(fc.jsonValue(), (v) => {
          expect([...toJsonChunks(v, s.batch, s.depth)].join('')).toBe(JSON.stringify(v));
        }),
        { numRuns: 300 },
      );
    });
  }
  const cases = [
    { name: 'undefined object values are left out, undefined array items become null', value: { a: undefined, b: [1, undefined, 3], c: { d: undefined, e: 1 } } },
    { name: 'a state-file shape with large lists and maps', value: { version: 1, addresses: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`pod:ns/p-${i}:IPv4`, `10.0.0.${i}`])), live: { pods: Array.from({ length: 25 }, (_, i) => ({ name: `p-${i}`, goneAt: undefined, ready: i % 2 === 0 })), counters: {} }, overlays: { applied: [], deletedPods: [] } } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const chunks = [...toJsonChunks(c.value, 4, 2)];
      expect(chunks.join('')).toBe(JSON.stringify(c.value));
      expect(chunks.length).toBeGreaterThan(3);
    });
  }
  it('a list larger than a batch is written in several chunks, none holding more than one batch of items', () => {
    const list = Array.from({ length: 10 }, (_, i) => ({ i }));
    const chunks = [...toJsonChunks(list, 3)];
    expect(chunks.join('')).toBe(JSON.stringify(list));
    expect(chunks.filter((c) => c.includes('"i"')).map((c) => c.split('"i"').length - 1)).toEqual([3, 3, 3, 1]);
  });
});
