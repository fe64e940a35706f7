import type { Logger } from 'pino';
import type { ClusterState, EndpointSlice, Namespace, Pod, Service } from '../cluster/types.js';
import { buildRecordIndex } from '../dns/records/build-record-index.js';
import { patchRecordIndex, type NamespaceRecordInputs } from '../dns/records/patch-record-index.js';
import type { ResolvedDnsConfig } from '../dns/records/dns-config.js';
import type { RecordIndex } from '../dns/records/record-index.js';
import { buildManifestSet } from '../manifest/load.js';
import { computeNextSerial, newClusterSnapshot, type ClusterSnapshot } from '../runtime/cluster-snapshot.js';
import { diffClusterStates } from '../runtime/cluster-diff.js';
import type { ApiObject } from './api-objects.js';
import type { KubeConnection } from './kube-connection.js';
import { ListWatch } from './list-watch.js';
import { compareByNamespaceAndName, ObjectStore } from './object-store.js';
import { toEndpointSlice, toNamespace, toPod, toService } from './to-cluster-objects.js';

export interface FollowRuntimeOptions {
  connection: KubeConnection;
  dns: ResolvedDnsConfig;
  log: Logger;
  /** Called with every new index (DnsServer.setIndex: one reference swap). */
  publish: (index: RecordIndex) => void;
  /** Changes are gathered for this long before the index is rebuilt (default 50 ms). */
  debounceMs?: number;
  /** First retry delay of a failed list or watch (default 250 ms, doubling up to 8 s). */
  initialBackoffMs?: number;
  now?: () => number;
}

/** The resources CoreDNS's `kubernetes` plugin watches, in the order they are listed. */
export const FOLLOWED_RESOURCES = [
  { resource: 'namespaces', path: '/api/v1/namespaces' },
  { resource: 'services', path: '/api/v1/services' },
  { resource: 'endpointslices', path: '/apis/discovery.k8s.io/v1/endpointslices' },
  { resource: 'pods', path: '/api/v1/pods' },
] as const;

/** Diff lines logged per rebuild at most (a re-list of 100k pods is summarised, not listed). */
const MAX_DIFF_LINES = 20;

/**
 * `serve --kubeconfig` / `--endpoint`: the cluster is whatever a Kubernetes API server says. Lists
 * and watches Namespaces, Services, EndpointSlices and Pods (ListWatch), keeps their slim copies
 * (ObjectStore), and rebuilds the record index from them with buildRecordIndex, at most once per
 * `debounceMs` however many events arrive, so a 100k-pod list is one build. No controllers and no
 * addresses of its own: the API's pods, IPs and endpoints are the truth. Until all four have been
 * listed once the published index is `unsynced` (a name it lacks answers SERVFAIL, as CoreDNS).
 */
export class KubeFollowRuntime {
  private readonly namespaces = new ObjectStore<Namespace>((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  private readonly services = new ObjectStore<Service>(compareByNamespaceAndName);
  private readonly endpointSlices = new ObjectStore<EndpointSlice>(compareByNamespaceAndName);
  private readonly pods = new ObjectStore<Pod>();
  private readonly watches: readonly Pick<ListWatch<unknown>, 'synced' | 'start' | 'stop' | 'counts'>[];
  private snapshot: ClusterSnapshot;
  private timer: NodeJS.Timeout | undefined;
  private lastBuildAt = -Infinity;
  private syncWaiters: (() => void)[] = [];
  /** Namespaces whose Services, EndpointSlices or Pods changed since the last build; undefined: more than that (a list, a Namespace). */
  private changedNamespaces: Set<string> | undefined = new Set();
  private closed = false;
  private readonly now: () => number;
  /** How many indexes were built (the first, unsynced, one included); for logs and tests. */
  builds = 0;
  /** How many of them patched one namespace into the last index instead of building it whole. */
  patches = 0;
  /** When the first complete list of every resource was indexed (ms), undefined before. */
  syncedAt: number | undefined;

  private constructor(private readonly o: FollowRuntimeOptions) {
    this.now = o.now ?? Date.now;
    const [namespaces, services, endpointSlices, pods] = FOLLOWED_RESOURCES;
    this.watches = [
      this.follow(namespaces, this.namespaces, toNamespace, false),
      this.follow(services, this.services, toService),
      this.follow(endpointSlices, this.endpointSlices, toEndpointSlice),
      this.follow(pods, this.pods, toPod),
    ];
    this.snapshot = this.build(undefined);
  }

  private follow<T>(r: { resource: string; path: string }, store: ObjectStore<T>, toObject: (o: ApiObject) => T | undefined, namespaced = true): ListWatch<T> {
    return new ListWatch<T>({
      connection: this.o.connection,
      resource: r.resource,
      path: r.path,
      store,
      toObject,
      onChange: (key) => {
        // `namespace/name` of one changed object; a list, or a Namespace, may change anything.
        if (!namespaced || key === undefined || !key.includes('/')) this.changedNamespaces = undefined;
        else this.changedNamespaces?.add(key.slice(0, key.indexOf('/')));
        this.scheduleBuild();
      },
      onSynced: () => this.scheduleBuild(),
      log: this.o.log,
      initialBackoffMs: this.o.initialBackoffMs,
    });
  }

  /** Starts listing and watching; the unsynced empty index is published at once. */
  static start(o: FollowRuntimeOptions): KubeFollowRuntime {
    const rt = new KubeFollowRuntime(o);
    o.log.info({ server: o.connection.server, source: o.connection.source }, `following the Kubernetes API at ${o.connection.server} (${o.connection.source})`);
    for (const w of rt.watches) w.start();
    return rt;
  }

  getSnapshot(): ClusterSnapshot {
    return this.snapshot;
  }

  /** Whether the first complete list of every resource is in the published index. */
  isSynced(): boolean {
    return this.syncedAt !== undefined;
  }

  /** The resources not listed completely yet (empty once every one has been). */
  getUnlistedResources(): string[] {
    return FOLLOWED_RESOURCES.filter((_, i) => !this.watches[i].synced).map((r) => r.resource);
  }

  /** Resolves true once synced, or false after `timeoutMs` (CoreDNS's startup_timeout). */
  waitForSync(timeoutMs: number): Promise<boolean> {
    if (this.isSynced()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.syncWaiters.push(done);
    });
  }

  /**
   * Rebuilds soon: the first complete list at once (nothing was served before it); after that,
   * events are gathered for a few milliseconds and builds start at least `debounceMs` apart, so a
   * lone change shows within ~10 ms and a burst costs one build per interval.
   */
  private scheduleBuild(): void {
    if (this.closed || this.timer || !this.watches.every((w) => w.synced)) return;
    const debounce = this.o.debounceMs ?? 50;
    const wait = this.isSynced() ? Math.max(Math.min(debounce, 10), this.lastBuildAt + debounce - performance.now()) : 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.rebuild();
    }, wait);
  }

  private rebuild(): void {
    if (this.closed) return;
    const first = !this.isSynced();
    const before = this.snapshot.cluster.state;
    const changed = this.changedNamespaces;
    this.changedNamespaces = new Set();
    const started = performance.now();
    const only = !first && changed?.size === 1 ? [...changed][0] : undefined;
    const patched = only !== undefined ? this.patch(only) : undefined;
    this.snapshot = patched ?? this.build(this.snapshot.index);
    this.lastBuildAt = performance.now();
    const ms = Math.round(this.lastBuildAt - started);
    this.o.publish(this.snapshot.index);
    const st = this.snapshot.cluster.state;
    if (first) {
      this.syncedAt = this.now();
      this.o.log.info(
        { namespaces: st.namespaces.length, services: st.services.length, endpointSlices: st.endpointSlices.length, pods: st.pods.length, ms },
        `synced with the Kubernetes API: ${st.services.length} services, ${st.endpointSlices.length} endpoint slices, ${st.pods.length} pods in ${st.namespaces.length} namespaces; indexed in ${ms} ms`,
      );
      for (const w of this.syncWaiters.splice(0)) w();
      return;
    }
    // Diff only what changed: a 100k-pod cluster is not compared whole for one pod.
    const lines = only !== undefined ? diffClusterStates({ ...toEmptyState(), ...pickNamespace(before, only) }, { ...toEmptyState(), ...pickNamespace(st, only) }) : diffClusterStates(before, st);
    for (const line of lines.slice(0, MAX_DIFF_LINES)) this.o.log.info(line);
    if (lines.length > MAX_DIFF_LINES) this.o.log.info(`... and ${lines.length - MAX_DIFF_LINES} more changes`);
    this.o.log.debug({ ms, patched: patched !== undefined, namespace: only, serial: this.snapshot.index.serial }, `index ${patched ? `patched (namespace ${only})` : 'rebuilt'} in ${ms} ms`);
  }

  /**
   * The snapshot after a change to one namespace's objects, its names patched into the last index
   * (patchRecordIndex: the same records as a whole build, in O(the namespace)); undefined when the
   * change reaches further and the index must be built whole.
   */
  private patch(namespace: string): ClusterSnapshot | undefined {
    const previous = this.snapshot;
    const state = this.toState();
    const serial = computeNextSerial(previous.index.serial, this.now());
    const index = patchRecordIndex(previous.index, namespace, pickNamespace(previous.cluster.state, namespace), pickNamespace(state, namespace), serial);
    if (!index) return undefined;
    this.builds++;
    this.patches++;
    return newClusterSnapshot(NO_MANIFESTS, { state, findings: [], addresses: new Map() }, index, this.o.dns.defaultNamespace);
  }

  /** The cluster as the stores hold it, and its index (unsynced until every resource was listed). */
  private build(previous: RecordIndex | undefined): ClusterSnapshot {
    const state = this.toState();
    const serial = computeNextSerial(previous?.serial ?? 0, this.now());
    const index = buildRecordIndex(state, this.o.dns, serial, previous);
    if (!this.watches.every((w) => w.synced)) index.unsynced = true;
    this.builds++;
    return newClusterSnapshot(NO_MANIFESTS, { state, findings: [], addresses: new Map() }, index, this.o.dns.defaultNamespace);
  }

  private toState(): ClusterState {
    return {
      ...toEmptyState(),
      namespaces: this.namespaces.toArray(),
      services: this.services.toArray(),
      pods: this.pods.toArray(),
      endpointSlices: this.endpointSlices.toArray(),
    };
  }

  /** Stops every list and watch and any pending rebuild. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.watches.map((w) => w.stop()));
  }
}

function toEmptyState(): ClusterState {
  return { namespaces: [], services: [], pods: [], endpointSlices: [], statefulSets: [], replicaSets: [], deployments: [], persistentVolumeClaims: [] };
}

/** One namespace's objects of a state (in the state's order). */
function pickNamespace(st: ClusterState, namespace: string): NamespaceRecordInputs {
  const inNamespace = (o: { namespace: string }) => o.namespace === namespace;
  return { services: st.services.filter(inNamespace), endpointSlices: st.endpointSlices.filter(inNamespace), pods: st.pods.filter(inNamespace) };
}

/** A snapshot's manifests in this mode: none (the objects came from the API). */
const NO_MANIFESTS = buildManifestSet([]);
