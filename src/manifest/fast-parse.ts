import { FAILSAFE_SCHEMA, Type, loadAll } from 'js-yaml';
import { scanPlainYaml } from './plain-yaml-scan.js';
import { isTypedPlainScalar, resolvePlainScalar } from './yaml-core-scalar.js';

/**
 * js-yaml with plain scalars resolved by `yaml`'s own core-schema tags (yaml-core-scalar.ts), so that
 * both read `0o17`, `yes`, `.inf`, `~`, timestamps alike; quoted and block scalars stay strings.
 */
const CORE_PLAIN_SCALARS = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:kube-dns-sim,2025:yaml-core-plain-scalar', {
      kind: 'scalar',
      resolve: (source: unknown) => typeof source === 'string' && isTypedPlainScalar(source),
      construct: resolvePlainScalar,
    }),
  ],
});

/** A non-empty document's value and where its root collection starts (1-based). */
export interface DocumentValue {
  docIndex: number;
  value: unknown;
  start: { line: number; col: number };
}

/**
 * Reads a text in the plain subset (plain-yaml-scan.ts) with js-yaml, about ten times faster than
 * `yaml`'s full parse and without positions. Undefined for any other text, for a text js-yaml
 * rejects, and when the two disagree on its documents: `yaml` must then parse it.
 */
export function readPlainYaml(text: string): DocumentValue[] | undefined {
  const starts = scanPlainYaml(text);
  if (!starts) return undefined;
  // Only comments and `---`: no document (js-yaml counts one where `yaml` counts none).
  if (starts.every((start) => start === null)) return [];
  let values: unknown[];
  try {
    values = loadAll(text, null, { schema: CORE_PLAIN_SCALARS });
  } catch {
    return undefined;
  }
  if (values.length !== starts.length) return undefined;
  const documents: DocumentValue[] = [];
  for (let docIndex = 0; docIndex < values.length; docIndex++) {
    const value = values[docIndex];
    const start = starts[docIndex];
    if ((start === null) !== (value === null || value === undefined)) return undefined;
    if (start) documents.push({ docIndex, value, start });
  }
  return documents;
}
