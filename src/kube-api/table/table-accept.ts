// Content negotiation of the apiserver (handlers/negotiation): which Accept clause wins and whether it asks for a Table.

/** The negotiated answer: a Table (and its meta.k8s.io version) or the plain object; `null` is 406 Not Acceptable. */
export type TableAccept = { asTable: true; version: 'v1' | 'v1beta1'; mediaType: string } | { asTable: false; mediaType: string };

interface Clause {
  type: string;
  subType: string;
  params: Record<string, string>;
  q: number;
  index: number;
}

/** goautoneg.ParseAccept: clauses with parameters, q-values, sorted by q then specificity (stable). */
function parseAccept(header: string): Clause[] {
  const clauses: Clause[] = [];
  header.split(',').forEach((part, index) => {
    const [mt, ...rest] = part.split(';').map((s) => s.trim());
    if (!mt) return;
    const [type, subType = '*'] = mt.toLowerCase().split('/');
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      const k = p.slice(0, eq).trim();
      const v = p.slice(eq + 1).trim();
      if (k === 'q') q = Number(v);
      else params[k] = v;
    }
    clauses.push({ type, subType, params, q: Number.isNaN(q) ? 0 : q, index });
  });
  const specificity = (c: Clause) => (c.type === '*' ? 0 : c.subType === '*' ? 1 : 2);
  return clauses.filter((c) => c.q > 0).sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.index - b.index);
}

/**
 * NegotiateOutputMediaType for a get/list/watch handler serving JSON: the first acceptable clause. `as=Table` needs
 * `g=meta.k8s.io`, `v=v1|v1beta1` and `application/json` (or yaml); other `as=` values and unknown media types are
 * skipped. An empty header means JSON.
 */
export function parseTableAccept(acceptHeader: string | undefined): TableAccept | null {
  if (!acceptHeader || acceptHeader.trim() === '') return { asTable: false, mediaType: 'application/json' };
  for (const c of parseAccept(acceptHeader)) {
    const as = c.params.as;
    if (as !== undefined) {
      const group = c.params.g ?? '';
      const version = c.params.v ?? '';
      const tableOk = as === 'Table' && group === 'meta.k8s.io' && (version === 'v1' || version === 'v1beta1') && c.type === 'application' && (c.subType === 'json' || c.subType === 'yaml');
      if (tableOk) return { asTable: true, version: version as 'v1' | 'v1beta1', mediaType: `application/${c.subType}` };
      continue;
    }
    if ((c.type === 'application' && (c.subType === 'json' || c.subType === '*')) || (c.type === '*' && c.subType === '*')) return { asTable: false, mediaType: 'application/json' };
  }
  return null;
}
