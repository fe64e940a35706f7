import { resolvePlainScalar } from './yaml-core-scalar.js';

/**
 * Recognises the plain block YAML manifests are written in, line by line, and nothing more:
 * block mappings and sequences, one-line scalars and flow collections, `|`/`>` block scalars, and
 * `---` between documents. No anchors, aliases, tags, directives, `...`, multi-line plain or quoted
 * scalars, complex or null keys, tabs. On this subset js-yaml and `yaml` read the same values
 * (see fast-parse.ts); a text outside it gets `yaml`'s full parse.
 */

/** Where a document's root collection starts (1-based, as `yaml` reports it); null for a document without content. */
export type DocumentStart = { line: number; col: number } | null;

/** Control characters, tabs, Unicode spaces and line separators, BOM, a CR outside CRLF. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSAFE_CHARACTER = /[\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\xA0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF\uFFFE\uFFFF]|\r(?!\n)/;
const DOCUMENT_START = /^--- *$/;
const BLOCK_SCALAR_HEADER = /^[|>][-+]? *$/;
const PLAIN_KEY = /[A-Za-z0-9_][A-Za-z0-9_./-]*/y;
const DOUBLE_QUOTED = /"(?:[^"\\]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*"/y;
const SINGLE_QUOTED = /'(?:[^']|'')*'/y;
/** A plain scalar in a flow collection (`busybox:1.28`), up to a flow indicator, `: `, `:` before an indicator, or `#`. */
const FLOW_PLAIN = /(?:[^,[\]{}:#]|:(?=[^ ,[\]{}]))*/y;
/** First characters of a plain scalar that are never an indicator; `-` followed by one of PLAIN_AFTER_DASH also starts one. */
const PLAIN_FIRST = /[A-Za-z0-9_./~+$(\u00A1-\uFFFF]/;
const PLAIN_AFTER_DASH = /[A-Za-z0-9_./-]/;
/** `yaml` refuses implicit keys over 1024 characters. */
const MAX_KEY_LENGTH = 1000;
const MAX_FLOW_DEPTH = 20;

interface Collection {
  kind: 'map' | 'seq';
  indent: number;
  /** A sequence at the column of the key it is the value of (`ports:` then `- port: 80` below the `p`). */
  atKeyColumn: boolean;
}

/** A `key:` or a `-` whose node, if any, starts on a later line. */
interface OpenNode {
  kind: 'key' | 'entry';
  indent: number;
}

interface BlockScalar {
  /** Content lines are indented more than the key or `-` that introduces the scalar. */
  parentIndent: number;
  /** Set by the first line with content. */
  contentIndent?: number;
  /** The longest blank line before the first content line. */
  leadingBlank: number;
}

/** The start of every document of `text` (empty ones too, as js-yaml and `yaml` count them); undefined outside the subset. */
export function scanPlainYaml(text: string): DocumentStart[] | undefined {
  if (UNSAFE_CHARACTER.test(text)) return undefined;
  // A last line of spaces without a line break: js-yaml counts it as a kept (`|+`) line break.
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  if (lastLine !== '' && lastLine.trim() === '') return undefined;
  const scanner = new PlainYamlScanner();
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    if (!scanner.scanLine(line, n + 1)) return undefined;
  }
  return scanner.finish();
}

class PlainYamlScanner {
  private readonly starts: DocumentStart[] = [];
  private document: { start: DocumentStart; explicit: boolean } = { start: null, explicit: false };
  private stack: Collection[] = [];
  private open: OpenNode | undefined;
  private block: BlockScalar | undefined;

  scanLine(line: string, lineNumber: number): boolean {
    const indent = indentOf(line);
    if (this.block) {
      const inBlock = this.continueBlockScalar(line, indent);
      if (inBlock !== false) return inBlock === 'content';
    }
    if (indent === line.length || line[indent] === '#') return true;
    if (DOCUMENT_START.test(line)) return this.startDocument();
    return this.scanNodeLine(line, indent, lineNumber);
  }

  finish(): DocumentStart[] | undefined {
    if (this.block && !this.endBlockScalar()) return undefined;
    if (!mayEndEmpty(this.open)) return undefined;
    if (this.document.explicit || this.document.start) this.starts.push(this.document.start);
    return this.starts;
  }

  /** 'content' for a line of the block scalar, 'invalid' for one to fall back on, false once the scalar has ended. */
  private continueBlockScalar(line: string, indent: number): 'content' | 'invalid' | false {
    const block = this.block as BlockScalar;
    if (indent === line.length) {
      if (block.contentIndent === undefined) block.leadingBlank = Math.max(block.leadingBlank, line.length);
      // Spaces beyond the content's indentation on a blank line: kept or refused, depending on the parser.
      return block.contentIndent === undefined || line.length <= block.contentIndent ? 'content' : 'invalid';
    }
    if (indent > block.parentIndent) {
      if (block.contentIndent === undefined && block.leadingBlank <= indent) block.contentIndent = indent;
      return block.contentIndent !== undefined && indent >= block.contentIndent ? 'content' : 'invalid';
    }
    return this.endBlockScalar() ? false : 'invalid';
  }

  /** An empty block scalar is left to `yaml`. */
  private endBlockScalar(): boolean {
    const hadContent = this.block?.contentIndent !== undefined;
    this.block = undefined;
    return hadContent;
  }

  private startDocument(): boolean {
    if (!mayEndEmpty(this.open)) return false;
    if (this.document.explicit || this.document.start) this.starts.push(this.document.start);
    this.document = { start: null, explicit: true };
    this.stack = [];
    this.open = undefined;
    return true;
  }

  /** A line with a node: `key: …`, `- …`, `- key: …`, `- - …`. A scalar alone on a line is not in the subset. */
  private scanNodeLine(line: string, indent: number, lineNumber: number): boolean {
    let col = indent;
    let entry = isEntryAt(line, col);
    let keyEnd = entry ? -1 : keyEndAt(line, col);
    if (!entry && keyEnd < 0) return false;
    if (!this.place(entry ? 'seq' : 'map', col, lineNumber)) return false;
    while (entry) {
      const dashCol = col;
      col = skipSpaces(line, col + 1);
      if (col === line.length || line[col] === '#') {
        this.open = { kind: 'entry', indent: dashCol };
        return true;
      }
      entry = isEntryAt(line, col);
      if (entry) {
        this.stack.push({ kind: 'seq', indent: col, atKeyColumn: false });
        continue;
      }
      keyEnd = keyEndAt(line, col);
      if (keyEnd < 0) return this.scanValue(line, col, dashCol);
      this.stack.push({ kind: 'map', indent: col, atKeyColumn: false });
    }
    const valueStart = skipSpaces(line, keyEnd);
    if (valueStart === line.length || line[valueStart] === '#') {
      this.open = { kind: 'key', indent: col };
      return true;
    }
    return this.scanValue(line, valueStart, col);
  }

  /** Puts a line's first node (a `-` or a key at `col`) into the open collections; false when it fits none. */
  private place(kind: Collection['kind'], col: number, lineNumber: number): boolean {
    const open = this.open;
    this.open = undefined;
    if (open && (col > open.indent || (col === open.indent && kind === 'seq' && open.kind === 'key'))) {
      this.stack.push({ kind, indent: col, atKeyColumn: col === open.indent });
      return true;
    }
    if (!mayEndEmpty(open)) return false;
    const stack = this.stack;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.indent < col || (top.indent === col && !(top.atKeyColumn && kind === 'map'))) break;
      stack.pop();
    }
    if (stack.length === 0) {
      // A second root, or a line indented less than the root: an error, or a parser's own reading.
      if (this.document.start) return false;
      this.document.start = { line: lineNumber, col: col + 1 };
      stack.push({ kind, indent: col, atKeyColumn: false });
      return true;
    }
    const top = stack[stack.length - 1];
    return top.indent === col && top.kind === kind;
  }

  /** A value after `key: ` or `- `: a one-line scalar or flow collection, or a block scalar's header. */
  private scanValue(line: string, start: number, parentIndent: number): boolean {
    const c = line[start];
    if (c === '|' || c === '>') {
      if (!BLOCK_SCALAR_HEADER.test(line.slice(start))) return false;
      this.block = { parentIndent, leadingBlank: 0 };
      return true;
    }
    if (c === '"' || c === "'" || c === '[' || c === '{') {
      const end = c === '"' || c === "'" ? quotedEnd(line, start) : flowEnd(line, start, 0);
      return end > 0 && isLineEnd(line, end);
    }
    if (!isPlainStart(line, start)) return false;
    const comment = line.indexOf(' #', start);
    const plain = (comment < 0 ? line.slice(start) : line.slice(start, comment)).trimEnd();
    return !plain.includes(': ') && !plain.endsWith(':');
  }
}

/**
 * A `key:` without a node is null. A `-` without one is left to `yaml`: js-yaml reads the entries
 * of an outer sequence that follow into the empty entry's sequence (`- -` then `- x` → [[null, 'x']]).
 */
function mayEndEmpty(open: OpenNode | undefined): boolean {
  return open?.kind !== 'entry';
}

function indentOf(line: string): number {
  let i = 0;
  while (line[i] === ' ') i++;
  return i;
}

function skipSpaces(line: string, from: number): number {
  let i = from;
  while (line[i] === ' ') i++;
  return i;
}

/** A `-` followed by a space or the end of the line. */
function isEntryAt(line: string, col: number): boolean {
  return line[col] === '-' && (col + 1 === line.length || line[col + 1] === ' ');
}

/** Only spaces, or spaces and a comment, after `end`. */
function isLineEnd(line: string, end: number): boolean {
  const i = skipSpaces(line, end);
  return i === line.length || (i > end && line[i] === '#');
}

function isPlainStart(line: string, i: number): boolean {
  return PLAIN_FIRST.test(line[i] ?? '') || (line[i] === '-' && PLAIN_AFTER_DASH.test(line[i + 1] ?? ''));
}

/** The index just after a one-line quoted scalar at `start`, or -1. */
function quotedEnd(line: string, start: number): number {
  const re = line[start] === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED;
  re.lastIndex = start;
  return re.test(line) ? re.lastIndex : -1;
}

/** The index just after the `:` of a one-line key at `col` (`name:`, `"a b":`), followed by a space or the line's end; or -1. */
function keyEndAt(line: string, col: number): number {
  let end: number;
  if (line[col] === '"' || line[col] === "'") {
    end = quotedEnd(line, col);
  } else {
    PLAIN_KEY.lastIndex = col;
    end = PLAIN_KEY.test(line) ? PLAIN_KEY.lastIndex : -1;
    // `yaml` names a null key '', js-yaml 'null'.
    if (end > 0 && resolvePlainScalar(line.slice(col, end)) === null) return -1;
  }
  if (end < 0 || end - col > MAX_KEY_LENGTH || line[end] !== ':') return -1;
  return end + 1 === line.length || line[end + 1] === ' ' ? end + 1 : -1;
}

/** The index just after a one-line flow collection at `start` (`[a, "b"]`, `{k: v, l: [1]}`), or -1. */
function flowEnd(line: string, start: number, depth: number): number {
  if (depth > MAX_FLOW_DEPTH) return -1;
  const isMap = line[start] === '{';
  const close = isMap ? '}' : ']';
  let i = skipSpaces(line, start + 1);
  if (line[i] === close) return i + 1;
  for (;;) {
    if (isMap) {
      i = flowKeyEnd(line, i);
      if (i < 0) return -1;
    }
    i = flowNodeEnd(line, i, depth);
    if (i < 0) return -1;
    i = skipSpaces(line, i);
    if (line[i] === close) return i + 1;
    if (line[i] !== ',') return -1;
    i = skipSpaces(line, i + 1);
  }
}

/** The index of a flow map value after `key: ` at `start`, or -1. */
function flowKeyEnd(line: string, start: number): number {
  let end: number;
  if (line[start] === '"' || line[start] === "'") {
    end = quotedEnd(line, start);
  } else {
    if (!isPlainStart(line, start)) return -1;
    FLOW_PLAIN.lastIndex = start;
    FLOW_PLAIN.test(line);
    end = FLOW_PLAIN.lastIndex;
    const key = line.slice(start, end);
    if (key.endsWith(' ') || resolvePlainScalar(key) === null) return -1;
  }
  if (end < 0 || line[end] !== ':' || line[end + 1] !== ' ') return -1;
  return skipSpaces(line, end + 1);
}

/** The index just after a flow collection's item at `start` (trailing spaces of a plain scalar included), or -1. */
function flowNodeEnd(line: string, start: number, depth: number): number {
  const c = line[start];
  if (c === '"' || c === "'") return quotedEnd(line, start);
  if (c === '[' || c === '{') return flowEnd(line, start, depth + 1);
  if (!isPlainStart(line, start)) return -1;
  FLOW_PLAIN.lastIndex = start;
  FLOW_PLAIN.test(line);
  const end = FLOW_PLAIN.lastIndex;
  return line[end] === ':' || line[end] === '#' ? -1 : end;
}
