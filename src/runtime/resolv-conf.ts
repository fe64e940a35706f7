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
  return [`nameserver ${p.nameserver}`, `search ${p.namespace}.svc.${z} svc.${z} ${z}`, `options ndots:${p.ndots ?? 5}`, ''].join('\n');
}

/** The search path a pod in `namespace` uses, most specific first. */
export function getPodSearchPath(namespace: string, clusterDomain: string): string[] {
  return [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
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
