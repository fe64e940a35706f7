// The DNS names of the objects, as the server's records spell them (spec: Kubernetes DNS-Based Service Discovery).

/** `<svc>.<ns>.svc.<zone>` (spec 2.3.1 / 2.4.1). */
export const toServiceName = (svc, ns, zone) => `${svc}.${ns}.svc.${zone}`;

/** `_<port>._<proto>.<svc>.<ns>.svc.<zone>` for each named port (spec 2.3.2 / 2.4.2). */
export const toSrvNames = (svc, ns, zone) =>
  svc.ports.filter((p) => p.name).map((p) => `_${p.name}._${p.protocol.toLowerCase()}.${toServiceName(svc.name, ns, zone)}`);

/**
 * The name a headless Service gives one endpoint (spec 2.4.1): its hostname, or its address with
 * dashes; undefined for a Service with a cluster IP (its endpoints have no names).
 */
export function toEndpointName(svc, endpoint, ns, zone) {
  if (!svc.headless || !endpoint.addresses.length) return undefined;
  const label = endpoint.hostname ?? endpoint.addresses[0].replaceAll('.', '-').replaceAll(':', '-');
  return `${label}.${toServiceName(svc.name, ns, zone)}`;
}

/** A pod's own name `<hostname>.<subdomain>.<ns>.svc.<zone>` when a headless Service is its subdomain; else undefined. */
export function toPodName(pod, ns, zone, services) {
  if (!pod.hostname || !pod.subdomain) return undefined;
  const svc = services.get(pod.subdomain);
  return svc && svc.headless ? `${pod.hostname}.${toServiceName(svc.name, ns, zone)}` : undefined;
}
