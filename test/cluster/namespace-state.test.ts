import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findChangedNamespaces, isSameJson, getNamespaceState, groupManifestsByNamespace, replaceNamespaceState } from '../../src/cluster/namespace-state.js';
import type { ClusterState } from '../../src/cluster/types.js';
import type { ManifestObject } from '../../src/manifest/manifest-object.js';

/** A state whose lists hold `namespace/name` keys only (what the functions look at), sorted as buildClusterState sorts. */
function stateOf(keys: string[], manifestSlices: string[] = []): ClusterState {
  const objects = [...keys].sort().map((k) => ({ namespace: k.split('/')[0], name: k.split('/')[1] }));
  const list = <T>() => objects.map((o) => ({ ...o })) as unknown as T[];
  return {
    namespaces: [],
    services: list(),
    pods: list(),
    endpointSlices: [...objects.map((o) => ({ ...o, managed: true })), ...manifestSlices.map((k) => ({ namespace: k.split('/')[0], name: k.split('/')[1], managed: false }))] as unknown as ClusterState['endpointSlices'],
    statefulSets: list(),
    replicaSets: list(),
    deployments: list(),
    persistentVolumeClaims: list(),
  };
}

const keysOf = (list: readonly { namespace: string; name: string }[]) => list.map((o) => `${o.namespace}/${o.name}`);

describe('replaceNamespaceState gives the lists a whole rebuild sorts', () => {
  const base = ['a/x', 'a-b/y', 'b/z', 'b/zz', 'c/w'];
  const cases = [
    { name: 'a namespace in the middle', ns: 'b', part: ['b/new', 'b/z'] },
    { name: 'the first namespace', ns: 'a', part: ['a/q'] },
    { name: 'the last namespace', ns: 'c', part: ['c/v', 'c/w'] },
    { name: 'a namespace whose name is a prefix of the next ("a" before "a-b" in key order)', ns: 'a', part: ['a/x', 'a/xx'] },
    { name: 'the namespace after the prefix one', ns: 'a-b', part: ['a-b/y2'] },
    { name: 'a namespace not there yet', ns: 'bb', part: ['bb/n'] },
    { name: 'a namespace emptied', ns: 'b', part: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = stateOf(base, ['a/manual']);
      const part = getNamespaceState(stateOf(c.part), c.ns);
      const next = replaceNamespaceState(before, c.ns, part);
      const want = [...base.filter((k) => !k.startsWith(`${c.ns}/`)), ...c.part].sort();
      expect(keysOf(next.services)).toEqual(want);
      expect(keysOf(next.pods)).toEqual(want);
      expect(keysOf(next.persistentVolumeClaims)).toEqual(want);
      // Managed slices in runs, then the manifests' slices untouched.
      expect(keysOf(next.endpointSlices)).toEqual([...want, 'a/manual']);
      expect(keysOf(before.services)).toEqual([...base].sort());
    });
  }
  it('getNamespaceState reads one run, and the manifest slices of that namespace', () => {
    const s = stateOf(base, ['b/manual', 'c/manual']);
    expect(keysOf(getNamespaceState(s, 'b').services)).toEqual(['b/z', 'b/zz']);
    expect(keysOf(getNamespaceState(s, 'b').endpointSlices)).toEqual(['b/z', 'b/zz', 'b/manual']);
    expect(keysOf(getNamespaceState(s, 'a').pods)).toEqual(['a/x']);
    expect(keysOf(getNamespaceState(s, 'nope').pods)).toEqual([]);
  });
});

describe('findChangedNamespaces', () => {
  const m = (kind: string, name: string, namespace?: string, spec: Record<string, unknown> = {}, line = 1) =>
    ({ apiVersion: 'v1', kind, name, namespace, body: { kind, metadata: { name, namespace }, spec }, source: { file: 'a.yaml', line, col: 1 } }) as unknown as ManifestObject;
  const a1 = m('Service', 's1', 'a');
  const a2 = m('Service', 's2', 'a');
  const d1 = m('Service', 'web');
  const n1 = m('Namespace', 'a');
  const cases = [
    { name: 'nothing changed', before: [a1, a2, d1, n1], after: [a1, a2, d1, n1], want: [] },
    { name: 'an object added to one namespace', before: [a1, d1], after: [a1, a2, d1], want: ['a'] },
    { name: 'an object read again from its file, same body at the same place: unchanged', before: [a1, d1, n1], after: [m('Service', 's1', 'a'), d1, m('Namespace', 'a')], want: [] },
    { name: 'an object read again with another body', before: [a1, d1], after: [m('Service', 's1', 'a', { clusterIP: 'None' }), d1], want: ['a'] },
    { name: 'an object read again at another line (its findings point elsewhere)', before: [a1, d1], after: [m('Service', 's1', 'a', {}, 7), d1], want: ['a'] },
    { name: 'a namespace file read again whole for one change: its Namespace object is new but the same', before: [n1, a1, a2], after: [m('Namespace', 'a'), m('Service', 's1', 'a'), m('Service', 's2', 'a', { ports: [] })], want: ['a'] },
    { name: 'objects naming no namespace are the default namespace', before: [a1], after: [a1, d1], want: ['default'] },
    { name: 'a Namespace object is cluster-scoped ("")', before: [a1], after: [a1, n1], want: [''] },
    { name: 'a namespace gone', before: [a1, d1], after: [d1], want: ['a'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const changed = findChangedNamespaces(groupManifestsByNamespace(c.before, 'default'), groupManifestsByNamespace(c.after, 'default'));
      expect([...changed].sort()).toEqual(c.want);
    });
  }
});

describe('isSameJson says what comparing JSON.stringify would, without serialising', () => {
  const cases: { name: string; a: unknown; b: unknown }[] = [
    { name: 'equal nested objects', a: { x: 1, y: [1, { z: 'a' }] }, b: { x: 1, y: [1, { z: 'a' }] } },
    { name: 'undefined properties left out', a: { x: 1, y: undefined }, b: { x: 1 } },
    { name: 'key order matters', a: { x: 1, y: 2 }, b: { y: 2, x: 1 } },
    { name: 'a value differs deep down', a: { x: [{ y: 1 }] }, b: { x: [{ y: 2 }] } },
    { name: 'array against object', a: { x: [] }, b: { x: {} } },
    { name: 'null against undefined property', a: { x: null }, b: {} },
    { name: 'arrays of different length', a: [1, 2], b: [1, 2, 3] },
    { name: 'strings and numbers', a: { x: '1' }, b: { x: 1 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(isSameJson(c.a, c.b)).toBe(JSON.stringify(c.a) === JSON.stringify(c.b));
    });
  }
  const valueOf = (leaves: unknown[]) =>
    fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.constantFrom(...leaves), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node'), { maxKeys: 3 })),
    })).node;
  it('never claims equal what serialises differently (random data, undefined included)', () => {
    const value = valueOf([0, 1, 'a', 'b', true, null, undefined]);
    fc.assert(fc.property(value, value, (a, b) => !isSameJson(a, b) || JSON.stringify(a) === JSON.stringify(b)), { numRuns: 1000 });
  });
  it('finds a copy the same (random data without undefined)', () => {
    fc.assert(fc.property(valueOf([0, 1, 'a', true, null]), (a) => isSameJson(a, structuredClone(a))), { numRuns: 300 });
  });
});
