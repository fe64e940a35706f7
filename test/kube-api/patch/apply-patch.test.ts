import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch, getPatchMetaLookup, PATCH_META_BY_KIND } from '../../../src/kube-api/patch/index.js';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const UNSUPPORTED = 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json';

const cases = [
  { name: 'merge patch', contentType: 'application/merge-patch+json', patch: { spec: { replicas: 3, paused: null } }, original: { spec: { replicas: 1, paused: true } }, value: { spec: { replicas: 3 } } },
  { name: 'merge patch with a charset parameter', contentType: 'application/merge-patch+json; charset=utf-8', patch: { a: 1 }, original: {}, value: { a: 1 } },
  { name: 'json patch', contentType: 'application/json-patch+json', patch: [{ op: 'replace', path: '/spec/replicas', value: 3 }], original: { spec: { replicas: 1 } }, value: { spec: { replicas: 3 } } },
  { name: 'strategic merge patch', contentType: 'application/strategic-merge-patch+json', patch: { spec: { containers: [{ name: 'b' }] } }, original: { spec: { containers: [{ name: 'a' }] } }, value: { spec: { containers: [{ name: 'b' }, { name: 'a' }] } } },
  { name: 'strategic merge patch null body is empty', contentType: 'application/strategic-merge-patch+json', patch: null, original: { a: 1 }, value: { a: 1 } },
];

describe('applyPatch: by content type', () => {
  it.each(cases)('$name', ({ contentType, patch, original, value }) => {
    const r = applyPatch(contentType, original, patch, POD);
    expect(r).toEqual({ ok: true, value });
  });
});

const refusals = [
  { name: 'unknown content type is 415 with the apiserver message', contentType: 'application/json', target: POD, patch: {}, reason: 'UnsupportedMediaType', code: 'PATCH_CONTENT_TYPE_UNSUPPORTED', message: UNSUPPORTED },
  { name: 'empty content type', contentType: '', target: POD, patch: {}, reason: 'UnsupportedMediaType', code: 'PATCH_CONTENT_TYPE_UNSUPPORTED', message: UNSUPPORTED },
  {
    name: 'strategic merge patch on a kind without Go struct tags is 415 (as for custom resources)',
    contentType: 'application/strategic-merge-patch+json',
    target: { group: 'example.com', version: 'v1', kind: 'Widget' },
    patch: {},
    reason: 'UnsupportedMediaType',
    code: 'PATCH_CONTENT_TYPE_UNSUPPORTED',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  },
  { name: 'server-side apply is not a patch algorithm', contentType: 'application/apply-patch+yaml', target: POD, patch: {}, reason: 'UnsupportedMediaType', code: 'PATCH_CONTENT_TYPE_UNSUPPORTED' },
  { name: 'merge patch body that is not an object', contentType: 'application/merge-patch+json', target: POD, patch: 'x', reason: 'BadRequest', code: 'MERGE_PATCH_NOT_AN_OBJECT', message: 'Invalid JSON Patch' },
  { name: 'json patch body that is not a list', contentType: 'application/json-patch+json', target: POD, patch: {}, reason: 'BadRequest', code: 'JSON_PATCH_NOT_A_LIST' },
  { name: 'json patch that fails is 422', contentType: 'application/json-patch+json', target: POD, patch: [{ op: 'test', path: '/a', value: 2 }], reason: 'Invalid', code: 'JSON_PATCH_TEST_FAILED' },
  { name: 'json patch that removes the root', contentType: 'application/json-patch+json', target: POD, patch: [{ op: 'replace', path: '', value: [1] }], reason: 'BadRequest', code: 'PATCH_RESULT_NOT_AN_OBJECT' },
];

describe('applyPatch: refusals', () => {
  it.each(refusals)('$name', ({ contentType, target, patch, reason, code, message }) => {
    const r = applyPatch(contentType, { a: 1 }, patch, target);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.code).toBe(code);
    if (message) expect(r.message).toBe(message);
  });
});

describe('patch merge keys: the Go struct tags of the served kinds', () => {
  const lookups = [
    { name: 'Pod containers by name', kind: 'v1/Pod', path: 'spec.containers', mergeKey: 'name' },
    { name: 'Pod container ports by containerPort', kind: 'v1/Pod', path: 'spec.containers.ports', mergeKey: 'containerPort' },
    { name: 'Pod init container env by name', kind: 'v1/Pod', path: 'spec.initContainers.env', mergeKey: 'name' },
    { name: 'Pod ephemeral container volumeMounts by mountPath', kind: 'v1/Pod', path: 'spec.ephemeralContainers.volumeMounts', mergeKey: 'mountPath' },
    { name: 'Pod volumes by name (merge, retainKeys)', kind: 'v1/Pod', path: 'spec.volumes', mergeKey: 'name' },
    { name: 'Pod imagePullSecrets by name', kind: 'v1/Pod', path: 'spec.imagePullSecrets', mergeKey: 'name' },
    { name: 'Pod hostAliases by ip', kind: 'v1/Pod', path: 'spec.hostAliases', mergeKey: 'ip' },
    { name: 'Pod topologySpreadConstraints by topologyKey', kind: 'v1/Pod', path: 'spec.topologySpreadConstraints', mergeKey: 'topologyKey' },
    { name: 'Pod status conditions by type', kind: 'v1/Pod', path: 'status.conditions', mergeKey: 'type' },
    { name: 'Pod status podIPs by ip', kind: 'v1/Pod', path: 'status.podIPs', mergeKey: 'ip' },
    { name: 'Service ports by port', kind: 'v1/Service', path: 'spec.ports', mergeKey: 'port' },
    { name: 'ObjectMeta ownerReferences by uid', kind: 'discovery.k8s.io/v1/EndpointSlice', path: 'metadata.ownerReferences', mergeKey: 'uid' },
    { name: 'ObjectMeta finalizers merge scalars', kind: 'v1/Endpoints', path: 'metadata.finalizers', mergeKey: undefined },
    { name: 'Deployment template containers by name', kind: 'apps/v1/Deployment', path: 'spec.template.spec.containers', mergeKey: 'name' },
    { name: 'StatefulSet template container env by name', kind: 'apps/v1/StatefulSet', path: 'spec.template.spec.containers.env', mergeKey: 'name' },
    { name: 'ReplicaSet template metadata ownerReferences by uid', kind: 'apps/v1/ReplicaSet', path: 'spec.template.metadata.ownerReferences', mergeKey: 'uid' },
    { name: 'PVC status conditions by type', kind: 'v1/PersistentVolumeClaim', path: 'status.conditions', mergeKey: 'type' },
    { name: 'Namespace status conditions by type', kind: 'v1/Namespace', path: 'status.conditions', mergeKey: 'type' },
  ];
  it.each(lookups)('$name', ({ kind, path, mergeKey }) => {
    const meta = PATCH_META_BY_KIND[kind][path];
    expect(meta?.strategies).toContain('merge');
    expect(meta?.mergeKey).toBe(mergeKey);
  });

  const untagged = [
    { name: 'tolerations', target: POD, path: 'spec.tolerations' },
    { name: 'readinessGates', target: POD, path: 'spec.readinessGates' },
    { name: 'containerStatuses', target: POD, path: 'status.containerStatuses' },
    { name: 'StatefulSet volumeClaimTemplates', target: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, path: 'spec.volumeClaimTemplates' },
    { name: 'Endpoints subsets', target: { group: '', version: 'v1', kind: 'Endpoints' }, path: 'subsets' },
    { name: 'Service ipFamilies', target: { group: '', version: 'v1', kind: 'Service' }, path: 'spec.ipFamilies' },
  ];
  it.each(untagged)('no tags (replaced): $name', ({ target, path }) => {
    expect(getPatchMetaLookup(target)?.(path.split('.'))).toBeUndefined();
  });
});

describe('applyPatch: never throws, never mutates (fuzz)', () => {
  const CONTENT_TYPES = ['application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'text/plain'];
  const TARGETS = [POD, { group: 'apps', version: 'v1', kind: 'Deployment' }, { group: '', version: 'v1', kind: 'Service' }];
  // Keys drawn mostly from the names the algorithms react to, so fuzzing reaches directives and merge keys.
  const key = fc.oneof(
    fc.constantFrom('spec', 'template', 'containers', 'ports', 'name', 'containerPort', 'port', 'metadata', 'finalizers', 'labels', '$patch', '$retainKeys', '$setElementOrder/containers', '$setElementOrder/ports', '$deleteFromPrimitiveList/finalizers', '__proto__', 'op', 'path', 'value', 'from'),
    fc.string({ maxLength: 4 }),
  );
  const scalar = fc.oneof(fc.constantFrom('replace', 'delete', 'merge', 'add', 'remove', 'move', 'copy', 'test', '/spec', '/spec/containers/0', '/-', '', 'web'), fc.integer({ min: -2, max: 3 }), fc.boolean(), fc.constant(null));
  const { json } = fc.letrec((tie) => ({
    json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('json'), { maxLength: 4 }), fc.dictionary(key, tie('json'), { maxKeys: 5 })),
  }));
  const objectJson = fc.dictionary(key, json, { maxKeys: 5 });

  it('returns a result for any JSON input and leaves the inputs as they were', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(...TARGETS), objectJson, json, (contentType, target, original, patch) => {
        const originalBefore = JSON.stringify(original);
        const patchBefore = JSON.stringify(patch);
        const r = applyPatch(contentType, original, patch, target);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(['UnsupportedMediaType', 'BadRequest', 'Invalid']).toContain(r.reason);
        expect(JSON.stringify(original)).toBe(originalBefore);
        expect(JSON.stringify(patch)).toBe(patchBefore);
      }),
      { numRuns: 3000 },
    );
  });

  it('also for arbitrary JSON from fast-check', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONTENT_TYPES), fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue(), (contentType, original, patch) => {
        const before = JSON.stringify(original);
        const r = applyPatch(contentType, original, patch, POD);
        expect(typeof r.ok).toBe('boolean');
        expect(JSON.stringify(original)).toBe(before);
      }),
      { numRuns: 1000 },
    );
  });

  it('merge patch result equals RFC 7386 on the strategic path for maps without lists', () => {
    const mapOnly = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, fc.constantFrom(1, 'a', null, true), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('v'), { maxKeys: 3 })) })).v;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c'), mapOnly, { maxKeys: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), mapOnly, { maxKeys: 3 }), (original, patch) => {
        const smp = applyPatch('application/strategic-merge-patch+json', original, patch, POD);
        const merge = applyPatch('application/merge-patch+json', original, patch, POD);
        expect(smp).toEqual(merge);
      }),
      { numRuns: 1000 },
    );
  });
});
