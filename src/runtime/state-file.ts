import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { toJsonChunks } from './json-chunks.js';
import { basename, dirname, join, resolve } from 'node:path';
import { mergeLiveClusters, type LiveCluster } from '../cluster/controllers/live-cluster.js';
import type { Overlays } from '../cluster/overlays.js';

/**
 * What survives a restart: every address handed out, the live pods and claims, and the overlays.
 * On disk (version 2) it is a small index file (the overlays, cluster-scoped creation times, and
 * which file holds each namespace's part) and one file per namespace in `<state>.d/`: a change to one
 * namespace writes that namespace's file and the index, not 70 MB for a 100k-pod cluster. Version 1
 * (everything in one file) is still read.
 */
export interface SavedState {
  version: 1;
  /** Allocation key → address (`pod:default/web-0:IPv4` → `10.244.3.7`). */
  addresses: Record<string, string>;
  live: LiveCluster;
  overlays: Overlays;
  /** `kind/ns/name` → ms when the object first appeared. */
  createdAt?: Record<string, number>;
}

/** One namespace's share of the state: its live part, and its addresses and creation times. */
export interface NamespaceStatePart {
  namespace: string;
  live: LiveCluster;
  addresses: Record<string, string>;
  createdAt: Record<string, number>;
}

/** The index file of version 2. */
interface StateIndex {
  version: 2;
  overlays: Overlays;
  /** Creation times of cluster-scoped objects (`namespace//<name>`). */
  createdAt: Record<string, number>;
  /** Namespace → its part's file name in the parts directory, or a small part itself. */
  parts: Record<string, string | NamespaceStatePart>;
}

/** Where a namespace's part is kept: a file of the parts directory, or (small ones) its JSON inside the index. */
export type SavedPart = { file: string } | { inline: string };

/** Parts with fewer pods, addresses and creation times than this are kept inside the index (a lab writes one file per change). */
const INLINE_PART_ENTRIES = 400;

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
  if ((parsed as Partial<StateIndex> | null)?.version === 2) {
    const joined = await readStateParts(path, parsed as StateIndex);
    if (typeof joined === 'string') return setAside(path, joined, nowMs);
    parsed = joined;
  }
  const problem = findStateProblem(parsed);
  if (problem) return setAside(path, problem, nowMs);
  return { kind: 'loaded', state: parsed as SavedState };
}

/** Where the namespaces' parts of the state file at `path` live. */
export function getStatePartsDirectory(path: string): string {
  return join(dirname(path), `${basename(path)}.d`);
}

/** A version 2 index and its parts as one SavedState, or why that cannot be (a part missing or broken). */
async function readStateParts(path: string, index: StateIndex): Promise<SavedState | string> {
  if (typeof index.parts !== 'object' || index.parts === null || typeof index.createdAt !== 'object' || index.createdAt === null) return 'the index lacks parts or createdAt';
  const parts: NamespaceStatePart[] = [];
  for (const [namespace, at] of Object.entries(index.parts)) {
    let part: Partial<NamespaceStatePart> | null = typeof at === 'object' ? at : null;
    const where = typeof at === 'string' ? at : 'in the index';
    if (typeof at === 'string') {
      try {
        part = JSON.parse(await readFile(join(getStatePartsDirectory(path), at), 'utf8')) as Partial<NamespaceStatePart>;
      } catch (err) {
        return `the part of namespace ${namespace} (${where}) is unreadable: ${(err as Error).message.split('\n')[0]}`;
      }
    }
    if (part?.namespace !== namespace || typeof part.addresses !== 'object' || typeof part.createdAt !== 'object' || typeof part.live !== 'object') return `the part of namespace ${namespace} (${where}) is not one`;
    parts.push(part as NamespaceStatePart);
  }
  return {
    version: 1,
    addresses: Object.assign({}, ...parts.map((p) => p.addresses)) as Record<string, string>,
    live: mergeLiveClusters(parts.map((p) => p.live)),
    overlays: index.overlays,
    createdAt: Object.assign({}, index.createdAt, ...parts.map((p) => p.createdAt)) as Record<string, number>,
  };
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

/** Characters of JSON gathered before one write to a file: each write is an await, so queries are answered in between. */
const WRITE_CHUNK = 1 << 16;

/** Elements of a list serialised at once (a namespace's 1000 pods are about 500 KB of JSON). */
const SERIALISE_BATCH = 200;

/**
 * Writes a version 1 state file (one document, as servers before version 2 wrote it; the tests make
 * such files with it): atomically, through a temporary file in the same directory, fsync, rename
 * over the old one, fsync of the directory.
 */
export async function writeStateFile(path: string, state: SavedState): Promise<void> {
  await writeFileAtomically(path, toJsonChunks(state, SERIALISE_BATCH));
}

/** writeFilePieces into a temporary file, renamed over `path`; the directory is fsynced. */
async function writeFileAtomically(path: string, pieces: Iterable<string>): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  await writeFilePieces(tmp, pieces);
  await rename(tmp, path);
  await syncDirectory(dir);
}

/** Text into a new file, WRITE_CHUNK at a time, then a newline; fsynced. */
async function writeFilePieces(path: string, pieces: Iterable<string>): Promise<void> {
  const fh = await open(path, 'w', 0o644);
  try {
    let pending = '';
    for (const piece of pieces) {
      pending += piece;
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
}

async function syncDirectory(dir: string): Promise<void> {
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

let partWrites = 0;

/**
 * Writes the state as version 2: the `changed` namespaces' parts (null: the namespace has none any
 * more) under new names (small ones inside the index), then the index naming them and every
 * unchanged part of `current`, then removes the part files the index no longer names. The index is
 * replaced atomically after the new parts are on disk, so a kill -9 at any point leaves the old state
 * or the new one, whole; files a killed writer left are removed by the next write. Returns where
 * each part now is.
 */
export async function writeStateParts(
  path: string,
  shared: { overlays: Overlays; createdAt: Record<string, number> },
  current: ReadonlyMap<string, SavedPart>,
  changed: ReadonlyMap<string, NamespaceStatePart | null>,
): Promise<Map<string, SavedPart>> {
  const partsDir = getStatePartsDirectory(path);
  const next = new Map(current);
  const stamp = `${Date.now().toString(36)}-${process.pid}-${(partWrites++).toString(36)}`;
  let wroteFiles = false;
  for (const [namespace, part] of changed) {
    if (part === null) {
      next.delete(namespace);
      continue;
    }
    if (part.live.pods.length + Object.keys(part.addresses).length + Object.keys(part.createdAt).length < INLINE_PART_ENTRIES) {
      next.set(namespace, { inline: JSON.stringify(part) });
      continue;
    }
    if (!wroteFiles) await mkdir(partsDir, { recursive: true });
    wroteFiles = true;
    const file = `${namespace}.${stamp}.json`;
    await writeFilePieces(join(partsDir, file), toJsonChunks(part, SERIALISE_BATCH, 3));
    next.set(namespace, { file });
  }
  if (wroteFiles) await syncDirectory(partsDir);
  const parts = [...next].map(([namespace, at]) => `${JSON.stringify(namespace)}:${'file' in at ? JSON.stringify(at.file) : at.inline}`);
  const head = `{"version":2,"overlays":${JSON.stringify(shared.overlays)},"createdAt":${JSON.stringify(shared.createdAt)},"parts":{`;
  await writeFileAtomically(path, [head, ...parts.map((p, i) => (i > 0 ? `,${p}` : p)), '}}']);
  const named = new Set([...next.values()].flatMap((at) => ('file' in at ? [at.file] : [])));
  for (const name of await readdir(partsDir).catch(() => [] as string[])) {
    if (!named.has(name)) await rm(join(partsDir, name), { force: true }).catch(() => undefined);
  }
  return next;
}

/**
 * Whether `file` (absolute) is the state file at `statePath` or one of its siblings: its namespaces'
 * parts (`<name>.d/`), the temporary files of a write (`.<name>.<pid>.tmp`) and corrupt copies set aside (`<name>.corrupt-<ms>`). The
 * server skips them when it reads and watches manifests, wherever the state file lives.
 */
export function isStateFileOrSibling(statePath: string, file: string): boolean {
  const state = resolve(statePath);
  if (file === state || dirname(file) === getStatePartsDirectory(state)) return true;
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
