import { compareFindings, type Finding } from './finding.js';
import { detachDocument, parseManifestText } from './parse.js';
import { readManifestFiles, type SkipFile, type SourceFile } from './read-files.js';
import { validateDocument } from './validate.js';
import { isSupportedKind, type ManifestObject } from './manifest-object.js';
import type { BrokenFile, ObjectRef } from './broken-file.js';

export interface ManifestSet {
  objects: ManifestObject[];
  /** Every finding, sorted by file and position; objects with errors are not in `objects`. */
  findings: Finding[];
  /** Unsupported kinds that were skipped, with a count each. */
  ignoredKinds: Map<string, number>;
  /** The source texts, for code frames. */
  sources: Map<string, string>;
  /** What each file gave, so that a reload re-parses only the files whose text changed. */
  byFile?: Map<string, FileManifests>;
  /** The files as read (with their stat signatures), so that a reload reads only the files that changed on disk. */
  files?: Map<string, SourceFile>;
  /** The running server's files with errors and what each keeps in force (see runtime/broken-files.ts); absent outside `serve`. */
  brokenFiles?: BrokenFile[];
}

/** The objects, findings and skipped kinds of one file's text. */
export interface FileManifests {
  text: string;
  objects: ManifestObject[];
  findings: Finding[];
  ignoredKinds: string[];
  /** The documents left out for errors whose kind and name can be read, with their errors. */
  rejected?: { ref: ObjectRef; findings: Finding[] }[];
}

/** Parses and validates one file's text; pure. */
function buildFileManifests(file: string, text: string): FileManifests {
  const objects: ManifestObject[] = [];
  const findings: Finding[] = [];
  const ignoredKinds: string[] = [];
  const rejected: { ref: ObjectRef; findings: Finding[] }[] = [];
  const parsed = parseManifestText(text, file);
  findings.push(...parsed.findings);
  for (const doc of parsed.documents) {
    const docFindings = validateDocument(doc);
    findings.push(...docFindings);
    const v = doc.value as Record<string, unknown>;
    if (docFindings.some((f) => f.severity === 'error')) {
      const meta = v !== null && typeof v === 'object' ? (v.metadata as Record<string, unknown> | undefined) : undefined;
      if (typeof v?.kind === 'string' && meta && typeof meta === 'object' && typeof meta.name === 'string') rejected.push({ ref: { kind: v.kind, namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined, name: meta.name }, findings: docFindings.filter((f) => f.severity === 'error') });
      continue;
    }
    if (!isSupportedKind(v.kind)) {
      ignoredKinds.push(String(v.kind));
      continue;
    }
    const meta = v.metadata as Record<string, unknown>;
    objects.push({
      apiVersion: String(v.apiVersion),
      kind: v.kind,
      name: String(meta.name),
      namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
      body: v,
      source: doc.positionOf([]),
      doc: detachDocument(doc, text),
    });
  }
  return { text, objects, findings, ignoredKinds, rejected };
}

/**
 * Parses and validates already-read files; pure. An invalid object is left out, the others load.
 * Files whose text is unchanged since `previous` reuse its results (same input, same output).
 */
export function buildManifestSet(files: readonly SourceFile[], extraFindings: readonly Finding[] = [], previous?: ManifestSet): ManifestSet {
  const objects: ManifestObject[] = [];
  const findings: Finding[] = [...extraFindings];
  const ignoredKinds = new Map<string, number>();
  const sources = new Map<string, string>();
  const byFile = new Map<string, FileManifests>();
  for (const { file, text } of files) {
    sources.set(file, text);
    const known = previous?.byFile?.get(file);
    const result = known && known.text === text ? known : buildFileManifests(file, text);
    byFile.set(file, result);
    objects.push(...result.objects);
    findings.push(...result.findings);
    for (const k of result.ignoredKinds) ignoredKinds.set(k, (ignoredKinds.get(k) ?? 0) + 1);
  }
  findings.sort(compareFindings);
  return { objects, findings, ignoredKinds, sources, byFile, files: new Map(files.map((f) => [f.file, f])) };
}

/** Reads `-f` paths and builds the manifest set; files `skip` names (the server's state file) are not manifests. */
export async function loadManifests(paths: readonly string[], stdin?: () => Promise<string>, previous?: ManifestSet, skip?: SkipFile): Promise<ManifestSet> {
  const { files, findings } = await readManifestFiles(paths, stdin, previous?.files, undefined, skip);
  return buildManifestSet(files, findings, previous);
}
