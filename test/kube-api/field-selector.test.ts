import { describe, expect, it } from 'vitest';
import { parseFieldSelector, unescapeFieldValue } from '../../src/kube-api/selectors/field-selector.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default' },
  spec: { nodeName: 'node-a', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', hostNetwork: false },
  status: { phase: 'Running', podIP: '10.244.0.3', podIPs: [{ ip: '10.244.0.3' }] },
};

const matching = [
  { name: 'empty matches everything', kind: 'Pod', text: '', want: true },
  { name: 'metadata.name', kind: 'Pod', text: 'metadata.name=web-0', want: true },
  { name: 'double equals', kind: 'Pod', text: 'metadata.namespace==default', want: true },
  { name: 'not equals', kind: 'Pod', text: 'status.phase!=Running', want: false },
  { name: 'spec.nodeName', kind: 'Pod', text: 'spec.nodeName=node-a', want: true },
  { name: 'old spec.host spelling', kind: 'Pod', text: 'spec.host=node-a', want: true },
  { name: 'hostNetwork as text', kind: 'Pod', text: 'spec.hostNetwork=false', want: true },
  { name: 'status.podIP', kind: 'Pod', text: 'status.podIP=10.244.0.3', want: true },
  { name: 'status.podIPs is accepted but never set', kind: 'Pod', text: 'status.podIPs=10.244.0.3', want: false },
  { name: 'nominatedNodeName unset is empty', kind: 'Pod', text: 'status.nominatedNodeName=', want: true },
  { name: 'AND of terms', kind: 'Pod', text: 'status.phase=Running,spec.nodeName=node-b', want: false },
  { name: 'empty terms skipped', kind: 'Pod', text: ',metadata.name=web-0,', want: true },
  { name: 'escaped comma in value', kind: 'Pod', text: 'metadata.name=web\\,0', want: false },
];

describe('parseFieldSelector: matching', () => {
  it.each(matching)('$name', ({ kind, text, want }) => {
    const r = parseFieldSelector(text, kind);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.matches(pod)).toBe(want);
  });
});

const refused = [
  { name: 'unsupported pod field', kind: 'Pod', text: 'spec.foo=bar', code: 'FIELD_SELECTOR_UNSUPPORTED', message: 'field label not supported: spec.foo' },
  { name: 'namespace has no metadata.namespace', kind: 'Namespace', text: 'metadata.namespace=x', code: 'FIELD_SELECTOR_UNSUPPORTED', message: 'field label not supported: metadata.namespace' },
  { name: 'service field', kind: 'Service', text: 'spec.selector=x', code: 'FIELD_SELECTOR_UNSUPPORTED', message: 'field label not supported: spec.selector' },
  { name: 'kinds without their own list', kind: 'Deployment', text: 'spec.replicas=1', code: 'FIELD_SELECTOR_UNSUPPORTED', message: '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"' },
  { name: 'no operator', kind: 'Pod', text: 'metadata.name', code: 'FIELD_SELECTOR_INVALID', message: "invalid selector: 'metadata.name'; can't understand 'metadata.name'" },
  { name: 'unescaped equals in value', kind: 'Pod', text: 'metadata.name=a=b', code: 'FIELD_SELECTOR_INVALID', message: 'invalid field selector: unescaped character in value: 61' },
  { name: 'bad escape', kind: 'Pod', text: 'metadata.name=a\\b', code: 'FIELD_SELECTOR_INVALID', message: 'invalid field selector: invalid escape sequence: \\b' },
];

describe('parseFieldSelector: refused with 400 BadRequest', () => {
  it.each(refused)('$name', ({ kind, text, code, message }) => {
    const r = parseFieldSelector(text, kind);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code, status: 400, reason: 'BadRequest' });
      expect(r.error.message).toBe(message);
    }
  });
});

describe('per-kind fields', () => {
  it.each([
    { name: 'namespace phase', kind: 'Namespace', obj: { metadata: { name: 'dev' }, status: { phase: 'Active' } }, text: 'status.phase=Active', want: true },
    { name: 'service type', kind: 'Service', obj: { metadata: { name: 'a', namespace: 'd' }, spec: { type: 'ClusterIP', clusterIP: 'None' } }, text: 'spec.clusterIP=None,spec.type=ClusterIP', want: true },
    { name: 'endpoint slice name', kind: 'EndpointSlice', obj: { metadata: { name: 's-1', namespace: 'd' } }, text: 'metadata.name!=s-1', want: false },
  ])('$name', ({ kind, obj, text, want }) => {
    const r = parseFieldSelector(text, kind);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.matches(obj)).toBe(want);
  });
});

describe('unescapeFieldValue', () => {
  it.each([
    { name: 'plain', in: 'abc', want: 'abc' },
    { name: 'escaped backslash, comma, equals', in: 'a\\\\b\\,c\\=d', want: 'a\\b,c=d' },
    { name: 'trailing backslash', in: 'a\\', want: undefined },
  ])('$name', ({ in: s, want }) => expect(unescapeFieldValue(s).value).toBe(want));
});
