import { newPatchError, type PatchError, type PatchErrorCode, type PatchResult } from './patch-error.js';
import type { FieldPatchMeta, PatchMetaLookup } from './patch-merge-keys.js';
import { cloneJson, formatGoValue, getJsonKey, getJsonType, hasJsonKey, isJsonEqual, isJsonObject, setJsonKey, type JsonObject } from './json-value.js';

/**
 * Kubernetes strategic merge patch (`application/strategic-merge-patch+json`) as the apiserver
 * applies it: k8s.io/apimachinery/pkg/util/strategicpatch `StrategicMergeMapPatch` with
 * MergeParallelList and IgnoreUnmatchedNulls, i.e. `mergeMap` in patch.go. Maps merge and
 * `null` deletes a key (as in RFC 7386); lists tagged `patchStrategy:"merge"` merge item by item
 * (by merge key, or by value for scalars); other lists are replaced. Directives:
 * `$patch: replace|delete` in a map or a list item, `$retainKeys`,
 * `$deleteFromPrimitiveList/<list>`, `$setElementOrder/<list>`. Messages are patch.go's.
 */

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** Applies `patch` to a copy of `original` with the field tags of `lookup`; inputs are never mutated. */
export function applyStrategicMergePatch(original: JsonObject, patch: JsonObject, lookup: PatchMetaLookup): PatchResult<JsonObject> {
  try {
    const merged = mergeMap(cloneJson(original), cloneJson(patch), [], lookup);
    return { ok: true, value: removeLeftoverDirectives(merged) as JsonObject };
  } catch (e) {
    if (e instanceof StrategicMergeFailure) return { ok: false, error: e.error };
    throw e;
  }
}

class StrategicMergeFailure extends Error {
  constructor(readonly error: PatchError) {
    super(error.message);
  }
}

function failWith(code: PatchErrorCode, message: string, path: readonly string[], value: unknown): never {
  throw new StrategicMergeFailure(newPatchError(code, message, path.join('.'), value));
}

// patch.go mergeMap. Mutates `original` and `patch` (both are private copies).
function mergeMap(original: JsonObject, patch: JsonObject, path: readonly string[], lookup: PatchMetaLookup): JsonObject {
  if (hasJsonKey(patch, DIRECTIVE)) return handleDirectiveInMergeMap(patch[DIRECTIVE], patch, path);
  applyRetainKeysDirective(original, patch, path);
  mergePatchIntoOriginal(original, patch, path, lookup);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey];
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST, path);
      isDeleteList = true;
    }
    // null deletes the key; unmatched nulls are ignored.
    if (patchV === null) {
      delete original[key];
      continue;
    }
    const fieldPath = [...path, key];
    if (!hasJsonKey(original, key) || !isSameJsonType(original[key], patchV)) {
      // Not in the original (or of another type): take the patch value, minus nulls and directives.
      if (!isDeleteList) {
        discardNullValues(patchV);
        const kept = removeDirectives(patchV);
        if (kept.keep) setJsonKey(original, key, kept.value);
        else delete original[key];
      }
      continue;
    }
    const originalV = original[key];
    if (isJsonObject(originalV)) {
      const meta = lookup(fieldPath);
      setJsonKey(original, key, getMergeStrategy(meta) === 'replace' ? patchV : mergeMap(originalV, patchV as JsonObject, fieldPath, lookup));
    } else if (Array.isArray(originalV)) {
      setJsonKey(original, key, mergeSliceHandler(originalV, patchV as unknown[], fieldPath, lookup, isDeleteList));
    } else {
      const kept = removeDirectives(patchV);
      if (kept.keep) setJsonKey(original, key, kept.value);
      else delete original[key];
    }
  }
  return original;
}

function isSameJsonType(a: unknown, b: unknown): boolean {
  return getJsonType(a) === getJsonType(b);
}

// patch.go extractRetainKeysPatchStrategy: the strategy besides retainKeys.
function getMergeStrategy(meta: FieldPatchMeta | undefined): string {
  return meta?.strategies.find((s) => s !== 'retainKeys') ?? '';
}

// patch.go handleDirectiveInMergeMap: `$patch: replace` keeps the patch map, `$patch: delete` empties it.
function handleDirectiveInMergeMap(directive: unknown, patch: JsonObject, path: readonly string[]): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  return failWith('STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', `unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(patch)}`, path, patch);
}

// patch.go applyRetainKeysDirective: keys missing from `$retainKeys` are cleared from the original.
function applyRetainKeysDirective(original: JsonObject, patch: JsonObject, path: readonly string[]): void {
  if (!hasJsonKey(patch, RETAIN_KEYS)) return;
  const retainKeys = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retainKeys)) failWith('STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', 'invalid patch format of retainKeys', [...path, RETAIN_KEYS], retainKeys);
  const retained = new Set(retainKeys.filter((k): k is string => typeof k === 'string'));
  for (const key of Object.keys(patch)) {
    if (patch[key] === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(key)) failWith('STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', 'invalid patch format of retainKeys', [...path, key], retainKeys);
  }
  for (const key of Object.keys(original)) if (!retained.has(key)) delete original[key];
}

// patch.go extractKey: `<prefix>/<field>` -> field.
function extractKey(key: string, prefix: string, path: readonly string[]): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    const message = prefix === SET_ELEMENT_ORDER ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list';
    failWith('STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', message, [...path, key], key);
  }
  return key.slice(slash + 1);
}

// patch.go mergePatchIntoOriginal: merges each list named by `$setElementOrder/<list>` and orders it.
// Precedence: $setElementOrder > order in the patch list > order in the live list.
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, path: readonly string[], lookup: PatchMetaLookup): void {
  for (const orderKey of Object.keys(patch)) {
    if (!orderKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const setElementOrder = patch[orderKey];
    delete patch[orderKey];
    if (!Array.isArray(setElementOrder)) failWith('STRATEGIC_MERGE_PATCH_TYPE_MISMATCH', `expected a []interface {}, but received a ${describeGoType(setElementOrder)}`, [...path, orderKey], setElementOrder);
    const key = extractKey(orderKey, SET_ELEMENT_ORDER, path);
    const fieldPath = [...path, key];
    const foundOriginal = hasJsonKey(original, key);
    const foundPatch = hasJsonKey(patch, key);
    const originalList = foundOriginal ? original[key] : undefined;
    const patchList = foundPatch ? patch[key] : undefined;
    if (foundOriginal && !Array.isArray(originalList)) failWith('STRATEGIC_MERGE_PATCH_TYPE_MISMATCH', `expected a []interface {}, but received a ${describeGoType(originalList)}`, fieldPath, originalList);
    if (foundPatch && !Array.isArray(patchList)) failWith('STRATEGIC_MERGE_PATCH_TYPE_MISMATCH', `expected a []interface {}, but received a ${describeGoType(patchList)}`, fieldPath, patchList);
    const meta = lookup(fieldPath);
    const mergeKey = meta?.mergeKey ?? '';
    validatePatchWithSetOrderList((patchList as unknown[] | undefined) ?? [], setElementOrder, mergeKey, fieldPath);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList as unknown[];
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList).value as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList as unknown[], patchList as unknown[], fieldPath, lookup, false);
    else continue;

    const [patchItems, serverOnlyItems] = mergeKey === '' ? partitionPrimitives(merged, setElementOrder) : partitionMaps(merged, setElementOrder, mergeKey, fieldPath);
    const kind = sliceElementType([(originalList as unknown[] | undefined) ?? [], (patchList as unknown[] | undefined) ?? []], fieldPath);
    setJsonKey(original, key, normalizeElementOrder(patchItems, serverOnlyItems, setElementOrder, (originalList as unknown[] | undefined) ?? [], mergeKey, kind, fieldPath));
    delete patch[key];
  }
}

// patch.go validatePatchWithSetOrderList: the patch items (deletions aside) appear in $setElementOrder, in its order.
function validatePatchWithSetOrderList(patchList: unknown[], setOrderList: unknown[], mergeKey: string, path: readonly string[]): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey !== '' ? extractToDeleteItems(patchList, path)[0] : patchList;
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < nonDelete.length && orderIndex < setOrderList.length) {
    if (isJsonObject(nonDelete[patchIndex]) && hasJsonKey(nonDelete[patchIndex] as JsonObject, DIRECTIVE)) {
      patchIndex++;
      continue;
    }
    if (isMergeKeyValueEqual(nonDelete[patchIndex], setOrderList[orderIndex], mergeKey, path)) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < nonDelete.length && orderIndex >= setOrderList.length) {
    failWith('STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', `The order in patch list:\n${formatGoValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${formatGoValue(setOrderList)}\n`, path, setOrderList);
  }
}

function isMergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string, path: readonly string[]): boolean {
  if (mergeKey === '') return isScalarEqual(left, right);
  const l = requireMap(left, path);
  const r = requireMap(right, path);
  return isScalarEqual(requireMergeKey(l, mergeKey, path), requireMergeKey(r, mergeKey, path));
}

// patch.go mergeSliceHandler: merge-strategy lists (and deletion lists) merge, other lists are replaced.
function mergeSliceHandler(original: unknown[], patch: unknown[], path: readonly string[], lookup: PatchMetaLookup, isDeleteList: boolean): unknown[] {
  const meta = lookup(path);
  if (getMergeStrategy(meta) === 'merge' || isDeleteList) return mergeSlice(original, patch, path, lookup, meta?.mergeKey ?? '', isDeleteList);
  return patch;
}

// patch.go mergeSlice.
function mergeSlice(original: unknown[], patch: unknown[], path: readonly string[], lookup: PatchMetaLookup, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType([original, patch], path);
  let merged: unknown[];
  if (kind !== 'object') {
    if (isDeleteList) return original.filter((v) => !patch.some((d) => isScalarEqual(v, d)));
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') failWith('STRATEGIC_MERGE_PATCH_MERGE_KEY_MISSING', `cannot merge lists without merge key for ${path.join('.')}`, path, patch);
    const [live, plainPatch] = mergeSliceWithSpecialElements(original, patch, mergeKey, path);
    original = toListView(live);
    patch = plainPatch;
    merged = mergeSliceWithoutSpecialElements(live, patch, mergeKey, path, lookup);
  }
  const [patchItems, serverOnlyItems] = mergeKey === '' ? partitionPrimitives(merged, patch) : partitionMaps(merged, patch, mergeKey, path);
  return normalizeElementOrder(patchItems, serverOnlyItems, patch, original, mergeKey, kind, path);
}

// apimachinery deletes from and appends to merged lists in place (Go `append` on the live slice), so the
// live list that `$setElementOrder` later orders by sees shifted and overwritten items. Orders in
// patch_test.go depend on it; this keeps Go's slice semantics with the live list as the backing array.
interface AliasedList {
  backing: unknown[];
  length: number;
}

function toListView(list: AliasedList): unknown[] {
  return list.backing.slice(0, list.length);
}

function removeAt(list: AliasedList, index: number): void {
  for (let i = index; i < list.length - 1; i++) list.backing[i] = list.backing[i + 1];
  list.length--;
}

function appendTo(list: AliasedList, item: unknown): void {
  if (list.length < list.backing.length) list.backing[list.length] = item;
  else list.backing = [...list.backing.slice(0, list.length), item];
  list.length++;
}

// patch.go mergeSliceWithSpecialElements: applies `$patch: delete` items, and `$patch: replace` (the patch items become the list).
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, path: readonly string[]): [AliasedList, unknown[]] {
  const live: AliasedList = { backing: original, length: original.length };
  const plain: unknown[] = [];
  let replace = false;
  for (const item of patch) {
    const map = item as JsonObject;
    if (!hasJsonKey(map, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    const directive = map[DIRECTIVE];
    if (directive === 'delete') {
      if (!hasJsonKey(map, mergeKey)) noMergeKey(map, mergeKey, path);
      for (let found = findMapByMergeKey(toListView(live), mergeKey, map[mergeKey], path); found >= 0; found = findMapByMergeKey(toListView(live), mergeKey, map[mergeKey], path)) {
        removeAt(live, found);
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      failWith('STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', 'merging lists cannot yet be specified in the patch', path, item);
    } else {
      failWith('STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', `unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(map)}`, path, item);
    }
  }
  return replace ? [{ backing: plain, length: plain.length }, []] : [live, plain];
}

// patch.go mergeSliceWithoutSpecialElements: items with the same merge key merge, new items are appended.
function mergeSliceWithoutSpecialElements(live: AliasedList, patch: unknown[], mergeKey: string, path: readonly string[], lookup: PatchMetaLookup): unknown[] {
  for (const item of patch) {
    const map = item as JsonObject;
    if (!hasJsonKey(map, mergeKey)) noMergeKey(map, mergeKey, path);
    const found = findMapByMergeKey(toListView(live), mergeKey, map[mergeKey], path);
    if (found >= 0) live.backing[found] = mergeMap(live.backing[found] as JsonObject, map, path, lookup);
    else appendTo(live, item);
  }
  return toListView(live);
}

// patch.go findMapInSliceBasedOnKeyValue.
function findMapByMergeKey(list: unknown[], mergeKey: string, value: unknown, path: readonly string[]): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isJsonObject(item)) failWith('STRATEGIC_MERGE_PATCH_LIST_INVALID', `value for key ${i} is not a map`, path, item);
    if (hasJsonKey(item, mergeKey) && isScalarEqual(item[mergeKey], value)) return i;
  }
  return -1;
}

// patch.go sliceElementType: all items of both lists share one JSON type, and none is a list.
function sliceElementType(lists: unknown[][], path: readonly string[]): string {
  let type: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const t = getJsonType(item);
      if (type === undefined) {
        if (t === 'array') failWith('STRATEGIC_MERGE_PATCH_LIST_INVALID', 'lists of lists are not supported', path, item);
        type = t;
      } else if (t !== type) {
        failWith('STRATEGIC_MERGE_PATCH_LIST_INVALID', `list element types are not identical: [${lists.map(formatGoValue).join(' ')}]`, path, item);
      }
    }
  }
  if (type === undefined) failWith('STRATEGIC_MERGE_PATCH_LIST_INVALID', 'no elements in any of the given slices', path, lists);
  return type;
}

// patch.go normalizeElementOrder: patch items in patch order, server-only items in live order, interleaved by live order.
function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: string, path: readonly string[]): unknown[] {
  const sortedPatch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind, path);
  const sortedServerOnly = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind, path);
  return mergeSortedSlice(sortedServerOnly, sortedPatch, serverOrder, mergeKey, kind);
}

// patch.go normalizeSliceOrder: stable sort by position in `order`; `$patch: delete` items go last.
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string, path: readonly string[]): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'object') {
    for (const list of [toSort, order]) for (const item of list) requireMergeKey(requireMap(item, path), mergeKey, path);
    [items, toDelete] = extractToDeleteItems(toSort, path);
  }
  const position = (item: unknown): number => {
    const i = indexOfItem(order, item, mergeKey, kind);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const sorted = items.map((item, i) => ({ item, i, at: position(item) })).sort((a, b) => a.at - b.at || a.i - b.i).map((e) => e.item);
  return [...sorted, ...toDelete];
}

// patch.go mergeSortedSlice: inserts `left` items into `right` before the first right item that comes later in serverOrder.
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOfItem(serverOrder, left[i], mergeKey, kind);
      const ri = indexOfItem(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

// patch.go index: position by merge key value for maps, by value otherwise; -1 when absent.
function indexOfItem(list: unknown[], item: unknown, mergeKey: string, kind: string): number {
  const valueOf = (v: unknown): unknown => (kind === 'object' ? (isJsonObject(v) ? getJsonKey(v, mergeKey) : undefined) : v);
  const wanted = valueOf(item);
  return list.findIndex((v) => isScalarEqual(valueOf(v), wanted));
}

function extractToDeleteItems(list: unknown[], path: readonly string[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const item of list) {
    const map = requireMap(item, path);
    (getJsonKey(map, DIRECTIVE) === 'delete' ? toDelete : keep).push(item);
  }
  return [keep, toDelete];
}

function partitionPrimitives(merged: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) (partitionBy.some((p) => isScalarEqual(p, v)) ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

function partitionMaps(merged: unknown[], partitionBy: unknown[], mergeKey: string, path: readonly string[]): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    const map = requireMap(v, path);
    const value = requireMergeKey(map, mergeKey, path);
    (findMapByMergeKey(partitionBy, mergeKey, value, path) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

// patch.go deduplicateScalars (keeping first occurrences; the order is normalized afterwards).
function deduplicateScalars(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of list) if (!out.some((o) => isScalarEqual(o, v))) out.push(v);
  return out;
}

// Go compares decoded scalars with ==; maps and lists never match there (we compare them structurally instead of panicking).
function isScalarEqual(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && isJsonEqual(a, b));
}

function requireMap(item: unknown, path: readonly string[]): JsonObject {
  if (!isJsonObject(item)) failWith('STRATEGIC_MERGE_PATCH_TYPE_MISMATCH', `expected a map[string]interface {}, but received a ${describeGoType(item)}`, path, item);
  return item;
}

function requireMergeKey(map: JsonObject, mergeKey: string, path: readonly string[]): unknown {
  if (!hasJsonKey(map, mergeKey)) noMergeKey(map, mergeKey, path);
  return map[mergeKey];
}

function noMergeKey(map: JsonObject, mergeKey: string, path: readonly string[]): never {
  return failWith('STRATEGIC_MERGE_PATCH_MERGE_KEY_MISSING', `map: ${formatGoValue(map)} does not contain declared merge key: ${mergeKey}`, path, map);
}

// patch.go removeDirectives: drops maps that carry `$patch` (from maps and lists), recursively.
function removeDirectives(v: unknown): { value: unknown; keep: boolean } {
  if (isJsonObject(v)) {
    if (hasJsonKey(v, DIRECTIVE)) return { value: undefined, keep: false };
    for (const key of Object.keys(v)) {
      const r = removeDirectives(v[key]);
      if (r.keep) setJsonKey(v, key, r.value);
      else delete v[key];
    }
    return { value: v, keep: true };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  return { value: v, keep: true };
}

// patch.go discardNullValuesFromPatch: removes null map values, recursively through maps and lists.
function discardNullValues(v: unknown): void {
  if (isJsonObject(v)) {
    for (const key of Object.keys(v)) {
      if (v[key] === null) delete v[key];
      else discardNullValues(v[key]);
    }
  } else if (Array.isArray(v)) {
    for (const item of v) discardNullValues(item);
  }
}

// Directive keys the merge left in place (in new items, replaced lists) are no fields of any kind: decoding
// the result into the Go struct drops them, and so do we.
function removeLeftoverDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(removeLeftoverDirectives);
  if (!isJsonObject(v)) return v;
  for (const key of Object.keys(v)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(`${SET_ELEMENT_ORDER}/`) || key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)) delete v[key];
    else setJsonKey(v, key, removeLeftoverDirectives(v[key]));
  }
  return v;
}

function describeGoType(v: unknown): string {
  switch (getJsonType(v)) {
    case 'object':
      return 'map[string]interface {}';
    case 'array':
      return '[]interface {}';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    default:
      return '<nil>';
  }
}
