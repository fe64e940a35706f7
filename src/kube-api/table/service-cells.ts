// printService: TYPE, CLUSTER-IP, EXTERNAL-IP (getServiceExternalIP), PORT(S) (makePortString), AGE, SELECTOR.
import { formatLabels } from '../selectors/label-selector-object.js';
import { toAge } from './human-duration.js';
import type { ApiObject, RowCells } from './table-types.js';

/** loadBalancerStatusStringer with wide=true (the apiserver prints wide): IPs or hostnames, sorted, unique. */
function toLoadBalancerAddresses(svc: ApiObject): string {
  const ingress = (svc.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[];
  const set = new Set<string>();
  for (const i of ingress) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

/** EXTERNAL-IP: externalIPs for ClusterIP/NodePort (`<none>`), load balancer addresses (`<pending>`), the externalName. */
export function getServiceExternalIP(svc: ApiObject): string {
  const externalIPs = (svc.spec?.externalIPs ?? []) as string[];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = toLoadBalancerAddresses(svc);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** PORT(S): `80/TCP`, `80:30080/TCP` with a node port, comma-joined; `<none>` without ports. */
export function toServicePorts(svc: ApiObject): string {
  const ports = (svc.spec?.ports ?? []) as { port: number; nodePort?: number; protocol?: string }[];
  const text = ports.map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
  return text || '<none>';
}

/** The service's row cells. */
export function toServiceCells(svc: ApiObject, nowMs: number): RowCells {
  const clusterIPs = (svc.spec?.clusterIPs ?? []) as string[];
  const internalIP = clusterIPs.length ? clusterIPs[0] : svc.spec?.clusterIP || '<none>';
  return {
    cells: [svc.metadata?.name ?? '', svc.spec?.type ?? 'ClusterIP', internalIP, getServiceExternalIP(svc), toServicePorts(svc), toAge(svc.metadata?.creationTimestamp, nowMs), formatLabels(svc.spec?.selector)],
  };
}
