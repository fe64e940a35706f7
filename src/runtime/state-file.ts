import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { toJsonChunks } from './json-chunks.js';
import { basename, dirname, join, resolve } from 'node:path';
import type { LiveCluster } from '../cluster/controllers/live-cluster.js';
import type { Overlays } from '../cluster/overlays.js';

/** What survives a restart: every address handed out, the live pods and claims, and the overlays. */
export interface SavedState {
  version: 1;
  /** Allocation key → address (`pod:default/web-0:IPv4` → `10.244.3.7`). */
  addresses: Record<string, string>;
  live: LiveCluster;
  overlays: Overlays;
  /** `kind/ns/name` → ms when the object first appeared. */
  createdAt?: Record<string, number>;
}

export type StateReadResult =
  | { kind: 'absent' }
  | { kind: 'loaded'; state: SavedState }
  /** Unreadable or corrupt: renamed aside to `movedTo` (undefined if even that failed), never silently dropped. */
  | { kind: 'set-aside'; problem: string; movedTo: string | undefined };

/** The default state file: `.kube-dns-sim/state.json` under the working directory. */
export const DEFAULT_STATE_PATH = join('.kube-dns-sim', 'state.json');

/** Reads the state file; a corrupt one is renamed to `<path>.corrupt-<ms>` and reported. */
export async function readStateFile(path: string, nowMs: number = Date.now()): Promise<StateReadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    return setAside(path, `cannot read (${code ?? String(err)})`, nowMs);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return setAside(path, `not valid JSON (${(err as Error).message})`, nowMs);
  }
  const problem = findStateProblem(parsed);
  if (problem) return setAside(path, problem, nowMs);
  return { kind: 'loaded', state: parsed as SavedState };
}

/** Why a parsed value is not a SavedState, or undefined when it is one. */
export function findStateProblem(v: unknown): string | undefined {
  const o = v as Partial<SavedState> | null;
  if (typeof o !== 'object' || o === null) return 'not a JSON object';
  if (o.version !== 1) return `unknown version ${JSON.stringify(o.version)} (expected 1)`;
  if (typeof o.addresses !== 'object' || o.addresses === null || Object.values(o.addresses).some((a) => typeof a !== 'string')) return 'addresses is not a map of strings';
  const live = o.live as Partial<LiveCluster> | undefined;
  if (!live || !Array.isArray(live.pods) || !Array.isArray(live.claims) || !Array.isArray(live.replicaSets) || typeof live.counters !== 'object' || !Array.isArray(live.claimsDeletedWithSet)) return 'live is missing pods, claims, replicaSets, counters or claimsDeletedWithSet';
  if (live.pods.some((p) => typeof p?.name !== 'string' || typeof p.namespace !== 'string' || typeof p.addressKey !== 'string')) return 'a pod lacks name, namespace or addressKey';
  const ov = o.overlays as Partial<Overlays> | undefined;
  if (!ov || typeof ov.statefulSetReplicas !== 'object' || !Array.isArray(ov.deletedPods) || !Array.isArray(ov.applied)) return 'overlays is missing statefulSetReplicas, deletedPods or applied';
  return undefined;
}

async function setAside(path: string, problem: string, nowMs: number): Promise<StateReadResult> {
  const movedTo = join(dirname(path), `${basename(path)}.corrupt-${nowMs}`);
  try {
    await rename(path, movedTo);
    return { kind: 'set-aside', problem, movedTo };
  } catch {
    return { kind: 'set-aside', problem, movedTo: undefined };
  }
}

/** Characters of JSON gathered before one write to the temporary file. */
const WRITE_CHUNK = 1 << 20;

/** Writes atomically: a temporary file in the same directory, fsync, rename over the old one, fsync the directory. */
export async function writeStateFile(path: string, state: SavedState): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    // Written about a megabyte at a time: each write is an await, so queries are answered in between.
    let pending = '';
    for (const chunk of toJsonChunks(state)) {
      pending += chunk;
      if (pending.length >= WRITE_CHUNK) {
        await fh.write(pending);
        pending = '';
      }
    }
    await fh.write(`${pending}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // Some filesystems cannot fsync a directory; the rename is still atomic.
  }
}

/**
 * Whether `file` (absolute) is the state file at `statePath` or one of its siblings: the temporary
 * files of a write (`.<name>.<pid>.tmp`) and corrupt copies set aside (`<name>.corrupt-<ms>`). The
 * server skips them when it reads and watches manifests, wherever the state file lives.
 */
export function isStateFileOrSibling(statePath: string, file: string): boolean {
  const state = resolve(statePath);
  if (file === state) return true;
  if (dirname(file) !== dirname(state)) return false;
  const name = basename(file);
  const own = basename(state);
  return (name.startsWith(`.${own}.`) && name.endsWith('.tmp')) || name.startsWith(`${own}.corrupt-`);
}

/** Removes temporary files a killed writer left next to the state file (`.<name>.<pid>.tmp` of a dead pid). */
export async function removeStaleTemporaryFiles(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (m && !isProcessAlive(Number(m[1]))) await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}

function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
