/**
 * JSON pointers, RFC 6901: `""` is the whole document, otherwise `/`-separated reference tokens
 * with `~1` for `/` and `~0` for `~` (decoded in that order, section 4).
 */

/** The reference tokens of `pointer`, or undefined when it is not a pointer (non-empty without a leading `/`). */
export function parseJsonPointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The list index a token names, RFC 6901 section 4: `0` or a decimal without leading zeros; -1 otherwise. */
export function toArrayIndex(token: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return -1;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : -1;
}
