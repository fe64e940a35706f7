import { isIP } from 'node:net';
import { DEFAULT_DNS_CONFIG, type ResolvedDnsConfig } from '../dns/records/dns-config.js';
import { DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../cluster/reconcile.js';
import { parseCidr } from '../cluster/ip-address.js';
import { UsageError } from './usage-error.js';

export interface DnsFlagValues {
  zone?: string[];
  namespace?: string;
  ttl?: string;
  pods?: string;
  namespaces?: string;
  ignoreEmptyService?: boolean;
  endpointPodNames?: boolean;
  serviceCidr?: string;
  podCidr?: string;
}

const DNS_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Turns the DNS flags (named after CoreDNS `kubernetes` plugin options) into a resolved config; throws UsageError. */
export function resolveDnsConfig(v: DnsFlagValues): ResolvedDnsConfig {
  const zones = (v.zone && v.zone.length ? v.zone : DEFAULT_DNS_CONFIG.zones).flatMap((z) => z.split(/[\s,]+/)).filter(Boolean).map((z) => z.toLowerCase().replace(/\.$/, ''));
  for (const z of zones) if (!DNS_NAME.test(z)) throw new UsageError(`--zone "${z}" is not a domain name`, 'e.g. --zone cluster.local');
  const forward = zones.filter((z) => !z.endsWith('.arpa') && z !== 'arpa');
  if (forward.length === 0) throw new UsageError('--zone needs at least one forward zone (the cluster domain)', 'e.g. --zone cluster.local --zone in-addr.arpa');
  const ttl = v.ttl === undefined ? DEFAULT_DNS_CONFIG.ttl : Number(v.ttl);
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw new UsageError(`--ttl ${v.ttl} is out of range`, 'use a whole number of seconds from 0 to 3600 (CoreDNS: ttl 0..3600)');
  const pods = v.pods ?? DEFAULT_DNS_CONFIG.podMode;
  if (pods !== 'insecure' && pods !== 'verified' && pods !== 'disabled') throw new UsageError(`--pods ${pods} is not a pod mode`, 'use --pods insecure, verified or disabled');
  const namespace = v.namespace ?? DEFAULT_DNS_CONFIG.defaultNamespace;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) throw new UsageError(`--namespace "${namespace}" is not a valid namespace name`, 'use a DNS-1123 label such as "default"');
  return {
    clusterDomain: forward[0],
    zones: [...new Set(zones)],
    defaultNamespace: namespace,
    ttl,
    podMode: pods,
    namespaces: v.namespaces ? v.namespaces.split(',').map((s) => s.trim()).filter(Boolean) : [],
    ignoreEmptyService: v.ignoreEmptyService === true,
    endpointPodNames: v.endpointPodNames === true,
  };
}

export function resolveClusterOptions(v: DnsFlagValues): ClusterOptions {
  const opts = { ...DEFAULT_CLUSTER_OPTIONS, defaultNamespace: v.namespace ?? DEFAULT_CLUSTER_OPTIONS.defaultNamespace };
  for (const [flag, value, key] of [['--service-cidr', v.serviceCidr, 'serviceCidr'], ['--pod-cidr', v.podCidr, 'podCidr']] as const) {
    if (value === undefined) continue;
    try {
      const c = parseCidr(value);
      if (c.family !== 4) throw new Error('IPv4 expected');
    } catch {
      throw new UsageError(`${flag} "${value}" is not an IPv4 CIDR`, `e.g. ${flag} ${DEFAULT_CLUSTER_OPTIONS[key]}`);
    }
    opts[key] = value;
  }
  return opts;
}

export function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${text} is not a port number`, 'use 0..65535, e.g. --port 1053');
  return n;
}

export function parseAddress(text: string): string {
  if (!isIP(text)) throw new UsageError(`--address ${text} is not an IP address`, 'e.g. --address 127.0.0.1 or --address ::1');
  return text;
}
