import { describe, expect, it } from 'vitest';
import { parseApiPath } from '../../src/kube-api/api-path.js';
import { buildResourceList, buildGroupList } from '../../src/kube-api/discovery.js';
import { buildOpenApiDocument, buildOpenApiIndex } from '../../src/kube-api/openapi.js';
import { API_RESOURCES, toGroupVersionPath } from '../../src/kube-api/api-resources.js';
import { checkWrite, parseFieldValidation } from '../../src/kube-api/write-validation.js';
import { decodeProtobufBody } from '../../src/kube-api/protobuf-body.js';
import { computeUid } from '../../src/kube-api/api-objects.js';

describe('parseApiPath', () => {
  const cases = [
    { name: 'core versions', path: '/api', want: { type: 'core-versions' } },
    { name: 'group list', path: '/apis', want: { type: 'group-list' } },
    { name: 'one group', path: '/apis/apps', want: { type: 'group', group: 'apps' } },
    { name: 'core resource list', path: '/api/v1', want: { type: 'resource-list', group: '', version: 'v1' } },
    { name: 'cluster-wide list', path: '/api/v1/pods', want: { type: 'resource', group: '', version: 'v1', resource: 'pods' } },
    { name: 'a namespace object', path: '/api/v1/namespaces/default', want: { type: 'resource', group: '', version: 'v1', resource: 'namespaces', name: 'default' } },
    { name: 'namespaced list', path: '/api/v1/namespaces/default/pods', want: { type: 'resource', group: '', version: 'v1', namespace: 'default', resource: 'pods' } },
    { name: 'namespaced object', path: '/apis/apps/v1/namespaces/ns/statefulsets/web', want: { type: 'resource', group: 'apps', version: 'v1', namespace: 'ns', resource: 'statefulsets', name: 'web' } },
    { name: 'subresource', path: '/apis/apps/v1/namespaces/ns/statefulsets/web/scale', want: { type: 'resource', group: 'apps', version: 'v1', namespace: 'ns', resource: 'statefulsets', name: 'web', subresource: 'scale' } },
    { name: 'escaped name', path: '/api/v1/namespaces/a/pods/x%2Dy', want: { type: 'resource', group: '', version: 'v1', namespace: 'a', resource: 'pods', name: 'x-y' } },
    { name: 'too deep', path: '/api/v1/namespaces/a/pods/x/y/z', want: undefined },
    { name: 'not the API', path: '/metrics', want: undefined },
  ];
  it.each(cases)('$name', ({ path, want }) => expect(parseApiPath(path)).toEqual(want));
});

describe('discovery', () => {
  it.each([
    { name: 'core', group: '', version: 'v1', names: ['endpoints', 'namespaces', 'persistentvolumeclaims', 'pods', 'services'] },
    { name: 'apps, with the scale subresource', group: 'apps', version: 'v1', names: ['deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'] },
    { name: 'discovery.k8s.io', group: 'discovery.k8s.io', version: 'v1', names: ['endpointslices'] },
  ])('$name lists its resources', ({ group, version, names }) => {
    const list = buildResourceList(group, version) as { resources: { name: string }[] };
    expect(list.resources.map((r) => r.name).sort()).toEqual(names);
  });

  it('kubectl short names of every kind the issue names', () => {
    const shorts = API_RESOURCES.flatMap((r) => r.shortNames);
    for (const s of ['po', 'svc', 'sts', 'rs', 'deploy', 'ep', 'pvc', 'ns']) expect(shorts).toContain(s);
  });

  it('an unknown group version is not served', () => {
    expect(buildResourceList('batch', 'v1')).toBeUndefined();
    expect((buildGroupList() as { groups: { name: string }[] }).groups.map((g) => g.name)).toEqual(['apps', 'discovery.k8s.io']);
  });
});

describe('OpenAPI v3', () => {
  // kubectl leaves validation to the server when a kind's PATCH operation lists `fieldValidation`.
  it.each(API_RESOURCES.filter((r) => r.writable).map((r) => ({ name: r.kind, r })))('$name: PATCH takes fieldValidation, and the document is listed in the index', ({ r }) => {
    const doc = buildOpenApiDocument(r.group, r.version) as { paths: Record<string, { patch?: { parameters: { name: string; in: string }[]; 'x-kubernetes-group-version-kind': unknown } }> };
    const patches = Object.values(doc.paths).filter((p) => p.patch && JSON.stringify(p.patch['x-kubernetes-group-version-kind']) === JSON.stringify({ group: r.group, version: r.version, kind: r.kind }));
    expect(patches.length).toBe(1);
    expect(patches[0].patch!.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    const index = buildOpenApiIndex() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(index.paths[toGroupVersionPath(r.group, r.version).slice(1)].serverRelativeURL).toMatch(/\?hash=[0-9A-F]+$/);
  });
});

describe('checkWrite (server-side field validation)', () => {
  const typo = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selectr: { app: 'web' }, ports: [{ port: 80 }] } };
  const cases = [
    { name: 'Strict rejects an unknown field, naming the fix', body: typo, mode: 'Strict' as const, kind: 'unknown-fields', text: 'strict decoding error: unknown field "spec.selectr" (did you mean "spec.selector"?)' },
    { name: 'Warn drops it with a warning', body: typo, mode: 'Warn' as const, kind: 'ok', text: 'unknown field "spec.selectr"' },
    { name: 'Ignore drops it silently', body: typo, mode: 'Ignore' as const, kind: 'ok', text: '' },
    { name: 'an invalid value is 422 with a cause per field', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'Web' }, spec: { ports: [{ port: 0 }] } }, mode: 'Strict' as const, kind: 'invalid', text: 'metadata.name' },
  ];
  it.each(cases)('$name', ({ body, mode, kind, text }) => {
    const r = checkWrite(body, mode, 'Service', 'v1');
    expect(r.kind).toBe(kind);
    if (r.kind === 'unknown-fields') expect(r.message).toContain(text);
    if (r.kind === 'ok') {
      expect((r.body.spec as Record<string, unknown>).selectr).toBeUndefined();
      if (text) expect(r.warnings).toContain(text);
      else expect(r.warnings.filter((w) => w.includes('selectr'))).toEqual([]);
    }
    if (r.kind === 'invalid') expect(r.causes.map((c) => c.field)).toEqual(['metadata.name', 'spec.ports[0].port']);
  });

  it.each([
    { name: 'default is Warn', v: null, want: 'Warn' },
    { name: 'Strict', v: 'Strict', want: 'Strict' },
    { name: 'unknown value', v: 'strict', want: undefined },
  ])('parseFieldValidation: $name', ({ v, want }) => expect(parseFieldValidation(v)).toBe(want));
});

/** Protobuf encoding helpers for the test: varint-length-delimited fields. */
const len = (no: number, bytes: Buffer) => Buffer.concat([Buffer.from([(no << 3) | 2, bytes.length]), bytes]);
const str = (no: number, s: string) => len(no, Buffer.from(s));

describe('decodeProtobufBody', () => {
  const meta = Buffer.concat([str(1, 'lab'), len(11, Buffer.concat([str(1, 'team'), str(2, 'a')]))]);
  const ns = len(1, meta);
  const envelope = (kind: string, raw: Buffer) => Buffer.concat([Buffer.from('k8s\0', 'binary'), len(1, Buffer.concat([str(1, 'v1'), str(2, kind)])), len(2, raw)]);
  const cases = [
    { name: 'a Namespace as kubectl create namespace sends it', body: envelope('Namespace', ns), want: { ok: true, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab', labels: { team: 'a' } } } } },
    { name: 'another kind: 415 with a hint', body: envelope('Deployment', ns), want: { ok: false, message: expect.stringContaining('kubectl apply -f') } },
    { name: 'no magic', body: Buffer.from('{"kind":"Namespace"}'), want: { ok: false, message: expect.stringContaining('magic') } },
    { name: 'truncated', body: envelope('Namespace', ns).subarray(0, 12), want: { ok: false, message: expect.any(String) } },
  ];
  it.each(cases)('$name', ({ body, want }) => expect(decodeProtobufBody(body)).toEqual(want));
});

describe('computeUid', () => {
  it('is stable for one incarnation and differs for the next', () => {
    expect(computeUid('Pod/default/web-0', 1000)).toBe(computeUid('Pod/default/web-0', 1000));
    expect(computeUid('Pod/default/web-0', 1000)).not.toBe(computeUid('Pod/default/web-0#1', 1000));
    expect(computeUid('Pod/default/web-0', 1000)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
