import { loadManifests } from '../manifest/load.js';
import { buildClusterSnapshot, computeNextSerial } from '../runtime/cluster-snapshot.js';
import { explainName, formatExplainReport, type ExplainReport } from '../dns/explain/explain-name.js';
import { getTypeCodeByName } from '../dns/wire/code-names.js';
import { resolveClusterOptions, resolveDnsConfig, type DnsFlagValues } from './dns-options.js';
import { ExitCode, UsageError } from './usage-error.js';

export interface ExplainFlags extends DnsFlagValues {
  file?: string[];
  server?: string;
  podNamespace: string;
  output: string;
}

/**
 * `explain NAME [TYPE]`: how a pod of `-n NS` resolves NAME, from manifests (`-f`, no sockets) or a
 * running server's admin API (`--server URL`). Exit 0 when a candidate answers, 1 when none does.
 */
export async function runExplain(name: string, type: string | undefined, flags: ExplainFlags): Promise<number> {
  const qtype = getTypeCodeByName(type ?? 'A');
  if (qtype === undefined) throw new UsageError(`"${type}" is not a DNS record type`, 'e.g. A, AAAA, SRV, PTR, CNAME, TXT');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(flags.podNamespace)) throw new UsageError(`-n "${flags.podNamespace}" is not a valid namespace name`, 'use a DNS-1123 label such as "default"');
  if (flags.output !== 'text' && flags.output !== 'json') throw new UsageError(`-o ${flags.output} is not an output format`, 'use -o text or -o json');
  const hasFiles = (flags.file?.length ?? 0) > 0;
  if (hasFiles === (flags.server !== undefined)) throw new UsageError('explain needs either -f PATH or --server URL', 'e.g. kube-dns-sim explain myweb-svc -f manifests/, or --server http://127.0.0.1:8080');
  let report: ExplainReport;
  if (hasFiles) {
    const dns = resolveDnsConfig(flags);
    const manifests = await loadManifests(flags.file!);
    const snapshot = buildClusterSnapshot(manifests, resolveClusterOptions(flags), dns, computeNextSerial(0, Date.now()));
    report = explainName(snapshot.index, snapshot.cluster.state, name, qtype, flags.podNamespace);
  } else {
    let url: URL;
    try {
      url = new URL('/explain', flags.server);
    } catch {
      throw new UsageError(`--server ${flags.server} is not a URL`, 'e.g. --server http://127.0.0.1:8080 (the admin API of kube-dns-sim serve)');
    }
    url.search = new URLSearchParams({ name, type: type ?? 'A', namespace: flags.podNamespace }).toString();
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (err) {
      process.stderr.write(`kube-dns-sim explain: cannot reach ${url.origin} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message})\n  hint: start kube-dns-sim serve with --admin, or use -f PATH\n`);
      return ExitCode.RUNTIME;
    }
    if (!res.ok) {
      process.stderr.write(`kube-dns-sim explain: ${url.origin} answered ${res.status}: ${await res.text()}\n  hint: is it kube-dns-sim's admin API (serve --admin)?\n`);
      return ExitCode.RUNTIME;
    }
    report = (await res.json()) as ExplainReport;
  }
  process.stdout.write(flags.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatExplainReport(report));
  return report.answeredBy >= 0 ? ExitCode.OK : ExitCode.FINDINGS;
}
