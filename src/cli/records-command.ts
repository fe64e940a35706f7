import { loadManifests } from '../manifest/load.js';
import { buildClusterSnapshot, collectSnapshotFindings, computeNextSerial } from '../runtime/cluster-snapshot.js';
import { DEFAULT_DNS_CONFIG } from '../dns/records/dns-config.js';
import { renderRecords, type RecordsFormat } from '../dns/records/zone-file.js';
import { resolveClusterOptions, resolveDnsConfig, type DnsFlagValues } from './dns-options.js';
import { printFindingSummary, SUMMARY_LOCATED_FINDINGS } from './serve-command.js';
import { ExitCode, UsageError } from './usage-error.js';

export interface RecordsFlags extends DnsFlagValues {
  output: string;
  file?: string[];
  server?: string;
}

/** `-o zone|json`; throws UsageError otherwise. */
export function parseRecordsFormat(text: string): RecordsFormat {
  if (text === 'zone' || text === 'json') return text;
  throw new UsageError(`-o ${text} is not an output format`, 'use -o zone (RFC 1035 zone files) or -o json');
}

/** Normalizes `--zone` values as serve does: lower-case, no trailing dot, commas split. */
export function toZoneList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((z) => z.split(/[\s,]+/)).filter(Boolean).map((z) => z.toLowerCase().replace(/\.$/, ''));
}

/**
 * The zones to serve when exporting `selected` zones from files: a selected forward zone becomes the
 * cluster domain; the default reverse zones stay, so `--zone in-addr.arpa` alone is an export filter.
 */
export function getServedZones(selected: readonly string[]): string[] | undefined {
  if (selected.length === 0) return undefined;
  const isReverse = (z: string) => z === 'arpa' || z.endsWith('.arpa');
  const forward = selected.filter((z) => !isReverse(z));
  const defaults = DEFAULT_DNS_CONFIG.zones;
  const base = forward.length ? [...forward, ...defaults.filter(isReverse)] : [...defaults];
  return [...new Set([...base, ...selected.filter(isReverse)])];
}

/** `records`: every record the cluster serves, from manifests (`-f`) or a running server (`--server`). */
export async function runRecords(flags: RecordsFlags, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const format = parseRecordsFormat(flags.output);
  const selected = toZoneList(flags.zone);
  const hasFiles = !!flags.file && flags.file.length > 0;
  if (hasFiles === !!flags.server) throw new UsageError('records needs exactly one of -f PATH or --server URL', 'e.g. kube-dns-sim records -o zone -f manifests/');
  if (flags.server) return fetchRecords(flags.server, format, selected, stdout);

  const dns = resolveDnsConfig({ ...flags, zone: getServedZones(selected) });
  const clusterOptions = resolveClusterOptions(flags);
  const manifests = await loadManifests(flags.file!);
  const snapshot = buildClusterSnapshot(manifests, clusterOptions, dns, computeNextSerial(0, Date.now()));
  printFindingSummary(collectSnapshotFindings(manifests, snapshot.cluster, clusterOptions.defaultNamespace, SUMMARY_LOCATED_FINDINGS), manifests.sources, flags.file!);
  const { text } = renderRecords(snapshot.index, format, selected);
  stdout.write(text);
  return ExitCode.OK;
}

async function fetchRecords(server: string, format: RecordsFormat, zones: readonly string[], stdout: NodeJS.WritableStream): Promise<number> {
  let url: URL;
  try {
    url = new URL('/records', server);
  } catch {
    throw new UsageError(`--server ${server} is not a URL`, 'e.g. --server http://127.0.0.1:8080 (the address given to serve --admin)');
  }
  url.searchParams.set('format', format);
  for (const z of zones) url.searchParams.append('zone', z);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    process.stderr.write(`kube-dns-sim: cannot reach ${url.origin} (${cause}): is serve running with --admin ${url.host}?\n`);
    return ExitCode.RUNTIME;
  }
  const body = await res.text();
  if (res.status === 404 && zones.length) throw new UsageError(errorOf(body), 'name a zone the server serves (see its start-up log)');
  if (!res.ok) {
    process.stderr.write(`kube-dns-sim: ${url.origin} answered ${res.status}: ${errorOf(body)}\n`);
    return ExitCode.RUNTIME;
  }
  stdout.write(body);
  return ExitCode.OK;
}

function errorOf(body: string): string {
  try {
    return String((JSON.parse(body) as { error?: unknown }).error ?? body);
  } catch {
    return body;
  }
}
