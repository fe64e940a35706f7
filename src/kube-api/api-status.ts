import { toQualifiedResource, type ApiResource } from './api-resources.js';

/**
 * `Status` objects as the Kubernetes API server returns them for failures (k8s.io/apimachinery
 * pkg/api/errors), so kubectl prints `Error from server (NotFound): pods "nope" not found`.
 */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A failure Status with the HTTP code it goes with. */
export function newFailureStatus(code: number, reason: string, message: string, details?: StatusDetails): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** The Success Status of a delete that returns no object. */
export function newSuccessStatus(r: ApiResource, name: string, uid?: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, ...(r.group ? { group: r.group } : {}), kind: r.resource, ...(uid ? { uid } : {}) } };
}

const detailsOf = (r: ApiResource, name: string): StatusDetails => ({ name, ...(r.group ? { group: r.group } : {}), kind: r.resource });

/** 404 `<resource> "<name>" not found`. */
export function notFound(r: ApiResource, name: string): KubeStatus {
  return newFailureStatus(404, 'NotFound', `${toQualifiedResource(r)} "${name}" not found`, detailsOf(r, name));
}

/** 409 `<resource> "<name>" already exists`. */
export function alreadyExists(r: ApiResource, name: string): KubeStatus {
  return newFailureStatus(409, 'AlreadyExists', `${toQualifiedResource(r)} "${name}" already exists`, detailsOf(r, name));
}

/** 409 Conflict: the object changed since the client read it (resourceVersion precondition). */
export function conflict(r: ApiResource, name: string, why: string): KubeStatus {
  return newFailureStatus(409, 'Conflict', `Operation cannot be fulfilled on ${toQualifiedResource(r)} "${name}": ${why}`, detailsOf(r, name));
}

/** 422 `<Kind> "<name>" is invalid: field: message, ...` with one cause per field. */
export function invalid(r: ApiResource, name: string, causes: StatusCause[]): KubeStatus {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const message = `${r.kind} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  return newFailureStatus(422, 'Invalid', message, { name, ...(r.group ? { group: r.group } : {}), kind: r.kind, causes });
}

/** 400 BadRequest. */
export function badRequest(message: string): KubeStatus {
  return newFailureStatus(400, 'BadRequest', message);
}

/** 405 MethodNotAllowed: the resource does not support the verb. */
export function methodNotSupported(r: ApiResource, verb: string, why?: string): KubeStatus {
  return newFailureStatus(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${toQualifiedResource(r)}"${why ? `: ${why}` : ''}`, { ...(r.group ? { group: r.group } : {}), kind: r.resource });
}

/** 404 for a path that names no served resource. */
export function pathNotFound(): KubeStatus {
  return newFailureStatus(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** 410 Expired: a watch or list from a resourceVersion older than the server keeps. */
export function expired(requested: string, oldest: number): KubeStatus {
  return newFailureStatus(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** 415 for a patch or body type the server does not take. */
export function unsupportedMediaType(contentType: string, accepted: readonly string[]): KubeStatus {
  return newFailureStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, { causes: [{ reason: 'UnexpectedHeader', message: `unsupported media type "${contentType}"`, field: 'Content-Type' }] });
}

/** 406 for an Accept the server cannot produce. */
export function notAcceptable(accept: string): KubeStatus {
  return newFailureStatus(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/yaml (asked for "${accept}")`);
}

/** 413 for a body over the limit. */
export function requestEntityTooLarge(limit: number): KubeStatus {
  return newFailureStatus(413, 'RequestEntityTooLarge', `the request body is larger than the server accepts (${limit} bytes)`);
}
