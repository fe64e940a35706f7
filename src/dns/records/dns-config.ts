/** How the cluster's DNS is served: CoreDNS `kubernetes` plugin options, resolved. */
export interface ResolvedDnsConfig {
  /** The cluster domain (first forward zone), e.g. `cluster.local`, lower-case, no trailing dot. */
  clusterDomain: string;
  /** Every zone served authoritatively, forward and reverse (`cluster.local`, `in-addr.arpa`, `ip6.arpa`). */
  zones: readonly string[];
  /** Namespace used for short names asked from outside the cluster (autopath-style). */
  defaultNamespace: string;
  ttl: number;
  /** `pods insecure|verified|disabled`. */
  podMode: 'insecure' | 'verified' | 'disabled';
  /** `namespaces a b`: only these are exposed; empty = all. */
  namespaces: readonly string[];
  ignoreEmptyService: boolean;
  endpointPodNames: boolean;
}

export const DEFAULT_DNS_CONFIG: ResolvedDnsConfig = {
  clusterDomain: 'cluster.local',
  zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
  defaultNamespace: 'default',
  ttl: 5,
  podMode: 'insecure',
  namespaces: [],
  ignoreEmptyService: false,
  endpointPodNames: false,
};

/** The TXT answer of `dns-version.<zone>` (spec 2.2). */
export const DNS_SCHEMA_VERSION = '1.1.0';

/** The search path of a pod in `namespace` (kubelet's resolv.conf for dnsPolicy ClusterFirst), most specific first. */
export function getPodSearchPath(namespace: string, clusterDomain: string): string[] {
  return [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
}
