import { loadManifests } from '../manifest/load.js';
import { formatFinding, type Finding } from '../manifest/finding.js';
import { buildClusterSnapshot } from '../runtime/cluster-snapshot.js';
import { resolveClusterOptions, resolveDnsConfig, type DnsFlagValues } from './dns-options.js';
import { ExitCode, UsageError } from './usage-error.js';

export interface ValidateFlags extends DnsFlagValues {
  file: string[];
  output: string;
}

/** The `-o json` document: every finding as data, and counts. */
export interface ValidateReport {
  findings: Finding[];
  summary: { files: number; objects: number; errors: number; warnings: number };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `validate`: every finding in every file (YAML, OpenAPI schema, API server rules, DNS-visible
 * warnings over the simulated cluster). Resolves with 0 when there is no error, 1 otherwise.
 */
export async function runValidate(flags: ValidateFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (!flags.file || flags.file.length === 0) throw new UsageError('validate needs at least one -f PATH', 'e.g. kube-dns-sim validate -f manifests/ (a file, a directory, or - for stdin)');
  if (flags.output !== 'text' && flags.output !== 'json') throw new UsageError(`unknown output format "${flags.output}"`, 'use -o text or -o json');
  const dns = resolveDnsConfig(flags);
  const manifests = await loadManifests(flags.file, readStdin);
  const snapshot = buildClusterSnapshot(manifests, resolveClusterOptions(flags), dns, 1);
  const errors = snapshot.findings.filter((f) => f.severity === 'error').length;
  const report: ValidateReport = {
    findings: snapshot.findings,
    summary: { files: manifests.sources.size, objects: manifests.objects.length, errors, warnings: snapshot.findings.length - errors },
  };
  if (flags.output === 'json') {
    out.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const f of report.findings) out.write(`${formatFinding(f, manifests.sources.get(f.file))}\n\n`);
    const s = report.summary;
    out.write(`${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'} (${s.objects} valid object${s.objects === 1 ? '' : 's'})\n`);
  }
  return errors > 0 ? ExitCode.FINDINGS : ExitCode.OK;
}
