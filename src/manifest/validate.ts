import type { Finding } from './finding.js';
import { newFinding } from './finding-codes.js';
import { toPathString, type FieldPath, type ParsedDocument } from './parse.js';
import { isSupportedKind } from './manifest-object.js';
import { getKindApiVersion } from './kind-schemas.js';
import { checkSchema } from './schema-check.js';
import { checkApiRules } from './api-rules.js';

/**
 * Finds everything `kubectl apply` (strict field validation) and the API server would reject in one
 * document, and what they would accept but is probably wrong (warnings). Kinds the simulator does
 * not load are not checked. Never throws.
 */
export function validateDocument(doc: ParsedDocument): Finding[] {
  try {
    return validateUnsafe(doc);
  } catch (err) {
    // A bug here must not take the whole run down: report it where the document starts.
    const p = doc.positionOf([]);
    return [newFinding('FIELD_INVALID', { file: doc.file, line: p.line, col: p.col, path: toPathString(doc.basePath) }, { message: `internal validator error: ${String(err)}`, hint: 'please report this manifest to the kube-dns-sim developers' })];
  }
}

function validateUnsafe(doc: ParsedDocument): Finding[] {
  const spot = (path: FieldPath, value?: unknown) => {
    const p = doc.positionOf(path);
    return { file: doc.file, line: p.line, col: p.col, path: toPathString([...doc.basePath, ...path]), value };
  };
  const v = doc.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [newFinding('OBJECT_NOT_MAPPING', spot([], v), {})];
  const o = v as Record<string, unknown>;
  const findings: Finding[] = [];
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') {
    findings.push(newFinding('FIELD_REQUIRED', { ...spot([]), path: toPathString([...doc.basePath, 'apiVersion']) }, { field: 'apiVersion', hint: 'add e.g. "apiVersion: v1" (Service, Pod) or "apiVersion: apps/v1" (StatefulSet, ReplicaSet, Deployment)' }));
  }
  if (typeof o.kind !== 'string' || o.kind === '') {
    findings.push(newFinding('FIELD_REQUIRED', { ...spot([]), path: toPathString([...doc.basePath, 'kind']) }, { field: 'kind', hint: 'add e.g. "kind: Service"' }));
    return findings;
  }
  if (!isSupportedKind(o.kind)) return findings;
  const expected = getKindApiVersion(o.kind);
  if (typeof o.apiVersion === 'string' && o.apiVersion !== '' && o.apiVersion !== expected) {
    findings.push(newFinding('API_VERSION_UNKNOWN', spot(['apiVersion'], o.apiVersion), { kind: o.kind, apiVersion: o.apiVersion, expected }));
  }
  const schema = checkSchema(doc, o.kind);
  findings.push(...schema.findings);
  findings.push(...checkApiRules(doc, o.kind, schema.suggested));
  return dedupe(findings);
}

/** One finding per code and path: the schema and the semantic rules may see the same mistake. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code} ${f.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
