// Which fields each kind lets a field selector name (the scheme's field label conversion funcs,
// pkg/apis/core/v1/conversion.go) and their values (each registry's ToSelectableFields).

type ApiObject = Record<string, unknown>;
type FieldGetter = (obj: ApiObject) => string;

const get = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
const str = (path: string): FieldGetter => (obj) => {
  const v = get(obj, path);
  return v === undefined || v === null ? '' : String(v);
};

const METADATA_NAME: Record<string, FieldGetter> = { 'metadata.name': str('metadata.name') };
const METADATA: Record<string, FieldGetter> = { ...METADATA_NAME, 'metadata.namespace': str('metadata.namespace') };

function getPodIP(pod: ApiObject): string {
  const ips = get(pod, 'status.podIPs') as { ip?: string }[] | undefined;
  if (Array.isArray(ips) && ips.length > 0) return ips[0].ip ?? '';
  return str('status.podIP')(pod);
}

/** Per kind: the labels the conversion func accepts (value: its getter, or undefined when accepted but not in the field set). */
const SELECTABLE: Record<string, Record<string, FieldGetter | undefined>> = {
  Pod: {
    ...METADATA,
    'spec.nodeName': str('spec.nodeName'),
    'spec.restartPolicy': str('spec.restartPolicy'),
    'spec.schedulerName': str('spec.schedulerName'),
    'spec.serviceAccountName': str('spec.serviceAccountName'),
    'spec.hostNetwork': (p) => String(get(p, 'spec.hostNetwork') === true),
    'status.phase': str('status.phase'),
    'status.podIP': getPodIP,
    'status.podIPs': undefined, // accepted by conversion, absent from the registry's field set: always ""
    'status.nominatedNodeName': str('status.nominatedNodeName'),
  },
  Namespace: { ...METADATA_NAME, 'status.phase': str('status.phase') },
  Node: { ...METADATA_NAME, 'spec.unschedulable': (n) => String(get(n, 'spec.unschedulable') === true) },
  Service: { ...METADATA, 'spec.clusterIP': str('spec.clusterIP'), 'spec.type': str('spec.type') },
  Secret: { ...METADATA, type: str('type') },
  ReplicationController: { ...METADATA, 'status.replicas': (o) => String(get(o, 'status.replicas') ?? 0) },
  Event: {
    ...METADATA,
    ...Object.fromEntries(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [`involvedObject.${f}`, str(`involvedObject.${f}`)])),
    reason: str('reason'),
    reportingComponent: str('reportingComponent'),
    source: str('source.component'),
    type: str('type'),
  },
};

/** Old v1 clients' spellings the conversion renames. */
const RENAMED: Record<string, Record<string, string>> = { Pod: { 'spec.host': 'spec.nodeName' } };

/**
 * Scheme.ConvertFieldLabel for `kind`: the field to match, or the apiserver's error text
 * (`field label not supported: f` for kinds with their own list; otherwise the default metav1 conversion's message).
 */
export function toSelectableField(kind: string, label: string): { field?: string; error?: string } {
  const renamed = RENAMED[kind]?.[label];
  if (renamed) return { field: renamed };
  const own = SELECTABLE[kind];
  if (own) return label in own ? { field: label } : { error: `field label not supported: ${label}` };
  if (label in METADATA) return { field: label };
  return { error: `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"` };
}

/** fields.Set.Get for an accepted field: the object's value as the registry stringifies it, "" when absent. */
export function getSelectableFieldValue(kind: string, field: string, obj: ApiObject): string {
  const getter = SELECTABLE[kind] ? SELECTABLE[kind][field] : METADATA[field];
  return getter ? getter(obj) : '';
}
