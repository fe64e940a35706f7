import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/reconcile.js';
import { DEFAULT_DNS_CONFIG } from '../../src/dns/records/dns-config.js';
import { renderRecords } from '../../src/dns/records/zone-file.js';
import type { RecordIndex } from '../../src/dns/records/record-index.js';
import { LiveClusterRuntime } from '../../src/runtime/live-cluster-runtime.js';
import { readStateFile, type SavedState, type StateReadResult } from '../../src/runtime/state-file.js';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { buildHeadlessStatefulSetYaml } from '../helpers/cluster.js';
import { decodeReply } from '../helpers/dns-client.js';

const team = (ns: string, replicas: number, extra = '') => `${buildHeadlessStatefulSetYaml(ns, replicas)}---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: ${ns}}
spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: nginx, ports: [{containerPort: 8080}]}]}
${extra}`;

const newService = (name: string, ns: string, clusterIP = '') => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {${clusterIP ? `clusterIP: ${clusterIP}, ` : ''}selector: {app: ${name}}, ports: [{port: 80}]}
`;

/**
 * A runtime over `dir` with the test's clock; `incremental: false` is the reference that always
 * rebuilds the whole cluster. Each published index lands in `published` under its kind.
 */
function startRuntime(o: { dir: string; incremental: boolean; published: Record<string, RecordIndex | undefined>; now?: () => number; podReadyDelayMs?: number; statePath?: string; dns?: Partial<typeof DEFAULT_DNS_CONFIG> }): Promise<LiveClusterRuntime> {
  return LiveClusterRuntime.start({
    paths: [o.dir],
    clusterOptions: DEFAULT_CLUSTER_OPTIONS,
    dns: { ...DEFAULT_DNS_CONFIG, ...o.dns },
    podReadyDelayMs: o.podReadyDelayMs ?? 0,
    statePath: o.statePath,
    log: pino({ level: 'silent' }),
    publish: (index) => (o.published[o.incremental ? 'incremental' : 'whole'] = index),
    reportFindings: () => {},
    watch: false,
    incremental: o.incremental,
    now: o.now,
  });
}

interface Pair {
  incremental: LiveClusterRuntime;
  whole: LiveClusterRuntime;
  published: { incremental?: RecordIndex; whole?: RecordIndex };
}

/** Everything a client or the admin API can see of a runtime, as text. */
function observe(rt: LiveClusterRuntime, index: RecordIndex | undefined) {
  const snap = rt.getSnapshot();
  expect(snap.index).toBe(index);
  const view = rt.getView();
  return {
    zones: renderRecords(snap.index, 'zone', []).text,
    state: JSON.stringify(snap.cluster.state),
    findings: snap.findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.code} ${f.message}`).sort(),
    addresses: [...snap.cluster.addresses].sort(),
    pods: [...view.livePods.keys()].sort(),
    createdAt: [...view.createdAt].sort(),
  };
}

describe('incremental reload: a change to one namespace gives the same cluster and records as reconciling the whole cluster', () => {
  let dir: string;
  let pair: Pair;
  let clock = 1_000_000;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kds-incremental-'));
    writeFileSync(join(dir, 'team-a.yaml'), team('team-a', 3));
    writeFileSync(join(dir, 'team-b.yaml'), team('team-b', 2));
    writeFileSync(join(dir, 'web.yaml'), newService('web', 'default'));
    const published: Pair['published'] = {};
    const start = (incremental: boolean) => startRuntime({ dir, incremental, published, now: () => clock });
    pair = { incremental: await start(true), whole: await start(false), published };
  });

  afterEach(async () => {
    await pair.incremental.close();
    await pair.whole.close();
    rmSync(dir, { recursive: true, force: true });
  });

  type Step = { name: string; apply: (rt: LiveClusterRuntime) => unknown; alone: boolean };
  const file = (name: string, text: string) => () => writeFileSync(join(dir, name), text);
  const steps: Step[] = [
    { name: 'a new Service file in one namespace', apply: file('extra.yaml', newService('extra', 'team-a')), alone: true },
    { name: 'a StatefulSet scaled up in its file', apply: file('team-a.yaml', team('team-a', 5)), alone: true },
    { name: 'a StatefulSet scaled down in its file', apply: file('team-b.yaml', team('team-b', 1)), alone: true },
    { name: 'a Service with a stated cluster IP', apply: file('pinned.yaml', newService('pinned', 'team-b', '10.100.7.7')), alone: true },
    { name: 'a Service stating a cluster IP another namespace holds (whole rebuild decides)', apply: file('clash.yaml', newService('clash', 'team-a', '10.100.7.7')), alone: false },
    { name: 'the clashing file removed (whole rebuild: the freed address goes back to its first holder)', apply: () => unlinkSync(join(dir, 'clash.yaml')), alone: false },
    { name: 'a file removed', apply: () => unlinkSync(join(dir, 'extra.yaml')), alone: true },
    { name: 'a new namespace (whole rebuild)', apply: file('team-c.yaml', team('team-c', 1)), alone: false },
    { name: 'two namespaces in one file change (whole rebuild)', apply: file('both.yaml', `${newService('x', 'team-a')}---\n${newService('y', 'team-b')}`), alone: false },
    { name: 'a dual-stack Service turns the cluster dual-stack (whole rebuild)', apply: file('v6.yaml', `apiVersion: v1\nkind: Service\nmetadata: {name: v6, namespace: team-a}\nspec: {ipFamilyPolicy: PreferDualStack, selector: {app: db}, ports: [{port: 1}]}\n`), alone: false },
    { name: 'a Service in the dual-stack cluster', apply: file('z.yaml', newService('z', 'team-b')), alone: true },
    { name: 'a kube-system Service (whole rebuild: the NS records)', apply: file('ks.yaml', newService('ks', 'kube-system')), alone: false },
  ];

  it('after each step of an edit session', async () => {
    const seen = { alone: 0, whole: 0 };
    for (const step of steps) {
      clock += 1500;
      const before = { ...pair.incremental.reconciles };
      await step.apply(pair.incremental);
      await pair.incremental.reload();
      await pair.whole.reload();
      const took = pair.incremental.reconciles.namespace > before.namespace ? 'alone' : 'whole';
      expect(took, step.name).toBe(step.alone ? 'alone' : 'whole');
      seen[step.alone ? 'alone' : 'whole']++;
      const a = observe(pair.incremental, pair.published.incremental);
      const b = observe(pair.whole, pair.published.whole);
      for (const key of Object.keys(a) as (keyof typeof a)[]) expect(a[key], `${step.name}: ${key}`).toEqual(b[key]);
    }
    expect(pair.whole.reconciles.namespace).toBe(0);
    expect(seen.alone).toBeGreaterThan(3);
  });

  const operations: Step[] = [
    { name: 'scale statefulset', apply: (rt) => rt.scaleStatefulSet('team-a', 'db', 1), alone: true },
    { name: 'delete a StatefulSet pod (replaced under its name)', apply: (rt) => rt.deletePod('team-b', 'db-0'), alone: true },
    { name: 'readiness forced false', apply: (rt) => rt.setReadiness('team-a', 'db-0', false), alone: true },
    { name: 'apply -f a new Service', apply: (rt) => rt.apply('svc.yaml', newService('applied', 'team-b')), alone: true },
    { name: 'apply -f a StatefulSet change', apply: (rt) => rt.apply('sts.yaml', team('team-a', 4).split('---')[1]), alone: true },
  ];

  it('after each admin operation', () => {
    for (const op of operations) {
      clock += 1500;
      const before = { ...pair.incremental.reconciles };
      const r1 = op.apply(pair.incremental) as { status: number };
      const r2 = op.apply(pair.whole) as { status: number };
      expect(r1.status, op.name).toBe(200);
      expect(r2.status, op.name).toBe(200);
      expect(pair.incremental.reconciles.namespace > before.namespace ? 'alone' : 'whole', op.name).toBe('alone');
      const a = observe(pair.incremental, pair.published.incremental);
      const b = observe(pair.whole, pair.published.whole);
      for (const key of Object.keys(a) as (keyof typeof a)[]) expect(a[key], `${op.name}: ${key}`).toEqual(b[key]);
    }
  });

  it('a patched index keeps the names of Services the change left as they were, and derives the changed Services\' names again', async () => {
    const before = pair.published.incremental!;
    clock += 5000;
    writeFileSync(join(dir, 'team-a.yaml'), team('team-a', 4));
    await pair.incremental.reload();
    const after = pair.published.incremental!;
    expect(pair.incremental.reconciles.namespace).toBe(1);
    const cases = [
      // The StatefulSet grew: its Service's endpoints changed, so each of its names is derived again.
      { name: 'db-0.db.team-a.svc.cluster.local', kept: false },
      { name: 'api.team-a.svc.cluster.local', kept: true },
      { name: '_http._tcp.api.team-a.svc.cluster.local', kept: true },
      { name: 'db.team-b.svc.cluster.local', kept: true },
      { name: 'db.team-a.svc.cluster.local', kept: false },
      { name: 'db-3.db.team-a.svc.cluster.local', kept: false },
      { name: 'cluster.local', kept: false },
    ];
    for (const c of cases) {
      expect(after.names.get(c.name), c.name).toBeDefined();
      expect(after.names.get(c.name) === before.names.get(c.name), c.name).toBe(c.kept);
    }
  });

  it('negative answers of names the change did not touch carry the new SOA serial (their entries are shared with the index before)', async () => {
    const handler = new QueryHandler(pair.published.incremental!);
    const soaSerial = (name: string, type: 'AAAA' | 'TXT') => {
      const reply = decodeReply(handler.answer(dnsPacket.encode({ type: 'query', id: 7, questions: [{ name, type, class: 'IN' }] }), 'udp')!);
      expect(reply.answers).toHaveLength(0);
      return (reply.authorities[0].data as { serial: number }).serial;
    };
    const untouched = ['api.team-b.svc.cluster.local', 'db-0.db.team-b.svc.cluster.local'];
    const before = untouched.map((n) => soaSerial(n, 'AAAA'));
    expect(before).toEqual(untouched.map(() => pair.published.incremental!.serial));
    clock += 5000;
    writeFileSync(join(dir, 'extra.yaml'), newService('extra', 'team-a'));
    await pair.incremental.reload();
    expect(pair.incremental.reconciles.namespace).toBe(1);
    const index = pair.published.incremental!;
    expect(index.serial).toBeGreaterThan(before[0]);
    handler.setIndex(index);
    expect(untouched.map((n) => soaSerial(n, 'AAAA'))).toEqual(untouched.map(() => index.serial));
  });
});

describe('incremental reload with a pod start-up delay: the timers reconcile one namespace at a time and end where a whole rebuild ends', () => {
  it('scaling up an OrderedReady StatefulSet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-incremental-delay-'));
    writeFileSync(join(dir, 'team-a.yaml'), team('team-a', 1));
    writeFileSync(join(dir, 'team-b.yaml'), team('team-b', 1));
    const published: Record<string, RecordIndex | undefined> = {};
    const start = (incremental: boolean) => startRuntime({ dir, incremental, published, podReadyDelayMs: 40 });
    const runtimes = [await start(true), await start(false)];
    try {
      // team-a: the StatefulSet's pods and the Deployment's two.
      const settled = async (count: number) => {
        for (let i = 0; i < 200; i++) {
          const pods = runtimes.map((rt) => rt.getSnapshot().cluster.state.pods.filter((p) => p.namespace === 'team-a'));
          if (pods.every((list) => list.length === count && list.every((p) => p.ready))) return;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error('the pods did not all start within 4 s');
      };
      await settled(3);
      const before = runtimes[0].reconciles.namespace;
      for (const rt of runtimes) rt.scaleStatefulSet('team-a', 'db', 5);
      await settled(7);
      // Each of db-1..db-4 waited for the one before it: several timer wakes, each reconciling team-a alone.
      expect(runtimes[0].reconciles.namespace - before).toBeGreaterThanOrEqual(4);
      const withoutSerial = (rt: LiveClusterRuntime) => renderRecords(rt.getSnapshot().index, 'zone', []).text.split('\n').filter((l) => !/\sSOA\s|^; /.test(l));
      expect(withoutSerial(runtimes[0])).toEqual(withoutSerial(runtimes[1]));
      expect(JSON.stringify(runtimes[0].getSnapshot().cluster.state)).toBe(JSON.stringify(runtimes[1].getSnapshot().cluster.state));
    } finally {
      for (const rt of runtimes) await rt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** One namespace of a scenario, or an admin operation, or the start-up timers' next wake. */
interface ScenarioStep {
  name: string;
  /** Files to write (text) or remove (null), relative to the scenario's directory. */
  files?: Record<string, string | null>;
  /** An admin operation, run on both runtimes; expected to succeed. */
  op?: (rt: LiveClusterRuntime) => { status: number };
  /** Files computed from what the runtime shows now (e.g. an address it handed out). */
  derive?: (rt: LiveClusterRuntime) => Record<string, string>;
  /** Advance the clock past the pending start-ups and terminations and let the timers fire; 'all': again until they stop. */
  tick?: boolean | 'all';
  /** Close both runtimes and start them again from their state files. */
  restart?: boolean;
  /** Whether the incremental runtime reconciled this step one namespace alone; undefined: either. */
  alone?: boolean;
}

interface Scenario {
  name: string;
  files: Record<string, string>;
  steps: ScenarioStep[];
  podReadyDelayMs?: number;
  dns?: Partial<typeof DEFAULT_DNS_CONFIG>;
}

const statefulSetWithClaims = (ns: string, replicas: number, whenDeleted = 'Retain') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: store, namespace: ${ns}}
spec:
  replicas: ${replicas}
  serviceName: store
  selector: {matchLabels: {app: store}}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: ${whenDeleted}, whenScaled: Retain}
  template: {metadata: {labels: {app: store}}, spec: {containers: [{name: s, image: redis}]}}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]
`;

const barePod = (name: string, ns: string, labels: string, podIP = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
${podIP ? `status: {podIP: ${podIP}}\n` : ''}`;

const deployment = (name: string, ns: string, replicas: number, image = 'nginx') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: ${image}, ports: [{containerPort: 80}]}]}
`;

const service = (name: string, ns: string, spec: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {${spec}}
`;

/** A pod's first address as the runtime shows it. */
const podAddress = (rt: LiveClusterRuntime, ns: string, name: string): string => {
  const pod = rt.getSnapshot().cluster.state.pods.find((p) => p.namespace === ns && p.name === name);
  if (!pod) throw new Error(`no pod ${ns}/${name}`);
  return pod.ips[0];
};

const scenarios: Scenario[] = [
  {
    name: 'a StatefulSet removed leaves only its retained claims in its namespace',
    files: { 'store.yaml': statefulSetWithClaims('store', 2), 'web.yaml': newService('web', 'team-a') },
    steps: [{ name: 'the StatefulSet file removed', files: { 'store.yaml': null }, alone: false }],
  },
  {
    name: 'a Service added where only retained claims were',
    files: { 'store.yaml': statefulSetWithClaims('store', 1), 'web.yaml': newService('web', 'team-a') },
    steps: [
      { name: 'the StatefulSet file removed', files: { 'store.yaml': null }, alone: false },
      { name: 'a Service in the claims-only namespace', files: { 'svc.yaml': newService('back', 'store') }, alone: false },
    ],
  },
  {
    name: 'a Pod stating the address a pod of another namespace was given',
    files: { 'a.yaml': `${deployment('api', 'team-a', 1)}`, 'b.yaml': newService('web', 'team-b') },
    steps: [{ name: 'a Pod in team-b states team-a pod address', derive: (rt) => ({ 'b.yaml': `${newService('web', 'team-b')}---\n${barePod('pinned', 'team-b', 'app: web', podAddress(rt, 'team-a', rt.getSnapshot().cluster.state.pods.find((p) => p.namespace === 'team-a')!.name))}` }), alone: false }],
  },
  {
    name: 'two Pods in two namespaces stating one address: the loser gets it once the winner goes',
    files: { 'a.yaml': barePod('first', 'team-a', 'app: a', '10.244.77.7'), 'b.yaml': barePod('second', 'team-b', 'app: b', '10.244.77.7'), 'c.yaml': newService('c', 'team-a') },
    steps: [{ name: 'the winner removed from its file', files: { 'a.yaml': newService('a', 'team-a') }, alone: false }],
  },
  {
    name: 'ExternalName Services: added, retargeted into the cluster, turned into a ClusterIP Service',
    files: { 'a.yaml': team('team-a', 1), 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'an ExternalName Service', files: { 'ext.yaml': service('ext', 'team-a', 'type: ExternalName, externalName: example.com') }, alone: true },
      { name: 'retargeted at a Service of another namespace', files: { 'ext.yaml': service('ext', 'team-a', 'type: ExternalName, externalName: api.team-b.svc.cluster.local') }, alone: true },
      { name: 'the target namespace changes', files: { 'b.yaml': team('team-b', 2) }, alone: true },
      { name: 'an ExternalName naming an IP', files: { 'ext.yaml': service('ext', 'team-a', 'type: ExternalName, externalName: 10.1.2.3') }, alone: true },
      { name: 'turned into a ClusterIP Service', files: { 'ext.yaml': service('ext', 'team-a', 'selector: {app: api}, ports: [{port: 80}]') }, alone: true },
    ],
  },
  {
    name: 'a Deployment rolled to a new template while pods start and terminate',
    podReadyDelayMs: 50,
    files: { 'a.yaml': `${service('web', 'team-a', 'selector: {app: web}, ports: [{name: http, port: 80}]')}---\n${deployment('web', 'team-a', 3)}`, 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'pods started', tick: true },
      { name: 'template changed', files: { 'a.yaml': `${service('web', 'team-a', 'selector: {app: web}, ports: [{name: http, port: 80}]')}---\n${deployment('web', 'team-a', 3, 'nginx:2')}` }, alone: true },
      { name: 'rollout step 1', tick: true, alone: true },
      { name: 'another namespace edited mid-rollout', files: { 'b.yaml': team('team-b', 2) }, alone: true },
      { name: 'the rollout to its end', tick: 'all' },
    ],
  },
  {
    name: 'bare Pods behind a Service: a Pod deleted, readiness forced, the Pod file changed',
    files: { 'a.yaml': `${service('web', 'team-a', 'selector: {app: web}, ports: [{port: 80}]')}---\n${barePod('p1', 'team-a', 'app: web')}---\n${barePod('p2', 'team-a', 'app: web')}`, 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'delete pod p1', op: (rt) => rt.deletePod('team-a', 'p1'), alone: true },
      { name: 'readiness of p2 forced false', op: (rt) => rt.setReadiness('team-a', 'p2', false), alone: true },
      { name: 'the Pod file changed (labels of p2)', files: { 'a.yaml': `${service('web', 'team-a', 'selector: {app: web}, ports: [{port: 80}]')}---\n${barePod('p1', 'team-a', 'app: web')}---\n${barePod('p2', 'team-a', 'app: web, tier: x')}` }, alone: true },
    ],
  },
  {
    name: 'a headless Service publishing not-ready addresses, and a Service turned headless and back',
    files: { 'a.yaml': team('team-a', 2), 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'a headless Service publishing not-ready pods', files: { 'h.yaml': service('all', 'team-a', 'clusterIP: None, publishNotReadyAddresses: true, selector: {app: db}, ports: [{port: 5432}]') }, alone: true },
      { name: 'readiness of db-0 forced false', op: (rt) => rt.setReadiness('team-a', 'db-0', false), alone: true },
      { name: 'the api Service turned headless (its PTR goes to the pods)', files: { 'a.yaml': team('team-a', 2).replace('spec: {selector: {app: api}', 'spec: {clusterIP: None, selector: {app: api}') }, alone: true },
      { name: 'and back to a cluster IP', files: { 'a.yaml': team('team-a', 2) }, alone: true },
    ],
  },
  {
    name: 'two Services selecting the same pods (PTRs with two targets)',
    files: { 'a.yaml': team('team-a', 2), 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'a second headless Service over the db pods', files: { 'h.yaml': service('db2', 'team-a', 'clusterIP: None, selector: {app: db}, ports: [{port: 5432}]') }, alone: true },
      { name: 'a third', files: { 'h3.yaml': service('db3', 'team-a', 'clusterIP: None, selector: {app: db}, ports: [{port: 5432}]') }, alone: true },
      { name: 'the second removed', files: { 'h.yaml': null }, alone: true },
      { name: 'scaled down', files: { 'a.yaml': team('team-a', 1) }, alone: true },
    ],
  },
  {
    name: 'only some namespaces exposed (--namespaces)',
    dns: { namespaces: ['team-a', 'default'] },
    files: { 'a.yaml': team('team-a', 1), 'b.yaml': team('team-b', 1), 'web.yaml': newService('web', 'default') },
    steps: [
      { name: 'an exposed namespace changes', files: { 'a.yaml': team('team-a', 2) }, alone: true },
      { name: 'a hidden namespace changes', files: { 'b.yaml': team('team-b', 3) }, alone: true },
      { name: 'a headless Service in the hidden namespace', files: { 'h.yaml': service('db2', 'team-b', 'clusterIP: None, selector: {app: db}, ports: [{port: 5432}]') }, alone: true },
      { name: 'the default namespace changes', files: { 'web.yaml': `${newService('web', 'default')}---\n${deployment('web', 'default', 2)}` }, alone: true },
    ],
  },
  {
    name: 'endpoint names from pod names (endpointPodNames)',
    dns: { endpointPodNames: true },
    files: { 'a.yaml': team('team-a', 1), 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'scaled up', files: { 'a.yaml': team('team-a', 3) }, alone: true },
      { name: 'delete an api pod', op: (rt) => rt.deletePod('team-a', rt.getSnapshot().cluster.state.pods.find((p) => p.namespace === 'team-a' && p.name.startsWith('api-'))!.name), alone: true },
    ],
  },
  {
    name: 'a dual-stack cluster: namespaces edited alone',
    files: { 'a.yaml': team('team-a', 1), 'b.yaml': team('team-b', 1), 'v6.yaml': service('v6', 'team-a', 'ipFamilyPolicy: RequireDualStack, selector: {app: db}, ports: [{port: 1}]') },
    steps: [
      { name: 'scaled up', files: { 'b.yaml': team('team-b', 3) }, alone: true },
      { name: 'an IPv6-only Service', files: { 'v6b.yaml': service('six', 'team-b', 'ipFamilies: [IPv6], selector: {app: api}, ports: [{port: 80}]') }, alone: true },
      { name: 'the first dual-stack Service removed (another one keeps the cluster dual-stack)', files: { 'v6.yaml': null }, alone: true },
      { name: 'the last IPv6 Service removed (single-stack again)', files: { 'v6b.yaml': null }, alone: false },
    ],
  },
  {
    name: 'StatefulSet claims: scaled down with retained claims, whenDeleted Delete, set removed',
    files: { 'a.yaml': `${statefulSetWithClaims('team-a', 3, 'Delete')}---\n${newService('web', 'team-a')}`, 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'scaled down', files: { 'a.yaml': `${statefulSetWithClaims('team-a', 1, 'Delete')}---\n${newService('web', 'team-a')}` }, alone: true },
      { name: 'scale statefulset up', op: (rt) => rt.scaleStatefulSet('team-a', 'store', 4), alone: true },
      { name: 'the set removed (claims go with it)', files: { 'a.yaml': newService('web', 'team-a') }, alone: true },
    ],
  },
  {
    name: 'the default namespace: its Services beside the built-in kubernetes Service',
    files: { 'web.yaml': newService('web', 'default'), 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'a workload in default', files: { 'd.yaml': `${deployment('web', 'default', 2)}` }, alone: true },
      { name: 'a Service stating a free address', files: { 'pin.yaml': newService('pin', 'default', '10.96.5.5') }, alone: true },
      { name: 'a Service stating the kubernetes Service address (conflict)', files: { 'k.yaml': newService('k', 'default', '10.96.0.1') } },
      { name: 'that Service removed', files: { 'k.yaml': null } },
      { name: 'a default Service removed', files: { 'web.yaml': null }, alone: true },
    ],
  },
  {
    name: 'duplicated object names across files',
    files: { 'a.yaml': team('team-a', 1), 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'a second file defines api again', files: { 'dup.yaml': newService('api', 'team-a') }, alone: true },
      { name: 'the duplicate edited', files: { 'dup.yaml': newService('api', 'team-a', '10.96.9.9') }, alone: true },
      { name: 'the first definition removed (the duplicate takes over)', files: { 'a.yaml': buildHeadlessStatefulSetYaml('team-a', 1) }, alone: true },
      { name: 'the duplicate removed', files: { 'dup.yaml': null }, alone: true },
    ],
  },
  {
    name: 'a namespace emptied and refilled; one namespace changed many times in a row',
    files: { 'a.yaml': team('team-a', 1), 'b.yaml': team('team-b', 1), 'c.yaml': newService('c', 'team-c') },
    steps: [
      ...Array.from({ length: 16 }, (_, i): ScenarioStep => ({ name: `edit ${i} of team-a`, files: { 'a.yaml': team('team-a', 2 + (i % 4), i % 3 === 0 ? '' : `---\n${newService(`s${i}`, 'team-a')}`) }, alone: true })),
      { name: 'team-c emptied (its last object removed)', files: { 'c.yaml': null }, alone: false },
      { name: 'team-c back', files: { 'c.yaml': newService('c', 'team-c') }, alone: false },
      ...Array.from({ length: 8 }, (_, i): ScenarioStep => ({ name: `edit ${i} of team-b`, files: { 'b.yaml': team('team-b', 2 + (i % 3)) }, alone: true })),
    ],
  },
  {
    name: 'a namespace removed while its pods terminate, a pod deleted while starting',
    podReadyDelayMs: 50,
    files: { 'a.yaml': team('team-a', 2), 'b.yaml': team('team-b', 1), 'c.yaml': `${newService('c', 'team-c')}---\n${deployment('c', 'team-c', 2)}` },
    steps: [
      { name: 'started', tick: 'all' },
      { name: 'scale statefulset', op: (rt) => rt.scaleStatefulSet('team-a', 'db', 4), alone: true },
      { name: 'delete the starting pod', op: (rt) => rt.deletePod('team-a', 'db-2'), alone: true },
      { name: 'team-c file removed: its pods terminate', files: { 'c.yaml': null } },
      { name: 'to the end', tick: 'all' },
      { name: 'apply -f into team-b', op: (rt) => rt.apply('x.yaml', deployment('x', 'team-b', 2)), alone: true },
      { name: 'to the end again', tick: 'all' },
      { name: 'restart from the state files', restart: true },
      { name: 'scaled after the restart', files: { 'a.yaml': team('team-a', 1) }, alone: true },
      { name: 'settled after the restart', tick: 'all' },
    ],
  },
  {
    name: 'two forward zones, a narrow reverse zone, ignore_empty_service, pods verified',
    dns: { zones: ['cluster.local', 'example.org', '244.10.in-addr.arpa', 'ip6.arpa'], ignoreEmptyService: true, podMode: 'verified' },
    files: { 'a.yaml': team('team-a', 1), 'b.yaml': team('team-b', 1) },
    steps: [
      { name: 'scaled up', files: { 'a.yaml': team('team-a', 3) }, alone: true },
      { name: 'an empty ClusterIP Service', files: { 'e.yaml': newService('empty', 'team-a') }, alone: true },
      { name: 'it gets pods', files: { 'e.yaml': `${newService('empty', 'team-a')}---\n${deployment('empty', 'team-a', 1)}` }, alone: true },
      { name: 'api turned headless', files: { 'a.yaml': team('team-a', 3).replace('spec: {selector: {app: api}', 'spec: {clusterIP: None, selector: {app: api}') }, alone: true },
      { name: 'team-b scaled down', files: { 'b.yaml': team('team-b', 0) }, alone: true },
    ],
  },
];

describe('incremental reload, scenario by scenario: every step publishes what a whole rebuild publishes', () => {
  for (const sc of scenarios) {
    it(sc.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kds-incremental-scenario-'));
      let clock = 5_000_000;
      const published: Pair['published'] = {};
      const runtimes: LiveClusterRuntime[] = [];
      try {
        for (const [name, text] of Object.entries(sc.files)) writeFileSync(join(dir, name), text);
        const start = (incremental: boolean) =>
          startRuntime({ dir, incremental, published, now: () => clock, podReadyDelayMs: sc.podReadyDelayMs, dns: sc.dns, statePath: join(dir, '.state', incremental ? 'incremental.json' : 'whole.json') });
        runtimes.push(await start(true), await start(false));
        const savedStates = async (what: string) => {
          for (const rt of runtimes) expect(await rt.whenSaved(), `${what}: state saved`).toBeUndefined();
          const [a, b] = await Promise.all(['incremental', 'whole'].map(async (n) => normalizeSavedState(await readStateFile(join(dir, '.state', `${n}.json`)))));
          expect(a, `${what}: state file`).toEqual(b);
        };
        let [inc, whole] = runtimes;
        // One handler per runtime for the whole scenario, as a server keeps its handler: answers prepared on shared entries persist.
        const handlers = [new QueryHandler(published.incremental!), new QueryHandler(published.whole!)];
        const asked = new Set<string>();
        const compare = (what: string) => {
          const a = observe(inc, published.incremental);
          const b = observe(whole, published.whole);
          for (const key of Object.keys(a) as (keyof typeof a)[]) expect(a[key], `${what}: ${key}`).toEqual(b[key]);
          expect(livePods(inc), `${what}: live pods`).toEqual(livePods(whole));
          handlers[0].setIndex(published.incremental!);
          handlers[1].setIndex(published.whole!);
          for (const name of published.incremental!.names.keys()) asked.add(name);
          for (const name of asked) {
            for (const type of ['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'CNAME'] as const) {
              const answers = handlers.map((h) => describeReply(h, name, type));
              expect(answers[0], `${what}: ${name} ${type}`).toEqual(answers[1]);
              expect(answers[0].serial ?? published.incremental!.serial, `${what}: ${name} ${type}: SOA serial`).toBe(published.incremental!.serial);
            }
          }
        };
        compare('start');
        for (const step of sc.steps) {
          // With start-up timers, only a tick moves the clock past a start-up: a timer firing during a reload's awaits would publish once more in one runtime.
          clock += sc.podReadyDelayMs ? 1 : 1500;
          if (step.restart) {
            for (const rt of runtimes.splice(0)) await rt.close();
            runtimes.push(await start(true), await start(false));
            [inc, whole] = runtimes;
            compare(`${step.name}: restarted`);
            continue;
          }
          const before = inc.reconciles.namespace + inc.reconciles.whole;
          const alone = inc.reconciles.namespace;
          for (let round = 1; step.tick && round <= (step.tick === 'all' ? 30 : 1); round++) {
            const counts = runtimes.map((rt) => rt.reconciles.namespace + rt.reconciles.whole);
            const fired = () => runtimes.map((rt, k) => rt.reconciles.namespace + rt.reconciles.whole > counts[k]);
            clock += 60_000;
            // A pending timer fires within podReadyDelayMs of real time; none fires once everything has settled.
            for (let i = 0; i < (round === 1 ? 300 : 50) && fired().some((f) => !f); i++) await new Promise((r) => setTimeout(r, 10));
            if (round > 1 && fired().every((f) => !f)) break;
            expect(fired(), `${step.name}: both timers fired (round ${round})`).toEqual([true, true]);
            compare(`${step.name} (round ${round})`);
          }
          const files = { ...step.files, ...step.derive?.(inc) };
          for (const [name, text] of Object.entries(files)) {
            if (text === null) unlinkSync(join(dir, name));
            else writeFileSync(join(dir, name), text);
          }
          if (Object.keys(files).length > 0) for (const rt of runtimes) await rt.reload();
          if (step.op) for (const rt of runtimes) expect(step.op(rt).status, step.name).toBe(200);
          expect(inc.reconciles.namespace + inc.reconciles.whole, `${step.name}: reconciled`).toBeGreaterThan(before);
          if (step.alone !== undefined) expect(inc.reconciles.namespace > alone ? 'alone' : 'whole', `${step.name}: how`).toBe(step.alone ? 'alone' : 'whole');
          compare(step.name);
          await savedStates(step.name);
        }
      } finally {
        for (const rt of runtimes) await rt.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** The live pods with their times (ages, start-up, termination), by name. */
function livePods(rt: LiveClusterRuntime): string[] {
  return [...rt.getView().livePods].map(([key, p]) => `${key} created ${p.createdAt} ready ${p.readyAt} gone ${p.goneAt} ${p.phase} ${p.ready} ${p.terminating}`).sort();
}

/** A reply as comparable data: rcode, sections, and the serial of the SOA of a negative answer. */
function describeReply(handler: QueryHandler, name: string, type: 'A' | 'AAAA' | 'SRV' | 'PTR' | 'TXT' | 'CNAME') {
  const reply = decodeReply(handler.answer(dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] }), 'udp')!);
  const soa = reply.authorities.find((r) => r.type === 'SOA');
  const text = (list: readonly dnsPacket.Answer[]) => list.map((r) => `${r.name} ${r.type} ${JSON.stringify('data' in r ? r.data : undefined)}`);
  return { rcode: reply.rcode, answers: text(reply.answers), additionals: text(reply.additionals), serial: soa ? (soa.data as { serial: number }).serial : undefined };
}

/** A state file with its lists in a fixed order (the runtimes keep namespaces in different orders). */
function normalizeSavedState(read: StateReadResult) {
  if (read.kind !== 'loaded') throw new Error(`state file not loaded: ${read.kind}`);
  const s = read.state as SavedState & { createdAt: Record<string, number> };
  const by = <T,>(key: (o: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    pods: [...s.live.pods].sort(by((p) => `${p.namespace}/${p.name}/${p.addressKey}`)),
    claims: [...s.live.claims].sort(by((c) => `${c.namespace}/${c.name}`)),
    replicaSets: [...s.live.replicaSets].sort(by((r) => `${r.namespace}/${r.name}`)),
    counters: Object.entries(s.live.counters).sort(),
    claimsDeletedWithSet: [...s.live.claimsDeletedWithSet].sort(),
    addresses: Object.entries(s.addresses).sort(),
    createdAt: Object.entries(s.createdAt).sort(),
    overlays: s.overlays,
  };
}
