import { describe, expect, it } from 'vitest';
import { applyJsonMergePatch } from '../../../src/kube-api/patch/json-merge-patch.js';

// RFC 7386 Appendix A, every example.
const cases = [
  { name: 'A.1 change a value', target: { a: 'b' }, patch: { a: 'c' }, result: { a: 'c' } },
  { name: 'A.2 add a key', target: { a: 'b' }, patch: { b: 'c' }, result: { a: 'b', b: 'c' } },
  { name: 'A.3 null removes a key', target: { a: 'b' }, patch: { a: null }, result: {} },
  { name: 'A.4 null removes one of two keys', target: { a: 'b', b: 'c' }, patch: { a: null }, result: { b: 'c' } },
  { name: 'A.5 list replaces list', target: { a: ['b'] }, patch: { a: 'c' }, result: { a: 'c' } },
  { name: 'A.6 value replaces list', target: { a: 'c' }, patch: { a: ['b'] }, result: { a: ['b'] } },
  { name: 'A.7 nested merge and delete', target: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, result: { a: { b: 'd' } } },
  { name: 'A.8 lists are replaced, not merged', target: { a: [{ b: 'c' }] }, patch: { a: [1] }, result: { a: [1] } },
  { name: 'A.9 list target, list patch', target: ['a', 'b'], patch: ['c', 'd'], result: ['c', 'd'] },
  { name: 'A.10 object replaced by list', target: { a: 'b' }, patch: ['c'], result: ['c'] },
  { name: 'A.11 null patch', target: { a: 'foo' }, patch: null, result: null },
  { name: 'A.12 string patch', target: { a: 'foo' }, patch: 'bar', result: 'bar' },
  { name: 'A.13 null value in the target survives', target: { e: null }, patch: { a: 1 }, result: { e: null, a: 1 } },
  { name: 'A.14 list target, object patch', target: [1, 2], patch: { a: 'b', c: null }, result: { a: 'b' } },
  { name: 'A.15 nested new object drops its nulls', target: {}, patch: { a: { bb: { ccc: null } } }, result: { a: { bb: {} } } },
  { name: '__proto__ is an ordinary key', target: { a: 1 }, patch: JSON.parse('{"__proto__": {"x": 1}}'), result: JSON.parse('{"a": 1, "__proto__": {"x": 1}}') },
];

describe('applyJsonMergePatch (RFC 7386)', () => {
  it.each(cases)('$name', ({ target, patch, result }) => {
    const before = structuredClone(target);
    const patchBefore = structuredClone(patch);
    const out = applyJsonMergePatch(target, patch);
    expect(out).toEqual(result);
    expect(target).toEqual(before);
    expect(patch).toEqual(patchBefore);
    if (typeof out === 'object' && out !== null && !Array.isArray(out)) expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
