import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, type Document, type Node } from 'yaml';
import type { Finding, SourcePosition } from './finding.js';
import { newFinding } from './finding-codes.js';
import { readPlainYaml } from './fast-parse.js';

/** A field path as segments: `['spec', 'ports', 0, 'targetPort']`. */
export type FieldPath = ReadonlyArray<string | number>;

/** One manifest document (or one item of a `kind: List`) with the means to locate any of its fields. */
export interface ParsedDocument {
  file: string;
  /** 0-based index of the YAML document in its file. */
  docIndex: number;
  /** Path prefix inside the document (`['items', 2]` for a List item, `[]` otherwise). */
  basePath: FieldPath;
  /** The plain JS value (objects, arrays, scalars). */
  value: unknown;
  /** Position of the value at `path` (relative to basePath); falls back to the nearest existing ancestor. */
  positionOf(path: FieldPath): SourcePosition;
  /** Position of the key of the field at `path` (for unknown-field findings); falls back to positionOf. */
  keyPositionOf(path: FieldPath): SourcePosition;
}

export interface ParseResult {
  documents: ParsedDocument[];
  findings: Finding[];
}

/** Renders a path as kubectl does: `spec.ports[0].targetPort`. */
export function toPathString(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

function nodeAt(doc: Document, path: FieldPath): { node: Node | null; keyNode: Node | null } {
  let node: unknown = doc.contents;
  let keyNode: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node: null, keyNode: null };
      keyNode = (pair.key as Node) ?? null;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      keyNode = null;
    } else {
      return { node: null, keyNode: null };
    }
  }
  return { node: (node as Node) ?? null, keyNode };
}

/**
 * Parses a (multi-document) YAML or JSON text. Syntax errors become findings; a broken document
 * does not hide the others. Empty documents are skipped. `kind: List` items are expanded.
 * Plain manifests are read without a syntax tree (parseManifestTextFast); the others, and any
 * position but a document's start, get `yaml`'s full parse (parseManifestTextFull).
 */
export function parseManifestText(text: string, file: string): ParseResult {
  return parseManifestTextFast(text, file) ?? parseManifestTextFull(text, file);
}

/**
 * The values of a text in the plain subset (see fast-parse.ts), with no findings: the subset holds
 * no construct `yaml` reports. Undefined for any other text.
 */
export function parseManifestTextFast(text: string, file: string): ParseResult | undefined {
  const values = readPlainYaml(text);
  if (!values) return undefined;
  const documents: ParsedDocument[] = [];
  for (const { docIndex, value, start } of values) {
    if (isListKind(value)) {
      value.items.forEach((item, i) => documents.push(reparsedDocument(text, file, docIndex, ['items', i], item)));
    } else {
      documents.push(reparsedDocument(text, file, docIndex, [], value, { file, ...start }));
    }
  }
  return { documents, findings: [] };
}

/** Parses with `yaml`, keeping each document's syntax tree for positions. */
export function parseManifestTextFull(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const findings: Finding[] = [];
  const documents: ParsedDocument[] = [];
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream for empty input.
    return { documents, findings };
  }
  const pos = (offset: number): SourcePosition => {
    const lp = lineCounter.linePos(offset);
    return { file, line: lp.line, col: lp.col };
  };
  list.forEach((doc, docIndex) => {
    const withLinePos = (err: { code: string; message: string; pos: [number, number] }): YamlIssue => {
      const start = lineCounter.linePos(err.pos[0]);
      return { code: err.code, message: err.message, linePos: [{ line: start.line, col: start.col }] };
    };
    if (doc.errors.length > 0) {
      for (const err of doc.errors) findings.push(yamlErrorToFinding(withLinePos(err), file, text));
      return;
    }
    for (const warn of doc.warnings) {
      findings.push({ ...yamlErrorToFinding(withLinePos(warn), file, text), severity: 'warning' });
    }
    if (doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // toJS throws on aliases it cannot resolve (undefined anchor, alias bombs): a finding, not a crash.
      const p = pos(doc.contents.range?.[0] ?? 0);
      findings.push(newFinding('YAML_SYNTAX', { ...p, path: '' }, { message: (err as Error).message.split('\n')[0], hint: 'define each anchor (&name) before its alias (*name); manifests rarely need aliases at all' }));
      return;
    }
    if (value === null || value === undefined) return;
    const docStart = pos(doc.contents.range?.[0] ?? 0);
    const makeDocument = (basePath: FieldPath, v: unknown): ParsedDocument => ({
      file,
      docIndex,
      basePath,
      value: v,
      positionOf(path) {
        const full = [...basePath, ...path];
        for (let n = full.length; n >= 0; n--) {
          const { node } = nodeAt(doc, full.slice(0, n));
          if (node?.range) return pos(node.range[0]);
        }
        return docStart;
      },
      keyPositionOf(path) {
        const full = [...basePath, ...path];
        const { keyNode } = nodeAt(doc, full);
        if (keyNode?.range) return pos(keyNode.range[0]);
        return this.positionOf(path);
      },
    });
    if (isListKind(value)) {
      (value.items as unknown[]).forEach((item, i) => documents.push(makeDocument(['items', i], item)));
    } else {
      documents.push(makeDocument([], value));
    }
  });
  return { documents, findings };
}

let lastReparse: { text: string; file: string; result: ParseResult } | undefined;

/**
 * The same document without its YAML syntax tree: positions are found by parsing `text` (its file's
 * source) again when asked, which is rare once an object is valid. A loaded cluster of 10k objects
 * would otherwise keep every node of every document alive (~80 MB for the bench's 100k-pod cluster).
 * Its start is kept: load.ts asks it of every object.
 */
export function detachDocument(doc: ParsedDocument, text: string): ParsedDocument {
  return reparsedDocument(text, doc.file, doc.docIndex, doc.basePath, doc.value, doc.positionOf([]));
}

/** A document whose positions come from a full parse of `text` on demand (one file's parse is cached); `start` answers `positionOf([])`. */
function reparsedDocument(text: string, file: string, docIndex: number, basePath: FieldPath, value: unknown, start?: SourcePosition): ParsedDocument {
  const attached = (): ParsedDocument | undefined => {
    if (lastReparse?.text !== text || lastReparse.file !== file) lastReparse = { text, file, result: parseManifestTextFull(text, file) };
    return lastReparse.result.documents.find((d) => d.docIndex === docIndex && d.basePath.length === basePath.length && d.basePath.every((seg, i) => seg === basePath[i]));
  };
  return {
    file,
    docIndex,
    basePath,
    value,
    positionOf: (path) => (start && path.length === 0 ? { ...start } : (attached()?.positionOf(path) ?? { file, line: 0, col: 0 })),
    keyPositionOf: (path) => attached()?.keyPositionOf(path) ?? { file, line: 0, col: 0 },
  };
}

function isListKind(v: unknown): v is { kind: string; items: unknown[] } {
  return (
    typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'List' && Array.isArray((v as { items?: unknown }).items)
  );
}

interface YamlIssue {
  code: string;
  message: string;
  linePos?: [{ line: number; col: number }, { line: number; col: number }?];
}

/** Maps a `yaml` library error to a finding with a code and a hint for the common slips. */
export function yamlErrorToFinding(err: YamlIssue, file: string, text: string): Finding {
  const line = err.linePos?.[0]?.line ?? 0;
  const col = err.linePos?.[0]?.col ?? 0;
  const firstLine = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const srcLine = line > 0 ? (text.split(/\r?\n/)[line - 1] ?? '') : '';
  const spot = { file, line, col, path: '' };
  if (/\t/.test(srcLine.slice(0, srcLine.length - srcLine.trimStart().length)) || err.code === 'TAB_AS_INDENT') {
    return newFinding('YAML_TAB', { ...spot, col: 1 }, {
      message: 'tab character used for indentation',
      hint: 'YAML indents with spaces only: replace the tab(s) at the start of this line with spaces',
    });
  }
  if (err.code === 'DUPLICATE_KEY') {
    const key = /^\s*(?:-\s+)?([^:#]+?)\s*:/.exec(srcLine)?.[1];
    return newFinding('YAML_DUPLICATE_KEY', spot, { message: key ? `key "${key}" appears twice in the same mapping` : firstLine, hint: 'remove one of the two entries with this key, or merge them (kubectl rejects the file: "mapping key already defined")' });
  }
  if (err.code === 'BAD_INDENT' || err.code === 'MISSING_CHAR' || err.code === 'UNEXPECTED_TOKEN' || err.code === 'BLOCK_AS_IMPLICIT_KEY') {
    const hint = buildIndentHint(text, line, col);
    if (hint) return newFinding('YAML_BAD_INDENT', { ...spot, line: hint.line, col: hint.col }, { message: hint.message, hint: hint.hint });
  }
  if (err.code === 'BAD_INDENT') {
    return newFinding('YAML_BAD_INDENT', spot, { message: firstLine, hint: 'indent this line exactly like its sibling keys (spaces only)' });
  }
  const missing = findMissingSpace(text, line);
  if (missing) {
    return newFinding('YAML_MISSING_SPACE', { ...spot, line: missing.line, col: missing.col }, {
      message: `no space after ':' in "${missing.text}"`,
      hint: `write "${missing.text.replace(':', ': ')}": a mapping key needs a space after its colon`,
    });
  }
  return newFinding('YAML_SYNTAX', spot, { message: firstLine, hint: 'fix the YAML syntax at this position; every document in the file is checked separately' });
}

/** A `key:value` line (no space after the colon) at or just above the error line; URLs are not keys. */
function findMissingSpace(text: string, line: number): { line: number; col: number; text: string } | null {
  const lines = text.split(/\r?\n/);
  for (let n = line; n >= 1 && n >= line - 2; n--) {
    const src = lines[n - 1] ?? '';
    if (/^\s*(-\s+)?[A-Za-z0-9_./-]+:[^\s:/]/.test(src) && !/^\s*(-\s+)?[A-Za-z0-9_.-]+:\/\//.test(src)) {
      return { line: n, col: src.indexOf(':') + 1, text: src.trim() };
    }
  }
  return null;
}

/**
 * Recognises the seed's slip: a key in a list entry that lines up with the entry's `-` instead of
 * with its siblings (`- port: 80` / `targetPort: 8080` at the dash's column).
 */
function buildIndentHint(text: string, line: number, _col: number): { message: string; hint: string; line: number; col: number } | null {
  const lines = text.split(/\r?\n/);
  for (let n = line; n >= 1 && n >= line - 1; n--) {
    const cur = lines[n - 1] ?? '';
    const indent = cur.length - cur.trimStart().length;
    const key = /^\s*([A-Za-z0-9_.-]+)\s*:/.exec(cur)?.[1];
    if (!key) continue;
    for (let p = n - 1; p >= 1; p--) {
      const prev = lines[p - 1] ?? '';
      if (prev.trim() === '' || prev.trim().startsWith('#')) continue;
      const pIndent = prev.length - prev.trimStart().length;
      const dash = /^(\s*)-\s+([A-Za-z0-9_.-]+)\s*:/.exec(prev);
      if (dash && pIndent === indent) {
        const want = indent + (prev.slice(pIndent).length - prev.slice(pIndent + 1).trimStart().length);
        return {
          message: `"${key}" lines up with the "-" of the list entry above instead of with its key "${dash[2]}"`,
          hint: `indent "${key}:" to column ${want + 1} (${want - indent} more space${want - indent === 1 ? '' : 's'}) so it belongs to the same list entry as "${dash[2]}"`,
          line: n,
          col: indent + 1,
        };
      }
      if (pIndent < indent) break;
      if (pIndent === indent && !dash) continue;
      if (pIndent > indent) continue;
    }
  }
  return null;
}
