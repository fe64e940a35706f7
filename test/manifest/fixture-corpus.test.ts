import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { snapshotFromYaml } from '../helpers/cluster.js';

// One folder per mistake: input.yaml and expected.json (code, severity, path, line, col of every finding).
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const ERRORS = join(FIXTURES, 'errors');
const VALID = join(FIXTURES, 'valid');

interface Expected {
  code: string;
  severity: string;
  path: string;
  line: number;
  col: number;
}

function findingsOf(text: string): Expected[] {
  return snapshotFromYaml({ 'input.yaml': text }).findings.map(({ code, severity, path, line, col }) => ({ code, severity, path, line, col }));
}

describe('error fixture corpus', () => {
  const cases = readdirSync(ERRORS).sort();

  it('has at least 30 cases, including both verbatim seed files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const seedHeadless = readFileSync(join(FIXTURES, 'seed', 'myweb-svc-headless.yaml'), 'utf8');
    const seedVol = readFileSync(join(FIXTURES, 'seed', 'myweb-sts-vol.yaml'), 'utf8');
    expect(readFileSync(join(ERRORS, 'seed-headless-service-indent', 'input.yaml'), 'utf8')).toBe(seedHeadless);
    expect(readFileSync(join(ERRORS, 'seed-statefulset-accessmode', 'input.yaml'), 'utf8').startsWith(seedVol)).toBe(true);
  });

  for (const name of cases) {
    it(name, () => {
      const input = readFileSync(join(ERRORS, name, 'input.yaml'), 'utf8');
      const expected = JSON.parse(readFileSync(join(ERRORS, name, 'expected.json'), 'utf8')) as Expected[];
      expect(expected.length).toBeGreaterThan(0);
      expect(findingsOf(input)).toEqual(expected);
    });
  }
});

describe('valid manifests (Kubernetes documentation examples) produce no finding', () => {
  for (const name of readdirSync(VALID).sort()) {
    it(name, () => {
      const text = readFileSync(join(VALID, name), 'utf8');
      const snap = snapshotFromYaml({ [name]: text });
      expect(snap.findings).toEqual([]);
      expect(snap.manifests.objects.length).toBeGreaterThan(0);
    });
  }
});
