import { buildManifestSet } from '../../src/manifest/load.js';
import { buildDesiredCluster, DEFAULT_CLUSTER_OPTIONS, type DesiredCluster } from '../../src/cluster/reconcile.js';
import { getBuiltinManifests } from '../../src/runtime/cluster-snapshot.js';
import { buildLiveClusterState, settleCluster, type LiveCluster } from '../../src/cluster/controllers/live-cluster.js';
import type { ClusterState } from '../../src/cluster/types.js';

/** Desired objects from in-memory YAML (no built-ins unless asked). */
export function desiredFromYaml(yaml: string, builtins = false): DesiredCluster {
  const set = buildManifestSet([{ file: 'test.yaml', text: yaml }]);
  return buildDesiredCluster([...(builtins ? getBuiltinManifests().objects : []), ...set.objects], DEFAULT_CLUSTER_OPTIONS);
}

/** A fake clock driving settle: every call to `at(t)` settles at time t, keeping addresses like the runtime does. */
export class FakeClusterClock {
  live: LiveCluster;
  now = 0;
  private addresses = new Map<string, string>();
  state!: ClusterState;

  constructor(public desired: DesiredCluster, live: LiveCluster, readonly delayMs: number) {
    this.live = live;
    this.at(0);
  }

  at(t: number): ClusterState {
    this.now = t;
    this.live = settleCluster(this.desired, this.live, t, { podReadyDelayMs: this.delayMs }).live;
    const r = buildLiveClusterState(this.desired, this.live, { ...DEFAULT_CLUSTER_OPTIONS, previousAddresses: this.addresses });
    this.addresses = r.addresses;
    this.state = r.state;
    return r.state;
  }

  /** `name:phase[:ready][:terminating]` for the pods whose name starts with `prefix`, sorted. */
  pods(prefix: string): string[] {
    return this.state.pods
      .filter((p) => p.name.startsWith(prefix))
      .map((p) => `${p.name}:${p.phase}${p.ready ? ':ready' : ''}${p.terminating ? ':terminating' : ''}`)
      .sort();
  }
}

export function stsYaml(o: { name?: string; replicas: number; policy?: string; start?: number; image?: string; claims?: boolean; retention?: string }): string {
  const name = o.name ?? 'web';
  return `
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: ${name}}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  replicas: ${o.replicas}
  serviceName: nginx
  ${o.policy ? `podManagementPolicy: ${o.policy}` : ''}
  ${o.start !== undefined ? `ordinals: {start: ${o.start}}` : ''}
  ${o.retention ? `persistentVolumeClaimRetentionPolicy: ${o.retention}` : ''}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: ${o.image ?? 'nginx:1'}}]
  ${o.claims === false ? '' : `volumeClaimTemplates:
    - metadata: {name: www}
      spec: {accessModes: [ReadWriteOnce], storageClassName: standard, resources: {requests: {storage: 1Gi}}}`}
`;
}
