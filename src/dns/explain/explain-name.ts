import type { ClusterState } from '../../cluster/types.js';
import { lookupName, Rcode } from '../records/lookup.js';
import { getPodSearchPath } from '../records/dns-config.js';
import type { RecordIndex } from '../records/record-index.js';
import { toZoneLine } from '../records/resource-record.js';
import { getRcodeName, getTypeName } from '../wire/code-names.js';
import { describeRecordOrigin } from './record-provenance.js';
import { diagnoseMiss, findClosestNames } from './miss-diagnosis.js';
import { getSearchCandidates } from './search-candidates.js';
import { getBrokenFileNotes } from './broken-file-notes.js';
import type { BrokenFile } from '../../manifest/broken-file.js';

/** One name the pod's resolver tried, and what the server answered. */
export interface ExplainStep {
  name: string;
  rcode: string;
  kind: string;
  /** Answer records as zone-file lines, each with the chain of objects that produced it. */
  records: { record: string; origin: string }[];
}

/** How a pod in `namespace` resolves `name`: JSON-friendly, printed by `formatExplainReport`. */
export interface ExplainReport {
  name: string;
  type: string;
  namespace: string;
  searchPath: string[];
  ndots: number;
  steps: ExplainStep[];
  /** Index into steps of the answer the resolver keeps, or -1. */
  answeredBy: number;
  didYouMean: { name: string; relative: string | undefined }[];
  causes: string[];
  /** The running server's manifest files with errors that define (or would define) this name: what is served meanwhile. */
  manifestErrors: string[];
}

/**
 * Explains a lookup as a pod would make it: each search-path candidate in order (ndots rule), its
 * rcode and records with their object chains; the resolver stops at the first candidate with
 * answers. On a miss: the closest existing names and the likely causes. `brokenFiles`: the server's
 * files with errors, noted when they define the name (answered or not). Pure.
 */
export function explainName(index: RecordIndex, state: ClusterState, name: string, qtype: number, namespace: string, ndots = 5, brokenFiles: readonly BrokenFile[] = []): ExplainReport {
  const zone = index.config.clusterDomain;
  const searchPath = getPodSearchPath(namespace, zone);
  const candidates = getSearchCandidates(name, searchPath, ndots);
  const steps: ExplainStep[] = [];
  let answeredBy = -1;
  for (const c of candidates) {
    const r = lookupName(index, c, qtype);
    steps.push({
      name: `${c}.`,
      rcode: getRcodeName(r.rcode),
      kind: r.kind,
      records: r.answer.map((rr) => ({ record: toZoneLine(rr), origin: describeRecordOrigin(state, zone, rr) })),
    });
    if (r.rcode === Rcode.NOERROR && r.answer.length > 0) {
      answeredBy = steps.length - 1;
      break;
    }
  }
  let didYouMean: ExplainReport['didYouMean'] = [];
  let causes: string[] = [];
  if (answeredBy < 0) {
    didYouMean = findClosestNames(index, candidates.filter((c) => c.endsWith(zone)), name, namespace);
    const bare = name.toLowerCase().replace(/\.$/, '');
    const suffix = `.svc.${zone}`;
    const labels = (bare.endsWith(suffix) ? bare.slice(0, -suffix.length) : bare).split('.');
    causes = diagnoseMiss(state, namespace, labels);
  }
  const manifestErrors = getBrokenFileNotes(brokenFiles, candidates.map((c) => c.toLowerCase()), zone, index.config.defaultNamespace);
  return { name, type: getTypeName(qtype), namespace, searchPath, ndots, steps, answeredBy, didYouMean, causes, manifestErrors };
}

/** The report as text for a terminal. */
export function formatExplainReport(r: ExplainReport): string {
  const out: string[] = [`${r.name} ${r.type} asked by a pod in namespace ${r.namespace} (search ${r.searchPath.join(' ')}; ndots:${r.ndots}):`];
  r.steps.forEach((s, i) => {
    const note = s.kind === 'out-of-zone' ? ' (outside the cluster: forwarded upstream when the server has --upstream)' : s.kind === 'nodata' ? ' (the name exists, no records of this type: NODATA)' : s.kind === 'short-name' ? ' (short-name rule)' : '';
    out.push(`  ${i + 1}. ${s.name}  ${s.rcode}${note}`);
    for (const rec of s.records) out.push(`       ${rec.record}`, `         ← ${rec.origin}`);
  });
  if (r.answeredBy >= 0) {
    out.push(`answered by candidate ${r.answeredBy + 1}: the resolver stops there.`);
  } else {
    out.push(`no answer: every candidate failed.`);
    if (r.didYouMean.length > 0) out.push(`did you mean: ${r.didYouMean.map((d) => (d.relative ? `${d.relative} (${d.name}.)` : `${d.name}.`)).join(', ')}?`);
    for (const c of r.causes) out.push(`likely cause: ${c}`);
    if (r.causes.length === 0 && (r.manifestErrors ?? []).length === 0) out.push('likely cause: no object in the manifests produces this name.');
    out.push('every name the cluster serves: kube-dns-sim records -f PATH');
  }
  for (const note of r.manifestErrors ?? []) out.push(`manifest errors: ${note}`);
  return `${out.join('\n')}\n`;
}
