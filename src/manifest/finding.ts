/**
 * The one diagnostic shape for everything kube-dns-sim reports about input:
 * YAML syntax, schema and semantic findings, and DNS-visible warnings.
 * Printed as `file:line:col: error CODE: path: message` + code frame + `hint:`.
 */
export type Severity = 'error' | 'warning';

export interface Finding {
  /** Stable UPPER_SNAKE code from the catalogue in finding-codes.ts. */
  code: string;
  severity: Severity;
  message: string;
  /** File as the user named it (relative paths stay relative); `-` for stdin. */
  file: string;
  /** 1-based line and column of the offending node; 0 when the whole file is meant. */
  line: number;
  col: number;
  /** Field path in kubectl's notation, e.g. `spec.ports[0].targetPort`; '' for the document. */
  path: string;
  /** The offending value, when there is one. */
  value?: unknown;
  /** A concrete fix. */
  hint: string;
}

/** Where a node sits in its source file (1-based). */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** Formats one finding as `file:line:col: severity CODE: path: message` without frame or hint. */
export function toFindingHeadline(f: Finding): string {
  const where = f.line > 0 ? `${f.file}:${f.line}:${f.col}` : f.file;
  const path = f.path ? `${f.path}: ` : '';
  return `${where}: ${f.severity} ${f.code}: ${path}${f.message}`;
}

/** Formats a finding with a code frame (when the source text is known) and its hint. */
export function formatFinding(f: Finding, sourceText?: string): string {
  const out = [toFindingHeadline(f)];
  if (sourceText !== undefined && f.line > 0) out.push(...buildCodeFrame(sourceText, f.line, f.col));
  if (f.hint) out.push(`  hint: ${f.hint}`);
  return out.join('\n');
}

/** A two-line-context code frame with a caret under the column (1-based line/col). */
export function buildCodeFrame(text: string, line: number, col: number, context = 2): string[] {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line);
  const width = String(last).length;
  const frame: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? '>' : ' ';
    frame.push(`  ${marker} ${String(n).padStart(width)} | ${(lines[n - 1] ?? '').replace(/\t/g, '→')}`);
    if (n === line) frame.push(`    ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`);
  }
  return frame;
}

/** Sort order for findings: file, line, col, code. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code);
}
