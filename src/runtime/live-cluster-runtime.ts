import type { Logger } from 'pino';
import { toFindingHeadline, type Finding } from '../manifest/finding.js';
import { buildManifestSet, loadManifests, type ManifestSet } from '../manifest/load.js';
import { buildDesiredCluster, getPodAllocationKey, getServiceAllocationKey, isDualStack, mergeDesiredClusters, newDesiredCluster, SYSTEM_NAMESPACES, type ClusterOptions, type DesiredCluster, type ReconcileResult } from '../cluster/reconcile.js';
import { buildLiveClusterState, deleteLivePod, isEmptyLiveCluster, mergeLiveClusters, newLiveCluster, setLivePodReadiness, settleCluster, splitLiveCluster, type LiveCluster, type LivePod } from '../cluster/controllers/live-cluster.js';
import { findChangedNamespaces, getNamespaceState, isSameJson, keepUnchangedObjects, groupManifestsByNamespace, isEmptyNamespaceState, isListedNamespaceState, replaceNamespaceState, type NamespaceState } from '../cluster/namespace-state.js';
import type { ManifestObject } from '../manifest/manifest-object.js';
import type { ClusterState } from '../cluster/types.js';
import { applyOverlays, describeOverlays, getManifestKey, mergeAppliedManifests, newOverlays, type Overlays } from '../cluster/overlays.js';
import { buildRecordIndex } from '../dns/records/build-record-index.js';
import { patchRecordIndex } from '../dns/records/patch-record-index.js';
import type { RecordIndex } from '../dns/records/record-index.js';
import type { ResolvedDnsConfig } from '../dns/records/dns-config.js';
import { computeNextSerial, newClusterSnapshot, getBuiltinManifests, type ClusterSnapshot } from './cluster-snapshot.js';
import { diffClusterStates } from './cluster-diff.js';
import { ManifestWatcher } from './manifest-watcher.js';
import { isStateFileOrSibling, readStateFile, removeStaleTemporaryFiles, writeStateParts, type NamespaceStatePart, type SavedPart } from './state-file.js';
import { isInsidePath } from './state-file-placement.js';
import { formatObjectRef, isolateBrokenFiles } from './broken-files.js';
import type { BrokenFile } from '../manifest/broken-file.js';
import type { LivePod as LivePodRecord } from '../cluster/controllers/live-cluster.js';

export interface LiveRuntimeOptions {
  paths: readonly string[];
  clusterOptions: ClusterOptions;
  dns: ResolvedDnsConfig;
  /** Simulated pod start-up (and shutdown) time in ms. */
  podReadyDelayMs: number;
  /** State file path; undefined keeps nothing across restarts. */
  statePath: string | undefined;
  log: Logger;
  /** Called with every new index (DnsServer.setIndex: one reference swap). */
  publish: (index: RecordIndex) => void;
  /** Prints manifest findings with code frames. */
  reportFindings: (findings: readonly Finding[], sources: ReadonlyMap<string, string>) => void;
  /** Watch the `-f` paths (default true). */
  watch?: boolean;
  /** Reconcile a change to one namespace alone (default true); false always reconciles the whole cluster. */
  incremental?: boolean;
  now?: () => number;
}

/** What the Kubernetes API builds its objects from (src/kube-api): the simulated state and where its objects came from. */
export interface ClusterObjectSource {
  state: ClusterState;
  /** The live pod behind a pod of the state (its creation and start times); undefined when none. */
  getLivePod(namespace: string, name: string): LivePodRecord | undefined;
  /** `kind/ns/name` (lower-case kind) → when the object first appeared (ms). */
  createdAt: ReadonlyMap<string, number>;
  /** `Kind/ns/name` (`Namespace//name`) → the manifest in force (files, built-ins or API writes). */
  manifests: ReadonlyMap<string, ManifestObject>;
  /** When the server started: the creation time of objects that keep none. */
  startedAt: number;
  /** `kind/ns/name` (lower-case kind) → how the object differs from the files (the `kube-dns-sim/overlay` annotation). */
  overlayNotes: ReadonlyMap<string, string>;
}

/** The answer of an operation, in HTTP terms so the admin API can pass it on. */
export interface OperationResult {
  status: number;
  message: string;
  findings?: Finding[];
  /** The cluster changed even though the status is a failure (an apply where some objects failed): wait for the state file. */
  changed?: boolean;
}

/** What the admin API reads: the state, the live pods, and how the cluster differs from the files. */
export interface LiveView {
  snapshot: ClusterSnapshot;
  livePods: ReadonlyMap<string, LivePod>;
  /** `kind/ns/name` → when the object first appeared (ms). */
  createdAt: ReadonlyMap<string, number>;
  overlayLines: string[];
}

/**
 * The live simulated cluster: holds the last good manifests, the controllers' state and the
 * overlays; re-reads the files when they change, runs the start-up timers, publishes each new DNS
 * index in one swap, logs each change as a short diff and keeps the state file. All changes run
 * synchronously between awaits, so a query never sees half a change.
 */
export class LiveClusterRuntime {
  private files!: ManifestSet;
  private applied: ManifestSet = buildManifestSet([]);
  private overlays: Overlays = newOverlays();
  /** The controllers' state, by namespace (see splitLiveCluster); `live` joins it. */
  private liveByNamespace = new Map<string, LiveCluster>();
  /** Namespaces whose live part an operation changed (deleted pod, readiness) since their last settle. */
  private readonly unsettledNamespaces = new Set<string>();
  /** When each namespace's next pod start or termination is due. */
  private wakeByNamespace = new Map<string, number>();
  /** The manifests (files, built-ins and applied) by namespace, as last reconciled; '' holds cluster-scoped ones. */
  private groups = new Map<string, ManifestObject[]>();
  /** What each group asks for, overlays applied (valid while its group and overlays are unchanged). */
  private desiredByNamespace = new Map<string, DesiredCluster>();
  /** Namespaces with a Service asking for IPv6 (the cluster is dual-stack while there is one). */
  private dualStackNamespaces = new Set<string>();
  private addresses = new Map<string, string>();
  /** Address → namespace holding it (for allocating one namespace's addresses alone). */
  private addressNamespace = new Map<string, string>();
  /** Namespaces with a pod stating its address (status.podIP): stated addresses are handed out cluster-wide before any other. */
  private statedAddressNamespaces = new Set<string>();
  private snapshot!: ClusterSnapshot;
  private timer: NodeJS.Timeout | undefined;
  private watcher: ManifestWatcher | undefined;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private writing: Promise<void> | undefined;
  private writeAgain = false;
  /** Bumped by every change that must reach the state file; `savedSeq` is the last one written. */
  private changeSeq = 0;
  private savedSeq = 0;
  /** Namespaces whose part of the state file is older than the state ('all' after a whole rebuild). */
  private unsavedNamespaces: Set<string> | 'all' = 'all';
  /** The parts the state file's index names, by namespace. */
  private savedParts = new Map<string, SavedPart>();
  private saveWaiters: { seq: number; resolve: (problem: string | undefined) => void }[] = [];
  private closed = false;
  /** `kind/ns/name` → when the object first appeared (for AGE); pods keep their own. */
  private createdAt = new Map<string, number>();
  private readonly now: () => number;
  /** How many changes were reconciled whole and how many one namespace alone (logs, tests). */
  readonly reconciles = { whole: 0, namespace: 0 };
  /** Called after every published change with the namespaces it touched (undefined: any). */
  private readonly changeListeners = new Set<(namespaces: ReadonlySet<string> | undefined) => void>();
  /** The manifests in force by key (files, built-ins and API writes, less deletions); rebuilt on demand after a change. */
  /** The manifests in force by key, and what they were computed from (rebuilt when one of those changes). */
  private manifestsByKey: { map: Map<string, ManifestObject>; files: ManifestSet; applied: ManifestSet; deleted: readonly string[] | undefined } | undefined;
  private overlayNotes: Map<string, string> | undefined;
  /** Live pods by name, per namespace part (parts are replaced, never changed, so a part's map stays valid). */
  private readonly livePodIndex = new WeakMap<LiveCluster, Map<string, LivePod>>();
  readonly startedAt: number;
  /** Each file's objects in force (its last version without errors): what it keeps while it has errors. */
  private lastGood = new Map<string, ManifestObject[]>();
  /** The server's own files (the state file and its siblings): never read or watched as manifests. */
  private skipFile: ((absolutePath: string) => boolean) | undefined;

  private constructor(private readonly o: LiveRuntimeOptions) {
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Subscribes to changes (the Kubernetes API's object store, the web view); returns the unsubscribe function. */
  onChange(listener: (namespaces: ReadonlySet<string> | undefined) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private notifyChange(namespaces: ReadonlySet<string> | undefined): void {
    this.overlayNotes = undefined;
    for (const l of this.changeListeners) {
      try {
        l(namespaces);
      } catch (err) {
        this.o.log.error({ err: (err as Error).message }, 'a change listener failed');
      }
    }
  }

  /** Files and built-ins with API writes laid over them, less the objects deleted through the API. */
  private effectiveManifests(): ManifestObject[] {
    const ns = this.o.clusterOptions.defaultNamespace;
    const merged = mergeAppliedManifests([...getBuiltinManifests().objects, ...this.files.objects], this.applied.objects, ns);
    const deleted = this.overlays.deletedObjects ?? [];
    if (deleted.length === 0) return merged;
    const gone = new Set(deleted);
    return merged.filter((m) => !gone.has(getManifestKey(m, ns)));
  }

  /** What the Kubernetes API builds its objects from: the state, live pods, creation times and the manifests in force. */
  getApiSource(): ClusterObjectSource {
    let c = this.manifestsByKey;
    if (!c || c.files !== this.files || c.applied !== this.applied || c.deleted !== this.overlays.deletedObjects) {
      const ns = this.o.clusterOptions.defaultNamespace;
      const map = new Map<string, ManifestObject>();
      for (const m of this.effectiveManifests()) if (!map.has(getManifestKey(m, ns))) map.set(getManifestKey(m, ns), m);
      this.manifestsByKey = c = { map, files: this.files, applied: this.applied, deleted: this.overlays.deletedObjects };
    }
    this.overlayNotes ??= this.computeOverlayNotes();
    const getLivePod = (namespace: string, name: string): LivePod | undefined => {
      const part = this.liveByNamespace.get(namespace);
      if (!part) return undefined;
      let byName = this.livePodIndex.get(part);
      if (!byName) this.livePodIndex.set(part, (byName = new Map(part.pods.map((p) => [p.name, p]))));
      return byName.get(name);
    };
    return { state: this.snapshot.cluster.state, getLivePod, createdAt: this.createdAt, manifests: c.map, startedAt: this.startedAt, overlayNotes: this.overlayNotes };
  }

  /** How objects differ from the files, per object: scale overlays, API writes, forced readiness. */
  /** Pods of a namespace part whose readiness an operation forced (parts are replaced, never changed: kept per part). */
  private readonly readinessNotes = new WeakMap<LiveCluster, [string, string][]>();
  private getReadinessNotes(part: LiveCluster): [string, string][] {
    let notes = this.readinessNotes.get(part);
    if (!notes) {
      notes = part.pods.filter((p) => p.readinessOverride !== undefined).map((p) => [`pod/${p.namespace}/${p.name}`, `readiness forced ${p.readinessOverride}`]);
      this.readinessNotes.set(part, notes);
    }
    return notes;
  }

  private computeOverlayNotes(): Map<string, string> {
    const ns = this.o.clusterOptions.defaultNamespace;
    const notes = new Map<string, string>();
    const fileReplicas = (key: string): string => {
      const m = this.files.objects.find((o) => getManifestKey(o, ns) === key);
      const r = (m?.body.spec as Record<string, unknown> | undefined)?.replicas;
      return m ? String(typeof r === 'number' ? r : 1) : 'none';
    };
    for (const m of this.applied.objects) notes.set(`${m.kind.toLowerCase()}/${m.kind === 'Namespace' ? '' : (m.namespace ?? ns)}/${m.name}`, m.source.file.startsWith('api:') ? 'written through the API' : 'from apply -f');
    for (const [key, r] of Object.entries(this.overlays.statefulSetReplicas)) notes.set(`statefulset/${key}`, `replicas ${r} (files: ${fileReplicas(`StatefulSet/${key}`)})`);
    for (const [key, r] of Object.entries(this.overlays.replicas ?? {})) notes.set(`${key.split('/')[0].toLowerCase()}/${key.split('/').slice(1).join('/')}`, `replicas ${r} (files: ${fileReplicas(key)})`);
    for (const part of this.liveByNamespace.values()) for (const [key, note] of this.getReadinessNotes(part)) notes.set(key, note);
    return notes;
  }

  /** Loads the files and the state file, settles the cluster and starts watching. */
  static async start(o: LiveRuntimeOptions): Promise<LiveClusterRuntime> {
    const rt = new LiveClusterRuntime(o);
    if (o.statePath) {
      const statePath = o.statePath;
      rt.skipFile = (f) => isStateFileOrSibling(statePath, f);
      const within = o.paths.filter((p) => p !== '-' && isInsidePath(statePath, p));
      if (within.length > 0) o.log.info({ state: statePath, within }, `state file ${statePath} is inside ${within.join(', ')}: it and its temporary files are never read as manifests`);
      await rt.restore(statePath);
    }
    const loaded = await loadManifests(o.paths, undefined, undefined, rt.skipFile);
    rt.o.reportFindings(loaded.findings, loaded.sources);
    const isolated = isolateBrokenFiles(loaded, rt.lastGood, o.clusterOptions.defaultNamespace);
    rt.files = isolated.set;
    rt.lastGood = isolated.lastGood;
    rt.logBrokenFiles(isolated.set.brokenFiles ?? [], []);
    rt.recompute(true);
    if (o.watch !== false) {
      rt.watcher = new ManifestWatcher(o.paths, () => void rt.reload(), undefined, rt.skipFile);
      await rt.watcher.refresh();
    }
    return rt;
  }

  getSnapshot(): ClusterSnapshot {
    return this.snapshot;
  }

  private get live(): LiveCluster {
    return mergeLiveClusters(this.liveByNamespace.values());
  }

  /** The desired objects of the files alone (no applied objects, no overlays), for the admin view. */
  private get fileDesired(): DesiredCluster {
    return buildDesiredCluster([...getBuiltinManifests().objects, ...this.files.objects], this.o.clusterOptions);
  }

  getView(): LiveView {
    const live = this.live;
    const fileDesired = this.fileDesired;
    const ns = this.o.clusterOptions.defaultNamespace;
    const lines = describeOverlays(fileDesired, this.overlays, this.applied.objects.map((m) => getManifestKey(m, ns)));
    for (const p of live.pods) if (p.readinessOverride !== undefined) lines.push(`pod ${p.namespace}/${p.name}: readiness forced ${p.readinessOverride}`);
    return { snapshot: this.snapshot, createdAt: this.createdAt, livePods: new Map(live.pods.map((p) => [`${p.namespace}/${p.name}`, p])), overlayLines: lines };
  }

  /**
   * Re-reads the files. Each file stands alone: a file whose new text has errors keeps its last
   * good objects (none if it never had any) and says so; every other file's changes apply, all in one swap.
   */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          await this.reloadOnce();
        } while (this.reloadAgain && !this.closed);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  private async reloadOnce(): Promise<void> {
    const loaded = await loadManifests(this.o.paths, undefined, this.files, this.skipFile);
    if (this.closed) return;
    const ns = this.o.clusterOptions.defaultNamespace;
    const { set: next, lastGood } = isolateBrokenFiles(loaded, this.lastGood, ns);
    const changed = new Set<string>();
    for (const [file, text] of next.sources) if (this.files.sources.get(file) !== text) changed.add(file);
    const removed = [...this.files.sources.keys()].filter((f) => !next.sources.has(f));
    const broken = next.brokenFiles ?? [];
    const brokenBefore = this.files.brokenFiles ?? [];
    const sameErrors = (a: readonly BrokenFile[], b: readonly BrokenFile[]) => JSON.stringify(a.map((x) => [x.file, x.errors])) === JSON.stringify(b.map((x) => [x.file, x.errors]));
    if (changed.size === 0 && removed.length === 0 && sameErrors(broken, brokenBefore)) {
      // A vanished -f directory is now watched through its parent, so its return is seen.
      await this.watcher?.refresh();
      return;
    }
    this.o.reportFindings(next.findings.filter((f) => changed.has(f.file) || (f.severity === 'error' && !brokenBefore.some((b) => b.file === f.file))), next.sources);
    const brokenNames = new Set(broken.map((b) => b.file));
    this.logBrokenFiles(broken.filter((b) => changed.has(b.file) || !brokenBefore.some((x) => x.file === b.file)), brokenBefore.filter((b) => !brokenNames.has(b.file)));
    const held = new Set([...lastGood.keys()].filter((f) => !next.sources.has(f)));
    const applied = [...[...changed].filter((f) => !brokenNames.has(f)), ...removed.filter((f) => !held.has(f))];
    this.dropOverlaysOfChangedObjects(this.files, next);
    this.files = next;
    this.lastGood = lastGood;
    if (applied.length > 0) this.o.log.info({ changed: [...changed].filter((f) => !brokenNames.has(f)), removed: removed.filter((f) => !held.has(f)) }, `manifests reloaded: ${applied.join(', ')}`);
    this.recompute(true);
    await this.watcher?.refresh();
  }

  /** One line per file that has (new) errors, saying what it keeps serving; one per file whose errors are gone. */
  private logBrokenFiles(broken: readonly BrokenFile[], fixed: readonly BrokenFile[]): void {
    const ns = this.o.clusterOptions.defaultNamespace;
    for (const b of broken) {
      const fields = { file: b.file, errors: b.errors.length, codes: [...new Set(b.errors.map((e) => e.code))], kept: b.kept.map((r) => formatObjectRef(r, ns)), shadowed: b.shadowed.map((r) => formatObjectRef(r, ns)) };
      const keeps = b.kept.length > 0 ? `its last good objects keep serving (${fields.kept.slice(0, 5).join(', ')}${b.kept.length > 5 ? `, +${b.kept.length - 5}` : ''}) until it is fixed` : b.shadowed.length > 0 ? 'its last good objects are all defined by other files now' : 'none of its objects are served until it is fixed';
      const shadow = b.shadowed.length > 0 && b.kept.length > 0 ? `; ${fields.shadowed.join(', ')} now from another file` : '';
      this.o.log.error(fields, `manifest errors in ${b.file}: ${keeps}${shadow}; other files apply as usual`);
    }
    for (const b of fixed) this.o.log.info({ file: b.file }, `manifest errors in ${b.file} cleared`);
  }

  /** An overlay on an object whose file definition changed gives way to the file (the last writer wins). */
  private dropOverlaysOfChangedObjects(before: ManifestSet, after: ManifestSet): void {
    const o = this.overlays;
    if (Object.keys(o.statefulSetReplicas).length === 0 && o.deletedPods.length === 0 && o.applied.length === 0 && Object.keys(o.replicas ?? {}).length === 0 && (o.deletedObjects ?? []).length === 0) return;
    const ns = this.o.clusterOptions.defaultNamespace;
    const bodies = (s: ManifestSet) => new Map(s.objects.map((m) => [getManifestKey(m, ns), JSON.stringify(m.body)]));
    const a = bodies(before);
    const b = bodies(after);
    const changed = (key: string) => a.get(key) !== b.get(key);
    for (const key of Object.keys(this.overlays.statefulSetReplicas)) {
      const k = `StatefulSet/${key}`;
      if (changed(k)) {
        delete this.overlays.statefulSetReplicas[key];
        this.o.log.info(`overlay dropped: statefulset ${key} changed in its file`);
      }
    }
    for (const key of Object.keys(o.replicas ?? {})) {
      if (!changed(key)) continue;
      delete o.replicas![key];
      this.o.log.info(`overlay dropped: ${key.split('/')[0].toLowerCase()} ${key.split('/').slice(1).join('/')} changed in its file`);
    }
    o.deletedObjects = (o.deletedObjects ?? []).filter((key) => {
      if (!changed(key)) return true;
      this.o.log.info(`overlay dropped: ${key.split('/')[0].toLowerCase()} ${key.split('/').slice(1).filter(Boolean).join('/')} (deleted through the API) changed in its file`);
      return false;
    });
    this.overlays.deletedPods = this.overlays.deletedPods.filter((key) => {
      if (!changed(`Pod/${key}`)) return true;
      this.o.log.info(`overlay dropped: pod ${key} changed in its file`);
      return false;
    });
    const keep = this.overlays.applied.filter((entry) => {
      const objs = buildManifestSet([entry]).objects;
      const drop = objs.some((m) => changed(getManifestKey(m, ns)));
      if (drop) this.o.log.info(`overlay dropped: ${objs.map((m) => getManifestKey(m, ns)).join(', ')} changed in its file`);
      return !drop;
    });
    if (keep.length !== this.overlays.applied.length) this.setApplied(keep);
  }

  /** Manifest keys of one applied entry, parsed once per entry (entries are kept, not copied, across changes). */
  private readonly entryKeys = new WeakMap<Overlays['applied'][number], string[]>();
  private getEntryKeys(e: Overlays['applied'][number]): string[] {
    let keys = this.entryKeys.get(e);
    if (!keys) this.entryKeys.set(e, (keys = buildManifestSet([e]).objects.map((o) => getManifestKey(o, this.o.clusterOptions.defaultNamespace))));
    return keys;
  }

  private setApplied(applied: Overlays['applied']): void {
    this.overlays.applied = applied;
    // Unchanged entries keep their objects (same identity), so only the namespaces they touch count as changed.
    this.applied = buildManifestSet(applied, [], this.applied);
  }

  /**
   * Settles the controllers now, publishes the new index when anything changed, logs the diff,
   * saves state. `touched`: namespaces an operation changed (their manifests need not differ).
   * When one namespace alone has anything to do (its manifests, an operation or a due timer), only
   * it is reconciled and spliced into the last state (recomputeNamespace); otherwise, or when that
   * namespace's change reaches further, the whole cluster is.
   */
  private recompute(force: boolean, touched: readonly string[] = []): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const now = this.now();
    const objects = this.effectiveManifests();
    const groups = groupManifestsByNamespace(objects, this.o.clusterOptions.defaultNamespace);
    const changed = findChangedNamespaces(this.groups, groups);
    for (const ns of touched) changed.add(ns);
    for (const [ns, at] of this.wakeByNamespace) if (at <= now) changed.add(ns);
    if (changed.size === 0 && !force && this.snapshot) {
      // A timer that fired a moment early (timers and the wall clock can disagree by a millisecond): wait again.
      this.scheduleWake(now);
      return;
    }
    const only = changed.size === 1 ? [...changed][0] : undefined;
    const started = performance.now();
    if (this.o.incremental !== false && only !== undefined && only !== '' && this.snapshot && this.recomputeNamespace(only, groups, now)) {
      this.reconciles.namespace++;
      this.o.log.debug({ namespace: only, ms: Math.round(performance.now() - started) }, `reconciled namespace ${only} alone`);
    } else {
      this.recomputeWhole(groups, changed, now, force);
      this.reconciles.whole++;
      this.o.log.debug({ changed: [...changed].slice(0, 10), ms: Math.round(performance.now() - started) }, 'reconciled the whole cluster');
    }
    this.scheduleWake(now);
    this.save();
  }

  /**
   * Reconciles the whole cluster (start-up, and changes that span namespaces): each namespace with
   * something to do (`changed`) is decoded and settled alone (controllers relate objects of one
   * namespace only), the others keep what they had; addresses, endpoint slices and the index are
   * then derived for all of them together.
   */
  private recomputeWhole(groups: Map<string, ManifestObject[]>, changed: ReadonlySet<string>, now: number, force: boolean): void {
    const desiredByNamespace = new Map<string, DesiredCluster>();
    for (const [ns, objects] of groups) {
      const known = changed.has(ns) ? undefined : this.desiredByNamespace.get(ns);
      desiredByNamespace.set(ns, known ?? applyOverlays(buildDesiredCluster(objects, this.o.clusterOptions), this.overlays));
    }
    const liveByNamespace = new Map<string, LiveCluster>();
    const wakeByNamespace = new Map<string, number>();
    for (const ns of new Set([...desiredByNamespace.keys(), ...this.liveByNamespace.keys()])) {
      const live = this.liveByNamespace.get(ns);
      let settled: { live: LiveCluster; nextWakeAt: number | undefined };
      if (live && !changed.has(ns)) settled = { live, nextWakeAt: this.wakeByNamespace.get(ns) };
      else settled = settleCluster(desiredByNamespace.get(ns) ?? newDesiredCluster(), live ?? newLiveCluster(), now, { podReadyDelayMs: this.o.podReadyDelayMs });
      if (!isEmptyLiveCluster(settled.live)) liveByNamespace.set(ns, settled.live);
      if (settled.nextWakeAt !== undefined) wakeByNamespace.set(ns, settled.nextWakeAt);
    }
    const desired = mergeDesiredClusters(desiredByNamespace.values(), this.o.clusterOptions.defaultNamespace);
    const result: ReconcileResult = buildLiveClusterState(desired, mergeLiveClusters(liveByNamespace.values()), { ...this.o.clusterOptions, previousAddresses: this.addresses });
    this.desiredByNamespace = desiredByNamespace;
    this.liveByNamespace = liveByNamespace;
    this.unsettledNamespaces.clear();
    this.wakeByNamespace = wakeByNamespace;
    this.groups = groups;
    this.dualStackNamespaces = new Set(desired.services.filter((svc) => isDualStack([svc])).map((svc) => svc.namespace));
    this.addresses = result.addresses;
    this.addressNamespace = new Map();
    this.statedAddressNamespaces = new Set();
    for (const [ns, live] of liveByNamespace) if (live.pods.some((p) => p.requestedIPs.length > 0)) this.statedAddressNamespaces.add(ns);
    for (const svc of result.state.services) for (const ip of svc.clusterIPs) this.addressNamespace.set(ip, svc.namespace);
    for (const pod of result.state.pods) for (const ip of pod.ips) this.addressNamespace.set(ip, pod.namespace);
    this.createdAt = getCreationTimes(this.createdAt, result.state, now);
    this.unsavedNamespaces = 'all';
    const previous = this.snapshot;
    const lines = previous ? diffClusterStates(previous.cluster.state, result.state) : [];
    if (!previous || force || lines.length > 0) {
      const serial = computeNextSerial(previous?.index.serial ?? 0, now);
      const index = buildRecordIndex(result.state, this.o.dns, serial, previous?.index);
      this.snapshot = newClusterSnapshot(this.files, result, index, this.o.clusterOptions.defaultNamespace);
      this.o.publish(index);
      this.notifyChange(undefined);
    }
    for (const line of lines) this.o.log.info(line);
  }

  /**
   * Reconciles one namespace and splices it into the last state and index. False (nothing changed)
   * when the change reaches beyond the namespace: the cluster turns dual-stack or back, an address
   * it asks for is held elsewhere or the range is full (or was, anywhere, at the last rebuild:
   * freed addresses go to whoever waits for them), a pod anywhere states its address, the namespace
   * appears, empties, enters or leaves the namespace list (retained claims alone do not list it) or
   * has endpoint slices from manifests, or the index cannot be patched (see patchRecordIndex).
   */
  private recomputeNamespace(namespace: string, groups: Map<string, ManifestObject[]>, now: number): boolean {
    const previous = this.snapshot;
    // An address someone could not get may be free now: only a whole rebuild hands it over.
    if (previous.cluster.findings.some((f) => ALLOCATION_WARNINGS.has(f.code))) return false;
    // A pod's stated address wins over an address another namespace's pod was given, and a pod that
    // lost its stated address gets it once it is free, without a warning: only a whole rebuild sees both.
    if (this.statedAddressNamespaces.size > 0) return false;
    const before = getNamespaceState(previous.cluster.state, namespace);
    if (isEmptyNamespaceState(before)) return false;
    const desired = applyOverlays(buildDesiredCluster(groups.get(namespace) ?? [], this.o.clusterOptions), this.overlays);
    if (desired.endpointManifests.length > 0 || desired.declaredNamespaces.length > 0) return false;
    const dualStackNamespaces = new Set(this.dualStackNamespaces);
    if (isDualStack(desired.services)) dualStackNamespaces.add(namespace);
    else dualStackNamespaces.delete(namespace);
    const dualStack = this.dualStackNamespaces.size > 0;
    if (dualStackNamespaces.size > 0 !== dualStack) return false;
    const liveBefore = this.liveByNamespace.get(namespace) ?? newLiveCluster();
    const objectsBefore = this.groups.get(namespace) ?? [];
    // A change to Services alone leaves the settled pods as they are (controllers read only workloads,
    // and no pod is due to start or go): settling 1000 pods again would find nothing to do.
    const wakeAt = this.wakeByNamespace.get(namespace);
    const desiredBefore = this.desiredByNamespace.get(namespace);
    const settled =
      !this.unsettledNamespaces.has(namespace) && (wakeAt === undefined || wakeAt > now) && desiredBefore !== undefined && isSameWorkloads(desiredBefore, desired)
        ? { live: liveBefore, nextWakeAt: wakeAt }
        : settleCluster(desired, liveBefore, now, { podReadyDelayMs: this.o.podReadyDelayMs });
    if (settled.live.pods.some((p) => p.requestedIPs.length > 0)) return false;
    const isAddressTaken = (ip: string): boolean => {
      const holder = this.addressNamespace.get(ip);
      return holder !== undefined && holder !== namespace;
    };
    const result = buildLiveClusterState(desired, settled.live, { ...this.o.clusterOptions, previousAddresses: this.addresses, partial: { isAddressTaken, dualStack } });
    if (result.findings.some((f) => ALLOCATION_WARNINGS.has(f.code))) return false;
    const after: NamespaceState = keepUnchangedObjects(before, result.state);
    if (isEmptyNamespaceState(after)) return false;
    // The namespace list (and the index's namespaces) change when the namespace comes or goes: claims alone do not list it.
    const listed = previous.cluster.state.namespaces.find((n) => n.name === namespace);
    if ((listed !== undefined) !== (listed?.declared === true || SYSTEM_NAMESPACES.includes(namespace) || isListedNamespaceState(after))) return false;
    const serial = computeNextSerial(previous.index.serial, now);
    const index = patchRecordIndex(previous.index, namespace, before, after, serial);
    if (!index) return false;

    // Committed from here on: nothing below can refuse the change.
    for (const key of getAddressKeys(before, liveBefore, dualStack)) {
      const ip = this.addresses.get(key);
      const next = result.addresses.get(key);
      if (ip !== undefined && ip !== next && this.addressNamespace.get(ip) === namespace) this.addressNamespace.delete(ip);
      if (next === undefined) this.addresses.delete(key);
    }
    for (const [key, ip] of result.addresses) {
      this.addresses.set(key, ip);
      this.addressNamespace.set(ip, namespace);
    }
    this.liveByNamespace.set(namespace, settled.live);
    this.unsettledNamespaces.delete(namespace);
    if (settled.nextWakeAt !== undefined) this.wakeByNamespace.set(namespace, settled.nextWakeAt);
    else this.wakeByNamespace.delete(namespace);
    this.groups = groups;
    this.desiredByNamespace.set(namespace, desired);
    this.dualStackNamespaces = dualStackNamespaces;
    const state = replaceNamespaceState(previous.cluster.state, namespace, after);
    const findings = [...dropFindingsOf(previous.cluster.findings, [...objectsBefore, ...(groups.get(namespace) ?? [])]), ...result.findings];
    updateCreationTimes(this.createdAt, before, after, now);
    if (this.unsavedNamespaces !== 'all') this.unsavedNamespaces.add(namespace);
    this.snapshot = newClusterSnapshot(this.files, { state, findings, addresses: this.addresses }, index, this.o.clusterOptions.defaultNamespace);
    this.o.publish(index);
    this.notifyChange(new Set([namespace]));
    for (const line of diffClusterStates({ ...before, namespaces: [] }, { ...after, namespaces: [] })) this.o.log.info(line);
    return true;
  }

  /** One timer for the earliest due namespace. */
  private scheduleWake(now: number): void {
    let next: number | undefined;
    for (const at of this.wakeByNamespace.values()) if (next === undefined || at < next) next = at;
    if (next !== undefined) this.timer = setTimeout(() => this.recompute(false), Math.max(0, next - now));
  }

  /** `delete pod NAME`: a controller's pod is replaced (same name for a StatefulSet); a Pod manifest's pod stays deleted. */
  deletePod(namespace: string, name: string): OperationResult {
    const live = this.liveByNamespace.get(namespace) ?? newLiveCluster();
    const pod = live.pods.find((p) => p.namespace === namespace && p.name === name && !p.terminating);
    const next = deleteLivePod(live, namespace, name, this.now(), { podReadyDelayMs: this.o.podReadyDelayMs });
    if (!pod || !next) return { status: 404, message: `pods "${name}" not found in namespace "${namespace}"` };
    if (!pod.owner) this.overlays.deletedPods = [...new Set([...this.overlays.deletedPods, `${namespace}/${name}`])];
    this.liveByNamespace.set(namespace, next);
    this.unsettledNamespaces.add(namespace);
    this.recompute(true, [namespace]);
    return { status: 200, message: `pod "${name}" deleted` };
  }

  /** `scale statefulset NAME --replicas N`: an overlay until the set's file changes. */
  scaleStatefulSet(namespace: string, name: string, replicas: number): OperationResult {
    const key = `${namespace}/${name}`;
    const ns = this.o.clusterOptions.defaultNamespace;
    const objects = this.effectiveManifests().filter((m) => m.kind === 'StatefulSet' && (m.namespace ?? ns) === namespace);
    const sts = buildDesiredCluster(objects, this.o.clusterOptions).statefulSets.find((s) => s.name === name);
    if (!sts) return { status: 404, message: `statefulsets.apps "${name}" not found in namespace "${namespace}"` };
    if (sts.replicas === replicas) delete this.overlays.statefulSetReplicas[key];
    else this.overlays.statefulSetReplicas[key] = replicas;
    this.recompute(true, [namespace]);
    return { status: 200, message: `statefulset.apps/${name} scaled` };
  }

  /** `readiness pod NAME true|false`: forces the readiness of a running pod (its replacement starts fresh). */
  setReadiness(namespace: string, name: string, ready: boolean | undefined): OperationResult {
    const next = setLivePodReadiness(this.liveByNamespace.get(namespace) ?? newLiveCluster(), namespace, name, ready);
    if (!next) return { status: 404, message: `pods "${name}" not found in namespace "${namespace}"` };
    this.liveByNamespace.set(namespace, next);
    this.unsettledNamespaces.add(namespace);
    this.recompute(true, [namespace]);
    return { status: 200, message: `pod/${name} readiness ${ready === undefined ? 'follows its probe' : `forced ${ready}`}` };
  }

  /**
   * `apply -f FILE`: each object on its own, as kubectl does: the valid ones apply (each lies over
   * the files until its file changes), an object with errors is left out and named in the answer
   * (422 when any failed; `changed` says whether anything applied).
   */
  apply(file: string, text: string): OperationResult {
    const set = buildManifestSet([{ file, text }]);
    const errors = set.findings.filter((f) => f.severity === 'error');
    if (set.objects.length === 0 && errors.length > 0) return { status: 422, message: `${errors.length} error(s) in ${file}; nothing applied`, findings: set.findings };
    const ns = this.o.clusterOptions.defaultNamespace;
    const current = new Map(mergeAppliedManifests([...getBuiltinManifests().objects, ...this.files.objects], this.applied.objects, ns).map((m) => [getManifestKey(m, ns), JSON.stringify(m.body)]));
    const lines: string[] = [];
    let applied = [...this.overlays.applied];
    for (const m of set.objects) {
      const key = getManifestKey(m, ns);
      const body = JSON.stringify(m.body);
      applied = applied.filter((e) => !this.getEntryKeys(e).includes(key));
      applied.push({ file: `apply:${file}`, text: body });
      if (m.kind === 'StatefulSet') delete this.overlays.statefulSetReplicas[`${m.namespace ?? ns}/${m.name}`];
      const noun = `${m.kind.toLowerCase()}${m.apiVersion.includes('/') ? `.${m.apiVersion.split('/')[0]}` : ''}/${m.name}`;
      lines.push(`${noun} ${!current.has(key) ? 'created' : current.get(key) === body ? 'unchanged' : 'configured'}`);
    }
    const failed = set.byFile?.get(file)?.rejected ?? [];
    for (const r of failed) lines.push(`error: ${r.ref.kind} "${r.ref.name}" was not applied: ${r.findings.map((f) => toFindingHeadline(f)).join('; ')}`);
    const inRejected = new Set(failed.flatMap((r) => r.findings));
    for (const f of errors) if (!inRejected.has(f)) lines.push(`error: ${toFindingHeadline(f)}`);
    if (set.objects.length > 0) {
      this.setApplied(applied);
      this.recompute(true);
    }
    return { status: errors.length > 0 ? 422 : 200, message: lines.join('\n'), findings: set.findings, changed: set.objects.length > 0 };
  }

  /**
   * A write through the Kubernetes API (create, update, patch): the whole object, validated like a
   * file (errors: 422 and nothing changes). It lies over the files until its file's definition of
   * the object changes; a deletion of the same object through the API is undone.
   */
  writeObject(body: Record<string, unknown>): OperationResult & { object?: ManifestObject } {
    const set = buildManifestSet([{ file: `api:${String(body.kind)}/${String((body.metadata as Record<string, unknown> | undefined)?.name ?? '')}`, text: JSON.stringify(body) }]);
    const errors = set.findings.filter((f) => f.severity === 'error');
    const m = set.objects[0];
    if (errors.length > 0 || !m || set.objects.length !== 1) return { status: 422, message: `${errors.length} error(s); nothing changed`, findings: set.findings };
    const ns = this.o.clusterOptions.defaultNamespace;
    const key = getManifestKey(m, ns);
    const applied = this.overlays.applied.filter((e) => !this.getEntryKeys(e).includes(key));
    applied.push({ file: `api:${key}`, text: JSON.stringify(m.body) });
    if (m.kind === 'StatefulSet') delete this.overlays.statefulSetReplicas[`${m.namespace ?? ns}/${m.name}`];
    if (this.overlays.replicas) delete this.overlays.replicas[`${m.kind}/${m.namespace ?? ns}/${m.name}`];
    if (this.overlays.deletedObjects?.includes(key)) this.overlays.deletedObjects = this.overlays.deletedObjects.filter((k) => k !== key);
    this.setApplied(applied);
    this.recompute(true, m.kind === 'Namespace' ? [] : [m.namespace ?? ns]);
    return { status: 200, message: `${m.kind.toLowerCase()}/${m.name} written`, findings: set.findings, object: m };
  }

  /**
   * A deletion through the Kubernetes API. Pods: as `delete pod`. Other objects leave the
   * simulation (their controllers' pods terminate); a file's object stays deleted until its file
   * changes. A Namespace takes every object in it along.
   */
  deleteObject(kind: string, namespace: string, name: string): OperationResult {
    if (kind === 'Pod') {
      const live = this.liveByNamespace.get(namespace);
      const isBare = !live?.pods.some((p) => p.namespace === namespace && p.name === name && p.owner);
      const key = `Pod/${namespace}/${name}`;
      if (isBare && this.overlays.applied.some((e) => this.getEntryKeys(e).includes(key))) return this.deleteManifests([key]);
      return this.deletePod(namespace, name);
    }
    const ns = this.o.clusterOptions.defaultNamespace;
    const keys = kind === 'Namespace'
      ? this.effectiveManifests().map((m) => getManifestKey(m, ns)).filter((k) => k === `Namespace//${name}` || (!k.startsWith('Namespace/') && k.split('/')[1] === name))
      : [`${kind}/${namespace}/${name}`];
    return this.deleteManifests(keys);
  }

  private deleteManifests(keys: readonly string[]): OperationResult {
    const ns = this.o.clusterOptions.defaultNamespace;
    const present = new Set(this.effectiveManifests().map((m) => getManifestKey(m, ns)));
    const gone = keys.filter((k) => present.has(k));
    if (gone.length === 0) return { status: 404, message: `${keys[0]} not found` };
    const fileKeys = new Set([...getBuiltinManifests().objects, ...this.files.objects].map((m) => getManifestKey(m, ns)));
    const drop = new Set(gone);
    const applied = this.overlays.applied.filter((e) => !this.getEntryKeys(e).some((k) => drop.has(k)));
    if (applied.length !== this.overlays.applied.length) this.setApplied(applied);
    this.overlays.deletedObjects = [...new Set([...(this.overlays.deletedObjects ?? []), ...gone.filter((k) => fileKeys.has(k))])];
    for (const k of gone) {
      const [kind, n, name] = k.split('/');
      if (kind === 'StatefulSet') delete this.overlays.statefulSetReplicas[`${n}/${name}`];
      if (this.overlays.replicas) delete this.overlays.replicas[k];
    }
    this.recompute(true, [...new Set(gone.map((k) => k.split('/')[1]).filter(Boolean))]);
    return { status: 200, message: `${gone.join(', ')} deleted` };
  }

  /** The scale subresource of a StatefulSet, ReplicaSet or Deployment: an overlay until the object's file changes. */
  scaleWorkload(kind: 'StatefulSet' | 'ReplicaSet' | 'Deployment', namespace: string, name: string, replicas: number): OperationResult {
    if (kind === 'StatefulSet') return this.scaleStatefulSet(namespace, name, replicas);
    const key = `${kind}/${namespace}/${name}`;
    const m = this.effectiveManifests().find((o) => getManifestKey(o, this.o.clusterOptions.defaultNamespace) === key);
    if (!m) return { status: 404, message: `${kind.toLowerCase()}s.apps "${name}" not found in namespace "${namespace}"` };
    const written = (m.body.spec as Record<string, unknown> | undefined)?.replicas;
    this.overlays.replicas ??= {};
    if ((typeof written === 'number' ? written : 1) === replicas) delete this.overlays.replicas[key];
    else this.overlays.replicas[key] = replicas;
    this.recompute(true, [namespace]);
    return { status: 200, message: `${kind.toLowerCase()}.apps/${name} scaled` };
  }

  private async restore(path: string): Promise<void> {
    await removeStaleTemporaryFiles(path);
    const r = await readStateFile(path, this.now());
    if (r.kind === 'absent') return;
    if (r.kind === 'set-aside') {
      this.o.log.error({ state: path, movedTo: r.movedTo }, `state file ${path} is unusable (${r.problem}); ${r.movedTo ? `set aside as ${r.movedTo}` : 'could not be renamed'}; starting without it`);
      return;
    }
    const s = r.state;
    this.liveByNamespace = splitLiveCluster(s.live);
    this.overlays = s.overlays;
    this.setApplied(s.overlays.applied);
    this.addresses = new Map(Object.entries(s.addresses));
    this.createdAt = new Map(Object.entries(s.createdAt ?? {}));
    this.o.log.info({ state: path, pods: s.live.pods.length, claims: s.live.claims.length }, `state restored from ${path}`);
  }

  /**
   * The parts of the state file that `namespaces` changed (null: the namespace has none any more),
   * and the creation times of cluster-scoped objects. Reads every address and creation time once,
   * yielding to queries every few thousand.
   */
  private async collectStateParts(namespaces: ReadonlySet<string> | 'all'): Promise<{ changed: Map<string, NamespaceStatePart | null>; clusterCreatedAt: Record<string, number> }> {
    const parts = new Map<string, NamespaceStatePart>();
    const partOf = (ns: string): NamespaceStatePart | undefined => {
      if (namespaces !== 'all' && !namespaces.has(ns)) return undefined;
      let part = parts.get(ns);
      if (!part) parts.set(ns, (part = { namespace: ns, live: this.liveByNamespace.get(ns) ?? newLiveCluster(), addresses: {}, createdAt: {} }));
      return part;
    };
    for (const ns of namespaces === 'all' ? this.liveByNamespace.keys() : namespaces) partOf(ns);
    let seen = 0;
    const breathe = async (): Promise<void> => {
      if (++seen % 20_000 === 0) await new Promise((r) => setImmediate(r));
    };
    // Keys: `svc:<ns>/<name>:<family>`, `pod:<ns>/<name>[#n]:<family>`; `<kind>/<ns>/<name>`, cluster-scoped
    // objects with no namespace. A few changed namespaces are matched in place: no string is cut per key.
    const only = namespaces === 'all' ? undefined : [...namespaces].map((ns) => `${ns}/`);
    const namespaceAt = (key: string, from: number): string | undefined => {
      if (only === undefined) return key.slice(from, key.indexOf('/', from));
      for (const prefix of only) if (key.startsWith(prefix, from)) return prefix.slice(0, -1);
      return undefined;
    };
    for (const [key, ip] of this.addresses) {
      const ns = namespaceAt(key, key.indexOf(':') + 1);
      if (ns !== undefined) partOf(ns)!.addresses[key] = ip;
      await breathe();
    }
    const clusterCreatedAt: Record<string, number> = {};
    for (const [key, at] of this.createdAt) {
      const from = key.indexOf('/') + 1;
      if (key.charCodeAt(from) === 0x2f) clusterCreatedAt[key] = at;
      else {
        const ns = namespaceAt(key, from);
        if (ns !== undefined) partOf(ns)!.createdAt[key] = at;
      }
      await breathe();
    }
    const changed = new Map<string, NamespaceStatePart | null>();
    for (const [ns, part] of parts) changed.set(ns, isEmptyLiveCluster(part.live) && Object.keys(part.addresses).length === 0 && Object.keys(part.createdAt).length === 0 ? null : part);
    if (namespaces === 'all') for (const ns of this.savedParts.keys()) if (!parts.has(ns)) changed.set(ns, null);
    return { changed, clusterCreatedAt };
  }

  /** Writes the state file after the current change; one write at a time, the latest state wins. */
  private save(): void {
    const path = this.o.statePath;
    if (!path) return;
    this.changeSeq++;
    if (this.writing) {
      this.writeAgain = true;
      return;
    }
    this.writing = (async () => {
      do {
        this.writeAgain = false;
        const seq = this.changeSeq;
        const unsaved = this.unsavedNamespaces;
        this.unsavedNamespaces = new Set();
        let problem: string | undefined;
        try {
          const { changed, clusterCreatedAt } = await this.collectStateParts(unsaved);
          this.savedParts = await writeStateParts(path, { overlays: this.overlays, createdAt: clusterCreatedAt }, this.savedParts, changed);
          this.savedSeq = seq;
        } catch (err) {
          // Which parts reached the disk is unknown: the next write writes them all.
          this.unsavedNamespaces = 'all';
          problem = (err as Error).message;
          this.o.log.error({ state: path, err: problem }, `cannot write the state file ${path}`);
        }
        const done = this.saveWaiters.filter((w) => w.seq <= seq);
        this.saveWaiters = this.saveWaiters.filter((w) => w.seq > seq);
        for (const w of done) w.resolve(problem);
      } while (this.writeAgain);
      this.writing = undefined;
    })();
  }

  /**
   * Resolves once every change made so far is on disk (written, fsynced, renamed): undefined, or
   * why the write failed. The admin API acknowledges a change only after this.
   */
  whenSaved(): Promise<string | undefined> {
    if (!this.o.statePath || this.savedSeq >= this.changeSeq) return Promise.resolve(undefined);
    return new Promise((resolve) => this.saveWaiters.push({ seq: this.changeSeq, resolve }));
  }

  /** Stops timers and the watcher; waits for the last state write. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.reloading?.catch(() => undefined);
    await this.writing;
  }
}

/** Warnings of an allocation that involved other namespaces' addresses: a whole rebuild decides those. */
const ALLOCATION_WARNINGS = new Set(['CLUSTER_IP_CONFLICT', 'CLUSTER_IP_EXHAUSTED', 'POD_IP_EXHAUSTED']);

/** The allocation keys (see buildClusterState) a namespace's Services and pods hold. */
function getAddressKeys(part: NamespaceState, live: LiveCluster, dualStack: boolean): string[] {
  const keys: string[] = [];
  for (const svc of part.services) {
    if (svc.headless || svc.type === 'ExternalName') continue;
    keys.push(getServiceAllocationKey(svc, 'IPv4'), getServiceAllocationKey(svc, 'IPv6'));
  }
  for (const pod of live.pods) {
    keys.push(getPodAllocationKey(pod.addressKey, 'IPv4'));
    // A single-stack cluster gives a pod an IPv6 address only when the pod states one.
    if (dualStack || pod.requestedIPs.some((ip) => ip.includes(':'))) keys.push(getPodAllocationKey(pod.addressKey, 'IPv6'));
  }
  return keys;
}

/** The findings not about these objects (matched by the position each object starts at). */
function dropFindingsOf(findings: readonly Finding[], objects: readonly ManifestObject[]): Finding[] {
  const at = new Set(objects.map((m) => `${m.source.file}:${m.source.line}:${m.source.col}`));
  return findings.filter((f) => !at.has(`${f.file}:${f.line}:${f.col}`));
}

type CreationKeyed = Pick<ClusterState, 'services' | 'statefulSets' | 'persistentVolumeClaims' | 'endpointSlices'> & Partial<Pick<ClusterState, 'namespaces' | 'replicaSets' | 'deployments'>>;

/** `kind/ns/name` of every object that shows an AGE. */
function getCreationKeys(st: CreationKeyed): string[] {
  return [
    ...st.services.map((o) => `service/${o.namespace}/${o.name}`),
    ...st.statefulSets.map((o) => `statefulset/${o.namespace}/${o.name}`),
    ...st.persistentVolumeClaims.map((o) => `persistentvolumeclaim/${o.namespace}/${o.name}`),
    ...st.endpointSlices.map((o) => `endpointslice/${o.namespace}/${o.name}`),
    ...(st.replicaSets ?? []).map((o) => `replicaset/${o.namespace}/${o.name}`),
    ...(st.deployments ?? []).map((o) => `deployment/${o.namespace}/${o.name}`),
    ...(st.namespaces ?? []).map((o) => `namespace//${o.name}`),
  ];
}

/** When each object of `state` first appeared: kept from `createdAt`, `now` for new ones. */
function getCreationTimes(createdAt: ReadonlyMap<string, number>, state: CreationKeyed, now: number): Map<string, number> {
  const next = new Map<string, number>();
  for (const k of getCreationKeys(state)) next.set(k, createdAt.get(k) ?? now);
  return next;
}

/** getCreationTimes for one namespace's objects, in place: `before`'s keys that are gone leave, new ones arrive at `now`. */
function updateCreationTimes(createdAt: Map<string, number>, before: CreationKeyed, after: CreationKeyed, now: number): void {
  const kept = new Set(getCreationKeys(after));
  for (const k of getCreationKeys(before)) if (!kept.has(k)) createdAt.delete(k);
  for (const k of kept) if (!createdAt.has(k)) createdAt.set(k, now);
}

/** Whether two decodings of a namespace ask the controllers for the same: its workloads and Pod manifests. */
function isSameWorkloads(a: DesiredCluster, b: DesiredCluster): boolean {
  return isSameJson(a.statefulSets, b.statefulSets) && isSameJson(a.deployments, b.deployments) && isSameJson(a.replicaSets, b.replicaSets) && isSameJson(a.pods, b.pods);
}
