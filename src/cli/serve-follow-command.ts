import type { Logger } from 'pino';
import { AdminServer, DEFAULT_ADMIN_OPTIONS } from '../admin/admin-server.js';
import { buildAdminRoutes } from '../admin/admin-routes.js';
import type { DnsServer } from '../runtime/dns-server.js';
import { formatAddresses, listenAdmin, listenDns, resolveAdminFlags, untilStopSignal } from './serve-listeners.js';
import { KubeFollowRuntime } from '../kube-follow/follow-runtime.js';
import { checkEndpointUrl, KUBE_TOKEN_ENV, newEndpointConnection, type KubeConnection } from '../kube-follow/kube-connection.js';
import { KubeconfigError, loadKubeconfigConnection } from '../kube-follow/kubeconfig.js';
import { parseAddress, parsePort, resolveDnsConfig } from './dns-options.js';
import { parseDuration } from './duration.js';
import { toQueryLogFields } from './query-log.js';
import type { ServeFlags } from './serve-command.js';
import { parseUpstreamTimeout, resolveRecursionAcl, resolveUpstreams, startForwarding } from './upstream-options.js';
import { ExitCode, UsageError } from './usage-error.js';

/** The flags of `serve` that take the cluster from a Kubernetes API server instead of files. */
export interface FollowFlags {
  kubeconfig?: string;
  context?: string;
  endpoint?: string;
  token?: string;
  startupTimeout?: string;
}

/** Whether `serve` follows an API server (`--kubeconfig` or `--endpoint`); usage errors for mixed flags. */
export function isFollowMode(flags: ServeFlags & FollowFlags): boolean {
  const follow = flags.kubeconfig !== undefined || flags.endpoint !== undefined;
  const hint = 'serve either simulates manifests (-f PATH) or follows a Kubernetes API server (--kubeconfig PATH [--context NAME], or --endpoint URL)';
  if (follow && flags.file && flags.file.length > 0) throw new UsageError(`-f cannot be combined with ${flags.kubeconfig !== undefined ? '--kubeconfig' : '--endpoint'}`, hint);
  if (flags.kubeconfig !== undefined && flags.endpoint !== undefined) throw new UsageError('--kubeconfig and --endpoint name the API server twice', 'use one: the kubeconfig context names its server (CoreDNS ignores endpoint when kubeconfig is set)');
  if (!follow && flags.context !== undefined) throw new UsageError('--context needs --kubeconfig', 'e.g. --kubeconfig ~/.kube/config --context kind-kind');
  if (!follow && flags.token !== undefined) throw new UsageError('--token needs --endpoint', 'e.g. --endpoint https://127.0.0.1:6443 --token "$TOKEN"');
  if (flags.kubeconfig !== undefined && flags.token !== undefined) throw new UsageError('--token is for --endpoint; a kubeconfig carries its own credentials', 'put the token in the kubeconfig user, or use --endpoint URL --token T');
  return follow;
}

async function toConnection(flags: FollowFlags): Promise<KubeConnection> {
  if (flags.endpoint !== undefined) {
    const problem = checkEndpointUrl(flags.endpoint);
    if (problem) throw new UsageError(problem, 'e.g. --endpoint http://127.0.0.1:8080 or --endpoint https://127.0.0.1:6443');
    return newEndpointConnection(flags.endpoint, flags.token ?? process.env[KUBE_TOKEN_ENV]);
  }
  try {
    return await loadKubeconfigConnection(flags.kubeconfig!, flags.context);
  } catch (err) {
    if (err instanceof KubeconfigError) throw new UsageError(err.message, err.hint);
    throw err;
  }
}

/**
 * `serve --kubeconfig PATH [--context NAME]` or `serve --endpoint URL`: answers DNS for the
 * Services, EndpointSlices, Pods and Namespaces of a Kubernetes API server, as CoreDNS does. Like
 * CoreDNS, waits for the first complete list up to `--startup-timeout` (default 5 s, CoreDNS's
 * startup_timeout) before it serves; until then names it lacks answer SERVFAIL and /ready says
 * `kubernetes`. The admin API serves /health, /ready, /metrics, /explain, /records; no cluster
 * changes (the API server is where the cluster changes). Resolves with the exit code.
 */
export async function runServeFollowing(flags: ServeFlags & FollowFlags, log: Logger): Promise<number> {
  const address = parseAddress(flags.address ?? '127.0.0.1');
  const alsoIPv6Loopback = flags.address === undefined;
  const port = parsePort(flags.port);
  const dns = resolveDnsConfig(flags);
  const { admin, adminToken } = resolveAdminFlags(flags);
  resolveUpstreams(flags.upstream, '');
  parseUpstreamTimeout(flags.upstreamTimeout);
  resolveRecursionAcl(flags.allowRecursion);
  const startupTimeoutMs = parseDuration(flags.startupTimeout ?? '5s', '--startup-timeout');
  const connection = await toConnection(flags);
  const started = performance.now();

  let server: DnsServer | undefined;
  const runtime = KubeFollowRuntime.start({ connection, dns, log, publish: (index) => server?.setIndex(index) });
  // CoreDNS (kubernetes.go InitKubeCache): the server starts once the API has synced, or after startup_timeout.
  const waitLog = setInterval(() => log.info({ unlisted: runtime.getUnlistedResources() }, `waiting for the Kubernetes API at ${connection.server} before serving (${runtime.getUnlistedResources().join(', ')} not listed yet)`), 1000);
  const synced = await runtime.waitForSync(startupTimeoutMs);
  clearInterval(waitLog);
  if (!synced) log.warn({ startupTimeoutMs, unlisted: runtime.getUnlistedResources() }, `serving with an unsynced Kubernetes API after ${startupTimeoutMs} ms: names not known yet answer SERVFAIL until ${runtime.getUnlistedResources().join(', ')} are listed`);

  const dnsListeners = await listenDns(runtime.getSnapshot().index, address, port, alsoIPv6Loopback, log, () => runtime.close());
  if (typeof dnsListeners === 'number') return dnsListeners;
  const { server: dnsServer, bound, alsoOn } = dnsListeners;
  server = dnsServer;
  const forwarder = await startForwarding(dnsServer, flags, { address, port: bound }, log);
  let stopping = false;
  if (flags.logQueries) dnsServer.handler.onQueryLog = (e) => log.info(toQueryLogFields(e), 'query');
  let adminServer: AdminServer | undefined;
  if (admin) {
    dnsServer.handler.measureDurations = true;
    adminServer = new AdminServer({ ...DEFAULT_ADMIN_OPTIONS, token: adminToken }).addRoutes(
      buildAdminRoutes({
        getSnapshot: () => runtime.getSnapshot(),
        counters: dnsServer.handler.counters,
        getNotReady: () => (stopping ? ['dns'] : runtime.isSynced() ? [] : ['kubernetes']),
        dnsServer: `dns://${address.includes(':') ? `[${address}]` : address}:${bound}`,
        getUpstreamCounters: () => forwarder?.counters ?? new Map(),
      }),
    );
    if (!(await listenAdmin(adminServer, admin, false, log))) {
      await Promise.all([dnsServer.close(), runtime.close()]);
      return ExitCode.RUNTIME;
    }
  }
  log.info(
    { address, alsoOn, port: bound, udp: true, tcp: true, zones: dns.zones, server: connection.server, synced: runtime.isSynced(), startupMs: Math.round(performance.now() - started) },
    `serving DNS for ${dns.clusterDomain} on ${formatAddresses([address, ...alsoOn])} port ${bound} (UDP and TCP), following ${connection.server}`,
  );

  return untilStopSignal(log, () => (stopping = true), () => [dnsServer.close(), adminServer?.close(), runtime.close()]);
}
