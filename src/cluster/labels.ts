/** Equality-based selection: every key/value of `selector` is in `labels`. An empty selector matches nothing here (callers decide). */
export function isSelectorMatch(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  for (const k of keys) if (labels[k] !== selector[k]) return false;
  return true;
}

/** `app=web,env=dev` as kubectl prints selectors. */
export function toSelectorString(selector: Readonly<Record<string, string>> | undefined): string {
  if (!selector) return '<none>';
  const parts = Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`);
  return parts.length ? parts.join(',') : '<none>';
}
