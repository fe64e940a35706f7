import { getPodSearchPath } from '../dns/records/dns-config.js';
/** What a pod's /etc/resolv.conf says (kubelet's `ClusterFirst` DNS policy). */
export interface PodResolvConf {
  nameserver: string;
  /** The namespace the pod runs in. */
  namespace: string;
  clusterDomain: string;
  /** kubelet writes `options ndots:5`. */
  ndots?: number;
}

/**
 * A pod's resolv.conf text, as kubelet writes it: the cluster DNS server, the search path
 * `<ns>.svc.<zone> svc.<zone> <zone>` and `options ndots:5`.
 */
export function buildPodResolvConf(p: PodResolvConf): string {
  const z = p.clusterDomain;
  return [`nameserver ${p.nameserver}`, `search ${getPodSearchPath(p.namespace, z).join(" ")}`, `options ndots:${p.ndots ?? 5}`, ''].join("\n");
}


/** The `nameserver` addresses of a resolv.conf text, in order (comments and other lines ignored; `%zone` suffixes dropped). */
export function getResolvConfNameservers(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const m = /^nameserver\s+(\S+)/.exec(line);
    if (m) out.push(m[1].replace(/%.*$/, ''));
  }
  return out;
}
