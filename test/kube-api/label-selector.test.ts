import { describe, expect, it } from 'vitest';
import { formatLabelSelector, formatLabels, matchLabelSelectorObject, type LabelSelectorObject } from '../../src/kube-api/selectors/label-selector-object.js';
import { parseLabelSelector } from '../../src/kube-api/selectors/label-selector.js';

// Syntax cases after k8s.io/apimachinery/pkg/labels/selector_test.go (TestSelectorParse, TestLexer, TestToString).
const valid = [
  { name: 'empty selects everything', text: '', canonical: '' },
  { name: 'whitespace only', text: ' \t ', canonical: '' },
  { name: 'equals', text: 'x=a', canonical: 'x=a' },
  { name: 'double equals kept', text: 'x==a', canonical: 'x==a' },
  { name: 'not equals', text: 'x!=a', canonical: 'x!=a' },
  { name: 'sorted by key', text: 'y=b,x=a', canonical: 'x=a,y=b' },
  { name: 'spaces around operators', text: 'x = a , y != b', canonical: 'x=a,y!=b' },
  { name: 'in with sorted values', text: 'x in (b,a)', canonical: 'x in (a,b)' },
  { name: 'notin', text: 'x notin (a)', canonical: 'x notin (a)' },
  { name: 'exists and does not exist', text: 'z,!y', canonical: 'y,z'.replace('y', '!y') },
  { name: 'empty value', text: 'x=', canonical: 'x=' },
  { name: 'empty set', text: 'x in ()', canonical: 'x in ()' },
  { name: 'empty members', text: 'x in (foo,,baz),y,z notin ()', canonical: 'x in (,baz,foo),y,z notin ()' },
  { name: 'in as a value', text: 'x in (in)', canonical: 'x in (in)' },
  { name: 'prefixed key', text: 'app.kubernetes.io/name=web', canonical: 'app.kubernetes.io/name=web' },
  { name: 'greater than', text: 'x>1', canonical: 'x>1' },
  { name: 'less than', text: 'x<2', canonical: 'x<2' },
];

describe('parseLabelSelector: valid', () => {
  it.each(valid)('$name', ({ text, canonical }) => {
    const r = parseLabelSelector(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.toString()).toBe(canonical);
  });
});

const invalid = [
  { name: 'bare operator', text: '=a', message: "found '=', expected: !, identifier, or 'end of string'" },
  { name: 'double comma', text: 'x=a,,y=b', message: "found ',', expected: identifier after ','" },
  { name: 'trailing comma', text: 'x=a,', message: "found '', expected: identifier after ','" },
  { name: 'two values', text: 'x=a b', message: "found 'b', expected: ',' or 'end of string'" },
  { name: '>= lexes as > then =', text: 'x>=a', message: "unable to parse requirement: found '=', expected: identifier" },
  { name: 'unknown operator word', text: 'x like a', message: "unable to parse requirement: found 'like', expected: in, notin, =, ==, !=, gt, lt" },
  { name: 'in without parens', text: 'x in a', message: "unable to parse requirement: found 'a' expected: '('" },
  { name: 'unclosed set', text: 'x in (a', message: "unable to parse requirement: found '', expected: ',' or ')'" },
  { name: 'gt needs an integer', text: 'x>a', message: 'unable to parse requirement: values[0]: Invalid value: "a": for \'Gt\', \'Lt\' operators, the value must be an integer' },
  { name: 'space inside a key', text: 'a b=c', message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
  {
    name: 'invalid key characters',
    text: 'x$=a',
    message:
      'unable to parse requirement: <nil>: Invalid value: "x$": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
  },
  {
    name: 'invalid value',
    text: 'x=a$',
    message:
      'unable to parse requirement: values[0][x]: Invalid value: "a$": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
  },
  { name: 'empty prefix', text: '/x', message: 'unable to parse requirement: <nil>: Invalid value: "/x": prefix part must be non-empty' },
  { name: 'negative gt value fails label value validation', text: 'x<-2', message: 'unable to parse requirement: values[0][x]: Invalid value: "-2": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')' },
  { name: 'value too long', text: `x=${'a'.repeat(64)}`, message: `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters` },
];

describe('parseLabelSelector: invalid (the apiserver refuses with 400)', () => {
  it.each(invalid)('$name', ({ text, message }) => {
    const r = parseLabelSelector(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('LABEL_SELECTOR_INVALID');
      expect(r.error.status).toBe(400);
      expect(r.error.message).toBe(message);
    }
  });
});

const labels = { app: 'web', tier: 'front', n: '5' };
const matching = [
  { name: 'everything', text: '', want: true },
  { name: 'equals', text: 'app=web', want: true },
  { name: 'equals other value', text: 'app=db', want: false },
  { name: 'not equals missing key', text: 'zone!=a', want: true },
  { name: 'in', text: 'tier in (back,front)', want: true },
  { name: 'notin present', text: 'tier notin (front)', want: false },
  { name: 'notin missing key', text: 'zone notin (a)', want: true },
  { name: 'exists', text: 'app', want: true },
  { name: 'does not exist', text: '!app', want: false },
  { name: 'AND of terms', text: 'app=web,tier=back', want: false },
  { name: 'gt', text: 'n>4', want: true },
  { name: 'lt on non-integer label', text: 'app<4', want: false },
];

describe('LabelSelector.matches', () => {
  it.each(matching)('$name', ({ text, want }) => {
    const r = parseLabelSelector(text);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.matches(labels)).toBe(want);
  });
});

describe('matchLabelSelectorObject and formatLabelSelector', () => {
  const cases: { name: string; sel: LabelSelectorObject | undefined; want: boolean; text: string }[] = [
    { name: 'absent selects nothing', sel: undefined, want: false, text: '<none>' },
    { name: 'empty selects everything', sel: {}, want: true, text: '<none>' },
    { name: 'matchLabels', sel: { matchLabels: { tier: 'front', app: 'web' } }, want: true, text: 'app=web,tier=front' },
    { name: 'matchExpressions In', sel: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, want: true, text: 'tier in (back,front)' },
    { name: 'DoesNotExist', sel: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, want: false, text: '!app' },
    { name: 'both parts ANDed', sel: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, want: false, text: 'app=web,zone' },
    { name: 'bad operator', sel: { matchExpressions: [{ key: 'app', operator: 'Like', values: ['w'] }] }, want: false, text: '<error>' },
  ];
  it.each(cases)('$name', ({ sel, want, text }) => {
    expect(matchLabelSelectorObject(sel, labels)).toBe(want);
    expect(formatLabelSelector(sel)).toBe(text);
  });
  it.each([
    { name: 'none', labels: undefined, want: '<none>' },
    { name: 'sorted', labels: { b: '2', a: '1' }, want: 'a=1,b=2' },
  ])('formatLabels: $name', ({ labels: l, want }) => expect(formatLabels(l)).toBe(want));
});
