import { isIP } from 'node:net';
import type { Finding } from './finding.js';
import { newFinding, type FindingCode } from './finding-codes.js';
import { closest } from './did-you-mean.js';
import type { SupportedKind } from './manifest-object.js';
import { toPathString, type FieldPath, type ParsedDocument } from './parse.js';

/**
 * The API server's own semantic rules (pkg/apis/{core,apps,discovery}/validation) that matter to a
 * DNS simulation: names, selectors, ports, headless Services, StatefulSet identity. Every rule
 * tolerates wrong types (the schema check reports those) and never throws.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** DNS-1123 label: at most 63 of [a-z0-9-], alphanumeric at both ends. */
export const isDns1123Label = (s: string): boolean => s.length <= 63 && DNS1123_LABEL.test(s);
/** DNS-1035 label: a DNS-1123 label that starts with a letter (Service names). */
export const isDns1035Label = (s: string): boolean => s.length <= 63 && DNS1035_LABEL.test(s);
/** DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export const isDns1123Subdomain = (s: string): boolean => s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
/** IANA service name (container port names, named targetPorts): at most 15 chars, a letter, no "--". */
export const isIanaSvcName = (s: string): boolean => s.length <= 15 && IANA_SVC_NAME.test(s) && /[a-z]/.test(s) && !s.includes('--');

/** Label key: optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function isLabelKey(k: string): boolean {
  const slash = k.lastIndexOf('/');
  const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
  const name = slash >= 0 ? k.slice(slash + 1) : k;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** Label value: empty, or at most 63 characters of [A-Za-z0-9-_.] with alphanumeric ends. */
export const isLabelValue = (v: string): boolean => v === '' || (v.length <= 63 && LABEL_NAME.test(v));

/** A name made of what was written, for hints: lower-case, invalid runs replaced by "-". */
export function toDnsLabelExample(s: string): string {
  const out = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[-0-9]+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return out || 'my-name';
}

type NameRule = 'DNS-1123 label' | 'DNS-1035 label' | 'DNS-1123 subdomain';
const NAME_RULES: Record<SupportedKind, NameRule> = {
  Namespace: 'DNS-1123 label',
  Service: 'DNS-1035 label',
  Endpoints: 'DNS-1035 label',
  Pod: 'DNS-1123 subdomain',
  ReplicaSet: 'DNS-1123 subdomain',
  Deployment: 'DNS-1123 subdomain',
  // pods take "<name>-<ordinal>" as their hostname, a DNS label
  StatefulSet: 'DNS-1123 label',
  EndpointSlice: 'DNS-1123 subdomain',
};

const matchesRule = (s: string, rule: NameRule): boolean =>
  rule === 'DNS-1123 label' ? isDns1123Label(s) : rule === 'DNS-1035 label' ? isDns1035Label(s) : isDns1123Subdomain(s);

/** Evaluates a LabelSelector (matchLabels and matchExpressions) against labels; undefined when it cannot be evaluated. */
export function isLabelSelectorMatch(selector: Obj, labels: Record<string, unknown>): boolean | undefined {
  for (const [k, v] of Object.entries(obj(selector.matchLabels))) if (String(labels[k]) !== String(v) || !(k in labels)) return false;
  for (const e of arr(selector.matchExpressions)) {
    const { key, operator, values } = obj(e);
    if (typeof key !== 'string') return undefined;
    const has = key in labels;
    const vals = arr(values).map(String);
    if (operator === 'In' && !(has && vals.includes(String(labels[key])))) return false;
    if (operator === 'NotIn' && has && vals.includes(String(labels[key]))) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(String(operator))) return undefined;
  }
  return true;
}

function toSelectorText(selector: Obj): string {
  const parts = Object.entries(obj(selector.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of arr(selector.matchExpressions)) {
    const { key, operator, values } = obj(e);
    parts.push(`${String(key)} ${String(operator)}${Array.isArray(values) ? ` (${values.join(',')})` : ''}`);
  }
  return parts.length ? parts.join(',') : '<empty>';
}

const toLabelsText = (labels: Obj): string => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(',') : '<none>';
};

/** Checks one schema-valid-or-not document of a supported kind against the API server's semantic rules. */
export function checkApiRules(doc: ParsedDocument, kind: SupportedKind, suggested: ReadonlySet<string> = new Set()): Finding[] {
  const findings: Finding[] = [];
  const spot = (path: FieldPath, key = false, value?: unknown) => {
    const p = key ? doc.keyPositionOf(path) : doc.positionOf(path);
    return { file: doc.file, line: p.line, col: p.col, path: toPathString([...doc.basePath, ...path]), value };
  };
  const report = <C extends FindingCode>(code: C, path: FieldPath, args: Parameters<typeof newFinding<C>>[2], opts: { key?: boolean; value?: unknown } = {}) => {
    findings.push(newFinding(code, spot(path, opts.key, opts.value), args));
  };
  const required = (path: FieldPath, hint: string) => {
    const full = toPathString([...doc.basePath, ...path]);
    if (suggested.has(full)) return;
    const parent = path.slice(0, -1);
    findings.push(newFinding('FIELD_REQUIRED', { ...spot(parent, parent.length > 0), path: full }, { field: full, hint }));
  };
  const v = obj(doc.value);
  const meta = obj(v.metadata);

  // metadata
  const rule = NAME_RULES[kind];
  if (typeof meta.name !== 'string' || meta.name === '') {
    if (isObj(v.metadata) && (meta.name === undefined || meta.name === '')) required(['metadata', 'name'], 'add "name: <name>" under metadata (kubectl apply needs a name)');
  } else if (!matchesRule(meta.name, rule)) {
    report('NAME_INVALID', ['metadata', 'name'], { name: meta.name, rule: `${rule}${meta.name.length > 63 && rule !== 'DNS-1123 subdomain' ? ' (at most 63 characters)' : ''}`, example: toDnsLabelExample(meta.name) }, { value: meta.name });
  }
  if (typeof meta.namespace === 'string' && !isDns1123Label(meta.namespace)) {
    report('NAME_INVALID', ['metadata', 'namespace'], { name: meta.namespace, rule: 'DNS-1123 label', example: toDnsLabelExample(meta.namespace) }, { value: meta.namespace });
  }
  checkLabels(meta.labels, ['metadata', 'labels']);

  switch (kind) {
    case 'Service':
      if (isObj(v.spec)) checkService(v.spec);
      break;
    case 'Pod':
      checkPodSpec(obj(v.spec), ['spec'], new Set());
      break;
    case 'ReplicaSet':
    case 'Deployment':
    case 'StatefulSet':
      checkWorkload(obj(v.spec), kind, typeof meta.name === 'string' ? meta.name : '');
      break;
    case 'EndpointSlice':
      checkEndpointSlice(v);
      break;
    case 'Endpoints':
      arr(v.subsets).forEach((s, i) => {
        for (const field of ['addresses', 'notReadyAddresses'] as const) {
          arr(obj(s)[field]).forEach((a, j) => {
            const ip = obj(a).ip;
            if (typeof ip === 'string' && isIP(ip) === 0) report('FIELD_INVALID', ['subsets', i, field, j, 'ip'], { message: `"${ip}" is not a valid IP address`, hint: 'write an IPv4 or IPv6 address, e.g. 10.244.0.5' }, { value: ip });
          });
        }
        checkPorts(arr(obj(s).ports), ['subsets', i, 'ports'], 'endpoint');
      });
      break;
    case 'Namespace':
      break;
  }
  return findings;

  function checkLabels(labels: unknown, path: FieldPath): void {
    for (const [k, val] of Object.entries(obj(labels))) {
      if (!isLabelKey(k)) report('LABEL_INVALID', [...path, k], { what: 'key', text: k }, { key: true, value: k });
      if (typeof val === 'string' && !isLabelValue(val)) report('LABEL_INVALID', [...path, k], { what: 'value', text: val }, { value: val });
    }
  }

  function checkService(spec: Obj): void {
    const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
    const headless = spec.clusterIP === 'None';
    if (headless && type !== 'ClusterIP' && ['NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
      report('SERVICE_HEADLESS_TYPE', ['spec', 'clusterIP'], { type }, { value: 'None' });
    }
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && !headless && isIP(spec.clusterIP) === 0) {
      report('FIELD_INVALID', ['spec', 'clusterIP'], { message: `clusterIP "${spec.clusterIP}" is not an IP address or "None"`, hint: 'leave it out (one is allocated), write an address in the service CIDR, or "None" for a headless Service' }, { value: spec.clusterIP });
    }
    if (type === 'ExternalName') {
      if (typeof spec.externalName !== 'string' || spec.externalName === '') required(['spec', 'externalName'], 'add "externalName: <dns name>", e.g. my.database.example.com');
      else if (!isDns1123Subdomain(spec.externalName.replace(/\.$/, '').toLowerCase())) report('NAME_INVALID', ['spec', 'externalName'], { name: spec.externalName, rule: 'DNS-1123 subdomain', example: 'my.database.example.com' }, { value: spec.externalName });
    }
    const ports = arr(spec.ports);
    if (ports.length === 0 && !headless && type !== 'ExternalName' && (spec.ports === undefined || Array.isArray(spec.ports))) {
      required(['spec', 'ports'], 'add "ports:" with at least one "- port: <number>" (only headless and ExternalName Services may have none)');
    }
    if (spec.selector !== undefined) checkLabels(spec.selector, ['spec', 'selector']);
    checkPorts(ports, ['spec', 'ports'], 'service');
  }

  /** Service and endpoint ports: range, names (required when several, DNS labels, unique), port+protocol unique. */
  function checkPorts(ports: unknown[], path: FieldPath, what: 'service' | 'endpoint'): void {
    const names = new Map<string, number>();
    const numbers = new Set<string>();
    ports.forEach((p, i) => {
      const port = obj(p);
      const at = [...path, i];
      if (typeof port.port === 'number' && Number.isInteger(port.port) && (port.port < 1 || port.port > 65535)) report('PORT_OUT_OF_RANGE', [...at, 'port'], { port: port.port }, { value: port.port });
      if (typeof port.nodePort === 'number' && Number.isInteger(port.nodePort) && (port.nodePort < 0 || port.nodePort > 65535)) report('PORT_OUT_OF_RANGE', [...at, 'nodePort'], { port: port.nodePort }, { value: port.nodePort });
      const tp = port.targetPort;
      if (typeof tp === 'number' && Number.isInteger(tp) && (tp < 1 || tp > 65535)) report('PORT_OUT_OF_RANGE', [...at, 'targetPort'], { port: tp }, { value: tp });
      if (typeof tp === 'string' && !/^\d+$/.test(tp) && !isIanaSvcName(tp)) report('PORT_NAME_INVALID', [...at, 'targetPort'], { name: tp, rule: 'IANA service name' }, { value: tp });
      if (typeof tp === 'string' && /^\d+$/.test(tp)) report('FIELD_TYPE', [...at, 'targetPort'], { expected: 'integer or port name', got: `string "${tp}"`, hint: `write ${tp} without quotes: a quoted number is read as a port name, and names need a letter` }, { value: tp });
      if (typeof port.name === 'string' && port.name !== '') {
        if (!isDns1123Label(port.name)) report('PORT_NAME_INVALID', [...at, 'name'], { name: port.name, rule: 'DNS-1123 label' }, { value: port.name });
        if (names.has(port.name)) report('PORT_NAME_DUPLICATE', [...at, 'name'], { name: port.name }, { value: port.name });
        names.set(port.name, i);
      } else if (what === 'service' && ports.length > 1) {
        report('PORT_NAME_REQUIRED', at, {});
      }
      if (what === 'service' && typeof port.port === 'number') {
        const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
        const key = `${port.port}/${protocol}`;
        if (numbers.has(key)) report('PORT_DUPLICATE', [...at, 'port'], { port: port.port, protocol }, { value: port.port });
        numbers.add(key);
      }
    });
  }

  function checkPodSpec(spec: Obj, path: FieldPath, claimNames: ReadonlySet<string>): void {
    for (const field of ['hostname', 'subdomain'] as const) {
      const s = spec[field];
      if (typeof s === 'string' && s !== '' && !isDns1123Label(s)) report('NAME_INVALID', [...path, field], { name: s, rule: 'DNS-1123 label', example: toDnsLabelExample(s) }, { value: s });
    }
    const volumes = new Set<string>(claimNames);
    arr(spec.volumes).forEach((vol, i) => {
      const name = obj(vol).name;
      if (typeof name !== 'string') return;
      if (volumes.has(name)) report('FIELD_DUPLICATE', [...path, 'volumes', i, 'name'], { what: 'volume name', name }, { value: name });
      volumes.add(name);
    });
    const containers = arr(spec.containers);
    if (Array.isArray(spec.containers) && containers.length === 0) required([...path, 'containers'], 'add at least one container with name and image');
    const containerNames = new Set<string>();
    const portNames = new Set<string>();
    const all: Array<[string, unknown[]]> = [
      ['initContainers', arr(spec.initContainers)],
      ['containers', containers],
    ];
    for (const [list, items] of all) {
      items.forEach((c, i) => {
        const container = obj(c);
        const at = [...path, list, i];
        if (typeof container.name === 'string') {
          if (!isDns1123Label(container.name)) report('NAME_INVALID', [...at, 'name'], { name: container.name, rule: 'DNS-1123 label', example: toDnsLabelExample(container.name) }, { value: container.name });
          if (containerNames.has(container.name)) report('FIELD_DUPLICATE', [...at, 'name'], { what: 'container name', name: container.name }, { value: container.name });
          containerNames.add(container.name);
        }
        if (isObj(c) && (container.image === undefined || container.image === '')) required([...at, 'image'], 'add "image: <image>", e.g. nginx:1.27');
        arr(container.ports).forEach((p, j) => {
          const port = obj(p);
          const pat = [...at, 'ports', j];
          if (typeof port.containerPort === 'number' && Number.isInteger(port.containerPort) && (port.containerPort < 1 || port.containerPort > 65535)) report('PORT_OUT_OF_RANGE', [...pat, 'containerPort'], { port: port.containerPort }, { value: port.containerPort });
          if (typeof port.hostPort === 'number' && Number.isInteger(port.hostPort) && (port.hostPort < 0 || port.hostPort > 65535)) report('PORT_OUT_OF_RANGE', [...pat, 'hostPort'], { port: port.hostPort }, { value: port.hostPort });
          if (typeof port.name === 'string' && port.name !== '') {
            if (!isIanaSvcName(port.name)) report('PORT_NAME_INVALID', [...pat, 'name'], { name: port.name, rule: 'IANA service name' }, { value: port.name });
            if (portNames.has(port.name)) report('PORT_NAME_DUPLICATE', [...pat, 'name'], { name: port.name }, { value: port.name });
            portNames.add(port.name);
          }
        });
        arr(container.volumeMounts).forEach((m, j) => {
          const name = obj(m).name;
          if (typeof name === 'string' && !volumes.has(name)) {
            report('VOLUME_NOT_FOUND', [...at, 'volumeMounts', j, 'name'], { name, known: [...volumes], suggestion: closest(name, volumes) }, { value: name });
          }
        });
      });
    }
  }

  function checkWorkload(spec: Obj, k: SupportedKind, name: string): void {
    const selector = spec.selector;
    const template = obj(spec.template);
    const labels = obj(obj(template.metadata).labels);
    if (typeof spec.replicas === 'number' && spec.replicas < 0) report('FIELD_INVALID', ['spec', 'replicas'], { message: `replicas ${spec.replicas} is negative`, hint: 'use 0 or more' }, { value: spec.replicas });
    if (isObj(selector)) {
      checkLabels(selector.matchLabels, ['spec', 'selector', 'matchLabels']);
      const empty = Object.keys(obj(selector.matchLabels)).length === 0 && arr(selector.matchExpressions).length === 0;
      if (empty) report('SELECTOR_EMPTY', ['spec', 'selector'], {});
      else if (isObj(spec.template)) {
        const match = isLabelSelectorMatch(selector, labels);
        if (match === false) {
          const where: FieldPath = Object.keys(labels).length > 0 ? ['spec', 'template', 'metadata', 'labels'] : ['spec', 'template'];
          report('SELECTOR_MISMATCH', where, { selector: toSelectorText(selector), labels: toLabelsText(labels) });
        }
      }
    }
    checkLabels(obj(template.metadata).labels, ['spec', 'template', 'metadata', 'labels']);
    const claimNames = new Set<string>();
    if (k === 'StatefulSet') {
      checkStatefulSet(spec, name, claimNames);
    }
    if (isObj(spec.template)) checkPodSpec(obj(template.spec), ['spec', 'template', 'spec'], claimNames);
  }

  function checkStatefulSet(spec: Obj, name: string, claimNames: Set<string>): void {
    if (spec.serviceName === undefined || spec.serviceName === '') report('STATEFULSET_NO_SERVICE_NAME', spec.serviceName === undefined ? ['spec'] : ['spec', 'serviceName'], { name }, { key: true });
    else if (typeof spec.serviceName === 'string' && !isDns1035Label(spec.serviceName)) {
      report('NAME_INVALID', ['spec', 'serviceName'], { name: spec.serviceName, rule: 'DNS-1035 label', example: toDnsLabelExample(spec.serviceName) }, { value: spec.serviceName });
    }
    const replicas = typeof spec.replicas === 'number' && Number.isInteger(spec.replicas) && spec.replicas >= 0 ? spec.replicas : 1;
    const start = typeof obj(spec.ordinals).start === 'number' ? (obj(spec.ordinals).start as number) : 0;
    if (start < 0) report('FIELD_INVALID', ['spec', 'ordinals', 'start'], { message: `ordinals.start ${start} is negative`, hint: 'use 0 or more' }, { value: start });
    const longest = `${name}-${Math.max(0, start + Math.max(replicas, 1) - 1)}`;
    if (name !== '' && isDns1123Label(name) && longest.length > 63) report('STATEFULSET_NAME_TOO_LONG', ['metadata', 'name'], { name, longest }, { value: name });
    arr(spec.volumeClaimTemplates).forEach((t, i) => {
      const tmpl = obj(t);
      const at: FieldPath = ['spec', 'volumeClaimTemplates', i];
      const claim = obj(tmpl.metadata).name;
      if (typeof claim !== 'string' || claim === '') required([...at, 'metadata', 'name'], 'add "metadata: {name: <claim>}": volumeMounts refer to the claim by this name');
      else {
        if (claimNames.has(claim)) report('FIELD_DUPLICATE', [...at, 'metadata', 'name'], { what: 'volume claim template name', name: claim }, { value: claim });
        claimNames.add(claim);
        if (!isDns1123Subdomain(`${claim}-${name}-0`)) report('NAME_INVALID', [...at, 'metadata', 'name'], { name: claim, rule: 'DNS-1123 subdomain', example: toDnsLabelExample(claim) }, { value: claim });
      }
      const pvc = obj(tmpl.spec);
      if (isObj(tmpl.spec) || tmpl.spec === undefined) {
        if (arr(pvc.accessModes).length === 0) required([...at, 'spec', 'accessModes'], 'add "accessModes: [ReadWriteOnce]"');
        const storage = obj(obj(pvc.resources).requests).storage;
        if (storage === undefined) required([...at, 'spec', 'resources', 'requests', 'storage'], 'add "resources: {requests: {storage: 1Gi}}"');
      }
    });
  }

  function checkEndpointSlice(slice: Obj): void {
    const addressType = slice.addressType;
    const svc = obj(obj(slice.metadata).labels)['kubernetes.io/service-name'];
    if (typeof svc !== 'string' || svc === '') report('ENDPOINTSLICE_NO_SERVICE', ['metadata'], {}, { key: true });
    arr(slice.endpoints).forEach((e, i) => {
      arr(obj(e).addresses).forEach((a, j) => {
        if (typeof a !== 'string') return;
        const family = isIP(a);
        const ok = addressType === 'IPv4' ? family === 4 : addressType === 'IPv6' ? family === 6 : addressType === 'FQDN' ? isDns1123Subdomain(a) : true;
        if (!ok) report('FIELD_INVALID', ['endpoints', i, 'addresses', j], { message: `"${a}" is not a valid ${String(addressType)} address`, hint: `write an address of the slice's addressType (${String(addressType)})` }, { value: a });
      });
      const hostname = obj(e).hostname;
      if (typeof hostname === 'string' && !isDns1123Label(hostname)) report('NAME_INVALID', ['endpoints', i, 'hostname'], { name: hostname, rule: 'DNS-1123 label', example: toDnsLabelExample(hostname) }, { value: hostname });
    });
    checkPorts(arr(slice.ports), ['ports'], 'endpoint');
  }
}
