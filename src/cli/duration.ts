import { UsageError } from './usage-error.js';

/** `0s`, `2s`, `1.5s`, `500ms`, `1m` (a bare number is seconds) → milliseconds; throws UsageError. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} ${text} is not a duration`, `e.g. ${flag} 2s or ${flag} 500ms`);
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  if (ms > 3_600_000) throw new UsageError(`${flag} ${text} is longer than an hour`, `e.g. ${flag} 2s`);
  return Math.round(ms);
}
