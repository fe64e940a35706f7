// metav1.LabelSelector objects (matchLabels + matchExpressions): LabelSelectorAsSelector, FormatLabelSelector, labels.FormatLabels.
import { newLabelRequirement, newLabelSelector, type LabelOperator, type LabelRequirement, type LabelSelector } from './label-selector.js';

/** A `metav1.LabelSelector` as it appears in API objects. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

const NOTHING: LabelSelector = { requirements: [], matches: () => false, toString: () => '' };

/** metav1.LabelSelectorAsSelector: absent → matches nothing, `{}` → everything; `error` for a bad operator, key or value. */
export function toLabelSelector(obj: LabelSelectorObject | null | undefined): { selector?: LabelSelector; error?: string } {
  if (obj === null || obj === undefined) return { selector: NOTHING };
  const labels = obj.matchLabels ?? {};
  const exprs = obj.matchExpressions ?? [];
  if (Object.keys(labels).length + exprs.length === 0) return { selector: newLabelSelector([]) };
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const r = newLabelRequirement(k, '=', [v]);
    if (r.error) return { error: r.error };
    reqs.push(r.requirement!);
  }
  for (const e of exprs) {
    const op = EXPRESSION_OPERATORS[e.operator];
    if (!op) return { error: `${JSON.stringify(e.operator)} is not a valid label selector operator` };
    const r = newLabelRequirement(e.key, op, [...(e.values ?? [])]);
    if (r.error) return { error: r.error };
    reqs.push(r.requirement!);
  }
  return { selector: newLabelSelector(reqs) };
}

/** Whether `labels` satisfy a LabelSelector object; absent or invalid selectors match nothing, `{}` matches everything. */
export function matchLabelSelectorObject(obj: LabelSelectorObject | null | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const { selector } = toLabelSelector(obj);
  return selector ? selector.matches(labels) : false;
}

/** metav1.FormatLabelSelector: `app=web,tier in (a,b)`, `<none>` when it selects everything or nothing, `<error>` when invalid. */
export function formatLabelSelector(obj: LabelSelectorObject | null | undefined): string {
  const { selector } = toLabelSelector(obj);
  if (!selector) return '<error>';
  return selector.toString() || '<none>';
}

/** labels.FormatLabels: `k=v` sorted by key and joined with `,`; `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | null | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}
