// Field selectors as k8s.io/apimachinery/pkg/fields/selector.go parses them, checked against the kind's selectable fields.
import { getSelectableFieldValue, toSelectableField } from './selectable-fields.js';
import { newSelectorError, type SelectorResult } from './selector-error.js';

/** One `field op value` term; `==` and `=` both mean equality. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

/** A parsed field selector for one kind (AND of all terms); matches everything when empty. */
export interface FieldSelector {
  requirements: FieldRequirement[];
  matches: (obj: Record<string, unknown>) => boolean;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** splitTerms: comma-separated terms, backslash-escaped commas kept (with their backslash) inside a term. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** splitTerm: the first recognised operator splits the term (no escaping in the field name). */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
  }
  return undefined;
}

/** fields.UnescapeValue: `\\`, `\,`, `\=` are literal; a bare `,` or `=` or another escape is an error. */
export function unescapeFieldValue(s: string): { value?: string; error?: string } {
  if (!/[\\,=]/.test(s)) return { value: s };
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') return { error: `invalid field selector: invalid escape sequence: \\${c}` };
      out += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') return { error: `invalid field selector: unescaped character in value: ${c.codePointAt(0)}` };
    else out += c;
  }
  if (inSlash) return { error: 'invalid field selector: invalid escape sequence: \\' };
  return { value: out };
}

/**
 * fields.ParseSelector then Transform with the kind's field label conversion: the selector, or
 * FIELD_SELECTOR_INVALID (syntax) / FIELD_SELECTOR_UNSUPPORTED (`field label not supported: f`), both 400 BadRequest.
 */
export function parseFieldSelector(text: string, kind: string): SelectorResult<FieldSelector> {
  const parts = splitTerms(text).sort();
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) return { ok: false, error: newSelectorError('FIELD_SELECTOR_INVALID', `invalid selector: '${text}'; can't understand '${part}'`) };
    const { value, error } = unescapeFieldValue(term.value);
    if (error !== undefined) return { ok: false, error: newSelectorError('FIELD_SELECTOR_INVALID', error) };
    reqs.push({ ...term, value: value! });
  }
  const converted: FieldRequirement[] = [];
  for (const r of reqs) {
    const { field, error } = toSelectableField(kind, r.field);
    if (error !== undefined) return { ok: false, error: newSelectorError('FIELD_SELECTOR_UNSUPPORTED', error) };
    converted.push({ ...r, field: field! });
  }
  return {
    ok: true,
    value: {
      requirements: converted,
      matches: (obj) => converted.every((r) => (getSelectableFieldValue(kind, r.field, obj) === r.value) === (r.operator !== '!=')),
    },
  };
}
