import type { Logger } from 'pino';
import type { Finding } from '../manifest/finding.js';
import { buildManifestSet, loadManifests, type ManifestSet } from '../manifest/load.js';
import { buildDesiredCluster, type ClusterOptions, type DesiredCluster, type ReconcileResult } from '../cluster/reconcile.js';
import { buildLiveClusterState, deleteLivePod, newLiveCluster, setLivePodReadiness, settleCluster, type LiveCluster, type LivePod } from '../cluster/controllers/live-cluster.js';
import { applyOverlays, describeOverlays, getManifestKey, mergeAppliedManifests, newOverlays, type Overlays } from '../cluster/overlays.js';
import { buildRecordIndex } from '../dns/records/build-record-index.js';
import type { RecordIndex } from '../dns/records/record-index.js';
import type { ResolvedDnsConfig } from '../dns/records/dns-config.js';
import { computeNextSerial, newClusterSnapshot, getBuiltinManifests, type ClusterSnapshot } from './cluster-snapshot.js';
import { diffClusterStates } from './cluster-diff.js';
import { ManifestWatcher } from './manifest-watcher.js';
import { readStateFile, removeStaleTemporaryFiles, writeStateFile, type SavedState } from './state-file.js';

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
  now?: () => number;
}

/** The answer of an operation, in HTTP terms so the admin API can pass it on. */
export interface OperationResult {
  status: number;
  message: string;
  findings?: Finding[];
}

/** What the admin API reads: the state, the live pods, and how the cluster differs from the files. */
export interface LiveView {
  snapshot: ClusterSnapshot;
  livePods: ReadonlyMap<string, LivePod>;
  /** `kind/ns/name` → when the object first appeared (ms). */
  createdAt: ReadonlyMap<string, number>;
  /** `kind/ns/name` (lower-case kind) → what differs from the files. */
  overlayNotes: ReadonlyMap<string, string>;
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
  private live: LiveCluster = newLiveCluster();
  private addresses = new Map<string, string>();
  private snapshot!: ClusterSnapshot;
  private fileDesired!: DesiredCluster;
  private timer: NodeJS.Timeout | undefined;
  private watcher: ManifestWatcher | undefined;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private writing: Promise<void> | undefined;
  private writeAgain = false;
  /** Bumped by every change that must reach the state file; `savedSeq` is the last one written. */
  private changeSeq = 0;
  private savedSeq = 0;
  private saveWaiters: { seq: number; resolve: (problem: string | undefined) => void }[] = [];
  private closed = false;
  /** `kind/ns/name` → when the object first appeared (for AGE); pods keep their own. */
  private createdAt = new Map<string, number>();
  private readonly now: () => number;

  private constructor(private readonly o: LiveRuntimeOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Loads the files and the state file, settles the cluster and starts watching. */
  static async start(o: LiveRuntimeOptions): Promise<LiveClusterRuntime> {
    const rt = new LiveClusterRuntime(o);
    if (o.statePath) await rt.restore(o.statePath);
    rt.files = await loadManifests(o.paths);
    rt.o.reportFindings(rt.files.findings, rt.files.sources);
    rt.recompute(true);
    if (o.watch !== false) {
      rt.watcher = new ManifestWatcher(o.paths, () => void rt.reload());
      await rt.watcher.refresh();
    }
    return rt;
  }

  getSnapshot(): ClusterSnapshot {
    return this.snapshot;
  }

  getView(): LiveView {
    const notes = new Map<string, string>();
    const ns = this.o.clusterOptions.defaultNamespace;
    for (const [key, r] of Object.entries(this.overlays.statefulSetReplicas)) notes.set(`statefulset/${key}`, `replicas ${r} (files: ${this.fileDesired.statefulSets.find((s) => `${s.namespace}/${s.name}` === key)?.replicas ?? 'none'})`);
    for (const m of this.applied.objects) notes.set(`${m.kind.toLowerCase()}/${m.namespace ?? ns}/${m.name}`, 'from apply -f');
    for (const p of this.live.pods) if (p.readinessOverride !== undefined) notes.set(`pod/${p.namespace}/${p.name}`, `readiness forced ${p.readinessOverride}`);
    const lines = describeOverlays(this.fileDesired, this.overlays, this.applied.objects.map((m) => getManifestKey(m, ns)));
    for (const p of this.live.pods) if (p.readinessOverride !== undefined) lines.push(`pod ${p.namespace}/${p.name}: readiness forced ${p.readinessOverride}`);
    return { snapshot: this.snapshot, createdAt: this.createdAt, livePods: new Map(this.live.pods.map((p) => [`${p.namespace}/${p.name}`, p])), overlayNotes: notes, overlayLines: lines };
  }

  /** Re-reads the files; a change that brings errors into a changed file is rejected and the last good state stays. */
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
    const next = await loadManifests(this.o.paths, undefined, this.files);
    if (this.closed) return;
    const changed = new Set<string>();
    for (const [file, text] of next.sources) if (this.files.sources.get(file) !== text) changed.add(file);
    const removed = [...this.files.sources.keys()].filter((f) => !next.sources.has(f));
    const errors = next.findings.filter((f) => f.severity === 'error' && (changed.has(f.file) || !next.sources.has(f.file)));
    if (errors.length > 0) {
      this.o.reportFindings(errors, next.sources);
      this.o.log.error({ errors: errors.length, files: [...new Set(errors.map((e) => e.file))], why: [...new Set(errors.map((e) => e.message))].slice(0, 5) }, 'reload rejected: the changed manifests have errors; still serving the last good state');
      // A vanished -f directory is now watched through its parent, so its return is seen.
      await this.watcher?.refresh();
      return;
    }
    if (changed.size === 0 && removed.length === 0) return;
    this.o.reportFindings(next.findings.filter((f) => changed.has(f.file)), next.sources);
    this.dropOverlaysOfChangedObjects(this.files, next);
    this.files = next;
    this.o.log.info({ changed: [...changed], removed }, `manifests reloaded: ${[...changed, ...removed].join(', ')}`);
    this.recompute(true);
    await this.watcher?.refresh();
  }

  /** An overlay on an object whose file definition changed gives way to the file (the last writer wins). */
  private dropOverlaysOfChangedObjects(before: ManifestSet, after: ManifestSet): void {
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

  private setApplied(applied: Overlays['applied']): void {
    this.overlays.applied = applied;
    this.applied = buildManifestSet(applied);
  }

  /** Settles the controllers now, publishes the new index when anything changed, logs the diff, saves state. */
  private recompute(force: boolean): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const now = this.now();
    const ns = this.o.clusterOptions.defaultNamespace;
    const fileObjects = [...getBuiltinManifests().objects, ...this.files.objects];
    this.fileDesired = buildDesiredCluster(fileObjects, this.o.clusterOptions);
    const desired = applyOverlays(buildDesiredCluster(mergeAppliedManifests(fileObjects, this.applied.objects, ns), this.o.clusterOptions), this.overlays);
    const settled = settleCluster(desired, this.live, now, { podReadyDelayMs: this.o.podReadyDelayMs });
    this.live = settled.live;
    const result: ReconcileResult = buildLiveClusterState(desired, this.live, { ...this.o.clusterOptions, previousAddresses: this.addresses });
    this.addresses = result.addresses;
    this.trackCreation(result, now);
    const previous = this.snapshot;
    const lines = previous ? diffClusterStates(previous.cluster.state, result.state) : [];
    if (!previous || force || lines.length > 0) {
      const serial = computeNextSerial(previous?.index.serial ?? 0, now);
      const index = buildRecordIndex(result.state, this.o.dns, serial, previous?.index);
      this.snapshot = newClusterSnapshot(this.files, result, index, this.o.clusterOptions.defaultNamespace);
      this.o.publish(index);
    }
    for (const line of lines) this.o.log.info(line);
    if (settled.nextWakeAt !== undefined) this.timer = setTimeout(() => this.recompute(false), Math.max(0, settled.nextWakeAt - now));
    this.save();
  }

  private trackCreation(result: ReconcileResult, now: number): void {
    const st = result.state;
    const keys = [
      ...st.services.map((o) => `service/${o.namespace}/${o.name}`),
      ...st.statefulSets.map((o) => `statefulset/${o.namespace}/${o.name}`),
      ...st.persistentVolumeClaims.map((o) => `persistentvolumeclaim/${o.namespace}/${o.name}`),
      ...st.endpointSlices.map((o) => `endpointslice/${o.namespace}/${o.name}`),
    ];
    const next = new Map<string, number>();
    for (const k of keys) next.set(k, this.createdAt.get(k) ?? now);
    this.createdAt = next;
  }

  /** `delete pod NAME`: a controller's pod is replaced (same name for a StatefulSet); a Pod manifest's pod stays deleted. */
  deletePod(namespace: string, name: string): OperationResult {
    const pod = this.live.pods.find((p) => p.namespace === namespace && p.name === name && !p.terminating);
    const next = deleteLivePod(this.live, namespace, name, this.now(), { podReadyDelayMs: this.o.podReadyDelayMs });
    if (!pod || !next) return { status: 404, message: `pods "${name}" not found in namespace "${namespace}"` };
    if (!pod.owner) this.overlays.deletedPods = [...new Set([...this.overlays.deletedPods, `${namespace}/${name}`])];
    this.live = next;
    this.recompute(true);
    return { status: 200, message: `pod "${name}" deleted` };
  }

  /** `scale statefulset NAME --replicas N`: an overlay until the set's file changes. */
  scaleStatefulSet(namespace: string, name: string, replicas: number): OperationResult {
    const key = `${namespace}/${name}`;
    const ns = this.o.clusterOptions.defaultNamespace;
    const desired = buildDesiredCluster(mergeAppliedManifests([...getBuiltinManifests().objects, ...this.files.objects], this.applied.objects, ns), this.o.clusterOptions);
    const sts = desired.statefulSets.find((s) => `${s.namespace}/${s.name}` === key);
    if (!sts) return { status: 404, message: `statefulsets.apps "${name}" not found in namespace "${namespace}"` };
    if (sts.replicas === replicas) delete this.overlays.statefulSetReplicas[key];
    else this.overlays.statefulSetReplicas[key] = replicas;
    this.recompute(true);
    return { status: 200, message: `statefulset.apps/${name} scaled` };
  }

  /** `readiness pod NAME true|false`: forces the readiness of a running pod (its replacement starts fresh). */
  setReadiness(namespace: string, name: string, ready: boolean | undefined): OperationResult {
    const next = setLivePodReadiness(this.live, namespace, name, ready);
    if (!next) return { status: 404, message: `pods "${name}" not found in namespace "${namespace}"` };
    this.live = next;
    this.recompute(true);
    return { status: 200, message: `pod/${name} readiness ${ready === undefined ? 'follows its probe' : `forced ${ready}`}` };
  }

  /** `apply -f FILE`: validated like a file; on errors nothing changes. Each object lies over the files until its file changes. */
  apply(file: string, text: string): OperationResult {
    const set = buildManifestSet([{ file, text }]);
    const errors = set.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) return { status: 422, message: `${errors.length} error(s) in ${file}; nothing applied`, findings: set.findings };
    const ns = this.o.clusterOptions.defaultNamespace;
    const current = new Map(mergeAppliedManifests([...getBuiltinManifests().objects, ...this.files.objects], this.applied.objects, ns).map((m) => [getManifestKey(m, ns), JSON.stringify(m.body)]));
    const lines: string[] = [];
    let applied = [...this.overlays.applied];
    for (const m of set.objects) {
      const key = getManifestKey(m, ns);
      const body = JSON.stringify(m.body);
      applied = applied.filter((e) => !buildManifestSet([e]).objects.some((o) => getManifestKey(o, ns) === key));
      applied.push({ file: `apply:${file}`, text: body });
      if (m.kind === 'StatefulSet') delete this.overlays.statefulSetReplicas[`${m.namespace ?? ns}/${m.name}`];
      const noun = `${m.kind.toLowerCase()}${m.apiVersion.includes('/') ? `.${m.apiVersion.split('/')[0]}` : ''}/${m.name}`;
      lines.push(`${noun} ${!current.has(key) ? 'created' : current.get(key) === body ? 'unchanged' : 'configured'}`);
    }
    this.setApplied(applied);
    this.recompute(true);
    return { status: 200, message: lines.join('\n'), findings: set.findings };
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
    this.live = s.live;
    this.overlays = s.overlays;
    this.setApplied(s.overlays.applied);
    this.addresses = new Map(Object.entries(s.addresses));
    this.createdAt = new Map(Object.entries(s.createdAt ?? {}));
    this.o.log.info({ state: path, pods: s.live.pods.length, claims: s.live.claims.length }, `state restored from ${path}`);
  }

  private toSavedState(): SavedState {
    return { version: 1, addresses: Object.fromEntries(this.addresses), live: this.live, overlays: this.overlays, createdAt: Object.fromEntries(this.createdAt) };
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
        let problem: string | undefined;
        try {
          await writeStateFile(path, this.toSavedState());
          this.savedSeq = seq;
        } catch (err) {
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
