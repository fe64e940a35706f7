import { describe, expect, it } from 'vitest';
import { buildManifestSet } from '../../src/manifest/load.js';
import { newFinding } from '../../src/manifest/finding-codes.js';
import { isolateBrokenFiles } from '../../src/runtime/broken-files.js';
import type { ManifestObject } from '../../src/manifest/manifest-object.js';

const svc = (name: string, ip: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {clusterIP: ${ip}, ports: [{port: 80}]}\n`;
const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata: {name: a\nspec: [\n';
const INVALID_B = 'apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {clusterIP: 10.96.0.2, ports: [{port: 99999}]}\n';

/** `Service/name=clusterIP` of each object in force, sorted. */
const inForce = (objects: readonly ManifestObject[]) => objects.map((o) => `${o.kind}/${o.name}=${(o.body.spec as { clusterIP: string }).clusterIP}`).sort();

/** Loads `before` (all good), then isolates `after` against it. */
function reload(before: Record<string, string>, after: Record<string, string>, extra: Parameters<typeof buildManifestSet>[1] = []) {
  const first = isolateBrokenFiles(buildManifestSet(Object.entries(before).map(([file, text]) => ({ file, text }))), new Map(), 'default');
  return isolateBrokenFiles(buildManifestSet(Object.entries(after).map(([file, text]) => ({ file, text })), extra), first.lastGood, 'default');
}

describe('isolateBrokenFiles: each file stands alone', () => {
  const cases: { name: string; before: Record<string, string>; after: Record<string, string>; objects: string[]; broken: string[] }[] = [
    { name: 'all good: every change applies', before: { 'a.yaml': svc('a', '10.96.0.1') }, after: { 'a.yaml': svc('a', '10.96.0.11'), 'b.yaml': svc('b', '10.96.0.2') }, objects: ['Service/a=10.96.0.11', 'Service/b=10.96.0.2'], broken: [] as string[] },
    { name: 'a syntax error keeps the last good objects; the other file changes', before: { 'a.yaml': svc('a', '10.96.0.1'), 'c.yaml': svc('c', '10.96.0.3') }, after: { 'a.yaml': BROKEN, 'c.yaml': svc('c', '10.96.0.33') }, objects: ['Service/a=10.96.0.1', 'Service/c=10.96.0.33'], broken: ['a.yaml kept=a'] },
    { name: 'a validation error in one document holds the whole file at its last good version', before: { 'ab.yaml': `${svc('a', '10.96.0.1')}---\n${svc('b', '10.96.0.2')}` }, after: { 'ab.yaml': `${svc('a', '10.96.0.11')}---\n${INVALID_B}` }, objects: ['Service/a=10.96.0.1', 'Service/b=10.96.0.2'], broken: ['ab.yaml kept=a,b'] },
    { name: 'a new file with errors contributes none', before: { 'a.yaml': svc('a', '10.96.0.1') }, after: { 'a.yaml': svc('a', '10.96.0.1'), 'b.yaml': INVALID_B }, objects: ['Service/a=10.96.0.1'], broken: ['b.yaml kept='] },
    { name: 'the same object in a broken and a good file: the good file wins', before: { 'a.yaml': svc('a', '10.96.0.1') }, after: { 'a.yaml': BROKEN, 'moved.yaml': svc('a', '10.96.0.9') }, objects: ['Service/a=10.96.0.9'], broken: ['a.yaml kept= shadowed=a'] },
    { name: 'fixed: its errors are gone and its new objects apply', before: { 'a.yaml': svc('a', '10.96.0.1') }, after: { 'a.yaml': svc('a', '10.96.0.5') }, objects: ['Service/a=10.96.0.5'], broken: [] },
    { name: 'a removed file takes its objects along', before: { 'a.yaml': svc('a', '10.96.0.1'), 'c.yaml': svc('c', '10.96.0.3') }, after: { 'c.yaml': svc('c', '10.96.0.3') }, objects: ['Service/c=10.96.0.3'], broken: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { set } = reload(c.before, c.after);
      expect(inForce(set.objects)).toEqual(c.objects);
      expect((set.brokenFiles ?? []).map((b) => `${b.file} kept=${b.kept.map((r) => r.name).join(',')}${b.shadowed.length ? ` shadowed=${b.shadowed.map((r) => r.name).join(',')}` : ''}`)).toEqual(c.broken);
      for (const b of set.brokenFiles ?? []) expect(b.errors.every((e) => e.file === b.file && e.severity === 'error' && e.line > 0)).toBe(true);
    });
  }

  const absent = [
    { name: 'a file gone because it cannot be read keeps its objects', finding: 'dir/a.yaml', objects: ['Service/a=10.96.0.1', 'Service/c=10.96.0.3'] },
    { name: 'files under a directory that cannot be listed keep theirs', finding: 'dir', objects: ['Service/a=10.96.0.1', 'Service/c=10.96.0.3'] },
  ];
  for (const c of absent) {
    it(c.name, () => {
      const unreadable = newFinding('FILE_UNREADABLE', { file: c.finding, line: 0, col: 0, path: '' }, { message: 'cannot read: EACCES', hint: 'check it' });
      const { set } = reload({ 'dir/a.yaml': svc('a', '10.96.0.1'), 'dir/c.yaml': svc('c', '10.96.0.3') }, c.finding === 'dir' ? {} : { 'dir/c.yaml': svc('c', '10.96.0.3') }, [unreadable]);
      expect(inForce(set.objects)).toEqual(c.objects);
      expect(set.brokenFiles?.map((b) => b.file)).toEqual([c.finding]);
    });
  }

  it('a broken file names the objects it would define, valid or not (for explain)', () => {
    const { set } = reload({}, { 'ab.yaml': `${svc('a', '10.96.0.1')}---\n${INVALID_B}` });
    expect(set.brokenFiles?.[0].defines.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(['Service/a', 'Service/b']);
    expect(set.objects).toEqual([]);
  });
});
