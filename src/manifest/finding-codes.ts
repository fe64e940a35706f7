import type { Finding, Severity } from './finding.js';

/**
 * The one catalogue of finding codes, sorted by code. Each entry states its severity, a one-line
 * summary (listed in README.md; a test keeps the two in sync) and the factory that words its
 * message and hint. Codes are stable: rename nothing, add new ones in order.
 */

/** Where a finding points. */
export interface FindingSpot {
  file: string;
  line: number;
  col: number;
  /** kubectl's field path notation, '' for the whole document. */
  path: string;
  value?: unknown;
}

interface Wording {
  message: string;
  hint: string;
}

interface CodeEntry<A> {
  severity: Severity;
  summary: string;
  describe: (args: A) => Wording;
}

const entry = <A>(severity: Severity, summary: string, describe: (args: A) => Wording): CodeEntry<A> => ({ severity, summary, describe });

/** For findings worded where they arise (cluster-level warnings). */
const worded = (a: Wording): Wording => a;

type NoArgs = Record<string, never>;

const list = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

export const FINDING_CODES = {
  API_VERSION_UNKNOWN: entry('error', 'the kind does not exist in this apiVersion', (a: { kind: string; apiVersion: string; expected: string }) => ({
    message: `no kind "${a.kind}" in version "${a.apiVersion}"`,
    hint: `write "apiVersion: ${a.expected}" for a ${a.kind}`,
  })),
  CLUSTER_IP_CONFLICT: entry('warning', 'a requested cluster IP is taken or outside the service CIDR', worded),
  CLUSTER_IP_EXHAUSTED: entry('warning', 'no free cluster IP left in the service CIDR', worded),
  DNS_SELECTOR_MATCHES_NOTHING: entry('warning', "a Service's selector matches no pod, so its name resolves to no pod", (a: { service: string; selector: string; headless: boolean }) => ({
    message: `selector ${a.selector} of Service "${a.service}" matches no pod in its namespace: ${a.headless ? 'its name has no A records' : 'its cluster IP has no endpoints'}`,
    hint: "make the selector equal to the pod template's labels of the workload it should reach (kubectl get pods --show-labels)",
  })),
  DNS_SERVICE_NOT_FOUND: entry('warning', "a StatefulSet's serviceName names no Service, so its pods get no DNS names", (a: { statefulSet: string; service: string; namespace: string }) => ({
    message: `no Service "${a.service}" in namespace "${a.namespace}" (named by StatefulSet "${a.statefulSet}"): ${a.statefulSet}-0.${a.service} will not resolve`,
    hint: `create a headless Service "${a.service}" (clusterIP: None) whose selector matches the StatefulSet's pods, or fix the serviceName (an invalid Service manifest is not loaded)`,
  })),
  DNS_SERVICE_NOT_HEADLESS: entry('warning', "a StatefulSet's serviceName names a Service that is not headless, so its pods get no DNS names", (a: { statefulSet: string; service: string }) => ({
    message: `Service "${a.service}" named by StatefulSet "${a.statefulSet}" is not headless: pods like ${a.statefulSet}-0.${a.service} get no DNS name`,
    hint: `set "clusterIP: None" in Service "${a.service}", or point serviceName at a headless Service`,
  })),
  ENDPOINTSLICE_NO_SERVICE: entry('warning', 'an EndpointSlice without the kubernetes.io/service-name label belongs to no Service', (_: NoArgs) => ({
    message: 'EndpointSlice has no label kubernetes.io/service-name: no Service (and so no DNS name) uses its endpoints',
    hint: 'add "labels: {kubernetes.io/service-name: <service>}" under metadata',
  })),
  FIELD_DUPLICATE: entry('error', 'a list holds two entries with the same key (container names, volume names)', (a: { what: string; name: string }) => ({
    message: `duplicate ${a.what} "${a.name}"`,
    hint: `give each ${a.what} a different name`,
  })),
  FIELD_ENUM: entry('error', 'a value that is not one of the allowed values', (a: { value: unknown; allowed: readonly string[]; suggestion?: string }) => ({
    message: `unsupported value ${JSON.stringify(a.value)}: supported values: ${list(a.allowed)}`,
    hint: a.suggestion ? `did you mean "${a.suggestion}"? (values are case-sensitive)` : `use one of ${list(a.allowed)}`,
  })),
  FIELD_FORMAT: entry('error', 'a string in the wrong format', (a: { format: string }) => ({
    message: `not a valid ${a.format}`,
    hint: `write a valid ${a.format}`,
  })),
  FIELD_INVALID: entry('error', 'a value the API server rejects', worded),
  FIELD_REQUIRED: entry('error', 'a required field is missing or empty', (a: { field: string; hint: string }) => ({
    message: `${a.field} is required`,
    hint: a.hint,
  })),
  FIELD_TYPE: entry('error', 'a value of the wrong type', (a: { expected: string; got: string; hint?: string }) => ({
    message: `expected ${a.expected}, got ${a.got}`,
    hint: a.hint ?? `write ${a.expected === 'integer' ? 'a number without quotes' : a.expected === 'string' ? 'the value in quotes' : `a${/^[aeiou]/.test(a.expected) ? 'n' : ''} ${a.expected}`}`,
  })),
  FIELD_UNKNOWN: entry('error', 'a field the API does not define (kubectl strict decoding rejects it)', (a: { field: string; type: string; suggestion?: string; known: readonly string[] }) => ({
    message: `unknown field "${a.field}" in ${a.type}`,
    hint: a.suggestion ? `did you mean "${a.suggestion}"?` : `remove it or check the spelling; known fields: ${a.known.join(', ')}`,
  })),
  FILE_UNREADABLE: entry('error', 'a file given with -f cannot be read', worded),
  LABEL_INVALID: entry('error', 'a label key or value the API server rejects', (a: { what: 'key' | 'value'; text: string }) => ({
    message: `label ${a.what} "${a.text}" is invalid`,
    hint:
      a.what === 'key'
        ? 'a label key is an optional DNS-subdomain prefix and "/", then at most 63 characters: letters, digits, "-", "_", ".", starting and ending with a letter or digit'
        : 'a label value has at most 63 characters: letters, digits, "-", "_", ".", starting and ending with a letter or digit (or is empty)',
  })),
  NAME_INVALID: entry('error', 'a name that is not the DNS label or subdomain its kind requires', (a: { name: string; rule: string; example: string }) => ({
    message: `"${a.name}" is not a valid ${a.rule}`,
    hint: `use lower-case letters, digits and "-"${a.rule.includes('subdomain') ? ' (and ".")' : ''}, ${a.rule.includes('1035') ? 'starting with a letter' : 'starting with a letter or digit'} and ending with a letter or digit, e.g. "${a.example}"`,
  })),
  OBJECT_DUPLICATE: entry('warning', 'two manifests define the same object', worded),
  OBJECT_NOT_MAPPING: entry('error', 'a YAML document that is not a mapping', (_: NoArgs) => ({
    message: 'a manifest must be a mapping with apiVersion, kind and metadata',
    hint: 'start the document with "apiVersion:", "kind:" and "metadata:"',
  })),
  POD_IP_EXHAUSTED: entry('warning', 'no free pod IP left in the pod CIDR', worded),
  POD_NAME_CLASH: entry('warning', 'two workloads would create a pod with the same name', worded),
  PORT_DUPLICATE: entry('error', 'two Service ports with the same port and protocol', (a: { port: number; protocol: string }) => ({
    message: `duplicate port ${a.port}/${a.protocol}`,
    hint: 'each Service port needs a different port number (or protocol)',
  })),
  PORT_NAME_DUPLICATE: entry('error', 'two ports with the same name', (a: { name: string }) => ({
    message: `duplicate port name "${a.name}"`,
    hint: 'port names must be unique: rename one of them',
  })),
  PORT_NAME_INVALID: entry('error', 'a port name the API server rejects (IANA service name / DNS label)', (a: { name: string; rule: string }) => ({
    message: `port name "${a.name}" is not a valid ${a.rule}`,
    hint:
      a.rule === 'IANA service name'
        ? 'at most 15 lower-case letters, digits and "-", with at least one letter, no "--", not starting or ending with "-" (e.g. "http")'
        : 'lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "http")',
  })),
  PORT_NAME_REQUIRED: entry('error', 'a Service with several ports must name each of them', (_: NoArgs) => ({
    message: 'a Service with more than one port must name every port',
    hint: 'add "name: http" (or similar); named ports also give the SRV records _name._tcp.<service>',
  })),
  PORT_OUT_OF_RANGE: entry('error', 'a port number outside 1-65535', (a: { port: number }) => ({
    message: `port ${a.port} is outside 1-65535`,
    hint: 'use a port number between 1 and 65535',
  })),
  QUANTITY_INVALID: entry('error', 'a resource quantity that does not parse (e.g. "1 G")', (a: { text: string }) => ({
    message: `quantity "${a.text}" does not match the quantity syntax`,
    hint: `write a number directly followed by a suffix, no space: e.g. "${a.text.replace(/\s+/g, '') || '1Gi'}" (suffixes Ki Mi Gi Ti Pi Ei, or k M G T P E)`,
  })),
  SELECTOR_EMPTY: entry('error', 'a workload selector that selects nothing', (_: NoArgs) => ({
    message: 'empty selector is invalid: it would select every pod',
    hint: 'add "matchLabels:" with the labels of the pod template',
  })),
  SELECTOR_MISMATCH: entry('error', "spec.selector does not match the pod template's labels", (a: { selector: string; labels: string }) => ({
    message: `selector ${a.selector} does not match template labels ${a.labels}`,
    hint: 'make spec.selector.matchLabels a subset of spec.template.metadata.labels (same keys, same values)',
  })),
  SERVICE_HEADLESS_TYPE: entry('error', '"clusterIP: None" on a Service whose type is not ClusterIP', (a: { type: string }) => ({
    message: `clusterIP "None" may not be set for ${a.type} services`,
    hint: 'a headless Service must be "type: ClusterIP": remove the type, or remove "clusterIP: None"',
  })),
  STATEFULSET_NAME_TOO_LONG: entry('error', 'a StatefulSet name leaves no room for "-<ordinal>" in its pods\' DNS-label hostnames', (a: { name: string; longest: string }) => ({
    message: `pod name "${a.longest}" would exceed 63 characters, the limit of a DNS label (pods take the StatefulSet name plus "-<ordinal>")`,
    hint: `shorten the StatefulSet name to at most ${63 - (a.longest.length - a.name.length)} characters`,
  })),
  STATEFULSET_NO_SERVICE_NAME: entry('warning', 'a StatefulSet without serviceName: its pods get no DNS names', (a: { name: string }) => ({
    message: `StatefulSet "${a.name}" has no serviceName: its pods get no <pod>.<service> DNS names`,
    hint: 'add "serviceName: <headless service>" and create that Service with "clusterIP: None"',
  })),
  VOLUME_NOT_FOUND: entry('error', 'a volumeMount names no volume or claim template', (a: { name: string; known: readonly string[]; suggestion?: string }) => ({
    message: `volumeMount "${a.name}" names no volume${a.known.length ? ` (volumes: ${list(a.known)})` : ''}`,
    hint: a.suggestion ? `did you mean "${a.suggestion}"?` : 'add a volume (or a volumeClaimTemplate) with this name, or fix the name',
  })),
  YAML_BAD_INDENT: entry('error', 'YAML indentation that breaks the structure (e.g. a key lined up with the "-" of a list entry)', worded),
  YAML_DUPLICATE_KEY: entry('error', 'a mapping with the same key twice', worded),
  YAML_MISSING_SPACE: entry('error', 'a key without a space after its ":"', worded),
  YAML_SYNTAX: entry('error', 'any other YAML syntax error', worded),
  YAML_TAB: entry('error', 'a tab used for indentation', worded),
} as const;

export type FindingCode = keyof typeof FINDING_CODES;
type ArgsOf<C extends FindingCode> = Parameters<(typeof FINDING_CODES)[C]['describe']>[0];

/** Builds a finding of a catalogued code at a spot; the catalogue words message and hint. */
export function newFinding<C extends FindingCode>(code: C, spot: FindingSpot, args: ArgsOf<C>): Finding {
  const e = FINDING_CODES[code] as CodeEntry<ArgsOf<C>>;
  const { message, hint } = e.describe(args);
  const f: Finding = { code, severity: e.severity, message, file: spot.file, line: spot.line, col: spot.col, path: spot.path, hint };
  if (spot.value !== undefined) f.value = spot.value;
  return f;
}
