import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifestSet } from '../../src/manifest/load.js';
import { DEFAULT_CLUSTER_OPTIONS, reconcileCluster } from '../../src/cluster/reconcile.js';
import { getBuiltinManifests } from '../../src/runtime/cluster-snapshot.js';
import { deleteLivePod, newLiveCluster, setLivePodReadiness } from '../../src/cluster/controllers/live-cluster.js';
import { buildDesiredCluster } from '../../src/cluster/reconcile.js';
import { buildLiveClusterState, settleCluster } from '../../src/cluster/controllers/live-cluster.js';
import { desiredFromYaml, FakeClusterClock, stsYaml } from '../helpers/live.js';

const SEED_DIR = new URL('../../manifests', import.meta.url).pathname;

describe('live controllers settle to reconcileCluster (delay 0, no overlays)', () => {
  const cases = [
    { name: 'seed lab', files: readdirSync(SEED_DIR).map((f) => ({ file: f, text: readFileSync(join(SEED_DIR, f), 'utf8') })) },
    { name: 'Parallel set with ordinals.start', files: [{ file: 's.yaml', text: stsYaml({ replicas: 4, policy: 'Parallel', start: 3 }) }] },
    { name: 'Deployment and bare pod', files: [{ file: 'd.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: c, image: x}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: solo, labels: {app: api}}\nspec: {containers: [{name: c, image: x}]}\n' }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const objects = [...getBuiltinManifests().objects, ...buildManifestSet(c.files).objects];
      const expected = reconcileCluster(objects, DEFAULT_CLUSTER_OPTIONS);
      const desired = buildDesiredCluster(objects, DEFAULT_CLUSTER_OPTIONS);
      const settled = settleCluster(desired, newLiveCluster(), 0, { podReadyDelayMs: 0 });
      expect(settled.nextWakeAt).toBeUndefined();
      const live = buildLiveClusterState(desired, settled.live, DEFAULT_CLUSTER_OPTIONS);
      expect(live.state).toEqual(expected.state);
      expect(live.addresses).toEqual(expected.addresses);
    });
  }
});

describe('StatefulSet ordering with a fake clock (delay 1000 ms)', () => {
  const cases = [
    {
      name: 'OrderedReady creates one pod at a time, each after the previous is Ready',
      yaml: stsYaml({ replicas: 3 }),
      timeline: [
        { t: 0, pods: ['web-0:Pending'] },
        { t: 999, pods: ['web-0:Pending'] },
        { t: 1000, pods: ['web-0:Running:ready', 'web-1:Pending'] },
        { t: 2000, pods: ['web-0:Running:ready', 'web-1:Running:ready', 'web-2:Pending'] },
        { t: 3000, pods: ['web-0:Running:ready', 'web-1:Running:ready', 'web-2:Running:ready'] },
      ],
    },
    {
      name: 'Parallel creates every pod at once',
      yaml: stsYaml({ replicas: 3, policy: 'Parallel' }),
      timeline: [
        { t: 0, pods: ['web-0:Pending', 'web-1:Pending', 'web-2:Pending'] },
        { t: 1000, pods: ['web-0:Running:ready', 'web-1:Running:ready', 'web-2:Running:ready'] },
      ],
    },
    {
      name: 'ordinals.start numbers pods from the start',
      yaml: stsYaml({ replicas: 2, start: 5 }),
      timeline: [
        { t: 0, pods: ['web-5:Pending'] },
        { t: 1000, pods: ['web-5:Running:ready', 'web-6:Pending'] },
        { t: 2000, pods: ['web-5:Running:ready', 'web-6:Running:ready'] },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const clock = new FakeClusterClock(desiredFromYaml(c.yaml), newLiveCluster(), 1000);
      for (const step of c.timeline) {
        clock.at(step.t);
        expect(clock.pods('web-'), `at t=${step.t}`).toEqual(step.pods);
      }
    });
  }

  it('scale-down removes the highest ordinal first, one at a time', () => {
    const clock = new FakeClusterClock(desiredFromYaml(stsYaml({ replicas: 4, policy: 'Parallel' })), newLiveCluster(), 1000);
    clock.at(1000);
    clock.desired = desiredFromYaml(stsYaml({ replicas: 2 }));
    expect(clock.at(1000) && clock.pods('web-')).toEqual(['web-0:Running:ready', 'web-1:Running:ready', 'web-2:Running:ready', 'web-3:Running:terminating']);
    expect(clock.at(2000) && clock.pods('web-')).toEqual(['web-0:Running:ready', 'web-1:Running:ready', 'web-2:Running:terminating']);
    expect(clock.at(3000) && clock.pods('web-')).toEqual(['web-0:Running:ready', 'web-1:Running:ready']);
  });

  it('OrderedReady waits while a lower ordinal is not ready', () => {
    const clock = new FakeClusterClock(desiredFromYaml(stsYaml({ replicas: 1 })), newLiveCluster(), 0);
    clock.live = setLivePodReadiness(clock.live, 'default', 'web-0', false)!;
    clock.desired = desiredFromYaml(stsYaml({ replicas: 3 }));
    expect(clock.at(10) && clock.pods('web-')).toEqual(['web-0:Running']);
    clock.live = setLivePodReadiness(clock.live, 'default', 'web-0', undefined)!;
    expect(clock.at(20) && clock.pods('web-')).toEqual(['web-0:Running:ready', 'web-1:Running:ready', 'web-2:Running:ready']);
  });

  it('RollingUpdate replaces pods from the highest ordinal down, one at a time, each with a new IP', () => {
    const clock = new FakeClusterClock(desiredFromYaml(stsYaml({ replicas: 3, policy: 'Parallel' })), newLiveCluster(), 1000);
    clock.at(1000);
    const before = new Map(clock.state.pods.map((p) => [p.name, p.ips[0]]));
    clock.desired = desiredFromYaml(stsYaml({ replicas: 3, policy: 'Parallel', image: 'nginx:2' }));
    const replaced: string[] = [];
    for (let t = 1000; t <= 10_000; t += 500) {
      clock.at(t);
      for (const p of clock.state.pods) if (p.ips[0] !== before.get(p.name) && !replaced.includes(p.name)) replaced.push(p.name);
      expect(clock.state.pods.filter((p) => p.name.startsWith('web-') && !p.ready).length, `at t=${t}`).toBeLessThanOrEqual(1);
    }
    expect(replaced).toEqual(['web-2', 'web-1', 'web-0']);
    expect(clock.pods('web-')).toEqual(['web-0:Running:ready', 'web-1:Running:ready', 'web-2:Running:ready']);
  });
});

describe('deletion', () => {
  it('a deleted StatefulSet pod comes back with the same name and claim and a new IP', () => {
    const clock = new FakeClusterClock(desiredFromYaml(stsYaml({ replicas: 3 })), newLiveCluster(), 0);
    const old = clock.state.pods.find((p) => p.name === 'web-1')!;
    const claim = clock.state.persistentVolumeClaims.find((c) => c.name === 'www-web-1')!;
    clock.live = deleteLivePod(clock.live, 'default', 'web-1', 5, { podReadyDelayMs: 0 })!;
    clock.at(5);
    const fresh = clock.state.pods.find((p) => p.name === 'web-1')!;
    expect(fresh.ips[0]).not.toBe(old.ips[0]);
    expect(fresh.claims).toEqual(['www-web-1']);
    expect(clock.state.persistentVolumeClaims.find((c) => c.name === 'www-web-1')).toEqual(claim);
    expect(clock.pods('web-')).toEqual(['web-0:Running:ready', 'web-1:Running:ready', 'web-2:Running:ready']);
  });

  it('a deleted ReplicaSet pod is replaced under a new name', () => {
    const yaml = 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {containers: [{name: c, image: x}]}\n';
    const clock = new FakeClusterClock(desiredFromYaml(yaml), newLiveCluster(), 0);
    const names = clock.state.pods.map((p) => p.name);
    clock.live = deleteLivePod(clock.live, 'default', names[0], 1, { podReadyDelayMs: 0 })!;
    clock.at(1);
    const after = clock.state.pods.map((p) => p.name);
    expect(after).toHaveLength(3);
    expect(after).not.toContain(names[0]);
    expect(after.filter((n) => names.includes(n))).toHaveLength(2);
    expect(after.every((n) => /^rs-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(n))).toBe(true);
  });

  it('deleting a pod that does not exist is reported as undefined', () => {
    expect(deleteLivePod(newLiveCluster(), 'default', 'nope', 0, { podReadyDelayMs: 0 })).toBeUndefined();
  });
});

describe('claims', () => {
  const claimsOf = (c: FakeClusterClock) => c.state.persistentVolumeClaims.map((p) => `${p.name}:${p.phase}:${p.storage}:${p.accessModes.join(',')}:${p.storageClassName}`);
  const cases = [
    { name: 'scale-down keeps claims by default (Retain)', retention: undefined, afterDown: ['www-web-0', 'www-web-1', 'www-web-2'] },
    { name: 'whenScaled: Delete removes the claims of scaled-down pods', retention: '{whenScaled: Delete}', afterDown: ['www-web-0'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const clock = new FakeClusterClock(desiredFromYaml(stsYaml({ replicas: 3, retention: c.retention })), newLiveCluster(), 0);
      expect(claimsOf(clock)).toEqual(['www-web-0:Bound:1Gi:ReadWriteOnce:standard', 'www-web-1:Bound:1Gi:ReadWriteOnce:standard', 'www-web-2:Bound:1Gi:ReadWriteOnce:standard']);
      const volumes = new Map(clock.state.persistentVolumeClaims.map((p) => [p.name, p.volumeName]));
      clock.desired = desiredFromYaml(stsYaml({ replicas: 1, retention: c.retention }));
      clock.at(1);
      expect(clock.state.persistentVolumeClaims.map((p) => p.name)).toEqual(c.afterDown);
      clock.desired = desiredFromYaml(stsYaml({ replicas: 3, retention: c.retention }));
      clock.at(2);
      for (const p of clock.state.persistentVolumeClaims) {
        const kept = c.afterDown.includes(p.name);
        expect(p.volumeName === volumes.get(p.name), p.name).toBe(kept);
      }
    });
  }

  it('whenDeleted: Delete removes the claims with the set; Retain keeps them for the next set of that name', () => {
    for (const [retention, left] of [['{whenDeleted: Delete}', 0], ['{whenDeleted: Retain}', 2]] as const) {
      const clock = new FakeClusterClock(desiredFromYaml(stsYaml({ replicas: 2, retention })), newLiveCluster(), 0);
      clock.desired = desiredFromYaml('');
      clock.at(1);
      expect(clock.state.pods).toHaveLength(0);
      expect(clock.state.persistentVolumeClaims, retention).toHaveLength(left);
    }
  });
});

describe('Deployment rolling update', () => {
  const deploy = (image: string, strategy = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 4\n  ${strategy}\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: c, image: ${image}}]}\n`;
  const cases = [
    { name: 'defaults (25% surge, 25% unavailable)', strategy: '', maxTotal: 5, minReady: 3 },
    { name: 'maxSurge 0, maxUnavailable 2', strategy: 'strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 2}}', maxTotal: 4, minReady: 2 },
    { name: 'maxSurge 2, maxUnavailable 0', strategy: 'strategy: {rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}', maxTotal: 6, minReady: 4 },
  ];
  for (const c of cases) {
    it(`${c.name}: new ReplicaSet, bounded surge and unavailability, all pods replaced`, () => {
      const clock = new FakeClusterClock(desiredFromYaml(deploy('x:1', c.strategy)), newLiveCluster(), 1000);
      clock.at(1000);
      const oldRs = clock.state.replicaSets.map((r) => r.name);
      const oldPods = clock.state.pods.map((p) => p.name);
      clock.desired = desiredFromYaml(deploy('x:2', c.strategy));
      for (let t = 1000; t <= 20_000; t += 250) {
        clock.at(t);
        const alive = clock.state.pods.filter((p) => !p.terminating);
        expect(alive.length, `t=${t}`).toBeLessThanOrEqual(c.maxTotal);
        expect(alive.filter((p) => p.ready).length, `t=${t}`).toBeGreaterThanOrEqual(c.minReady);
      }
      const newRs = clock.state.replicaSets.map((r) => r.name);
      expect(newRs).toHaveLength(1);
      expect(newRs[0]).toMatch(/^api-[bcdfghjklmnpqrstvwxz2456789]+$/);
      expect(newRs[0]).not.toBe(oldRs[0]);
      expect(clock.state.pods).toHaveLength(4);
      expect(clock.state.pods.every((p) => p.name.startsWith(`${newRs[0]}-`) && p.ready && !oldPods.includes(p.name))).toBe(true);
    });
  }
});

describe('readiness', () => {
  const svc = (publish: boolean) => stsYaml({ replicas: 2, claims: false }).replace('clusterIP: None', `clusterIP: None\n  publishNotReadyAddresses: ${publish}`);
  const cases = [
    { name: 'a not-ready pod leaves the endpoints ready set', publish: false, ready: [true, false] },
    { name: 'publishNotReadyAddresses keeps it', publish: true, ready: [true, true] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const clock = new FakeClusterClock(desiredFromYaml(svc(c.publish)), newLiveCluster(), 0);
      clock.live = setLivePodReadiness(clock.live, 'default', 'web-1', false)!;
      clock.at(1);
      const slice = clock.state.endpointSlices.find((s) => s.serviceName === 'nginx')!;
      const byName = (n: string) => slice.endpoints.find((e) => e.targetRef?.name === n)!.ready;
      expect([byName('web-0'), byName('web-1')]).toEqual(c.ready);
    });
  }

  it('a terminating pod leaves the endpoints at once', () => {
    const clock = new FakeClusterClock(desiredFromYaml(stsYaml({ replicas: 2, claims: false, policy: 'Parallel' })), newLiveCluster(), 1000);
    clock.at(1000);
    clock.live = deleteLivePod(clock.live, 'default', 'web-1', 1000, { podReadyDelayMs: 1000 })!;
    clock.at(1000);
    expect(clock.pods('web-')).toEqual(['web-0:Running:ready', 'web-1:Running:terminating']);
    expect(clock.state.endpointSlices.find((s) => s.serviceName === 'nginx')!.endpoints.map((e) => e.targetRef?.name)).toEqual(['web-0']);
  });
});
