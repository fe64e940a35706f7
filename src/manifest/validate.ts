import type { Finding } from './finding.js';
import { toPathString, type FieldPath, type ParsedDocument } from './parse.js';
import { isSupportedKind } from './manifest-object.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kinds whose names become DNS labels and so must be RFC 1035/1123 labels. */
const LABEL_NAMED_KINDS = new Set(['Service', 'Namespace']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Finds everything the API server would reject in one document. Never throws. */
export function validateDocument(doc: ParsedDocument): Finding[] {
  const findings: Finding[] = [];
  const at = (path: FieldPath, code: string, message: string, hint: string, value?: unknown, key = false): void => {
    const p = key ? doc.keyPositionOf(path) : doc.positionOf(path);
    findings.push({ code, severity: 'error', message, file: doc.file, line: p.line, col: p.col, path: toPathString([...doc.basePath, ...path]), value, hint });
  };
  const v = doc.value;
  if (!isObj(v)) {
    at([], 'OBJECT_NOT_MAPPING', 'a manifest must be a mapping with apiVersion, kind and metadata', 'start the document with "apiVersion:", "kind:" and "metadata:"', v);
    return findings;
  }
  if (typeof v.apiVersion !== 'string' || v.apiVersion === '') at(['apiVersion'], 'FIELD_REQUIRED', 'apiVersion is required', 'add e.g. "apiVersion: v1" (Service, Pod) or "apiVersion: apps/v1" (StatefulSet, ReplicaSet, Deployment)');
  if (typeof v.kind !== 'string' || v.kind === '') {
    at(['kind'], 'FIELD_REQUIRED', 'kind is required', 'add e.g. "kind: Service"');
    return findings;
  }
  if (!isSupportedKind(v.kind)) return findings;
  const meta = v.metadata;
  if (!isObj(meta)) {
    at(['metadata'], 'FIELD_REQUIRED', 'metadata.name is required', 'add "metadata:" with "name: <name>"');
    return findings;
  }
  if (typeof meta.name !== 'string' || meta.name === '') {
    at(['metadata', 'name'], 'FIELD_REQUIRED', 'metadata.name is required', 'add "name: <name>" under metadata');
  } else {
    const label = LABEL_NAMED_KINDS.has(v.kind);
    const ok = label ? DNS1123_LABEL.test(meta.name) && meta.name.length <= 63 : DNS1123_SUBDOMAIN.test(meta.name) && meta.name.length <= 253;
    if (!ok) {
      at(['metadata', 'name'], 'NAME_INVALID', `"${meta.name}" is not a valid ${label ? 'DNS-1123 label' : 'DNS-1123 subdomain'}`, `use lower-case letters, digits and "-"${label ? '' : ' (and ".")'}, starting and ending with a letter or digit, e.g. "${toDnsName(meta.name)}"`, meta.name);
    }
  }
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || !DNS1123_LABEL.test(meta.namespace))) {
    at(['metadata', 'namespace'], 'NAME_INVALID', `namespace "${String(meta.namespace)}" is not a valid DNS-1123 label`, 'use lower-case letters, digits and "-"', meta.namespace);
  }
  if (v.kind === 'StatefulSet') validateClaimTemplates(v, at);
  return findings;
}

type At = (path: FieldPath, code: string, message: string, hint: string, value?: unknown, key?: boolean) => void;

const PVC_SPEC_FIELDS = ['accessModes', 'dataSource', 'dataSourceRef', 'resources', 'selector', 'storageClassName', 'volumeAttributesClassName', 'volumeMode', 'volumeName'];

function validateClaimTemplates(v: Obj, at: At): void {
  const spec = v.spec;
  if (!isObj(spec) || !Array.isArray(spec.volumeClaimTemplates)) return;
  spec.volumeClaimTemplates.forEach((t, i) => {
    if (!isObj(t) || !isObj(t.spec)) return;
    for (const key of Object.keys(t.spec)) {
      if (PVC_SPEC_FIELDS.includes(key)) continue;
      const guess = closest(key, PVC_SPEC_FIELDS);
      at(['spec', 'volumeClaimTemplates', i, 'spec', key], 'FIELD_UNKNOWN', `unknown field "${key}" in PersistentVolumeClaimSpec`, guess ? `did you mean "${guess}"? (${guess === 'accessModes' ? 'a list, e.g. "accessModes: [ReadWriteOnce]"' : 'check the spelling'})` : `remove it; known fields: ${PVC_SPEC_FIELDS.join(', ')}`, key, true);
    }
  });
}

/** The closest candidate by edit distance, or undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function toDnsName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-name';
}
