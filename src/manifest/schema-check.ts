import type { Finding } from './finding.js';
import { newFinding } from './finding-codes.js';
import { closest } from './did-you-mean.js';
import { getKindValidator, type SchemaError } from './kind-schemas.js';
import type { SupportedKind } from './manifest-object.js';
import { toPathString, type FieldPath, type ParsedDocument } from './parse.js';

/** What the schema check found, plus the fields an unknown field was taken for (so later rules do not report them missing too). */
export interface SchemaCheckResult {
  findings: Finding[];
  /** Path strings of fields suggested by a did-you-mean (`spec.volumeClaimTemplates[0].spec.accessModes`). */
  suggested: Set<string>;
}

interface NodeTrace {
  path: FieldPath;
  value: Record<string, unknown>;
  read: Set<string>;
  /** Enumerated by the validator: a map (labels, selector) whose keys are all allowed. */
  enumerated: boolean;
}

/**
 * Wraps the document in Proxies that record which keys the compiled OpenAPI validator reads. The
 * validators read every property their definition declares (and enumerate maps), so a key that is
 * present but never read is a field the API does not define: exactly what kubectl's strict decoding
 * rejects as `unknown field`.
 */
function traceReads(root: unknown): { proxy: unknown; traces: NodeTrace[] } {
  const traces: NodeTrace[] = [];
  const proxies = new WeakMap<object, unknown>();
  const wrap = (v: unknown, path: FieldPath): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const cached = proxies.get(v);
    if (cached) return cached;
    const isArray = Array.isArray(v);
    const trace: NodeTrace | undefined = isArray ? undefined : { path, value: v as Record<string, unknown>, read: new Set(), enumerated: false };
    if (trace) traces.push(trace);
    const proxy = new Proxy(v, {
      get(target, key, receiver) {
        const x = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return x;
        trace?.read.add(key);
        if (!Object.prototype.hasOwnProperty.call(target, key)) return x;
        return wrap(x, [...path, isArray ? Number(key) : key]);
      },
      ownKeys(target) {
        if (trace) trace.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(v, proxy);
    return proxy;
  };
  return { proxy: wrap(root, []), traces };
}

/** `/spec/ports/0/targetPort` → `['spec', 'ports', 0, 'targetPort']`, numbers where the value is a list. */
function toFieldPath(instancePath: string, root: unknown): FieldPath {
  const out: Array<string | number> = [];
  let cur: unknown = root;
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function getAt(root: unknown, path: FieldPath): unknown {
  let cur = root;
  for (const seg of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

/** The JSON type of a YAML value as a learner would name it. */
export function toValueTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `integer ${v}` : `number ${v}`;
  return `${typeof v} ${String(v)}`;
}

const REQUIRED_HINTS: Record<string, string> = {
  addressType: 'add "addressType: IPv4" (or IPv6, FQDN)',
  containers: 'add "containers:" with at least one container (name and image)',
  endpoints: 'add "endpoints:" (a list, may be empty: [])',
  name: 'add "name: <name>"',
  port: 'add "port: <number>"',
  selector: 'add "selector:" with "matchLabels:" equal to the pod template labels',
  template: 'add "template:" with metadata.labels and spec.containers',
};

function typeHint(expected: string, value: unknown): string | undefined {
  if (expected === 'integer' && typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return `write ${value.trim()} without quotes: quoted, it is a string`;
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return `quote it: "${String(value)}" (YAML reads ${String(value)} as a ${typeof value})`;
  if (expected === 'array' && value !== null && typeof value !== 'object') return `write a list: "- ${String(value)}" on the next line, or [${JSON.stringify(value)}]`;
  if (expected === 'array') return 'write a list (entries starting with "- ")';
  if (expected === 'object') return 'write a mapping (indented "key: value" lines)';
  return undefined;
}

/** Checks a document against its kind's OpenAPI definition: unknown fields, types, enums, required fields, formats. Never throws. */
export function checkSchema(doc: ParsedDocument, kind: SupportedKind): SchemaCheckResult {
  const findings: Finding[] = [];
  const suggested = new Set<string>();
  const root = doc.value;
  const spotAt = (path: FieldPath, key = false, value?: unknown) => {
    const p = key ? doc.keyPositionOf(path) : doc.positionOf(path);
    return { file: doc.file, line: p.line, col: p.col, path: toPathString([...doc.basePath, ...path]), value };
  };
  const { proxy, traces } = traceReads(root);
  let errors: SchemaError[];
  try {
    errors = getKindValidator(kind)(proxy);
  } catch {
    // A validator that throws on odd input is a bug in the schema package, not the user's: report nothing rather than crash.
    return { findings, suggested };
  }

  // Structure errors (wrong type) stop the validator from looking inside: no unknown fields beneath them.
  const broken: string[] = [];
  const byPath = new Map<string, SchemaError[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  for (const [instancePath, errs] of byPath) {
    // apiVersion and kind are judged once, by validateDocument.
    if (instancePath === '/apiVersion' || instancePath === '/kind') continue;
    const path = toFieldPath(instancePath, root);
    const value = getAt(root, path);
    const oneOf = errs.find((e) => e.keyword === 'oneOf');
    if (oneOf) {
      broken.push(instancePath);
      const formats = errs.filter((e) => e.keyword === 'format').map((e) => e.params.format);
      if (formats.includes('quantity') && typeof value === 'string') {
        findings.push(newFinding('QUANTITY_INVALID', spotAt(path, false, value), { text: value }));
      } else if (formats.includes('quantity')) {
        findings.push(newFinding('FIELD_TYPE', spotAt(path, false, value), { expected: 'quantity (e.g. "1Gi")', got: toValueTypeName(value), hint: 'write a quantity such as 1Gi or 500Mi' }));
      } else {
        findings.push(newFinding('FIELD_TYPE', spotAt(path, false, value), { expected: 'integer or string', got: toValueTypeName(value), hint: 'write a port number (8080) or a port name (http)' }));
      }
      continue;
    }
    for (const e of errs) {
      if (e.keyword === 'required') {
        const field = String(e.params.missingProperty);
        const full = toPathString([...doc.basePath, ...path, field]);
        if (suggested.has(full)) continue;
        const spot = path.length > 0 ? spotAt(path, true) : spotAt([]);
        findings.push(newFinding('FIELD_REQUIRED', { ...spot, path: full }, { field: full, hint: REQUIRED_HINTS[field] ?? `add "${field}:" under ${toPathString([...doc.basePath, ...path]) || 'the top level'}` }));
      } else if (e.keyword === 'type') {
        broken.push(instancePath);
        const expected = String(e.params.type);
        const glued = typeof value === 'string' ? /^([A-Za-z0-9_./-]+):(\S.*)$/.exec(value) : null;
        if (expected === 'object' && glued) {
          // `name:web` is a valid plain scalar, so YAML does not complain: the missing space shows up as a type error.
          const keyPos = doc.keyPositionOf(path);
          const valuePos = doc.positionOf(path);
          const onOwnLine = valuePos.line > keyPos.line;
          findings.push(
            newFinding('YAML_MISSING_SPACE', { ...spotAt(path, false, value), col: onOwnLine ? valuePos.col + glued[1].length : valuePos.col }, {
              message: `no space after ':' in "${value}": YAML reads it as one string, not as the key "${glued[1]}"`,
              hint: `write "${glued[1]}: ${glued[2]}"`,
            }),
          );
          continue;
        }
        findings.push(newFinding('FIELD_TYPE', spotAt(path, false, value), { expected: expected === 'object' ? 'mapping' : expected === 'array' ? 'list' : expected, got: toValueTypeName(value), hint: typeHint(expected, value) }));
      } else if (e.keyword === 'enum') {
        const allowed = (e.params.allowedValues as unknown[]).map(String).filter((x) => x !== '');
        const exact = typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
        const suggestion = exact ?? (typeof value === 'string' ? closest(value, allowed) : undefined);
        findings.push(newFinding('FIELD_ENUM', spotAt(path, false, value), { value, allowed, suggestion }));
      } else if (e.keyword === 'format') {
        const format = String(e.params.format);
        if (format === 'int32' || format === 'int64') {
          findings.push(newFinding('FIELD_TYPE', spotAt(path, false, value), { expected: `${format} integer`, got: toValueTypeName(value), hint: 'use a smaller number' }));
        } else if (format === 'quantity' && typeof value === 'string') {
          findings.push(newFinding('QUANTITY_INVALID', spotAt(path, false, value), { text: value }));
        } else {
          findings.push(newFinding('FIELD_FORMAT', spotAt(path, false, value), { format }));
        }
      } else {
        findings.push(newFinding('FIELD_INVALID', spotAt(path, false, value), { message: `value rejected by the API schema (${e.keyword})`, hint: 'check this value against the Kubernetes API reference' }));
      }
    }
  }

  const brokenPaths = broken.map((p) => toFieldPath(p, root));
  const isUnderBroken = (path: FieldPath) => brokenPaths.some((b) => b.length <= path.length && b.every((s, i) => s === path[i]));
  for (const t of traces) {
    if (t.enumerated || isUnderBroken(t.path)) continue;
    for (const key of Object.keys(t.value)) {
      if (t.read.has(key)) continue;
      const candidates = [...t.read].filter((k) => !Object.prototype.hasOwnProperty.call(t.value, k));
      const suggestion = closest(key, candidates);
      const path = [...t.path, key];
      if (suggestion) suggested.add(toPathString([...doc.basePath, ...t.path, suggestion]));
      findings.push(
        newFinding('FIELD_UNKNOWN', spotAt(path, true, key), {
          field: key,
          type: t.path.length ? toPathString([...doc.basePath, ...t.path]) : kind,
          suggestion,
          known: [...t.read].filter((k) => k !== key).sort(),
        }),
      );
    }
  }
  // A required field that an unknown field was a typo of: the did-you-mean says it all.
  return { findings: findings.filter((f) => !(f.code === 'FIELD_REQUIRED' && suggested.has(f.path))), suggested };
}
