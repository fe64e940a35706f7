/** Stable codes for selector problems; each becomes a 400 BadRequest with `message` as the Status message. */
export type SelectorErrorCode = 'FIELD_SELECTOR_INVALID' | 'FIELD_SELECTOR_UNSUPPORTED' | 'LABEL_SELECTOR_INVALID';

/** A selector the apiserver would refuse: `message` is the apiserver's own text. */
export interface SelectorError {
  code: SelectorErrorCode;
  message: string;
  status: 400;
  reason: 'BadRequest';
}

/** Either a parsed value or the apiserver's refusal. */
export type SelectorResult<T> = { ok: true; value: T } | { ok: false; error: SelectorError };

/** Builds the refusal for `code` with the apiserver's `message`. */
export function newSelectorError(code: SelectorErrorCode, message: string): SelectorError {
  return { code, message, status: 400, reason: 'BadRequest' };
}
