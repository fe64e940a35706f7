import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildManifestSet } from '../../src/manifest/load.js';
import type { Finding } from '../../src/manifest/finding.js';

const VALID = fileURLToPath(new URL('../fixtures/valid/', import.meta.url));
const SEEDS = readdirSync(VALID)
  .sort()
  .map((n) => readFileSync(join(VALID, n), 'utf8'));

/** A finding's position lies inside the text: line 1..#lines, col 1..length+1 (0/0 = whole file). */
function isInside(f: Finding, text: string): boolean {
  if (f.line === 0 && f.col === 0) return true;
  const lines = text.split(/\r?\n/);
  if (f.line < 1 || f.line > lines.length) return false;
  return f.col >= 1 && f.col <= lines[f.line - 1].length + 1;
}

function check(text: string): void {
  const set = buildManifestSet([{ file: 'fuzz.yaml', text }]);
  for (const f of set.findings) {
    expect(isInside(f, text), `${f.code} at ${f.line}:${f.col}`).toBe(true);
    expect(f.code).toMatch(/^[A-Z_]+$/);
  }
}

const INSERTS = ['\t', ' ', ':', '- ', '\n', '"', "'", '{', '[', '#', '---\n', 'x', '0', '  ', 'null', '&a ', '*a', '<<: ', ': :'];

/** Edits of valid manifests: delete a range, insert a YAML-significant token, or duplicate a line. */
const mutated = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom(...INSERTS), fc.constantFrom('insert', 'delete', 'dupline')), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let t = text;
    for (const [at, len, ins, op] of edits) {
      const i = t.length === 0 ? 0 : at % t.length;
      if (op === 'insert') t = t.slice(0, i) + ins + t.slice(i);
      else if (op === 'delete') t = t.slice(0, i) + t.slice(i + len);
      else {
        const lines = t.split('\n');
        const n = lines.length === 0 ? 0 : at % lines.length;
        lines.splice(n, 0, lines[n] ?? '');
        t = lines.join('\n');
      }
    }
    return t;
  });

describe('validator robustness (property)', () => {
  it('mutations of valid manifests never crash, and every position is inside the file', () => {
    fc.assert(fc.property(mutated, (text) => check(text)), { numRuns: 300, seed: 4 });
  });

  it('random bytes never crash, and every position is inside the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => check(Buffer.from(bytes).toString('utf8'))),
      { numRuns: 300, seed: 4 },
    );
  });

  it('mutations do find something to say about some inputs (the property is not vacuous)', () => {
    const counts = fc.sample(mutated, { numRuns: 100, seed: 4 }).map((t) => buildManifestSet([{ file: 'f', text: t }]).findings.length);
    expect(counts.some((c) => c > 0)).toBe(true);
  });
});
