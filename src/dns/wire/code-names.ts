import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const types = require('dns-packet/types.js') as { toString(code: number): string };
const rcodes = require('dns-packet/rcodes.js') as { toString(code: number): string };

/** `1` → `A`, `33` → `SRV`; unknown codes as `UNKNOWN_<n>` (dns-packet's names). */
export function getTypeName(code: number): string {
  return types.toString(code);
}

/** `0` → `NOERROR`, `3` → `NXDOMAIN`; unknown codes as `RCODE_<n>`. */
export function getRcodeName(code: number): string {
  return rcodes.toString(code);
}

/** `A` → 1, `srv` → 33; undefined for names dns-packet does not know. */
export function getTypeCodeByName(name: string): number | undefined {
  const code = (types as unknown as { toType(n: string): number }).toType(name.toUpperCase());
  return code > 0 ? code : undefined;
}
