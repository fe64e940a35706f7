import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { formatFinding, type Finding } from '../manifest/finding.js';
import { collectSnapshotFindings, type ClusterSnapshot } from '../runtime/cluster-snapshot.js';
import { LiveClusterRuntime } from '../runtime/live-cluster-runtime.js';
import { DEFAULT_STATE_PATH } from '../runtime/state-file.js';
import { parseDuration } from './duration.js';
import type { DnsServer } from '../runtime/dns-server.js';
import { parseAddress, parsePort, resolveClusterOptions, resolveDnsConfig, type DnsFlagValues } from './dns-options.js';
import { ExitCode, UsageError } from './usage-error.js';
import { AdminServer, DEFAULT_ADMIN_OPTIONS } from '../admin/admin-server.js';
import { buildAdminRoutes } from '../admin/admin-routes.js';
import { parseUpstreamTimeout, resolveRecursionAcl, resolveUpstreams, startForwarding, type UpstreamFlagValues } from './upstream-options.js';
import { toQueryLogFields } from './query-log.js';
import type { QueryLogEntry } from '../dns/server/query-handler.js';
import { KubeApi } from '../kube-api/kube-api.js';
import { formatAddresses, listenAdmin, listenDns, resolveAdminFlags, untilStopSignal } from './serve-listeners.js';
import { QueryRing } from '../web/query-stream.js';
import { isFollowMode, runServeFollowing, type FollowFlags } from './serve-follow-command.js';

export interface ServeFlags extends DnsFlagValues, UpstreamFlagValues, FollowFlags {
  logQueries?: boolean;
  file: string[];
  /** undefined: 127.0.0.1, and ::1 too when it can be bound. */
  address?: string;
  port: string;
  strict?: boolean;
  admin: string;
  adminToken?: string;
  adminTlsCert?: string;
  adminTlsKey?: string;
  podReadyDelay: string;
  state: string;
}

/** Prints findings as `file:line:col: severity CODE: path: message`, a code frame and a hint. */
export function printFindings(findings: readonly Finding[], sources: ReadonlyMap<string, string>, stream: NodeJS.WritableStream = process.stderr): void {
  for (const f of findings) stream.write(`${formatFinding(f, sources.get(f.file))}\n`);
}

/**
 * DNS warnings located exactly (field position) before serve's first answer; past these, a warning
 * points at its object's start. Every warning of a hand-written lab is located; a generated cluster
 * with thousands does not re-read every file first.
 */
export const SUMMARY_LOCATED_FINDINGS = 100;

/** Findings of one code printed in full by printFindingSummary; the rest are counted. */
export const FINDINGS_SHOWN_PER_CODE = 10;

/**
 * printFindings for commands whose job is not validating (serve, shell, records): every error, the
 * first FINDINGS_SHOWN_PER_CODE warnings of each code, then one line per code saying how many more
 * there are and how to see them. A generated cluster with thousands of selector warnings would
 * otherwise print tens of thousands of lines before the first answer.
 */
export function printFindingSummary(findings: readonly Finding[], sources: ReadonlyMap<string, string>, paths: readonly string[], stream: NodeJS.WritableStream = process.stderr): void {
  const shown = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const f of findings) {
    const n = shown.get(f.code) ?? 0;
    if (f.severity === 'error' || n < FINDINGS_SHOWN_PER_CODE) {
      shown.set(f.code, n + 1);
      stream.write(`${formatFinding(f, sources.get(f.file))}\n`);
    } else hidden.set(f.code, (hidden.get(f.code) ?? 0) + 1);
  }
  for (const [code, n] of hidden) stream.write(`... and ${n} more ${code} warning${n === 1 ? '' : 's'}: kube-dns-sim validate ${paths.map((p) => `-f ${p}`).join(' ')} lists them all\n`);
}

function countKinds(s: ClusterSnapshot): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of s.manifests.objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return counts;
}

/** `--admin-tls-cert` and `--admin-tls-key` (both or neither), read at start: a usage error names what is wrong. */
function readAdminTls(flags: ServeFlags): { cert: Buffer; key: Buffer } | undefined {
  if (!flags.adminTlsCert && !flags.adminTlsKey) return undefined;
  if (!flags.adminTlsCert || !flags.adminTlsKey) throw new UsageError('--admin-tls-cert and --admin-tls-key go together', 'give both PEM files, e.g. --admin-tls-cert admin.crt --admin-tls-key admin.key');
  const read = (path: string, flag: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new UsageError(`${flag} ${path} cannot be read (${(err as NodeJS.ErrnoException).code})`, 'give a PEM file, e.g. made with: openssl req -x509 -newkey rsa:2048 -nodes -keyout admin.key -out admin.crt -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1');
    }
  };
  const tls = { cert: read(flags.adminTlsCert, '--admin-tls-cert'), key: read(flags.adminTlsKey, '--admin-tls-key') };
  try {
    createSecureContext(tls);
  } catch (err) {
    throw new UsageError(`--admin-tls-cert/--admin-tls-key are not a usable PEM certificate and key (${(err as Error).message})`, 'check that the key belongs to the certificate and both are PEM');
  }
  return tls;
}

/** `serve`: load, reconcile, answer over UDP and TCP until SIGINT/SIGTERM. Resolves with the exit code. */
export async function runServe(flags: ServeFlags, log: Logger): Promise<number> {
  if (isFollowMode(flags)) return runServeFollowing(flags, log);
  if (!flags.file || flags.file.length === 0) throw new UsageError('serve needs -f, --file PATH (manifests to simulate), or --kubeconfig PATH / --endpoint URL (a cluster to follow)', 'e.g. kube-dns-sim serve -f manifests/, or kube-dns-sim serve --kubeconfig ~/.kube/config');
  // No --address: the loopback of both families, as `localhost` may name either.
  const address = parseAddress(flags.address ?? '127.0.0.1');
  const alsoIPv6Loopback = flags.address === undefined;
  const port = parsePort(flags.port);
  const dns = resolveDnsConfig(flags);
  const clusterOptions = resolveClusterOptions(flags);
  const { admin, adminToken } = resolveAdminFlags(flags);
  const adminTls = readAdminTls(flags);
  // The forwarding flags are used after the listeners bind; check them before, so a usage error leaves nothing open.
  resolveUpstreams(flags.upstream, '');
  parseUpstreamTimeout(flags.upstreamTimeout);
  resolveRecursionAcl(flags.allowRecursion);
  const podReadyDelayMs = parseDuration(flags.podReadyDelay ?? '0s', '--pod-ready-delay');
  const statePath = flags.state === 'none' ? undefined : (flags.state ?? DEFAULT_STATE_PATH);
  const started = performance.now();

  let server: DnsServer | undefined;
  const runtime = await LiveClusterRuntime.start({
    paths: flags.file,
    clusterOptions,
    dns,
    podReadyDelayMs,
    statePath,
    log,
    publish: (index) => server?.setIndex(index),
    reportFindings: (findings, sources) => printFindings(findings, sources),
  });
  // The summary of the cluster's findings (DNS warnings locate their fields by re-reading files) is
  // printed once the listeners answer, unless --strict must decide first whether to serve at all.
  const reportFindings = (): number => {
    const snapshot = runtime.getSnapshot();
    const manifests = snapshot.manifests;
    // The manifests' own findings were reported as they loaded; add the cluster's and the DNS-visible warnings.
    const manifestFindings = new Set(manifests.findings);
    const findings = collectSnapshotFindings(manifests, snapshot.cluster, clusterOptions.defaultNamespace, SUMMARY_LOCATED_FINDINGS);
    printFindingSummary(findings.filter((f) => !manifestFindings.has(f)), manifests.sources, flags.file);
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (manifests.ignoredKinds.size > 0) {
      log.warn({ kinds: Object.fromEntries(manifests.ignoredKinds) }, `ignored objects of kinds kube-dns-sim does not simulate: ${[...manifests.ignoredKinds.keys()].join(', ')}`);
    }
    const st = snapshot.cluster.state;
    log.info(
      { objects: countKinds(snapshot), files: manifests.sources.size, errors, warnings: findings.length - errors },
      `loaded ${manifests.objects.length} objects from ${manifests.sources.size} files: ${st.services.length} services, ${st.pods.length} pods (built-ins included)`,
    );
    return errors;
  };
  if (flags.strict) {
    const errors = reportFindings();
    if (errors > 0) {
      await runtime.close();
      log.error({ errors }, 'manifest errors and --strict: not serving');
      return ExitCode.FINDINGS;
    }
  }

  const dnsListeners = await listenDns(runtime.getSnapshot().index, address, port, alsoIPv6Loopback, log, () => runtime.close());
  if (typeof dnsListeners === 'number') return dnsListeners;
  const { server: dnsServer, bound, alsoOn } = dnsListeners;
  server = dnsServer;
  if (!flags.strict) reportFindings();
  const forwarder = await startForwarding(dnsServer, flags, { address, port: bound }, log);
  let stopping = false;
  const logQuery = flags.logQueries ? (e: QueryLogEntry) => log.info(toQueryLogFields(e), 'query') : null;
  dnsServer.handler.onQueryLog = logQuery;
  let adminServer: AdminServer | undefined;
  if (admin) {
    dnsServer.handler.measureDurations = true;
    const handler = dnsServer.handler;
    const kubeApi = new KubeApi(runtime);
    adminServer = new AdminServer({ ...DEFAULT_ADMIN_OPTIONS, token: adminToken, tls: adminTls }).addRoutes(
      buildAdminRoutes({
        getSnapshot: () => runtime.getSnapshot(),
        counters: dnsServer.handler.counters,
        live: runtime,
        kubeApi,
        // The web view's query stream sets the hook only while a page watches it.
        web: { kubeApi, clusterDomain: dns.clusterDomain, queries: new QueryRing((hook) => (handler.onQueryLog = hook), logQuery) },
        getNotReady: () => (stopping ? ['dns'] : []),
        dnsServer: `dns://${address.includes(':') ? `[${address}]` : address}:${bound}`,
        getUpstreamCounters: () => forwarder?.counters ?? new Map(),
      }),
    );
    if (!(await listenAdmin(adminServer, admin, adminTls !== undefined, log))) {
      await Promise.all([dnsServer.close(), runtime.close()]);
      return ExitCode.RUNTIME;
    }
  }
  log.info({ podReadyDelayMs, state: statePath ?? 'none', watching: flags.file }, `watching ${flags.file.join(', ')} for changes; state file ${statePath ?? 'none'}`);
  log.info({ address, alsoOn, port: bound, udp: true, tcp: true, zones: dns.zones, startupMs: Math.round(performance.now() - started) }, `serving DNS for ${dns.clusterDomain} on ${formatAddresses([address, ...alsoOn])} port ${bound} (UDP and TCP)`);

  return untilStopSignal(log, () => (stopping = true), () => [dnsServer.close(), adminServer?.close(), runtime.close()]);
}
