import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { Forwarder } from '../dns/forward/forwarder.js';
import { DEFAULT_RECURSION_CIDRS, newRecursionAcl } from '../dns/forward/recursion-acl.js';
import { parseUpstream, toUpstreamText, type Upstream } from '../dns/forward/upstream-address.js';
import type { DnsServer } from '../runtime/dns-server.js';
import { getResolvConfNameservers } from '../runtime/resolv-conf.js';
import { UsageError } from './usage-error.js';

export interface UpstreamFlagValues {
  /** `--upstream IP[:PORT]` (repeatable) or `none`; undefined → the host's resolv.conf. */
  upstream?: string[];
  upstreamTimeout?: string;
  /** `--allow-recursion CIDR,...`: clients whose out-of-cluster names are forwarded; undefined → DEFAULT_RECURSION_CIDRS. */
  allowRecursion?: string;
}

/** The `--allow-recursion` list (comma-separated CIDRs or addresses), or the default private ranges. Throws UsageError. */
export function resolveRecursionAcl(text: string | undefined): { cidrs: readonly string[]; allowed: (address: string) => boolean } {
  const cidrs = text === undefined ? DEFAULT_RECURSION_CIDRS : text.split(',').map((c) => c.trim()).filter(Boolean);
  try {
    return { cidrs, allowed: newRecursionAcl(cidrs) };
  } catch (err) {
    throw new UsageError(`--allow-recursion: ${(err as Error).message}`, 'e.g. --allow-recursion 10.0.0.0/8,192.168.1.0/24 (default: loopback and private ranges)');
  }
}

/** The upstreams the flags name: `none` → [], absent → the nameservers of `hostResolvConf`. Throws UsageError. */
export function resolveUpstreams(values: string[] | undefined, hostResolvConf: string | undefined): { upstreams: Upstream[]; source: string } {
  if (values === undefined || values.length === 0) {
    const found = getResolvConfNameservers(hostResolvConf ?? '').map((a) => ({ address: a, port: 53 }));
    return { upstreams: found, source: '/etc/resolv.conf' };
  }
  const texts = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (texts.includes('none')) {
    if (texts.length > 1) throw new UsageError('--upstream none cannot be combined with addresses', 'use either --upstream none or --upstream IP[:PORT]...');
    return { upstreams: [], source: '--upstream none' };
  }
  try {
    return { upstreams: texts.map(parseUpstream), source: '--upstream' };
  } catch (err) {
    throw new UsageError((err as Error).message, 'e.g. --upstream 1.1.1.1 --upstream [2606:4700::1111]:53, or --upstream none');
  }
}

export function parseUpstreamTimeout(text: string | undefined): number {
  if (text === undefined) return 2000;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 10 || n > 60_000) throw new UsageError(`--upstream-timeout ${text} is out of range`, 'use milliseconds from 10 to 60000, e.g. --upstream-timeout 2000');
  return n;
}

function readHostResolvConf(): string | undefined {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Turns forwarding on for a listening server: resolves the upstreams, drops those that loop back to
 * it (logged as errors), and installs the forwarder. With none left, out-of-zone names stay REFUSED.
 */
export async function startForwarding(server: DnsServer, flags: UpstreamFlagValues, self: Upstream, log: Logger, hostResolvConf = readHostResolvConf()): Promise<Forwarder | undefined> {
  const { upstreams, source } = resolveUpstreams(flags.upstream, hostResolvConf);
  const timeoutMs = parseUpstreamTimeout(flags.upstreamTimeout);
  const acl = resolveRecursionAcl(flags.allowRecursion);
  if (upstreams.length === 0) {
    log.info({ source }, 'no upstream resolvers: names outside the cluster are REFUSED');
    return undefined;
  }
  const forwarder = new Forwarder(upstreams, { timeoutMs });
  server.handler.forwarder = forwarder;
  server.handler.recursionAllowed = acl.allowed;
  const looped = await forwarder.detectLoops(self);
  for (const u of looped) {
    log.error({ upstream: toUpstreamText(u) }, `upstream ${toUpstreamText(u)} sends queries back to this server (a forwarding loop): not used; name another with --upstream`);
  }
  if (forwarder.upstreams.length === 0) {
    server.handler.forwarder = null;
    log.warn({ source }, 'every upstream loops back: names outside the cluster are REFUSED');
    return undefined;
  }
  log.info({ upstreams: forwarder.upstreams.map(toUpstreamText), source, timeoutMs, allowRecursion: acl.cidrs }, `forwarding names outside the cluster to ${forwarder.upstreams.map(toUpstreamText).join(', ')} for clients in ${acl.cidrs.join(', ')}; others get REFUSED`);
  return forwarder;
}
