import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../src/manifest/finding-codes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const codes = Object.keys(FINDING_CODES);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('finding code catalogue', () => {
  it('is sorted and every code is UPPER_SNAKE', () => {
    expect(codes).toEqual([...codes].sort());
    for (const c of codes) expect(c).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
  });

  it("README's code list is exactly the catalogue, with the same severities", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.split('<!-- finding-codes:start -->')[1]?.split('<!-- finding-codes:end -->')[0] ?? '';
    const rows = [...section.matchAll(/^\| `([A-Z0-9_]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(codes.map((c) => [c, FINDING_CODES[c as keyof typeof FINDING_CODES].severity]));
  });

  it('every code a source file emits is catalogued', () => {
    const used = new Set<string>();
    for (const f of sourceFiles(join(ROOT, 'src'))) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(?:newFinding|report|warn)\(\s*(?:[\w.]+,\s*)?'([A-Z][A-Z0-9_]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(10);
    for (const c of used) expect(codes, c).toContain(c);
  });
});
