/**
 * Why a patch could not be applied: a stable code, the apiserver's Status reason and message,
 * the JSON path and value at fault, and a hint. `applyPatch` turns these into 400/415/422.
 */

/** The Status reason an error maps to: 415, 400 and 422 respectively. */
export type PatchFailureReason = 'UnsupportedMediaType' | 'BadRequest' | 'Invalid';

/** Catalogue of patch error codes (sorted): the Status reason each one gets, and a hint. */
export const PATCH_ERROR_CATALOGUE = {
  JSON_PATCH_NOT_A_LIST: { reason: 'BadRequest', hint: 'send a JSON array of operations, e.g. [{"op":"replace","path":"/spec/replicas","value":3}]' },
  JSON_PATCH_OPERATION_INVALID: { reason: 'Invalid', hint: 'each operation needs "op" (add, remove, replace, move, copy, test), a "path", and "value" or "from" as the op requires' },
  JSON_PATCH_PATH_INVALID: { reason: 'Invalid', hint: 'paths are JSON pointers: "" or "/"-separated tokens, "~1" for "/", "~0" for "~", list indexes as 0-based decimals or "-" to append' },
  JSON_PATCH_PATH_MISSING: { reason: 'Invalid', hint: 'the path must exist (for add: its parent must exist); read the object first or add the parent' },
  JSON_PATCH_TEST_FAILED: { reason: 'Invalid', hint: 'the object changed since you read it; read it again and rebuild the patch' },
  MERGE_PATCH_NOT_AN_OBJECT: { reason: 'BadRequest', hint: 'a merge patch is a JSON object, e.g. {"spec":{"replicas":3}}' },
  PATCH_CONTENT_TYPE_UNSUPPORTED: { reason: 'UnsupportedMediaType', hint: 'set Content-Type to application/merge-patch+json, application/json-patch+json or application/strategic-merge-patch+json' },
  PATCH_INTERNAL_FAILURE: { reason: 'BadRequest', hint: 'the patch is too deeply nested or otherwise unprocessable; simplify it' },
  PATCH_RESULT_NOT_AN_OBJECT: { reason: 'BadRequest', hint: 'the patched document must stay a JSON object; do not replace or remove the root' },
  STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID: { reason: 'BadRequest', hint: '$patch takes "replace" or "delete" in a map and "replace" or "delete" in a list item; $retainKeys and $setElementOrder/<list> take lists' },
  STRATEGIC_MERGE_PATCH_LIST_INVALID: { reason: 'Invalid', hint: 'items of a merged list must all be of one type (all maps or all scalars), never lists' },
  STRATEGIC_MERGE_PATCH_MERGE_KEY_MISSING: { reason: 'BadRequest', hint: 'every item of a merged list needs its merge key (e.g. "name" for containers, "containerPort" for ports)' },
  STRATEGIC_MERGE_PATCH_TYPE_MISMATCH: { reason: 'BadRequest', hint: 'a directive list must match the type of the field it applies to' },
} as const satisfies Record<string, { reason: PatchFailureReason; hint: string }>;

/** A stable patch error code. */
export type PatchErrorCode = keyof typeof PATCH_ERROR_CATALOGUE;

/** A patch the apiserver would refuse: `message` is the apiserver's own text where it has one. */
export interface PatchError {
  code: PatchErrorCode;
  reason: PatchFailureReason;
  message: string;
  /** Where in the patch or document, as a JSON pointer or a dotted field path; '' for the whole body. */
  path: string;
  /** The offending input (an operation, a list item, a directive value). */
  value: unknown;
  hint: string;
}

/** Either a value or the refusal. */
export type PatchResult<T> = { ok: true; value: T } | { ok: false; error: PatchError };

/** Builds the error for `code`; reason and hint come from the catalogue. */
export function newPatchError(code: PatchErrorCode, message: string, path: string, value: unknown): PatchError {
  const entry = PATCH_ERROR_CATALOGUE[code];
  return { code, reason: entry.reason, message, path, value, hint: entry.hint };
}
