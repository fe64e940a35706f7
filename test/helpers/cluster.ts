import { buildManifestSet } from '../../src/manifest/load.js';
import { buildClusterSnapshot, type ClusterSnapshot } from '../../src/runtime/cluster-snapshot.js';
import { DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../../src/cluster/reconcile.js';
import { DEFAULT_DNS_CONFIG, type ResolvedDnsConfig } from '../../src/dns/records/dns-config.js';

/** Builds a snapshot from in-memory YAML files: `{ 'svc.yaml': '...' }`. */
export function snapshotFromYaml(files: Record<string, string>, dns: Partial<ResolvedDnsConfig> = {}, cluster: Partial<ClusterOptions> = {}, serial = 1): ClusterSnapshot {
  const set = buildManifestSet(Object.entries(files).map(([file, text]) => ({ file, text })));
  return buildClusterSnapshot(set, { ...DEFAULT_CLUSTER_OPTIONS, ...cluster }, { ...DEFAULT_DNS_CONFIG, ...dns }, serial);
}

/** A headless Service `big` selecting a Deployment of `replicas` pods: answers too large for UDP. */
export function buildBigHeadlessYaml(replicas: number): string {
  return `
apiVersion: v1
kind: Service
metadata: {name: big, namespace: default}
spec: {clusterIP: None, selector: {app: big}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: big}}
  template: {metadata: {labels: {app: big}}, spec: {containers: [{name: c, image: nginx}]}}
`;
}

/** A headless Service `db` (named port pg/5432) and the StatefulSet `db` of `replicas` pods behind it, in `ns`. */
export function buildHeadlessStatefulSetYaml(ns: string, replicas: number): string {
  return `apiVersion: v1
kind: Service
metadata: {name: db, namespace: ${ns}}
spec: {clusterIP: None, selector: {app: db}, ports: [{name: pg, port: 5432}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ${ns}}
spec:
  replicas: ${replicas}
  serviceName: db
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: pg, image: postgres, ports: [{containerPort: 5432}]}]}}
`;
}
