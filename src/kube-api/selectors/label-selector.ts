// The label selector query syntax of k8s.io/apimachinery/pkg/labels/selector.go: lexer, parser, requirements.
import { getLabelKeyErrors, getLabelValueErrors, toGoQuoted } from './label-validation.js';
import { newSelectorError, type SelectorResult } from './selector-error.js';

/** selection.Operator values as the apiserver spells them. */
export type LabelOperator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

/** One `key op values` term; `values` sorted and unique as the parser's string set leaves them. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** A parsed selector: requirements sorted by key (AND of all); matches everything when empty. */
export interface LabelSelector {
  requirements: LabelRequirement[];
  matches: (labels: Readonly<Record<string, string>> | undefined) => boolean;
  /** The canonical text (`a=b,c in (x,y),!d`), as `Selector.String()`. */
  toString: () => string;
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

/** One failed field check, printed as field.Error prints: `path: Invalid value: "v": detail`. */
function toInvalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${toGoQuoted(value)}: ${detail}`;
}

/** field.ErrorList.ToAggregate().Error(): one message bare, several as `[a, b]`. */
function toAggregate(msgs: string[]): string | undefined {
  if (msgs.length === 0) return undefined;
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

const isInteger = (v: string) => /^[+-]?\d+$/.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n;

/** labels.NewRequirement: the requirement, or the aggregated validation message. */
export function newLabelRequirement(key: string, operator: LabelOperator, values: string[]): { requirement?: LabelRequirement; error?: string } {
  const errs: string[] = [];
  const keyErrs = getLabelKeyErrors(key);
  if (keyErrs.length) errs.push(toInvalid('key', key, keyErrs.join('; ')));
  const quotedList = `[]string{${values.map(toGoQuoted).join(', ')}}`;
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(`values: Invalid value: ${quotedList}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(`values: Invalid value: ${quotedList}: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(`values: Invalid value: ${quotedList}: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(`values: Invalid value: ${quotedList}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (!isInteger(v)) errs.push(toInvalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const vErrs = getLabelValueErrors(v);
    if (vErrs.length) errs.push(toInvalid(`values[${i}][${key}]`, v, vErrs.join('; ')));
  });
  const error = toAggregate(errs);
  return error ? { error } : { requirement: { key, operator, values } };
}

/** Requirement.Matches. */
export function isLabelRequirementMatch(r: LabelRequirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const val = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(val!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(val!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !isInteger(val!) || r.values.length !== 1 || !isInteger(r.values[0])) return false;
      const l = BigInt(val!);
      const v = BigInt(r.values[0]);
      return r.operator === 'gt' ? l > v : l < v;
    }
  }
}

const OPERATOR_TEXT: Record<LabelOperator, string> = { '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '' };

/** Requirement.String(): `!k`, `k`, `k=v`, `k in (a,b)` (values sorted). */
export function toLabelRequirementString(r: LabelRequirement): string {
  const head = `${r.operator === '!' ? '!' : ''}${r.key}${OPERATOR_TEXT[r.operator]}`;
  if (r.operator === 'exists' || r.operator === '!') return head;
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${head}(${vals})` : `${head}${vals}`;
}

/** A selector over `requirements`, sorted by key (stable) as internalSelector.Add does. */
export function newLabelSelector(requirements: LabelRequirement[]): LabelSelector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: sorted,
    matches: (labels) => sorted.every((r) => isLabelRequirementMatch(r, labels)),
    toString: () => sorted.map(toLabelRequirementString).join(','),
  };
}

// ---- lexer ----

type Token = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';
interface Item {
  tok: Token;
  lit: string;
}
const STRING_TO_TOKEN: Record<string, Token> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(' };
const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string) => '=!(),><'.includes(ch) && ch !== '';

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  const read = () => (pos < s.length ? s[pos++] : '');
  for (;;) {
    let ch = read();
    while (ch !== '' && isWhitespace(ch)) ch = read();
    if (ch === '') {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    pos--;
    if (isSpecial(ch)) {
      let buf = '';
      let last: Item | undefined;
      for (;;) {
        const c = read();
        if (c === '') break;
        if (isSpecial(c)) {
          buf += c;
          const t = STRING_TO_TOKEN[buf];
          if (t) last = { tok: t, lit: buf };
          else if (last) {
            pos--;
            break;
          }
        } else {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
    } else {
      let buf = '';
      for (;;) {
        const c = read();
        if (c === '') break;
        if (isSpecial(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buf += c;
      }
      items.push({ tok: STRING_TO_TOKEN[buf] ?? 'id', lit: buf });
    }
  }
}

// ---- parser ----

class ParseError extends Error {}

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In a Values context `in`/`notin` are identifiers. */
  lookahead(values: boolean): Item {
    const it = this.items[this.position];
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.position++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === 'id' || tok === '!') {
        let r: LabelRequirement;
        try {
          r = this.parseRequirement();
        } catch (e) {
          throw new ParseError(`unable to parse requirement: ${(e as Error).message}`);
        }
        reqs.push(r);
        const t = this.consume(true);
        if (t.tok === 'eos') return reqs;
        if (t.tok === ',') {
          const t2 = this.lookahead(true);
          if (t2.tok !== 'id' && t2.tok !== '!') throw new ParseError(`found '${t2.lit}', expected: identifier after ','`);
        } else throw new ParseError(`found '${t.lit}', expected: ',' or 'end of string'`);
      } else if (tok === 'eos') return reqs;
      else throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  parseRequirement(): LabelRequirement {
    let op: LabelOperator | undefined;
    let { tok, lit } = this.consume(true);
    if (tok === '!') {
      op = '!';
      ({ tok, lit } = this.consume(true));
    }
    if (tok !== 'id') throw new Error(`found '${lit}', expected: identifier`);
    const keyErrs = getLabelKeyErrors(lit);
    if (keyErrs.length) throw new Error(toInvalid('<nil>', lit, keyErrs.join('; ')));
    const key = lit;
    const next = this.lookahead(true).tok;
    if (next === 'eos' || next === ',') op = op === '!' ? '!' : 'exists';
    if (op === 'exists' || op === '!') return this.newRequirement(key, op, []);
    op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return this.newRequirement(key, op, [...values].sort());
  }

  newRequirement(key: string, op: LabelOperator, values: string[]): LabelRequirement {
    const { requirement, error } = newLabelRequirement(key, op, values);
    if (error) throw new Error(error);
    return requirement!;
  }

  parseOperator(): LabelOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in':
        return 'in';
      case '=':
        return '=';
      case '==':
        return '==';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      case 'notin':
        return 'notin';
      case '!=':
        return '!=';
      default:
        throw new Error(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  parseValues(): Set<string> {
    let { tok, lit } = this.consume(true);
    if (tok !== '(') throw new Error(`found '${lit}' expected: '('`);
    ({ tok, lit } = this.lookahead(true));
    if (tok === 'id' || tok === ',') {
      const s = this.parseIdentifiersList();
      if (this.consume(true).tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
      return s;
    }
    if (tok === ')') {
      this.consume(true);
      return new Set(['']);
    }
    throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
  }

  parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === 'id') {
        s.add(lit);
        const t2 = this.lookahead(true);
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return s;
        throw new Error(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (tok === ',') {
        if (s.size === 0) s.add('');
        const t2 = this.lookahead(true).tok;
        if (t2 === ')') {
          s.add('');
          return s;
        }
        if (t2 === ',') s.add('');
      } else throw new Error(`found '${lit}', expected: ',', or identifier`);
    }
  }

  parseExactValue(): Set<string> {
    const t = this.lookahead(true).tok;
    if (t === 'eos' || t === ',') return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === 'id') return new Set([lit]);
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/** labels.Parse: the selector, or LABEL_SELECTOR_INVALID with the apiserver's message. Empty text matches everything. */
export function parseLabelSelector(text: string): SelectorResult<LabelSelector> {
  try {
    return { ok: true, value: newLabelSelector(new Parser(lex(text)).parse()) };
  } catch (e) {
    return { ok: false, error: newSelectorError('LABEL_SELECTOR_INVALID', (e as Error).message) };
  }
}
