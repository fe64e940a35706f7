import { buildManifestSet } from '../manifest/load.js';
import type { Finding } from '../manifest/finding.js';
import type { StatusCause } from './api-status.js';

/**
 * Server-side validation of a write, as the API server does it: the manifest validator (the
 * Kubernetes definitions plus the simulator's semantic checks) on the object, with unknown fields
 * handled by the request's `fieldValidation` (Strict: rejected; Warn: dropped with a warning;
 * Ignore: dropped). Pure.
 */

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export type WriteCheck =
  | { kind: 'ok'; body: Record<string, unknown>; warnings: string[] }
  | { kind: 'unknown-fields'; message: string }
  | { kind: 'invalid'; causes: StatusCause[] };

/** `?fieldValidation=`: undefined when the value is not one the API defines. Default Warn, as the API server's. */
export function parseFieldValidation(v: string | null): FieldValidation | undefined {
  if (v === null || v === '') return 'Warn';
  return v === 'Strict' || v === 'Warn' || v === 'Ignore' ? v : undefined;
}

/** Deletes the field at a kubectl-notation path (`spec.ports[0].protocl`) from a copy of `body`. */
function withoutField(body: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = structuredClone(body);
  const steps = path.match(/[^.[\]]+/g) ?? [];
  let at: unknown = copy;
  for (const step of steps.slice(0, -1)) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[step] : undefined;
  if (at && typeof at === 'object') delete (at as Record<string, unknown>)[steps[steps.length - 1]];
  return copy;
}

/** A finding as a Status cause, in the API server's wording (`Invalid value: ...`, `Required value`) with our hint. */
export function toStatusCause(f: Finding): StatusCause {
  const required = f.code === 'FIELD_REQUIRED';
  const shown = f.value === undefined ? '' : `${JSON.stringify(f.value)}: `;
  const message = required ? `Required value: ${f.message}` : `Invalid value: ${shown}${f.message}`;
  return { reason: required ? 'FieldValueRequired' : 'FieldValueInvalid', message: f.hint ? `${message} (hint: ${f.hint})` : message, field: f.path };
}

/** Validates an object sent to the API; `kind`: the kind the URL names (for the strict-decoding message). */
export function checkWrite(body: Record<string, unknown>, fieldValidation: FieldValidation, kind: string, apiVersion: string): WriteCheck {
  const findings = buildManifestSet([{ file: 'request', text: JSON.stringify(body) }]).findings;
  const unknown = findings.filter((f) => f.code === 'FIELD_UNKNOWN');
  const others = findings.filter((f) => f.code !== 'FIELD_UNKNOWN');
  const warnings = others.filter((f) => f.severity === 'warning').map((f) => `${f.path ? `${f.path}: ` : ''}${f.message}${f.hint ? ` (hint: ${f.hint})` : ''}`);
  if (unknown.length > 0 && fieldValidation === 'Strict') {
    const list = unknown.map((f) => `unknown field "${f.path}"${f.hint.startsWith('did you mean') ? ` (${f.hint.replace(/"([^"]+)"/, `"${f.path.replace(/[^.[\]]+$/, '')}$1"`)})` : ''}`);
    return { kind: 'unknown-fields', message: `${kind} in version "${apiVersion}" cannot be handled as a ${kind}: strict decoding error: ${list.join(', ')}` };
  }
  let cleaned = body;
  for (const f of unknown) cleaned = withoutField(cleaned, f.path);
  const errors = others.filter((f) => f.severity === 'error');
  if (errors.length > 0) return { kind: 'invalid', causes: errors.map(toStatusCause) };
  if (unknown.length > 0 && fieldValidation === 'Warn') warnings.unshift(...unknown.map((f) => `unknown field "${f.path}"`));
  return { kind: 'ok', body: cleaned, warnings };
}
