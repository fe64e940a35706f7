import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainName, formatExplainReport } from '../../src/dns/explain/explain-name.js';
import { getSearchCandidates } from '../../src/dns/explain/search-candidates.js';
import { snapshotFromYaml } from '../helpers/cluster.js';
import { REPO_ROOT } from '../helpers/server.js';

const seed = Object.fromEntries(['01-myweb-svc.yaml', '02-myweb-svc-headless.yaml', '03-myweb-rs.yaml', '04-myweb-sts.yaml'].map((f) => [f, readFileSync(join(REPO_ROOT, 'manifests', f), 'utf8')]));

const headless = (name: string, ns = 'default') => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
`;
const sts = (serviceName: string | undefined, ns = 'default') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ${ns}}
spec:
  replicas: 1
${serviceName ? `  serviceName: ${serviceName}\n` : ''}  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres}]}
`;
const notReadyPod = `apiVersion: v1
kind: Pod
metadata: {name: db-x, labels: {app: db}}
spec:
  hostname: db-x
  subdomain: db
  containers: [{name: db, image: postgres}]
status:
  phase: Running
  conditions: [{type: Ready, status: "False"}]
`;

describe('getSearchCandidates (a pod resolver, ndots:5)', () => {
  const path = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
  const cases = [
    { name: 'short name: search domains first, then as-is', q: 'myweb-svc', want: ['myweb-svc.default.svc.cluster.local', 'myweb-svc.svc.cluster.local', 'myweb-svc.cluster.local', 'myweb-svc'] },
    { name: 'five dots: as-is first', q: 'a.b.c.d.e.f', want: ['a.b.c.d.e.f', ...path.map((p) => `a.b.c.d.e.f.${p}`)] },
    { name: 'trailing dot: only as-is', q: 'MyWeb-Svc.default.svc.cluster.local.', want: ['myweb-svc.default.svc.cluster.local'] },
  ];
  for (const c of cases) it(c.name, () => expect(getSearchCandidates(c.q, path, 5)).toEqual(c.want));
});

describe('explainName', () => {
  const cases: { name: string; files: Record<string, string>; q: string; ns: string; steps: string[]; origin?: RegExp; didYouMean?: string; cause?: RegExp }[] = [
    {
      name: 'StatefulSet pod under its headless Service: the whole object chain',
      files: seed,
      q: 'myweb-sts-0.myweb-svc-headless',
      ns: 'default',
      steps: ['NOERROR'],
      origin: /^Service default\/myweb-svc-headless \(headless\) ← EndpointSlice myweb-svc-headless-\w+ ← Pod myweb-sts-0 \(StatefulSet myweb-sts, ordinal 0\)$/,
    },
    { name: 'ClusterIP Service by short name', files: seed, q: 'myweb-svc', ns: 'default', steps: ['NOERROR'], origin: /^Service default\/myweb-svc \(ClusterIP 10\.\d+\.\d+\.\d+\)$/ },
    { name: 'ReplicaSet pods behind the headless Service', files: seed, q: 'myweb-svc-headless', ns: 'default', steps: ['NOERROR'], origin: /← Pod myweb-rs-\w+ \(ReplicaSet myweb-rs\)$|← Pod myweb-sts-\d \(StatefulSet myweb-sts, ordinal \d\)$/ },
    { name: 'a Service of another namespace with its namespace: the second candidate answers', files: seed, q: 'myweb-svc.default', ns: 'kube-system', steps: ['NXDOMAIN', 'NOERROR'], origin: /^Service default\/myweb-svc / },
    { name: 'typo: did you mean', files: seed, q: 'myweb-svc-headles', ns: 'default', steps: ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'REFUSED'], didYouMean: 'myweb-svc-headless', cause: /no object/ },
    { name: 'wrong namespace', files: { 'svc.yaml': headless('db', 'data'), 'sts.yaml': sts('db', 'data') }, q: 'db', ns: 'web', steps: ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'REFUSED'], cause: /^wrong namespace: Service db exists in data, not in web; ask for db\.data$/ },
    { name: 'StatefulSet without serviceName', files: { 'svc.yaml': headless('db'), 'sts.yaml': sts(undefined) }, q: 'db-0.db', ns: 'default', steps: ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'REFUSED'], cause: /^StatefulSet db has no spec\.serviceName/ },
    { name: 'no headless Service', files: { 'sts.yaml': sts('db') }, q: 'db-0.db', ns: 'default', steps: ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'REFUSED'], cause: /^no headless Service: Pod db-0 sets subdomain db but no Service default\/db exists/ },
    { name: 'pod not ready', files: { 'svc.yaml': headless('db'), 'pod.yaml': notReadyPod }, q: 'db-x.db', ns: 'default', steps: ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'REFUSED'], cause: /^Pod db-x is not ready/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = snapshotFromYaml(c.files);
      expect(s.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const r = explainName(s.index, s.cluster.state, c.q, 1, c.ns);
      if (c.steps) expect(r.steps.map((x) => x.rcode)).toEqual(c.steps);
      if (c.origin) {
        expect(r.answeredBy).toBe(r.steps.length - 1);
        const origins = r.steps[r.answeredBy].records.map((x) => x.origin);
        expect(origins.length).toBeGreaterThan(0);
        for (const o of origins) expect(o).toMatch(c.origin);
      }
      if (c.didYouMean) expect(r.didYouMean.map((d) => d.relative)).toContain(c.didYouMean);
      if (c.cause) {
        expect(r.answeredBy).toBe(-1);
        expect(r.causes.length + (c.cause.test('no object') ? 1 : 0)).toBeGreaterThan(0);
        expect(formatExplainReport(r).split('\n').filter((l) => l.startsWith('likely cause: ')).map((l) => l.slice('likely cause: '.length))).toContainEqual(expect.stringMatching(c.cause));
      }
    });
  }
});
