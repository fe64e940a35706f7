import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayeredMap } from '../../src/dns/records/layered-map.js';
import type { NameEntry } from '../../src/dns/records/record-index.js';

const entry = (n: number) => ({ rrsets: new Map(), glue: new Map(), prepared: new Map(), existence: 'records', n }) as unknown as NameEntry;

describe('LayeredMap reads like the Map it stands for', () => {
  const name = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
  const change = fc.tuple(name, fc.option(fc.integer({ min: 0, max: 99 }), { nil: null }));
  const patches = fc.array(fc.array(change, { maxLength: 6 }), { maxLength: 30 });
  const cases = [
    { name: 'patched again and again, layers kept and merged', foldRatio: Infinity },
    { name: 'folded into a plain map after every patch', foldRatio: 0 },
    { name: 'folded once the layers outgrow the base (the default)', foldRatio: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      fc.assert(
        fc.property(fc.array(name, { maxLength: 5 }), patches, (initial, steps) => {
          const reference = new Map<string, NameEntry>(initial.map((n, i) => [n, entry(i)]));
          let names: ReadonlyMap<string, NameEntry> = new Map(reference);
          const earlier: [ReadonlyMap<string, NameEntry>, Map<string, NameEntry>][] = [];
          for (const step of steps) {
            const changes = new Map(step.map(([n, v]) => [n, v === null ? null : entry(v)]));
            earlier.push([names, new Map(reference)]);
            names = LayeredMap.patch(names, changes, c.foldRatio);
            for (const [n, e] of changes) {
              if (e === null) reference.delete(n);
              else reference.set(n, e);
            }
            expect(names.size).toBe(reference.size);
            expect(new Map(names)).toEqual(reference);
            expect([...names.keys()].sort()).toEqual([...reference.keys()].sort());
            for (const n of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'z']) {
              expect(names.has(n)).toBe(reference.has(n));
              expect(names.get(n)).toBe(reference.get(n));
            }
          }
          // Every earlier version still reads as it did: a patch never writes into what it was made from.
          for (const [old, was] of earlier) expect(new Map(old)).toEqual(was);
        }),
        { numRuns: 200 },
      );
    });
  }
});
