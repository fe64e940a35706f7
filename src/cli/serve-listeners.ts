import type { Logger } from 'pino';
import { BindError, DnsServer } from '../runtime/dns-server.js';
import type { RecordIndex } from '../dns/records/record-index.js';
import { ADMIN_TOKEN_ENV, checkAdminExposure, parseAdminAddress, type AdminServer } from '../admin/admin-server.js';
import { ExitCode, UsageError } from './usage-error.js';

/** The listeners both serve modes open: DNS (UDP and TCP, ::1 too without --address), the admin API, the stop signals. */

/**
 * `--admin` and `--admin-token` (or its environment variable), checked before anything binds: a usage
 * error for an address that does not parse, or for an address beyond loopback without a token.
 */
export function resolveAdminFlags(flags: { admin: string; adminToken?: string }): { admin: { host: string; port: number } | undefined; adminToken: string | undefined } {
  let admin: { host: string; port: number } | undefined;
  try {
    admin = parseAdminAddress(flags.admin);
  } catch (err) {
    throw new UsageError((err as Error).message, 'e.g. --admin 127.0.0.1:8080, or --admin off');
  }
  const adminToken = flags.adminToken ?? process.env[ADMIN_TOKEN_ENV];
  const exposure = admin && checkAdminExposure(admin.host, adminToken);
  if (exposure) throw new UsageError(exposure, `set a token of 16+ characters with --admin-token or ${ADMIN_TOKEN_ENV}, or keep --admin on 127.0.0.1`);
  return { admin, adminToken };
}

/**
 * Binds DNS on `address:port` (and `::1` when asked and possible). On any failure `closeOnFailure`
 * runs first (the runtime stops); a bind failure is printed as one line with its hint and comes
 * back as the exit code, anything else is thrown.
 */
export async function listenDns(index: RecordIndex, address: string, port: number, alsoIPv6Loopback: boolean, log: Logger, closeOnFailure: () => Promise<void>): Promise<{ server: DnsServer; bound: number; alsoOn: string[] } | number> {
  const server = new DnsServer(index);
  server.handler.onInternalError = (err, qname) => log.warn({ err, qname }, 'internal error answering a query (SERVFAIL)');
  let bound: number;
  try {
    bound = await server.listen(address, port);
  } catch (err) {
    await closeOnFailure();
    if (err instanceof BindError) {
      process.stderr.write(`kube-dns-sim: ${err.message}: ${err.hint}\n`);
      return ExitCode.RUNTIME;
    }
    throw err;
  }
  const alsoOn = alsoIPv6Loopback && (await server.listenAlso('::1')) ? ['::1'] : [];
  return { server, bound, alsoOn };
}

/** Binds the admin API and logs its address; false (after a one-line reason on stderr) when the port cannot be had. */
export async function listenAdmin(adminServer: AdminServer, admin: { host: string; port: number }, tls: boolean, log: Logger): Promise<boolean> {
  try {
    const adminPort = await adminServer.listen(admin.host, admin.port);
    log.info({ admin: `${tls ? 'https' : 'http'}://${admin.host.includes(':') ? `[${admin.host}]` : admin.host}:${adminPort}` }, `admin API on ${admin.host}:${adminPort}${tls ? ' (TLS)' : ''}`);
    return true;
  } catch (err) {
    process.stderr.write(`kube-dns-sim: cannot listen for the admin API on ${admin.host}:${admin.port} (${(err as NodeJS.ErrnoException).code}): use --admin HOST:PORT with a free port, or --admin off\n`);
    return false;
  }
}

/** Resolves with exit code 0 after SIGINT or SIGTERM, once `onStop` and every closer have settled. */
export function untilStopSignal(log: Logger, onStop: () => void, closers: () => readonly (Promise<unknown> | undefined)[]): Promise<number> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      onStop();
      log.info({ signal }, 'shutting down');
      // In-flight TCP queries (also those waiting on an upstream) are answered before the listeners close.
      Promise.allSettled(closers()).then(() => resolve(ExitCode.OK));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/** `127.0.0.1 and [::1]` as the start-up line names the addresses. */
export function formatAddresses(addresses: readonly string[]): string {
  return addresses.map((a) => (a.includes(':') ? `[${a}]` : a)).join(' and ');
}
