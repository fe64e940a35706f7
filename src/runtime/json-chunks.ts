/** Elements (or object entries) serialised together between two chunks. */
const BATCH = 2000;

/**
 * JSON.stringify of plain data (objects, arrays, strings, numbers, booleans, null), as chunks whose
 * concatenation is exactly JSON.stringify(value). Arrays and objects with more than `batch` items are
 * written `batch` items at a time, and the top `depth` levels of objects are opened, so a writer can
 * yield to the event loop between chunks: the state file of a 100k-pod cluster is about 70 MB of
 * JSON, one JSON.stringify of it stalled every DNS answer for most of a second.
 */
export function* toJsonChunks(value: unknown, batch = BATCH, depth = 2): Generator<string> {
  if (Array.isArray(value) && value.length > batch) {
    yield '[';
    for (let i = 0; i < value.length; i += batch) {
      const part: string[] = [];
      for (let j = i; j < Math.min(i + batch, value.length); j++) part.push(JSON.stringify(value[j]) ?? 'null');
      yield `${i > 0 ? ',' : ''}${part.join(',')}`;
    }
    yield ']';
    return;
  }
  if (!isPlainObject(value) || (depth <= 0 && Object.keys(value).length <= batch)) {
    yield JSON.stringify(value);
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  yield '{';
  if (entries.length > batch) {
    for (let i = 0; i < entries.length; i += batch) {
      const part: string[] = [];
      for (let j = i; j < Math.min(i + batch, entries.length); j++) part.push(`${JSON.stringify(entries[j][0])}:${JSON.stringify(entries[j][1])}`);
      yield `${i > 0 ? ',' : ''}${part.join(',')}`;
    }
  } else {
    let first = true;
    for (const [k, v] of entries) {
      yield `${first ? '' : ','}${JSON.stringify(k)}:`;
      yield* toJsonChunks(v, batch, depth - 1);
      first = false;
    }
  }
  yield '}';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}
