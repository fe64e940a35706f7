import { cloneJson, getJsonKey, isJsonObject, setJsonKey, type JsonObject } from './json-value.js';

/**
 * JSON merge patch, RFC 7386 (`application/merge-patch+json`): objects merge key by key, `null`
 * removes a key, anything else (lists included) replaces. Inputs are never mutated.
 */

/** RFC 7386 section 2 MergePatch(target, patch): a new value; `patch` that is not an object replaces `target`. */
export function applyJsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? copyOwn(target) : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete out[key];
    else setJsonKey(out, key, applyJsonMergePatch(getJsonKey(out, key), value));
  }
  return out;
}

function copyOwn(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(o)) setJsonKey(out, key, cloneJson(o[key]));
  return out;
}
