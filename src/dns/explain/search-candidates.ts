/**
 * The names a pod's stub resolver (glibc, musl) tries for `name`, in order: with fewer than
 * `ndots` dots, each search domain first and the name as-is last; otherwise as-is first. A trailing
 * dot means absolute: only the name itself. Results are lower-case without the trailing dot.
 */
export function getSearchCandidates(name: string, searchPath: readonly string[], ndots: number): string[] {
  const lower = name.toLowerCase();
  if (lower.endsWith('.')) return [lower.slice(0, -1)];
  const dots = lower.split('.').length - 1;
  const searched = searchPath.map((d) => `${lower}.${d}`);
  return dots >= ndots ? [lower, ...searched] : [...searched, lower];
}
