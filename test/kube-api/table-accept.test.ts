import { describe, expect, it } from 'vitest';
import { parseTableAccept } from '../../src/kube-api/table/table-accept.js';

const cases = [
  { name: 'kubectl get', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', want: { asTable: true, version: 'v1', mediaType: 'application/json' } },
  { name: 'old kubectl asks v1beta1 first', accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json', want: { asTable: true, version: 'v1beta1', mediaType: 'application/json' } },
  { name: 'plain JSON', accept: 'application/json', want: { asTable: false, mediaType: 'application/json' } },
  { name: 'no header', accept: undefined, want: { asTable: false, mediaType: 'application/json' } },
  { name: 'wildcard', accept: '*/*', want: { asTable: false, mediaType: 'application/json' } },
  { name: 'wrong group falls through', accept: 'application/json;as=Table;v=v1;g=example.com,application/json', want: { asTable: false, mediaType: 'application/json' } },
  { name: 'unknown version falls through', accept: 'application/json;as=Table;v=v2;g=meta.k8s.io,application/json', want: { asTable: false, mediaType: 'application/json' } },
  { name: 'table only with a JSON media type', accept: '*/*;as=Table;v=v1;g=meta.k8s.io', want: null },
  { name: 'q-values order the clauses', accept: 'application/json;q=0.5,application/json;as=Table;v=v1;g=meta.k8s.io', want: { asTable: true, version: 'v1', mediaType: 'application/json' } },
  { name: 'nothing acceptable', accept: 'application/vnd.kubernetes.protobuf', want: null },
];

describe('parseTableAccept', () => {
  it.each(cases)('$name', ({ accept, want }) => expect(parseTableAccept(accept)).toEqual(want));
});
