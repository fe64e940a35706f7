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
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { buildHeadlessStatefulSetYaml } from '../helpers/cluster.js';

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
    const start = (incremental: boolean) =>
      LiveClusterRuntime.start({
        paths: [dir],
        clusterOptions: DEFAULT_CLUSTER_OPTIONS,
        dns: DEFAULT_DNS_CONFIG,
        podReadyDelayMs: 0,
        statePath: undefined,
        log: pino({ level: 'silent' }),
        publish: (index) => (published[incremental ? 'incremental' : 'whole'] = index),
        reportFindings: () => {},
        watch: false,
        incremental,
        now: () => clock,
      });
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

  it('negative answers of names the change did not touch carry the new SOA serial (their entries are shared with the index before)', async () => {
    const handler = new QueryHandler(pair.published.incremental!);
    const soaSerial = (name: string, type: 'AAAA' | 'TXT') => {
      const reply = dnsPacket.decode(handler.answer(dnsPacket.encode({ type: 'query', id: 7, questions: [{ name, type, class: 'IN' }] }), 'udp')!);
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
    const published: Record<string, RecordIndex> = {};
    const start = (incremental: boolean) =>
      LiveClusterRuntime.start({
        paths: [dir],
        clusterOptions: DEFAULT_CLUSTER_OPTIONS,
        dns: DEFAULT_DNS_CONFIG,
        podReadyDelayMs: 40,
        statePath: undefined,
        log: pino({ level: 'silent' }),
        publish: (index) => (published[String(incremental)] = index),
        reportFindings: () => {},
        watch: false,
        incremental,
      });
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
  /** Advance the clock past every pending start-up or termination and let the timers fire. */
  tick?: boolean;
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
          LiveClusterRuntime.start({
            paths: [dir],
            clusterOptions: DEFAULT_CLUSTER_OPTIONS,
            dns: { ...DEFAULT_DNS_CONFIG, ...sc.dns },
            podReadyDelayMs: sc.podReadyDelayMs ?? 0,
            statePath: undefined,
            log: pino({ level: 'silent' }),
            publish: (index) => (published[incremental ? 'incremental' : 'whole'] = index),
            reportFindings: () => {},
            watch: false,
            incremental,
            now: () => clock,
          });
        runtimes.push(await start(true), await start(false));
        const [inc, whole] = runtimes;
        const compare = (what: string) => {
          const a = observe(inc, published.incremental);
          const b = observe(whole, published.whole);
          for (const key of Object.keys(a) as (keyof typeof a)[]) expect(a[key], `${what}: ${key}`).toEqual(b[key]);
          expect(livePods(inc), `${what}: live pods`).toEqual(livePods(whole));
        };
        compare('start');
        for (const step of sc.steps) {
          clock += 1500;
          const before = inc.reconciles.namespace + inc.reconciles.whole;
          const alone = inc.reconciles.namespace;
          if (step.tick) {
            const counts = runtimes.map((rt) => rt.reconciles.namespace + rt.reconciles.whole);
            clock += 60_000;
            for (let i = 0; i < 300 && runtimes.some((rt, k) => rt.reconciles.namespace + rt.reconciles.whole === counts[k]); i++) await new Promise((r) => setTimeout(r, 10));
            expect(runtimes.map((rt, k) => rt.reconciles.namespace + rt.reconciles.whole > counts[k]), `${step.name}: both timers fired`).toEqual([true, true]);
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
