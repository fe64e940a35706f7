/**
 * Plain JSON values as the patch algorithms see them: objects are own-key maps (a `__proto__`
 * key is an ordinary key, never a prototype), arrays are lists, everything else is a scalar.
 */

/** A JSON object (never an array, never null). */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object: not null, not an array. */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when `o` has `key` as an own property (`'__proto__'` included, inherited keys never). */
export function hasJsonKey(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** The own property `key` of `o`, or undefined when absent. */
export function getJsonKey(o: JsonObject, key: string): unknown {
  return hasJsonKey(o, key) ? o[key] : undefined;
}

/** Sets the own property `key` of `o` (mutates `o`; safe for `'__proto__'`). */
export function setJsonKey(o: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

/** A deep copy of a JSON value; objects and arrays are new, scalars are shared. */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map((item) => cloneJson(item)) as T;
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const key of Object.keys(v)) setJsonKey(out, key, cloneJson(v[key]));
    return out as T;
  }
  return v;
}

/** Structural equality of two JSON values (object key order ignored, list order significant). */
export function isJsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => isJsonEqual(item, b[i]));
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => hasJsonKey(b, k) && isJsonEqual(a[k], b[k]));
  }
  return false;
}

/** The JSON type of a value: 'object', 'array', 'null', 'string', 'number', 'boolean' (anything else: 'other'). */
export function getJsonType(v: unknown): 'object' | 'array' | 'null' | 'string' | 'number' | 'boolean' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'object') return 'object';
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  return 'other';
}

/** Go's `%v` rendering of a decoded JSON value, for error messages that quote the apiserver. */
export function formatGoValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(' ')}]`;
  if (isJsonObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${formatGoValue(v[k])}`).join(' ')}]`;
  return String(v);
}
