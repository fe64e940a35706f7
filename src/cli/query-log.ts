import type { QueryLogEntry } from '../dns/server/query-handler.js';
import { getRcodeName, getTypeName } from '../dns/wire/code-names.js';

/** The fields of one `--log-queries` line (CoreDNS `log` plugin's: name, type, rcode, duration, client, proto). */
export function toQueryLogFields(e: QueryLogEntry): Record<string, string | number> {
  return { name: e.name, type: getTypeName(e.type), rcode: getRcodeName(e.rcode), duration_ms: e.durationMs, client: e.client, proto: e.transport };
}
