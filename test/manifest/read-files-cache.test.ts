import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readManifestFiles, type SourceFile } from '../../src/manifest/read-files.js';

describe('readManifestFiles on a reload: files unchanged on disk are not read again', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kds-read-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Read as if a minute later: files written just now are "racy" and always read again (see below).
  const read = async (known?: ReadonlyMap<string, SourceFile>, now = () => Date.now() + 60_000) => {
    const { files } = await readManifestFiles([dir], undefined, known, now);
    return new Map(files.map((f) => [f.file, f]));
  };
  const at = (name: string) => join(dir, name);
  const later = (file: string, seconds: number) => utimesSync(file, new Date(Date.now() + seconds * 1000), new Date(Date.now() + seconds * 1000));

  const cases = [
    { name: 'untouched: the same object, not read again', change: () => {}, reread: false, text: 'kind: A\n' },
    { name: 'rewritten with the same size: read again', change: () => (writeFileSync(at('a.yaml'), 'kind: B\n'), later(at('a.yaml'), 5)), reread: true, text: 'kind: B\n' },
    { name: 'replaced by a rename (an editor saving): read again', change: () => (writeFileSync(at('.tmp'), 'kind: C\n'), renameSync(at('.tmp'), at('a.yaml'))), reread: true, text: 'kind: C\n' },
    { name: 'only touched (times moved): read again, same text', change: () => later(at('a.yaml'), 9), reread: true, text: 'kind: A\n' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      writeFileSync(at('a.yaml'), 'kind: A\n');
      writeFileSync(at('b.yaml'), 'kind: X\n');
      const first = await read();
      expect(first.get(at('a.yaml'))!.signature).toBeTruthy();
      c.change();
      const second = await read(first);
      expect(second.get(at('a.yaml'))!.text).toBe(c.text);
      expect(second.get(at('a.yaml')) === first.get(at('a.yaml'))).toBe(!c.reread);
      expect(second.get(at('b.yaml'))).toBe(first.get(at('b.yaml')));
    });
  }
  it('a file written within the last two seconds keeps no signature: a same-size rewrite in the same clock tick is not missed', async () => {
    writeFileSync(at('a.yaml'), 'kind: A\n');
    const first = await read(undefined, Date.now);
    expect(first.get(at('a.yaml'))!.signature).toBeUndefined();
    const second = await read(first, Date.now);
    expect(second.get(at('a.yaml'))).not.toBe(first.get(at('a.yaml')));
    expect(second.get(at('a.yaml'))!.text).toBe('kind: A\n');
  });
  it('a file that disappears is gone, a new one is read', async () => {
    writeFileSync(at('a.yaml'), 'kind: A\n');
    const first = await read();
    rmSync(at('a.yaml'));
    writeFileSync(at('c.yaml'), 'kind: C\n');
    const second = await read(first);
    expect([...second.keys()]).toEqual([at('c.yaml')]);
    expect(second.get(at('c.yaml'))!.text).toBe('kind: C\n');
  });
});
