import { buildManifestSet, type ManifestSet } from '../manifest/load.js';
import { compareFindings, type Finding } from '../manifest/finding.js';
import { computeDnsWarnings, type FieldLocator } from '../cluster/dns-warnings.js';
import { BUILTIN_FILE, BUILTIN_MANIFESTS } from '../cluster/builtin-objects.js';
import { reconcileCluster, type ClusterOptions, type ReconcileResult } from '../cluster/reconcile.js';
import { buildRecordIndex } from '../dns/records/build-record-index.js';
import type { RecordIndex } from '../dns/records/record-index.js';
import type { ResolvedDnsConfig } from '../dns/records/dns-config.js';

/** One consistent view: the manifests, the cluster they make, and the DNS index derived from it. */
export interface ClusterSnapshot {
  manifests: ManifestSet;
  cluster: ReconcileResult;
  index: RecordIndex;
  /** Manifest findings and cluster warnings together (collected when first read: see newClusterSnapshot). */
  readonly findings: Finding[];
}

let builtinSet: ManifestSet | undefined;

/** kubeadm's default objects, parsed once. */
export function getBuiltinManifests(): ManifestSet {
  builtinSet ??= buildManifestSet([{ file: BUILTIN_FILE, text: BUILTIN_MANIFESTS }]);
  return builtinSet;
}

/** manifests → cluster → record index, pure apart from the serial the caller supplies. */
export function buildClusterSnapshot(manifests: ManifestSet, clusterOptions: ClusterOptions, dns: ResolvedDnsConfig, serial: number): ClusterSnapshot {
  const cluster = reconcileCluster([...getBuiltinManifests().objects, ...manifests.objects], clusterOptions);
  const index = buildRecordIndex(cluster.state, dns, serial);
  return newClusterSnapshot(manifests, cluster, index, clusterOptions.defaultNamespace);
}

/**
 * Every finding of a snapshot, sorted: the manifests', the cluster's, and the DNS-visible warnings.
 * `locateAtMost`: how many DNS warnings get the exact position of their field; the rest point at
 * their object's start. Locating a field re-reads its file, so a summary that shows a few warnings
 * of thousands (serve at start-up) need not locate them all.
 */
export function collectSnapshotFindings(manifests: ManifestSet, cluster: ReconcileResult, defaultNamespace: string, locateAtMost = Infinity): Finding[] {
  const locate = toFieldLocator(manifests, defaultNamespace);
  let located = 0;
  const dnsWarnings = computeDnsWarnings(cluster.state, (...at) => (located++ < locateAtMost ? locate(...at) : undefined));
  return [...manifests.findings, ...cluster.findings, ...dnsWarnings].sort(compareFindings);
}

/**
 * Locates a field of a loaded object in its manifest (for warnings computed over the cluster). The
 * objects are indexed on first use: a cluster with thousands of warnings would otherwise scan every
 * object per warning.
 */
function toFieldLocator(manifests: ManifestSet, defaultNamespace: string): FieldLocator {
  let byKey: Map<string, ManifestSet['objects'][number]> | undefined;
  return (kind, namespace, name, path) => {
    if (!byKey) {
      byKey = new Map();
      for (const o of manifests.objects) {
        const key = `${o.kind}/${o.namespace ?? defaultNamespace}/${o.name}`;
        if (!byKey.has(key)) byKey.set(key, o);
      }
    }
    return byKey.get(`${kind}/${namespace}/${name}`)?.doc.positionOf(path);
  };
}

/**
 * A snapshot whose `findings` are collected when first read: the DNS-visible warnings locate
 * each field in its file, which a reload does not need before it publishes the new index.
 */
export function newClusterSnapshot(manifests: ManifestSet, cluster: ReconcileResult, index: RecordIndex, defaultNamespace: string): ClusterSnapshot {
  let findings: Finding[] | undefined;
  return {
    manifests,
    cluster,
    index,
    get findings() {
      findings ??= collectSnapshotFindings(manifests, cluster, defaultNamespace);
      return findings;
    },
  };
}

/** A SOA serial that moves forward on every change: Unix seconds, or previous + 1 if that is not larger. */
export function computeNextSerial(previous: number, nowMs: number): number {
  return Math.max(previous + 1, Math.floor(nowMs / 1000)) >>> 0;
}
