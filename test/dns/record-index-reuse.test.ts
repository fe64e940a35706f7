import { describe, expect, it } from 'vitest';
import { buildRecordIndex } from '../../src/dns/records/build-record-index.js';
import { NO_PREPARED, type RecordIndex } from '../../src/dns/records/record-index.js';
import { buildHeadlessStatefulSetYaml, snapshotFromYaml } from '../helpers/cluster.js';

const namespace = (ns: string, services: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
${buildHeadlessStatefulSetYaml(ns, 3)}${services}`;
const api = (ns: string, name: string, port = 80) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: {app: db}, ports: [{name: http, port: ${port}}]}
`;

/** Every name with its records and glue, in the index's order. */
const dump = (index: RecordIndex) => [...index.names].map(([name, e]) => [name, e.existence, [...e.rrsets], [...e.glue]]);

describe('an index built with the previous one equals one built from scratch', () => {
  const base = { 'a.yaml': namespace('a', api('a', 'web')), 'b.yaml': namespace('b', api('b', 'web')) };
  const cases = [
    { name: 'a Service added in one namespace', files: { ...base, 'edit.yaml': api('a', 'extra').slice(4) }, unchanged: 'db-0.db.b.svc.cluster.local', changed: 'extra.a.svc.cluster.local' },
    { name: 'a port changed in one namespace', files: { ...base, 'a.yaml': namespace('a', api('a', 'web', 8080)) }, unchanged: 'web.b.svc.cluster.local', changed: '_http._tcp.web.a.svc.cluster.local' },
    { name: 'a namespace removed', files: { 'b.yaml': base['b.yaml'] }, unchanged: 'db.b.svc.cluster.local', changed: undefined },
    { name: 'nothing changed', files: base, unchanged: 'db-2.db.a.svc.cluster.local', changed: undefined },
    { name: 'nested zones (built whole)', files: { ...base, 'edit.yaml': api('a', 'extra').slice(4) }, zones: ['cluster.local', 'svc.cluster.local', 'in-addr.arpa'], unchanged: undefined, changed: 'extra.a.svc.cluster.local' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dns = c.zones ? { zones: c.zones } : {};
      const previous = snapshotFromYaml(base, dns).index;
      for (const e of previous.names.values()) e.prepared = new Map([[1, 'stale']]);
      const state = snapshotFromYaml(c.files, dns, {}, 2).cluster.state;
      const reused = buildRecordIndex(state, previous.config, 2, previous);
      const fresh = buildRecordIndex(state, previous.config, 2);
      expect(dump(reused)).toEqual(dump(fresh));
      for (const e of reused.names.values()) expect(e.prepared).toBe(NO_PREPARED);
      if (c.unchanged) expect(reused.names.get(c.unchanged)!.rrsets).toBe(previous.names.get(c.unchanged)!.rrsets);
      if (c.changed) expect(reused.names.get(c.changed)!.rrsets).not.toBe(previous.names.get(c.changed)?.rrsets);
    });
  }
});
