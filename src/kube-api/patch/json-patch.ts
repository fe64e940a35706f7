import { parseJsonPointer, toArrayIndex } from './json-pointer.js';
import { newPatchError, type PatchError, type PatchResult } from './patch-error.js';
import { cloneJson, getJsonKey, hasJsonKey, isJsonEqual, isJsonObject, setJsonKey, type JsonObject } from './json-value.js';

/**
 * JSON patch, RFC 6902 (`application/json-patch+json`): a list of add / remove / replace / move /
 * copy / test operations applied in order, all or nothing. Messages follow
 * gopkg.in/evanphx/json-patch.v4, which the apiserver uses (its failures become 422 Invalid).
 */

type Container = JsonObject | unknown[];

/** Applies the operations in `operations` to a copy of `document`; the first failing operation fails the patch. */
export function applyJsonPatch(document: unknown, operations: unknown): PatchResult<unknown> {
  if (operations === null) return { ok: true, value: cloneJson(document) }; // Go decodes null as an empty patch
  if (!Array.isArray(operations)) {
    return fail(newPatchError('JSON_PATCH_NOT_A_LIST', `json: cannot unmarshal ${describeJsonType(operations)} into Go value of type jsonpatch.Patch`, '', operations));
  }
  for (let i = 0; i < operations.length; i++) {
    if (!isJsonObject(operations[i])) {
      return fail(newPatchError('JSON_PATCH_NOT_A_LIST', `json: cannot unmarshal ${describeJsonType(operations[i])} into Go value of type jsonpatch.Operation`, `/${i}`, operations[i]));
    }
  }
  // The root lives in a holder so that operations on "" replace it like any other value.
  const holder: JsonObject = { root: cloneJson(document) };
  for (let i = 0; i < operations.length; i++) {
    const error = applyOperation(holder, operations[i] as JsonObject, i);
    if (error) return fail(error);
  }
  return { ok: true, value: holder.root };
}

function applyOperation(holder: JsonObject, op: JsonObject, index: number): PatchError | undefined {
  const kind = getJsonKey(op, 'op');
  const at = `/${index}`;
  if (typeof kind !== 'string' || !['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(kind)) {
    return newPatchError('JSON_PATCH_OPERATION_INVALID', `Unexpected kind: ${typeof kind === 'string' ? kind : 'unknown'}`, at, op);
  }
  const path = getJsonKey(op, 'path');
  if (typeof path !== 'string') return newPatchError('JSON_PATCH_OPERATION_INVALID', `${kind} operation failed to decode path: operation missing path field: missing value`, at, op);
  const tokens = parseJsonPointer(path);
  if (!tokens) return newPatchError('JSON_PATCH_PATH_INVALID', `${kind} operation does not apply: invalid JSON pointer: "${path}"`, at, op);
  const needsValue = kind === 'add' || kind === 'replace' || kind === 'test';
  if (needsValue && !hasJsonKey(op, 'value')) return newPatchError('JSON_PATCH_OPERATION_INVALID', `${kind} operation, missing value field: missing value`, at, op);
  const value = getJsonKey(op, 'value');
  const target = ['root', ...tokens];

  switch (kind) {
    case 'add':
      return addValue(holder, target, cloneJson(value), path, op, at);
    case 'remove': {
      const found = resolveParent(holder, target);
      if (!found) return missingPath('remove operation does not apply: doc is missing path: "%s": missing value', path, op, at);
      return removeValue(found.container, found.key, path, op, at, 'remove');
    }
    case 'replace': {
      const found = resolveParent(holder, target);
      if (!found) return missingPath('replace operation does not apply: doc is missing path: %s: missing value', path, op, at);
      const { container, key } = found;
      if (Array.isArray(container)) {
        const i = toArrayIndex(key);
        if (i < 0 || i >= container.length) return newPatchError('JSON_PATCH_PATH_MISSING', `replace operation does not apply: doc is missing key: ${path}: missing value`, at, op);
        container[i] = cloneJson(value);
      } else {
        if (!hasJsonKey(container, key)) return newPatchError('JSON_PATCH_PATH_MISSING', `replace operation does not apply: doc is missing key: ${path}: missing value`, at, op);
        setJsonKey(container, key, cloneJson(value));
      }
      return undefined;
    }
    case 'test': {
      const found = resolveParent(holder, target);
      if (!found) return missingPath('test operation does not apply: is missing path: %s: missing value', path, op, at);
      const current = readValue(found.container, found.key);
      if (!current.found || !isJsonEqual(current.value, value)) return newPatchError('JSON_PATCH_TEST_FAILED', `testing value ${path} failed: test failed`, at, op);
      return undefined;
    }
    default: {
      // move and copy
      const from = getJsonKey(op, 'from');
      if (typeof from !== 'string') return newPatchError('JSON_PATCH_OPERATION_INVALID', `${kind} operation failed to decode from: operation, missing from field: missing value`, at, op);
      const fromTokens = parseJsonPointer(from);
      if (!fromTokens) return newPatchError('JSON_PATCH_PATH_INVALID', `${kind} operation does not apply: invalid JSON pointer: "${from}"`, at, op);
      const source = resolveParent(holder, ['root', ...fromTokens]);
      if (!source) return missingPath(`${kind} operation does not apply: doc is missing from path: %s: missing value`, from, op, at);
      const read = readValue(source.container, source.key);
      if (!read.found) return newPatchError('JSON_PATCH_PATH_MISSING', `error in ${kind} for path: '${source.key}': Unable to access invalid index or missing key: ${from}: missing value`, at, op);
      if (kind === 'move') {
        // RFC 6902 section 4.4: a location cannot be moved into one of its children.
        if (path !== from && path.startsWith(`${from}/`)) return newPatchError('JSON_PATCH_PATH_INVALID', `move operation does not apply: "from" ${from} is a proper prefix of "path" ${path}`, at, op);
        if (path === from) return undefined;
        const removed = removeValue(source.container, source.key, from, op, at, 'move');
        if (removed) return removed;
        return addValue(holder, target, read.value, path, op, at);
      }
      return addValue(holder, target, cloneJson(read.value), path, op, at);
    }
  }
}

function addValue(holder: JsonObject, target: string[], value: unknown, path: string, op: JsonObject, at: string): PatchError | undefined {
  const found = resolveParent(holder, target);
  if (!found) return missingPath('add operation does not apply: doc is missing path: "%s": missing value', path, op, at);
  const { container, key } = found;
  if (Array.isArray(container)) {
    if (key === '-') {
      container.push(value);
      return undefined;
    }
    const i = toArrayIndex(key);
    if (i < 0 && !/^-?[0-9]+$/.test(key)) return newPatchError('JSON_PATCH_PATH_INVALID', `error in add for path: '${path}': value was not a proper array index: '${key}'`, at, op);
    if (i < 0 || i > container.length) return newPatchError('JSON_PATCH_PATH_INVALID', `error in add for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`, at, op);
    container.splice(i, 0, value);
    return undefined;
  }
  setJsonKey(container, key, value);
  return undefined;
}

function removeValue(container: Container, key: string, path: string, op: JsonObject, at: string, kind: string): PatchError | undefined {
  if (Array.isArray(container)) {
    const i = toArrayIndex(key);
    if (i < 0 || i >= container.length) return newPatchError('JSON_PATCH_PATH_MISSING', `error in ${kind} for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`, at, op);
    container.splice(i, 1);
    return undefined;
  }
  if (!hasJsonKey(container, key)) return newPatchError('JSON_PATCH_PATH_MISSING', `error in ${kind} for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`, at, op);
  delete container[key];
  return undefined;
}

function readValue(container: Container, key: string): { found: boolean; value?: unknown } {
  if (Array.isArray(container)) {
    const i = toArrayIndex(key);
    return i >= 0 && i < container.length ? { found: true, value: container[i] } : { found: false };
  }
  return hasJsonKey(container, key) ? { found: true, value: container[key] } : { found: false };
}

/** The container holding the last token of `tokens`, walking from `holder`; undefined when a step is missing or a scalar. */
function resolveParent(holder: JsonObject, tokens: string[]): { container: Container; key: string } | undefined {
  let current: unknown = holder;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i];
    if (Array.isArray(current)) {
      const index = toArrayIndex(token);
      if (index < 0 || index >= current.length) return undefined;
      current = current[index];
    } else if (isJsonObject(current)) {
      if (!hasJsonKey(current, token)) return undefined;
      current = current[token];
    } else return undefined;
  }
  if (!Array.isArray(current) && !isJsonObject(current)) return undefined;
  return { container: current, key: tokens[tokens.length - 1] };
}

function missingPath(template: string, path: string, op: JsonObject, at: string): PatchError {
  return newPatchError('JSON_PATCH_PATH_MISSING', template.replace('%s', path), at, op);
}

function describeJsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function fail(error: PatchError): PatchResult<never> {
  return { ok: false, error };
}
