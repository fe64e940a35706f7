import type { ManifestSet } from '../manifest/load.js';
import type { ManifestObject } from '../manifest/manifest-object.js';
import type { BrokenFile, ObjectRef } from '../manifest/broken-file.js';
import type { Finding } from '../manifest/finding.js';
import { getManifestKey } from '../cluster/overlays.js';
import { isInsidePath } from './state-file-placement.js';

/** What a load puts in force once each file with errors is isolated: see isolateBrokenFiles. */
export interface IsolatedManifests {
  /** The loaded set with `objects` replaced by those in force and `brokenFiles` filled in. */
  set: ManifestSet;
  /** Each file's objects in force: its last good version (the next load's `lastGood`). */
  lastGood: Map<string, ManifestObject[]>;
}

/**
 * Per-file isolation of a (re)load, as `kubectl apply -f DIR` takes each file on its own:
 * - a file without errors puts its objects in force;
 * - a file with errors (syntax, schema, API rules) keeps the objects of its last good version
 *   (`lastGood`), or none if it has had no good version since the server started;
 * - a file that is gone because of an error (unreadable, or under a directory that cannot be listed
 *   or vanished) keeps its last good objects too; a file simply removed takes its objects along;
 * - an object a file without errors defines wins over the same object kept from a broken file
 *   (the good text is the newer intent; the broken file's copy is `shadowed`).
 * Pure: the same load and last good versions give the same objects, in file order.
 */
export function isolateBrokenFiles(loaded: ManifestSet, lastGood: ReadonlyMap<string, readonly ManifestObject[]>, defaultNamespace: string): IsolatedManifests {
  const errorsByFile = new Map<string, Finding[]>();
  for (const f of loaded.findings) {
    if (f.severity !== 'error') continue;
    const list = errorsByFile.get(f.file);
    if (list) list.push(f);
    else errorsByFile.set(f.file, [f]);
  }
  const present = [...loaded.sources.keys()];
  const good = present.filter((file) => !errorsByFile.has(file));
  // A file not read this time is held when an error explains its absence (itself, or a directory above it).
  const heldAbsent = [...lastGood.keys()].filter((file) => !loaded.sources.has(file) && [...errorsByFile.keys()].some((e) => e === file || isInsidePath(file, e))).sort();
  const next = new Map<string, ManifestObject[]>();
  for (const file of good) next.set(file, loaded.byFile?.get(file)?.objects ?? loaded.objects.filter((o) => o.source.file === file));
  // Keys of the good files' objects, only needed (and only built, a large cluster has many) when a file is held.
  const anyHeld = heldAbsent.length > 0 || present.some((f) => errorsByFile.has(f) && lastGood.has(f));
  const goodKeys = new Set(anyHeld ? [...next.values()].flat().map((m) => getManifestKey(m, defaultNamespace)) : []);
  const keptByFile = new Map<string, ManifestObject[]>();
  const shadowedByFile = new Map<string, ManifestObject[]>();
  for (const file of [...present.filter((f) => errorsByFile.has(f)), ...heldAbsent]) {
    const before = lastGood.get(file);
    if (!before) continue;
    next.set(file, [...before]);
    keptByFile.set(file, before.filter((m) => !goodKeys.has(getManifestKey(m, defaultNamespace))));
    shadowedByFile.set(file, before.filter((m) => goodKeys.has(getManifestKey(m, defaultNamespace))));
  }
  const objects: ManifestObject[] = [];
  for (const file of present) objects.push(...(errorsByFile.has(file) ? (keptByFile.get(file) ?? []) : (next.get(file) ?? [])));
  for (const file of heldAbsent) objects.push(...(keptByFile.get(file) ?? []));

  const brokenFiles: BrokenFile[] = [];
  for (const [file, errors] of [...errorsByFile].sort(([a], [b]) => a.localeCompare(b))) {
    const held = loaded.sources.has(file) ? [file] : heldAbsent.filter((f) => f === file || isInsidePath(f, file));
    const parsed = loaded.byFile?.get(file);
    brokenFiles.push({
      file,
      errors,
      kept: held.flatMap((f) => keptByFile.get(f) ?? []).map(toObjectRef),
      shadowed: held.flatMap((f) => shadowedByFile.get(f) ?? []).map(toObjectRef),
      defines: uniqueRefs([...held.flatMap((f) => lastGood.get(f) ?? []).map(toObjectRef), ...(parsed?.objects ?? []).map(toObjectRef), ...(parsed?.rejected ?? []).map((r) => r.ref)]),
    });
  }
  return { set: { ...loaded, objects, brokenFiles }, lastGood: next };
}

function toObjectRef(m: ManifestObject): ObjectRef {
  return { kind: m.kind, namespace: m.namespace, name: m.name };
}

function uniqueRefs(refs: readonly ObjectRef[]): ObjectRef[] {
  const seen = new Map<string, ObjectRef>();
  for (const r of refs) seen.set(`${r.kind}/${r.namespace ?? ''}/${r.name}`, r);
  return [...seen.values()];
}

/** `Service default/web` (`Namespace web`), as log lines and explain name objects. */
export function formatObjectRef(r: ObjectRef, defaultNamespace: string): string {
  return r.kind === 'Namespace' ? `Namespace ${r.name}` : `${r.kind} ${r.namespace ?? defaultNamespace}/${r.name}`;
}
