import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FieldPatchMeta, PatchMetaLookup } from '../../../src/kube-api/patch/patch-merge-keys.js';
import { applyStrategicMergePatch } from '../../../src/kube-api/patch/strategic-merge-patch.js';

// The apply half of k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go (TestStrategicMergePatch,
// TestCustomStrategicMergePatch): each two-way patch applied to `original`, each three-way patch to
// `current`, extracted to fixtures/apimachinery-strategic-merge-cases.json. The schema is the test's
// MergeItem struct, which nests itself, so the lookup goes by the last field name.
interface Case {
  name: string;
  sorted: boolean;
  original: Record<string, unknown>;
  patch: Record<string, unknown>;
  expected?: Record<string, unknown>;
  expectedError?: string;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/apimachinery-strategic-merge-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

const MERGE_ITEM: Record<string, FieldPatchMeta> = {
  mergingList: { strategies: ['merge'], mergeKey: 'name' },
  mergingIntList: { strategies: ['merge'] },
  mergeItemPtr: { strategies: ['merge'], mergeKey: 'name' },
  replacingItem: { strategies: ['replace'] },
  retainKeysMap: { strategies: ['retainKeys'] },
  retainKeysMergingList: { strategies: ['merge', 'retainKeys'], mergeKey: 'name' },
};
const lookup: PatchMetaLookup = (path) => MERGE_ITEM[path[path.length - 1]];

// patch_test.go compares these cases after sortMergeListsByName: merge lists sorted by merge key, scalars by value.
function sortMergeLists(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortMergeLists);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v)) {
    let sorted = sortMergeLists(item);
    const meta = MERGE_ITEM[k];
    if (meta?.strategies.includes('merge') && Array.isArray(sorted)) {
      const key = (x: unknown) => String(meta.mergeKey ? (x as Record<string, unknown>)[meta.mergeKey] : x);
      sorted = [...sorted].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    }
    out[k] = sorted;
  }
  return out;
}

describe('strategic merge patch: apimachinery patch_test.go cases', () => {
  it.each(fixture.cases)('$name', (c) => {
    const r = applyStrategicMergePatch(c.original, c.patch, lookup);
    if (c.expectedError !== undefined) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(c.expectedError);
      return;
    }
    expect(r.ok ? undefined : r.error).toBeUndefined();
    if (!r.ok) return;
    if (c.sorted) expect(sortMergeLists(r.value)).toEqual(sortMergeLists(c.expected));
    else expect(r.value).toEqual(c.expected);
  });
});
