import type { ManifestObject } from '../manifest/manifest-object.js';
import { getObjectNamespace } from './from-manifest.js';
import { parseIP, formatIP } from './ip-address.js';
import { computeNameSuffix } from './names.js';
import type { Endpoint, EndpointPort, EndpointSlice, IPFamily, Protocol, Service } from './types.js';

/**
 * Endpoints written by hand: `discovery.k8s.io/v1` EndpointSlice manifests, and `v1` Endpoints
 * manifests mirrored into slices as Kubernetes' EndpointSliceMirroring controller does (CoreDNS
 * reads slices only). This is how a selector-less Service points at addresses outside the cluster.
 */

/** Label naming the Service a slice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Label that stops the mirroring controller from mirroring an Endpoints object. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

function toProtocol(v: unknown): Protocol {
  return v === 'UDP' || v === 'SCTP' ? v : 'TCP';
}

/** A port as CoreDNS keeps it (object/endpoint.go): an absent port number becomes -1, an absent name ''. */
function toEndpointPorts(v: unknown): EndpointPort[] {
  return list(v).filter(isObj).map((p) => ({ name: str(p.name) ?? '', port: typeof p.port === 'number' && Number.isInteger(p.port) ? p.port : -1, protocol: toProtocol(p.protocol) }));
}

function toTargetRef(v: unknown, namespace: string): Endpoint['targetRef'] {
  if (!isObj(v) || typeof v.name !== 'string') return undefined;
  return { kind: str(v.kind) ?? '', namespace: str(v.namespace) ?? namespace, name: v.name };
}

/** The address in canonical form when it is of the family, else undefined. */
function toFamilyAddress(ip: string, family: IPFamily): string | undefined {
  const p = parseIP(ip);
  return p && p.family === (family === 'IPv4' ? 4 : 6) ? formatIP(p.value, p.family) : undefined;
}

/**
 * An EndpointSlice manifest as a slice. `conditions.ready` absent means ready (the API's "unknown
 * → ready", as CoreDNS reads it); serving defaults to ready; addresses not of the slice's
 * addressType are dropped. A slice without the service-name label belongs to no Service.
 */
export function toManifestEndpointSlice(m: ManifestObject, defaultNamespace: string): EndpointSlice {
  const namespace = getObjectNamespace(m, defaultNamespace);
  const labels = obj(obj(m.body.metadata).labels);
  const addressType = m.body.addressType === 'IPv6' ? 'IPv6' : m.body.addressType === 'FQDN' ? 'FQDN' : 'IPv4';
  const endpoints: Endpoint[] = list(m.body.endpoints).filter(isObj).map((e) => {
    const conditions = obj(e.conditions);
    const ready = bool(conditions.ready) ?? true;
    const addresses = list(e.addresses).filter((a): a is string => typeof a === 'string');
    return {
      addresses: addressType === 'FQDN' ? addresses : addresses.map((a) => toFamilyAddress(a, addressType)).filter((a): a is string => !!a),
      hostname: str(e.hostname) || undefined,
      ready,
      serving: bool(conditions.serving) ?? ready,
      terminating: bool(conditions.terminating) ?? false,
      targetRef: toTargetRef(e.targetRef, namespace),
    };
  });
  return {
    namespace,
    name: m.name,
    serviceName: str(labels[SERVICE_NAME_LABEL]) ?? '',
    addressType,
    endpoints,
    ports: toEndpointPorts(m.body.ports),
    managed: false,
  };
}

/**
 * An Endpoints manifest mirrored into slices, one per subset and address family: `addresses` are
 * ready, `notReadyAddresses` not. Mirrored only for an existing Service without a selector (the
 * endpoints controller owns the Endpoints of a Service with one) and without the skip-mirror label.
 */
export function toMirroredEndpointSlices(m: ManifestObject, defaultNamespace: string, services: readonly Service[]): EndpointSlice[] {
  const namespace = getObjectNamespace(m, defaultNamespace);
  const svc = services.find((s) => s.namespace === namespace && s.name === m.name);
  if (!svc || svc.selector || svc.type === 'ExternalName' || str(obj(obj(m.body.metadata).labels)[SKIP_MIRROR_LABEL]) === 'true') return [];
  const slices: EndpointSlice[] = [];
  list(m.body.subsets).filter(isObj).forEach((subset, i) => {
    for (const family of ['IPv4', 'IPv6'] as const) {
      const endpoints: Endpoint[] = [];
      for (const [field, ready] of [['addresses', true], ['notReadyAddresses', false]] as const) {
        for (const a of list(subset[field]).filter(isObj)) {
          const address = typeof a.ip === 'string' ? toFamilyAddress(a.ip, family) : undefined;
          if (!address) continue;
          endpoints.push({ addresses: [address], hostname: str(a.hostname) || undefined, ready, serving: ready, terminating: false, targetRef: toTargetRef(a.targetRef, namespace) });
        }
      }
      if (endpoints.length === 0) continue;
      slices.push({
        namespace,
        name: `${m.name}-${computeNameSuffix(`${namespace}/${m.name}/mirror/${i}/${family}`)}`,
        serviceName: m.name,
        addressType: family,
        endpoints,
        ports: toEndpointPorts(subset.ports),
        managed: false,
      });
    }
  });
  return slices;
}

/** Every hand-written slice of the manifests: EndpointSlices as written, Endpoints mirrored. */
export function buildManifestEndpointSlices(manifests: readonly ManifestObject[], defaultNamespace: string, services: readonly Service[]): EndpointSlice[] {
  const out: EndpointSlice[] = [];
  for (const m of manifests) {
    if (m.kind === 'EndpointSlice') out.push(toManifestEndpointSlice(m, defaultNamespace));
    else if (m.kind === 'Endpoints') out.push(...toMirroredEndpointSlices(m, defaultNamespace, services));
  }
  return out;
}
