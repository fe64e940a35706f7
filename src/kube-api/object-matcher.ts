import { parseLabelSelector } from './selectors/label-selector.js';
import { parseFieldSelector } from './selectors/field-selector.js';
import { badRequest, type KubeStatus } from './api-status.js';
import type { ApiObject } from './api-objects.js';

/** `?labelSelector=` and `?fieldSelector=` of a list or watch as one predicate, or the API server's 400. */
export function buildObjectMatcher(kind: string, labelSelector: string | null, fieldSelector: string | null): ((o: ApiObject) => boolean) | KubeStatus {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  if (labels && !labels.ok) return badRequest(labels.error.message);
  const fields = fieldSelector ? parseFieldSelector(fieldSelector, kind) : undefined;
  if (fields && !fields.ok) return badRequest(fields.error.message);
  const byLabels = labels?.value;
  const byFields = fields?.value;
  if (!byLabels && !byFields) return () => true;
  return (o) => (!byLabels || byLabels.matches(o.metadata.labels as Record<string, string> | undefined)) && (!byFields || byFields.matches(o));
}
