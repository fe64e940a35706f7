import { applyJsonMergePatch } from './json-merge-patch.js';
import { applyJsonPatch } from './json-patch.js';
import { newPatchError, type PatchError, type PatchErrorCode, type PatchFailureReason } from './patch-error.js';
import { getPatchMetaLookup } from './patch-merge-keys.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { cloneJson, isJsonObject } from './json-value.js';

/**
 * The PATCH verb's body algorithms, chosen by Content-Type as the Kubernetes API server does
 * (k8s.io/apiserver/pkg/endpoints/handlers/patch.go): JSON patch, JSON merge patch and
 * strategic merge patch. Server-side apply (`application/apply-patch+yaml`) is not a patch
 * algorithm and is not handled here.
 */

export { applyJsonMergePatch } from './json-merge-patch.js';
export { applyJsonPatch } from './json-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { getPatchMetaLookup, PATCH_META_BY_KIND, toKindKey, type FieldPatchMeta, type PatchMetaLookup } from './patch-merge-keys.js';
export { PATCH_ERROR_CATALOGUE, type PatchError, type PatchErrorCode, type PatchFailureReason, type PatchResult } from './patch-error.js';

/** The group, version and kind of the object being patched. */
export interface PatchTarget {
  group: string;
  version: string;
  kind: string;
}

/** The patched object, or the apiserver's refusal (reason 415 UnsupportedMediaType, 400 BadRequest or 422 Invalid) with a stable code, the path at fault and a hint. */
export type ApplyPatchResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; reason: PatchFailureReason; message: string; code: PatchErrorCode; path: string; hint: string };

/** The patch content types the apiserver accepts, in the order its 415 message lists them. */
export const PATCH_CONTENT_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/strategic-merge-patch+json'] as const;

/**
 * Applies `patch` (already parsed JSON) to a copy of `original` by the algorithm `contentType`
 * names (parameters such as `; charset=utf-8` are ignored). Never mutates its inputs and never
 * throws. Strategic merge patch needs a kind listed in PATCH_META_BY_KIND: other kinds get the
 * 415 the apiserver gives custom resources.
 */
export function applyPatch(contentType: string, original: Record<string, unknown>, patch: unknown, target: PatchTarget): ApplyPatchResult {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  try {
    switch (mediaType) {
      case 'application/json-patch+json': {
        const r = applyJsonPatch(original, patch);
        return r.ok ? toObjectResult(r.value) : toFailure(r.error);
      }
      case 'application/merge-patch+json':
        // evanphx/json-patch MergePatch: a body that is not an object is ErrBadJSONPatch.
        if (!isJsonObject(patch)) return toFailure(newPatchError('MERGE_PATCH_NOT_AN_OBJECT', 'Invalid JSON Patch', '', patch));
        return toObjectResult(applyJsonMergePatch(original, patch));
      case 'application/strategic-merge-patch+json': {
        const lookup = getPatchMetaLookup(target);
        if (!lookup) return toFailure(newPatchError('PATCH_CONTENT_TYPE_UNSUPPORTED', unsupportedMediaTypeMessage(PATCH_CONTENT_TYPES.filter((t) => t !== 'application/strategic-merge-patch+json')), '', contentType));
        // kjson.UnmarshalCaseSensitivePreserveInts into map[string]interface{}: null is an empty patch.
        if (patch === null) return toObjectResult(cloneJson(original));
        if (!isJsonObject(patch)) return toFailure(newPatchError('MERGE_PATCH_NOT_AN_OBJECT', `json: cannot unmarshal ${describeJson(patch)} into Go value of type map[string]interface {}`, '', patch));
        const r = applyStrategicMergePatch(original, patch, lookup);
        return r.ok ? toObjectResult(r.value) : toFailure(r.error);
      }
      case 'application/apply-patch+yaml':
        return toFailure(newPatchError('PATCH_CONTENT_TYPE_UNSUPPORTED', 'application/apply-patch+yaml is server-side apply, which is not a patch algorithm: the caller must handle it', '', contentType));
      default:
        return toFailure(newPatchError('PATCH_CONTENT_TYPE_UNSUPPORTED', unsupportedMediaTypeMessage(PATCH_CONTENT_TYPES), '', contentType));
    }
  } catch (e) {
    // Only a value too deep for the stack gets here.
    return toFailure(newPatchError('PATCH_INTERNAL_FAILURE', `unable to apply the patch: ${e instanceof Error ? e.message : String(e)}`, '', undefined));
  }
}

// k8s.io/apiserver/pkg/endpoints/handlers/negotiation NewUnsupportedMediaTypeError.
function unsupportedMediaTypeMessage(accepted: readonly string[]): string {
  return `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
}

function toObjectResult(value: unknown): ApplyPatchResult {
  if (!isJsonObject(value)) {
    return toFailure(newPatchError('PATCH_RESULT_NOT_AN_OBJECT', `json: cannot unmarshal ${describeJson(value)} into Go value of type map[string]interface {}`, '', value));
  }
  return { ok: true, value };
}

function toFailure(error: PatchError): ApplyPatchResult {
  return { ok: false, reason: error.reason, message: error.message, code: error.code, path: error.path, hint: error.hint };
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}
