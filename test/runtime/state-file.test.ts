import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findStateProblem, readStateFile, writeStateFile, type SavedState } from '../../src/runtime/state-file.js';
import { newLiveCluster } from '../../src/cluster/controllers/live-cluster.js';
import { newOverlays } from '../../src/cluster/overlays.js';

const good: SavedState = { version: 1, addresses: { 'pod:default/web-0:IPv4': '10.244.3.7' }, live: newLiveCluster(), overlays: newOverlays() };

describe('state file shape', () => {
  const cases = [
    { name: 'valid', value: good, problem: undefined },
    { name: 'not an object', value: [1], problem: /live is missing|not a JSON object|version/ },
    { name: 'wrong version', value: { ...good, version: 2 }, problem: /unknown version 2/ },
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
