import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findStateProblem, getStatePartsDirectory, isStateFileOrSibling, readStateFile, writeStateFile, writeStateParts, type NamespaceStatePart, type SavedState } from '../../src/runtime/state-file.js';
import { newLiveCluster } from '../../src/cluster/controllers/live-cluster.js';
import { newOverlays } from '../../src/cluster/overlays.js';

const good: SavedState = { version: 1, addresses: { 'pod:default/web-0:IPv4': '10.244.3.7' }, live: newLiveCluster(), overlays: newOverlays() };

describe('state file shape', () => {
  const cases = [
    { name: 'valid', value: good, problem: undefined },
    { name: 'not an object', value: [1], problem: /live is missing|not a JSON object|version/ },
    { name: 'wrong version', value: { ...good, version: 3 }, problem: /unknown version 3/ },
    { name: 'addresses not strings', value: { ...good, addresses: { a: 1 } }, problem: /addresses/ },
    { name: 'live without pods', value: { ...good, live: { claims: [] } }, problem: /live is missing/ },
    { name: 'overlays missing', value: { ...good, overlays: undefined }, problem: /overlays/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = findStateProblem(c.value);
      if (c.problem === undefined) expect(p).toBeUndefined();
      else expect(p).toMatch(c.problem);
    });
  }
});

describe('state file on disk', () => {
  const cases = [
    { name: 'absent', content: undefined, kind: 'absent' },
    { name: 'round trip', content: 'GOOD', kind: 'loaded' },
    { name: 'truncated', content: JSON.stringify(good).slice(0, 20), kind: 'set-aside' },
    { name: 'empty', content: '', kind: 'set-aside' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kds5-state-'));
      try {
        const path = join(dir, 'sub', 'state.json');
        if (c.content === 'GOOD') await writeStateFile(path, good);
        else if (c.content !== undefined) {
          await writeStateFile(path, good);
          writeFileSync(path, c.content);
        }
        const r = await readStateFile(path, 1234);
        expect(r.kind).toBe(c.kind);
        if (r.kind === 'loaded') expect(r.state).toEqual(good);
        if (r.kind === 'set-aside') {
          expect(r.movedTo).toBe(join(dir, 'sub', 'state.json.corrupt-1234'));
          expect(readFileSync(r.movedTo!, 'utf8')).toBe(c.content);
          expect(readdirSync(join(dir, 'sub'))).toEqual(['state.json.corrupt-1234']);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('state file version 2: an index and one part per namespace', () => {
  const podOf = (namespace: string, i: number) => ({ namespace, name: `p-${i}`, addressKey: `${namespace}/p-${i}` }) as unknown as SavedState['live']['pods'][number];
  /** A namespace's part with `pods` pods (and their addresses): 400 entries or more go to a file of their own. */
  const partOf = (namespace: string, pods: number): NamespaceStatePart => ({
    namespace,
    live: { ...newLiveCluster(), pods: Array.from({ length: pods }, (_, i) => podOf(namespace, i)) },
    addresses: Object.fromEntries(Array.from({ length: pods }, (_, i) => [`pod:${namespace}/p-${i}:IPv4`, `10.1.${Math.floor(i / 250)}.${i % 250}`])),
    createdAt: { [`service/${namespace}/web`]: 1000 },
  });
  const shared = { overlays: newOverlays(), createdAt: { 'namespace//big': 5 } };
  const withDir = async (run: (path: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-state-v2-'));
    try {
      await run(join(dir, 'state.json'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const loaded = async (path: string) => {
    const r = await readStateFile(path, 99);
    if (r.kind !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(r)}`);
    return r.state;
  };

  it('round trip: a large namespace in a file of its own, a small one inside the index, unchanged parts kept', async () => {
    await withDir(async (path) => {
      let parts = await writeStateParts(path, shared, new Map(), new Map([['big', partOf('big', 300)], ['small', partOf('small', 2)]]));
      expect(readdirSync(getStatePartsDirectory(path))).toEqual([(parts.get('big') as { file: string }).file]);
      expect('inline' in parts.get('small')!).toBe(true);
      const first = await loaded(path);
      expect(first.live.pods).toHaveLength(302);
      expect(first.addresses['pod:big/p-7:IPv4']).toBe('10.1.0.7');
      expect(first.createdAt).toEqual({ 'namespace//big': 5, 'service/big/web': 1000, 'service/small/web': 1000 });
      // Only `small` changed: `big` keeps its file; a namespace gone loses its part.
      const bigFile = (parts.get('big') as { file: string }).file;
      parts = await writeStateParts(path, shared, parts, new Map([['small', partOf('small', 3)], ['gone', null]]));
      expect((parts.get('big') as { file: string }).file).toBe(bigFile);
      expect((await loaded(path)).live.pods).toHaveLength(303);
      parts = await writeStateParts(path, shared, parts, new Map([['big', null]]));
      expect(readdirSync(getStatePartsDirectory(path))).toEqual([]);
      expect((await loaded(path)).live.pods.map((p) => p.namespace)).toEqual(['small', 'small', 'small']);
    });
  });

  it('part files no index names (a killed writer\'s) are removed by the next write', async () => {
    await withDir(async (path) => {
      const parts = await writeStateParts(path, shared, new Map(), new Map([['big', partOf('big', 300)]]));
      writeFileSync(join(getStatePartsDirectory(path), 'big.killed-writer.json'), '{"namespace":');
      await writeStateParts(path, shared, parts, new Map([['other', partOf('other', 1)]]));
      expect(readdirSync(getStatePartsDirectory(path))).toEqual([(parts.get('big') as { file: string }).file]);
    });
  });

  const broken = [
    { name: 'a part file missing', damage: (dir: string, file: string) => rmSync(join(dir, file)), problem: /part of namespace big .* is unreadable/ },
    { name: 'a part file truncated', damage: (dir: string, file: string) => writeFileSync(join(dir, file), '{"namespace":"big","li'), problem: /part of namespace big .* is unreadable/ },
    { name: 'a part file of another namespace', damage: (dir: string, file: string) => writeFileSync(join(dir, file), JSON.stringify(partOf('other', 1))), problem: /part of namespace big .* is not one/ },
  ];
  for (const c of broken) {
    it(`${c.name}: the state is set aside whole, with the reason`, async () => {
      await withDir(async (path) => {
        const parts = await writeStateParts(path, shared, new Map(), new Map([['big', partOf('big', 300)]]));
        c.damage(getStatePartsDirectory(path), (parts.get('big') as { file: string }).file);
        const r = await readStateFile(path, 77);
        expect(r.kind).toBe('set-aside');
        if (r.kind === 'set-aside') {
          expect(r.problem).toMatch(c.problem);
          expect(r.movedTo).toBe(`${path}.corrupt-77`);
        }
      });
    });
  }

  it('a version 1 file (one document) is still read', async () => {
    await withDir(async (path) => {
      await writeStateFile(path, good);
      expect(await loaded(path)).toEqual(good);
    });
  });

  it('the parts directory is the state file\'s sibling, never read as manifests', () => {
    expect(isStateFileOrSibling('/srv/lab/state.json', '/srv/lab/state.json.d/team-0.x.json')).toBe(true);
    expect(isStateFileOrSibling('/srv/lab/state.json', '/srv/lab/other.d/team-0.x.json')).toBe(false);
  });
});
