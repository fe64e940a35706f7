import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FINDINGS_SHOWN_PER_CODE, printFindingSummary } from '../../src/cli/serve-command.js';
import type { Finding } from '../../src/manifest/finding.js';

const finding = (code: string, severity: Finding['severity'], line: number): Finding => ({ code, severity, message: `m${line}`, file: 'a.yaml', line, col: 1, path: 'spec', hint: 'h' });

function print(findings: Finding[]): string {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d.toString()));
  printFindingSummary(findings, new Map([['a.yaml', 'x\n'.repeat(500)]]), ['dir/', 'b.yaml'], out);
  return text;
}

describe('printFindingSummary: every error, a few warnings of each code, a count of the rest', () => {
  const many = (code: string, severity: Finding['severity'], n: number) => Array.from({ length: n }, (_, i) => finding(code, severity, i + 1));
  const cases = [
    { name: 'a few warnings: all of them, no count', findings: many('DNS_SELECTOR_MATCHES_NOTHING', 'warning', 3), printed: 3, counts: [] as string[] },
    { name: 'thousands of one warning: the first ten and a count', findings: many('DNS_SELECTOR_MATCHES_NOTHING', 'warning', 2500), printed: FINDINGS_SHOWN_PER_CODE, counts: ['... and 2490 more DNS_SELECTOR_MATCHES_NOTHING warnings: kube-dns-sim validate -f dir/ -f b.yaml lists them all'] },
    { name: 'one over the limit: "1 more ... warning"', findings: many('POD_IP_EXHAUSTED', 'warning', FINDINGS_SHOWN_PER_CODE + 1), printed: FINDINGS_SHOWN_PER_CODE, counts: ['... and 1 more POD_IP_EXHAUSTED warning: kube-dns-sim validate -f dir/ -f b.yaml lists them all'] },
    { name: 'errors are never folded', findings: many('SCHEMA_TYPE', 'error', 40), printed: 40, counts: [] },
    { name: 'each code has its own ten', findings: [...many('A_CODE', 'warning', 12), ...many('B_CODE', 'warning', 11)], printed: 2 * FINDINGS_SHOWN_PER_CODE, counts: ['... and 2 more A_CODE warnings', '... and 1 more B_CODE warning'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const text = print(c.findings);
      expect(text.match(/^a\.yaml:\d+:1: /gm) ?? []).toHaveLength(c.printed);
      const summaries = text.split('\n').filter((l) => l.startsWith('... and'));
      expect(summaries).toHaveLength(c.counts.length);
      c.counts.forEach((want, i) => expect(summaries[i].startsWith(want)).toBe(true));
    });
  }
});
