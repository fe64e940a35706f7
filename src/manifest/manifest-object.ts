import type { SourcePosition } from './finding.js';
import type { ParsedDocument } from './parse.js';

/** Kinds the simulator understands; anything else is listed in one warning and ignored. */
export const SUPPORTED_KINDS = ['Namespace', 'Service', 'Pod', 'ReplicaSet', 'Deployment', 'StatefulSet', 'EndpointSlice', 'Endpoints'] as const;
export type SupportedKind = (typeof SUPPORTED_KINDS)[number];

/** A validated manifest object: the raw body plus where it came from. */
export interface ManifestObject {
  apiVersion: string;
  kind: SupportedKind;
  name: string;
  /** As written; undefined when the manifest has none (the default namespace applies). */
  namespace: string | undefined;
  body: Record<string, unknown>;
  source: SourcePosition;
  doc: ParsedDocument;
}

export function isSupportedKind(kind: unknown): kind is SupportedKind {
  return typeof kind === 'string' && (SUPPORTED_KINDS as readonly string[]).includes(kind);
}
