import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TypeMap } from '../../src/dns/records/type-map.js';

describe('TypeMap reads and writes like a Map of type codes', () => {
  it('any sequence of sets, from any initial entries', () => {
    const type = fc.integer({ min: 1, max: 6 });
    fc.assert(
      fc.property(fc.array(fc.tuple(type, fc.string()), { maxLength: 6 }), fc.array(fc.tuple(type, fc.string()), { maxLength: 10 }), (initial, sets) => {
        const reference = new Map(initial);
        const map = new TypeMap(initial);
        for (const [t, v] of sets) {
          expect(map.set(t, v)).toBe(map);
          reference.set(t, v);
        }
        expect(map.size).toBe(reference.size);
        expect([...map]).toEqual([...reference]);
        expect([...map.keys()]).toEqual([...reference.keys()]);
        expect([...map.values()]).toEqual([...reference.values()]);
        for (let t = 0; t <= 7; t++) {
          expect(map.has(t)).toBe(reference.has(t));
          expect(map.get(t)).toBe(reference.get(t));
        }
      }),
      { numRuns: 300 },
    );
  });
});
