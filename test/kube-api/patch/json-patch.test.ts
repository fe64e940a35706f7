import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../../src/kube-api/patch/json-patch.js';

// RFC 6902 Appendix A examples, then the pointer escapes and errors (codes as in patch-error.ts).
const ok = [
  { name: 'A.1 add an object member', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux' }], result: { baz: 'qux', foo: 'bar' } },
  { name: 'A.2 add a list element', doc: { foo: ['bar', 'baz'] }, patch: [{ op: 'add', path: '/foo/1', value: 'qux' }], result: { foo: ['bar', 'qux', 'baz'] } },
  { name: 'A.3 remove an object member', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'remove', path: '/baz' }], result: { foo: 'bar' } },
  { name: 'A.4 remove a list element', doc: { foo: ['bar', 'qux', 'baz'] }, patch: [{ op: 'remove', path: '/foo/1' }], result: { foo: ['bar', 'baz'] } },
  { name: 'A.5 replace a value', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'replace', path: '/baz', value: 'boo' }], result: { baz: 'boo', foo: 'bar' } },
  { name: 'A.6 move a value', doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }], result: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } } },
  { name: 'A.7 move a list element', doc: { foo: ['all', 'grass', 'cows', 'eat'] }, patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }], result: { foo: ['all', 'cows', 'eat', 'grass'] } },
  { name: 'A.8 test a value: success', doc: { baz: 'qux', foo: ['a', 2, 'c'] }, patch: [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], result: { baz: 'qux', foo: ['a', 2, 'c'] } },
  { name: 'A.10 add a nested member object', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }], result: { foo: 'bar', child: { grandchild: {} } } },
  { name: 'A.11 ignore unrecognized members', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], result: { foo: 'bar', baz: 'qux' } },
  { name: 'A.14 ~ escapes', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: 10 }, { op: 'add', path: '/~1x', value: 1 }], result: { '/': 9, '~1': 10, '/x': 1 } },
  { name: 'A.16 add a list value', doc: { foo: ['bar'] }, patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], result: { foo: ['bar', ['abc', 'def']] } },
  { name: 'copy', doc: { a: { b: 1 } }, patch: [{ op: 'copy', from: '/a', path: '/c' }], result: { a: { b: 1 }, c: { b: 1 } } },
  { name: 'add at the end index', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/1', value: 2 }], result: { a: [1, 2] } },
  { name: 'add replaces an existing member', doc: { a: 1 }, patch: [{ op: 'add', path: '/a', value: 2 }], result: { a: 2 } },
  { name: 'kubectl-style: scale and add a label with an escaped key', doc: { metadata: { labels: {} }, spec: { replicas: 1 } }, patch: [{ op: 'replace', path: '/spec/replicas', value: 3 }, { op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }], result: { metadata: { labels: { 'app.kubernetes.io/name': 'web' } }, spec: { replicas: 3 } } },
  { name: 'test on a list and object deep-equal regardless of key order', doc: { a: { x: 1, y: [1, 2] } }, patch: [{ op: 'test', path: '/a', value: { y: [1, 2], x: 1 } }], result: { a: { x: 1, y: [1, 2] } } },
  { name: 'null patch is empty (as Go decodes it)', doc: { a: 1 }, patch: null, result: { a: 1 } },
];

describe('applyJsonPatch (RFC 6902): applies', () => {
  it.each(ok)('$name', ({ doc, patch, result }) => {
    const before = structuredClone(doc);
    const r = applyJsonPatch(doc, patch);
    expect(r.ok ? r.value : r.error).toEqual(result);
    expect(doc).toEqual(before);
  });
});

const failing = [
  { name: 'A.9 test fails', doc: { baz: 'qux' }, patch: [{ op: 'test', path: '/baz', value: 'bar' }], code: 'JSON_PATCH_TEST_FAILED', path: '/0', message: 'testing value /baz failed: test failed' },
  { name: 'A.12 add to a nonexistent target', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }], code: 'JSON_PATCH_PATH_MISSING', path: '/0', message: 'add operation does not apply: doc is missing path: "/baz/bat": missing value' },
  { name: 'A.15 comparing strings and numbers', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: '10' }], code: 'JSON_PATCH_TEST_FAILED', path: '/0' },
  { name: 'remove a missing key', doc: { a: 1 }, patch: [{ op: 'remove', path: '/b' }], code: 'JSON_PATCH_PATH_MISSING', path: '/0', message: "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value" },
  { name: 'replace a missing key', doc: { a: 1 }, patch: [{ op: 'replace', path: '/b', value: 1 }], code: 'JSON_PATCH_PATH_MISSING', path: '/0', message: 'replace operation does not apply: doc is missing key: /b: missing value' },
  { name: 'add past the end of a list', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/5', value: 2 }], code: 'JSON_PATCH_PATH_INVALID', path: '/0' },
  { name: 'leading zero index', doc: { a: [1, 2] }, patch: [{ op: 'replace', path: '/a/01', value: 2 }], code: 'JSON_PATCH_PATH_MISSING', path: '/0' },
  { name: 'non-numeric list index', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/x', value: 2 }], code: 'JSON_PATCH_PATH_INVALID', path: '/0' },
  { name: 'pointer without a leading slash', doc: { a: 1 }, patch: [{ op: 'add', path: 'a', value: 2 }], code: 'JSON_PATCH_PATH_INVALID', path: '/0' },
  { name: 'unknown op', doc: {}, patch: [{ op: 'merge', path: '/a' }], code: 'JSON_PATCH_OPERATION_INVALID', path: '/0', message: 'Unexpected kind: merge' },
  { name: 'missing path', doc: {}, patch: [{ op: 'add', value: 1 }], code: 'JSON_PATCH_OPERATION_INVALID', path: '/0' },
  { name: 'missing value', doc: {}, patch: [{ op: 'add', path: '/a' }], code: 'JSON_PATCH_OPERATION_INVALID', path: '/0' },
  { name: 'missing from', doc: {}, patch: [{ op: 'move', path: '/a' }], code: 'JSON_PATCH_OPERATION_INVALID', path: '/0' },
  { name: 'move into its own child', doc: { a: { b: 1 } }, patch: [{ op: 'move', from: '/a', path: '/a/b/c' }], code: 'JSON_PATCH_PATH_INVALID', path: '/0' },
  { name: 'the second operation fails, the first is not kept', doc: { a: 1 }, patch: [{ op: 'replace', path: '/a', value: 2 }, { op: 'test', path: '/a', value: 1 }], code: 'JSON_PATCH_TEST_FAILED', path: '/1' },
  { name: 'body is an object, not a list', doc: {}, patch: { op: 'add' }, code: 'JSON_PATCH_NOT_A_LIST', path: '', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
  { name: 'an operation is not an object', doc: {}, patch: [1], code: 'JSON_PATCH_NOT_A_LIST', path: '/0' },
];

describe('applyJsonPatch (RFC 6902): refuses', () => {
  it.each(failing)('$name', ({ doc, patch, code, path, message }) => {
    const before = structuredClone(doc);
    const r = applyJsonPatch(doc, patch);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.path).toBe(path);
    if (message) expect(r.error.message).toBe(message);
    expect(doc).toEqual(before);
  });
});
