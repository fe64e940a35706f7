import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseManifestText, parseManifestTextFast, parseManifestTextFull, type FieldPath, type ParsedDocument, type ParseResult } from '../../src/manifest/parse.js';
import { validateDocument } from '../../src/manifest/validate.js';

// The fast path (js-yaml on the plain subset) must give what `yaml`'s full parse gives, for every input.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every YAML file of the repo outside node_modules and dist: fixtures, manifests, the seed, docker/. */
const REPO_YAML = ['test', 'manifests', 'docker']
  .flatMap((dir) => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(ROOT, dir, f)))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

/** The value with its key order and the numbers JSON cannot tell apart (-0, NaN, Infinity) spelled out. */
function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? `number:${Object.is(v, -0) ? '-0' : String(v)}` : v));
}

/** Every path of a value, the document itself first. */
function pathsOf(value: unknown, prefix: FieldPath = []): FieldPath[] {
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : value && typeof value === 'object' ? Object.entries(value) : [];
  return [prefix, ...children.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

/** What a parse gives, as comparable data: documents, values, positions of every path, findings of the parse and of validation. */
function observe(result: ParseResult, withPaths: boolean) {
  const documents = result.documents.map((doc: ParsedDocument) => ({
    file: doc.file,
    docIndex: doc.docIndex,
    basePath: doc.basePath,
    value: serialize(doc.value),
    start: doc.positionOf([]),
    positions: withPaths ? pathsOf(doc.value).map((p) => [p, doc.positionOf(p), doc.keyPositionOf(p)]) : [],
    findings: validateDocument(doc),
  }));
  return { documents, findings: result.findings };
}

/** Asserts that parseManifestText (fast when it can) gives exactly what the full parse gives; returns whether the fast path was taken. */
function expectSameAsFullParse(text: string, file = 'input.yaml', withPaths = true): boolean {
  const full = parseManifestTextFull(text, file);
  const fast = parseManifestTextFast(text, file);
  const chosen = parseManifestText(text, file);
  expect(observe(chosen, withPaths)).toEqual(observe(full, withPaths));
  chosen.documents.forEach((doc, i) => expect(doc.value).toStrictEqual(full.documents[i].value));
  return fast !== undefined;
}

describe('fast parse: every YAML file of the repo reads as the full parse reads it', () => {
  it('finds the fixtures, the manifests and the seed files', () => {
    const names = REPO_YAML.map((f) => relative(ROOT, f));
    expect(names).toContain('manifests/03-myweb-rs.yaml');
    expect(names).toContain('test/fixtures/seed/myweb-svc-headless.yaml');
    expect(names.filter((n) => n.startsWith('test/fixtures/errors/')).length).toBeGreaterThanOrEqual(30);
  });

  for (const file of REPO_YAML) {
    const name = relative(ROOT, file);
    it(name, () => {
      expectSameAsFullParse(readFileSync(file, 'utf8'), name);
    });
  }
});

interface Snippet {
  name: string;
  text: string;
  /** Whether the fast path reads it (true) or leaves it to the full parse (false). */
  fast: boolean;
}

const deep = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + ' x\n';

const SNIPPETS: Snippet[] = [
  // Scalars: YAML 1.2 core, as `yaml` resolves them.
  { name: 'ints: octal 0o, hex 0x, sign, -0, leading zero, underscores and 0b stay strings, beyond 2^53', text: 'a: 0o17\nb: 0x1F\nc: +1\nd: -0\ne: 017\nf: 1_000\ng: 0b101\nh: 12345678901234567890\ni: 0o8\nj: 0X1F\n', fast: true },
  { name: 'floats: .inf, .nan, exponents, trailing zeros, a leading dot, underscores stay strings', text: 'a: .inf\nb: -.Inf\nc: .NaN\nd: 1e3\ne: 1.50\nf: .5\ng: 1.\nh: 6.02e+23\ni: 1_0.5\nj: .INF\nk: +.inf\nl: 1E3\n', fast: true },
  { name: 'nulls: ~, null, Null, NULL, empty; nul and NuLL stay strings', text: 'a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nul\ng: NuLL\n', fast: true },
  { name: 'booleans: yes/no/on/off/y are strings in YAML 1.2', text: 'a: yes\nb: no\nc: on\nd: off\ne: True\nf: FALSE\ng: y\nh: tRUE\ni: true\n', fast: true },
  { name: 'timestamps and sexagesimals stay strings', text: 'a: 2001-12-14t21:59:43.10-05:00\nb: 2002-12-14\nc: 12:30:00\nd: 190:20:30\n', fast: true },
  { name: 'quoted scalars are strings, escapes', text: 'a: "0o17"\nb: \'1\'\nc: "null"\nd: \'it\'\'s\'\ne: "tab\\tnew\\nline \\u00e9 \\/ \\"q\\" \\\\"\nf: ""\ng: \'\'\nh: "  spaced  "\n', fast: true },
  { name: 'rarer double-quoted escapes fall back', text: 'a: "\\x41 \\N \\_ \\e"\n', fast: false },
  { name: 'plain scalars with #, :, -, $, unicode', text: 'a: b#c\nd: e # comment\nf: http://x:80/p?q=1#frag\ng: a :b\nh: -c\ni: --flag=1\nj: $(POD_NAME)\nk: ~/x\nl: ./x\nm: /x\nn: café\no: 😀 ok\np: foo[1]{2},3\nq: a - b\nr: ---\ns: a\'b"c\n', fast: true },
  { name: 'a plain value with ": " (nested mapping) falls back', text: 'a: b: c\n', fast: false },
  { name: 'a plain value ending in ":" falls back', text: 'a: b:\n', fast: false },
  { name: 'values starting with an indicator fall back: @', text: 'a: @x\n', fast: false },
  { name: 'values starting with an indicator fall back: backtick', text: 'a: `x`\n', fast: false },
  { name: 'values starting with an indicator fall back: %', text: 'a: %x\n', fast: false },
  { name: 'values starting with an indicator fall back: ?', text: 'a: ?x\n', fast: false },
  { name: 'values starting with an indicator fall back: :', text: 'a: :x\n', fast: false },
  { name: 'a multi-line plain scalar falls back', text: 'a: one\n  two\nb: 1\n', fast: false },
  { name: 'a multi-line quoted scalar falls back', text: 'a: "one\n  two"\nb: 1\n', fast: false },
  { name: 'a comment glued to a quoted scalar falls back', text: 'a: "x"#c\n', fast: false },
  { name: 'content after a quoted scalar falls back', text: 'a: "x" y\n', fast: false },
  { name: 'NBSP falls back', text: 'a: x\u00A0y\n', fast: false },
  { name: 'a line separator falls back', text: 'a: x\u2028y\n', fast: false },
  { name: 'a control character falls back', text: 'a: x\u0007y\n', fast: false },
  { name: 'a lone CR falls back', text: 'a: x\rb: y\n', fast: false },

  // Keys.
  { name: 'quoted keys, label keys, keys that resolve to numbers and booleans', text: '"a b": 1\n\'c\': 2\napp.kubernetes.io/name: x\n_x: 1\n9: nine\n0x1F: hex\n1.0: float\ntrue: t\n0o17: oct\n"": empty\n', fast: true },
  { name: '__proto__, constructor and toString keys are own properties', text: '__proto__: x\nconstructor: y\ntoString: z\nnested:\n  __proto__:\n    polluted: true\n', fast: true },
  { name: 'a null key falls back (yaml names it "", js-yaml "null")', text: 'null: a\nb: 1\n', fast: false },
  { name: 'a ~ key falls back', text: '~: a\n', fast: false },
  { name: 'an explicit ? key falls back', text: '? a\n: b\n', fast: false },
  { name: 'a flow collection as a key falls back', text: '[a, b]: c\n', fast: false },
  { name: 'a space before the colon falls back', text: 'key : value\n', fast: false },
  { name: 'a key over 1000 characters falls back', text: `${'k'.repeat(1030)}: v\n`, fast: false },
  { name: 'a long value is fine', text: `k: ${'v'.repeat(5000)}\n`, fast: true },
  { name: 'duplicate keys fall back (YAML_DUPLICATE_KEY)', text: 'a: 1\nb: 2\na: 3\n', fast: false },
  { name: 'keys equal once resolved fall back: 1 and "1"', text: '1: a\n"1": b\n', fast: false },
  { name: 'keys equal once resolved fall back: 1 and 01', text: '1: a\n01: b\n', fast: false },
  { name: 'keys equal once resolved fall back: true and True', text: 'true: a\nTrue: b\n', fast: false },

  // Anchors, aliases, tags, merge keys.
  { name: 'an anchor and an alias fall back', text: 'a: &x 1\nb: *x\n', fast: false },
  { name: 'an undefined alias falls back (YAML_SYNTAX)', text: 'a: *nope\n', fast: false },
  { name: 'a merge key falls back', text: 'base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2\n', fast: false },
  { name: 'a merge key without an alias falls back', text: '<<: {a: 1}\nb: 2\n', fast: false },
  { name: 'a standard tag falls back', text: 'a: !!str 1\n', fast: false },
  { name: 'a custom tag falls back (warning in yaml)', text: 'a: !custom x\n', fast: false },
  { name: 'an alias bomb falls back', text: 'a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: &e [*d, *d]\nf: &f [*e, *e]\ng: &g [*f, *f]\n', fast: false },

  // Tabs.
  { name: 'a tab after the colon falls back', text: 'a:\tb\n', fast: false },
  { name: 'a tab as indentation falls back (YAML_TAB)', text: 'a:\n\tb: 1\n', fast: false },
  { name: 'a tab in a quoted scalar falls back', text: 'a: "x\ty"\n', fast: false },

  // Documents.
  { name: 'empty text', text: '', fast: true },
  { name: 'only a comment', text: '# nothing here\n', fast: true },
  { name: 'only blank lines', text: '\n  \n\n', fast: true },
  { name: 'a lone ---', text: '---\n', fast: true },
  { name: 'two empty documents', text: '---\n---\n', fast: true },
  { name: 'a trailing --- makes an empty document', text: 'a: 1\n---\n', fast: true },
  { name: 'a trailing --- without a newline', text: 'a: 1\n---', fast: true },
  { name: 'a comment-only document between two', text: 'a: 1\n---\n# c\n---\nb: 2\n', fast: true },
  { name: 'comments before the first ---', text: '# header\n\n---\na: 1\n---\nb: 2\n', fast: true },
  { name: 'an empty document in the middle keeps the indices', text: 'a: 1\n---\n---\nb: 2\n', fast: true },
  { name: 'leading blank lines and comments before the root', text: '\n\n  \n# c\n   # indented comment\na: 1\n', fast: true },
  { name: '--- with trailing spaces', text: '---   \na: 1\n', fast: true },
  { name: 'a document of only null falls back (root scalar)', text: 'a: 1\n---\n~\n', fast: false },
  { name: 'a %YAML directive falls back', text: '%YAML 1.2\n---\na: 1\n', fast: false },
  { name: 'a %YAML 1.1 directive falls back', text: '%YAML 1.1\n---\na: yes\n', fast: false },
  { name: 'a %TAG directive falls back', text: '%TAG ! tag:example.com,2000:\n---\na: 1\n', fast: false },
  { name: 'a ... document end falls back', text: 'a: 1\n...\nb: 2\n', fast: false },
  { name: 'a trailing ... falls back', text: 'a: 1\n...\n', fast: false },
  { name: 'content on the --- line falls back', text: '--- a: 1\n', fast: false },
  { name: 'a comment on the --- line falls back', text: '--- # c\na: 1\n', fast: false },
  { name: 'a block scalar on the --- line falls back', text: '--- |\n  text\n', fast: false },
  { name: 'a BOM falls back', text: '\uFEFFa: 1\nb: 2\n', fast: false },
  { name: 'CRLF line ends', text: 'a: 1\r\nb:\r\n  - x\r\n  - "y"\r\n---\r\nc: |\r\n  l1\r\n  l2\r\nd: >\r\n  f1\r\n  f2\r\n', fast: true },
  { name: 'one-line JSON falls back (flow at the top)', text: '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}\n', fast: false },
  { name: 'multi-line JSON falls back', text: '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "metadata": {"name": "x"}\n}\n', fast: false },
  { name: 'a top-level scalar falls back', text: 'hello\n', fast: false },
  { name: 'a top-level sequence', text: '- a\n- b\n', fast: true },
  { name: 'an indented root mapping', text: '  a: 1\n  b:\n    c: 2\n', fast: true },
  { name: 'a second root falls back', text: '  a: 1\nb: 2\n', fast: false },
  { name: 'a sequence after a mapping root falls back', text: 'a: 1\n- b\n', fast: false },

  // Block structure.
  { name: 'sequences at their key\'s column (kubectl style) and indented', text: 'a:\n- x\n- y\nb:\n  - z\nc: 1\nd:\n- n: 1\n  m: 2\n- n: 3\ne: 2\n', fast: true },
  { name: 'nested sequences on one line', text: '- - a\n  - b\n- c\n- - - d\n', fast: true },
  { name: 'a key\'s sequence at its column inside a sequence entry', text: '- a:\n  - x\n  b: 1\n- c: 2\n', fast: true },
  { name: 'an entry whose node starts on the next line', text: '-\n  a: 1\n- # comment\n  b: 2\n-\n  - x\n', fast: true },
  { name: 'an empty entry falls back (js-yaml reads the outer entries into its sequence)', text: '- -\n- x\n', fast: false },
  { name: 'an empty entry under a key falls back', text: '- k:\n  -\n- x\n', fast: false },
  { name: 'an empty last entry falls back', text: 'a:\n- x\n-\n', fast: false },
  { name: 'empty values and comments at odd columns', text: 'a:\n    # c\n  b: 1\nc:\n# c\nd:   \ne:    # comment\n  f: 1\n', fast: true },
  { name: 'a line indented like no open collection falls back', text: 'a:\n  b: 1\n c: 2\n', fast: false },
  { name: 'a key more indented than its siblings falls back', text: 'a: 1\n  b: 2\n', fast: false },
  { name: 'a sequence entry in a mapping falls back', text: 'a: 1\n  - b\n', fast: false },
  { name: 'a key under a sequence at its column falls back', text: 'a:\n- x\n  y: 1\n', fast: false },
  { name: 'the seed\'s slip: a key at the column of the list\'s dash', text: 'ports:\n- port: 80\ntargetPort: 8080\n', fast: true },
  { name: 'the seed\'s slip, indented', text: 'spec:\n  ports:\n    - port: 80\n    targetPort: 8080\n', fast: false },
  { name: 'a scalar on the line below its key falls back', text: 'a:\n  value\n', fast: false },
  { name: 'nesting deeper than js-yaml\'s 100 levels falls back', text: deep(120), fast: false },
  { name: 'nesting of 60 levels', text: deep(60), fast: true },

  // Flow collections.
  { name: 'one-line flow collections', text: 'a: []\nb: {}\nc: [x, "y", \'z\', 1, null, 0o17]\nd: {k: v, "q": [1, 2], n: {m: ~}}\ne: [ ]\nf: [ a b , c ]\ng: [-1, --x]\nh: [yes, .inf]\n', fast: true },
  { name: 'a trailing comma falls back', text: 'a: [x,]\n', fast: false },
  { name: 'a pair in a flow sequence falls back', text: 'a: [b: c]\n', fast: false },
  { name: 'a key without value in a flow mapping falls back', text: 'a: {x}\n', fast: false },
  { name: 'a null key in a flow mapping falls back', text: 'a: {null: 1}\n', fast: false },
  { name: 'a multi-line flow collection falls back', text: 'a: [\n  1\n]\n', fast: false },
  { name: 'content after a flow collection falls back', text: 'a: [x] y\n', fast: false },
  { name: 'colons inside flow scalars', text: 'a: [nginx:1.25, "x", a:b:c, a :b]\nb: {image: busybox:1.28, c: http://x:80/}\n', fast: true },
  { name: 'a colon before a flow indicator falls back', text: 'a: [x:, y]\n', fast: false },
  { name: 'a JSON-style colon right after a quoted key falls back', text: 'a: {"k":1}\n', fast: false },
  { name: 'a flow key with a colon inside falls back', text: 'a: {k:1}\n', fast: false },
  { name: 'a # in a flow scalar falls back', text: 'a: [x#y]\n', fast: false },
  { name: 'a lone dash in a flow sequence falls back', text: 'a: [-]\n', fast: false },
  { name: 'a comment after a flow collection', text: 'a: [x] # c\nb: {} #c\n', fast: true },

  // Block scalars.
  { name: 'literal and folded block scalars with chomping', text: 'a: |\n  line1\n  line2\nb: >\n  folded\n  text\n\n  para\nc: |-\n  x\nd: >+\n  y\n\ne: |+\n  z\n\n\nf: >-\n  w\n  v\ng: 1\n', fast: true },
  { name: 'folded block scalar with more-indented lines', text: 'a: >\n  one\n    two\n  three\n\n    four\n  five\n', fast: true },
  { name: 'block scalar content with # and --- and ...', text: 'a: |\n  # not a comment\n  ---\n  ...\n  key: value\n  - item\nb: 1\n', fast: true },
  { name: 'block scalar with trailing spaces in content', text: 'a: |\n  x  \n  y \nb: 1\n', fast: true },
  { name: 'block scalar with a leading empty line', text: 'a: |\n\n  x\nb: 1\n', fast: true },
  { name: 'block scalar with a blank line as long as the indentation', text: 'a: |\n  x\n  \n  y\nb: 1\n', fast: true },
  { name: 'block scalar with a more-indented leading blank line falls back', text: 'a: |\n    \n  x\n', fast: false },
  { name: 'block scalar with a more-indented blank line inside falls back', text: 'a: |\n  x\n     \n  y\n', fast: false },
  { name: 'block scalar with a less-indented content line falls back', text: 'a: |\n    x\n  y\n', fast: false },
  { name: 'block scalar with an indentation indicator falls back', text: 'a: |2\n   x\n', fast: false },
  { name: 'block scalar header with a comment falls back', text: 'a: | # c\n  x\n', fast: false },
  { name: 'an empty block scalar falls back', text: 'a: |\nb: 1\n', fast: false },
  { name: 'an empty block scalar at the end falls back', text: 'a: >\n', fast: false },
  { name: 'block scalars as sequence entries', text: '- |\n x\n- >\n  y\n  z\n- - |\n    w\n', fast: true },
  { name: 'block scalar under a key in a sequence entry', text: '- a: |\n    x\n  b: 1\n', fast: true },
  { name: 'block scalar ended by a comment', text: 'a: |\n  x\n# c\nb: 1\n', fast: true },
  { name: 'block scalar continued after a comment falls back', text: 'a: |\n  x\n# c\n  y\n', fast: false },
  { name: 'block scalar ended by ---', text: 'a: |\n  x\n---\nb: 1\n', fast: true },
  { name: 'block scalar at the end without a newline', text: 'a: |+\n  x', fast: true },
  { name: 'a kept block scalar ending in spaces without a newline falls back', text: 'a: |+\n  x\n  ', fast: false },

  // Kubernetes shapes.
  {
    name: 'kind: List items with their positions',
    text: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n  spec:\n    ports:\n    - port: 80\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: b}\n',
    fast: true,
  },
  { name: 'findings on a fast-read document (positions parsed on demand)', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\nspec:\n  type: clusterip\n  ports:\n  - port: "80"\n    bogus: 1\n', fast: true },
  { name: 'a glued key:value on its own line falls back (YAML_MISSING_SPACE)', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name:web\nspec:\n  ports:\n  - port: 80\n', fast: false },
  { name: 'a glued key:value after a key in a fast-read document (YAML_MISSING_SPACE)', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: app:web\nspec:\n  ports:\n  - port: 80\n', fast: true },
];

describe('fast parse: tricky snippets read as the full parse reads them', () => {
  for (const { name, text, fast } of SNIPPETS) {
    it(name, () => {
      expect(expectSameAsFullParse(text)).toBe(fast);
    });
  }
});

describe('fast parse: the fast path is taken for ordinary manifests', () => {
  // The seed's headless Service is the one with the indentation slip: yaml reports it.
  const ordinary = REPO_YAML.filter((f) => /\/(manifests|seed|valid|conformance)\//.test(f) && !f.endsWith('seed/myweb-svc-headless.yaml'));

  it('reads the seed, the shipped manifests, the valid and conformance fixtures without a full parse', () => {
    expect(ordinary.length).toBeGreaterThanOrEqual(20);
    const slow = ordinary.filter((f) => parseManifestTextFast(readFileSync(f, 'utf8'), f) === undefined).map((f) => relative(ROOT, f));
    expect(slow).toEqual([]);
  });

  it('reads a namespace file of the bench cluster without a full parse', () => {
    const service = (n: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: api-${n}\n  namespace: team-0\nspec:\n  selector:\n    app: api-${n}\n  ports:\n    - name: http\n      port: 80\n`;
    const text = Array.from({ length: 50 }, (_, n) => service(n)).join('---\n');
    const fast = parseManifestTextFast(text, 'team-0.yaml');
    expect(fast?.documents.length).toBe(50);
    expect(fast?.documents[49].positionOf([])).toEqual({ file: 'team-0.yaml', line: 11 * 49 + 50, col: 1 });
  });
});

// Generated manifest-like YAML: mappings, kubectl-style and indented sequences, flow collections,
// block scalars, comments, scalars that the two schemas might read differently, CRLF.
const SCALARS = ['x', 'web-1', '80', '0o17', '0x1F', '+1', '-0', '1e3', '1.50', '.inf', '.NaN', '~', 'null', 'yes', 'No', 'true', 'FALSE', '2001-12-14', '12:30', '1_000', '"quoted: #"', "'it''s'", '""', 'a#b', 'a # comment', 'http://x:80/p', '$(VAR)', 'café', '-c', '[a, "b", 1]', '{k: v}', '[]', '{}', 'x:y', 'a b  '];
const KEYS = ['name', 'app.kubernetes.io/name', 'port', '1', 'true', '"quoted key"', "'sq'", '0x1F', 'a-b', '_x'];

type Tree = { map: [string, Tree][] } | { seq: Tree[] } | { scalar: string } | { block: string };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SCALARS).map((scalar) => ({ scalar })),
    fc.tuple(fc.constantFrom('|', '|-', '>', '>+', '>-'), fc.constantFrom('line', '', '# hash'), fc.array(fc.constantFrom('line', 'two words', '', 'line\n  more', '# hash', 'k: v'), { maxLength: 3 })).map(([h, first, lines]) => ({ block: [h, first, ...lines, 'end'].join('\n') })),
    fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tie('tree')), { minLength: 1, maxLength: 4, selector: ([k]) => k }).map((map) => ({ map })),
    fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
  ),
})).tree;

interface Style {
  indent: number;
  flushSequences: boolean;
  comments: boolean;
}

/** Renders a node in block style at `indent`; the first line goes after `lead` (a key or `- `). */
function render(node: Tree, indent: number, style: Style): string[] {
  const pad = ' '.repeat(indent);
  if ('scalar' in node) return [node.scalar];
  if ('block' in node) {
    const [header, ...lines] = node.block.split('\n');
    return [header, ...lines.map((l) => (l === '' ? '' : `${pad}${' '.repeat(style.indent)}${l}`))];
  }
  if ('map' in node) {
    return node.map.flatMap(([key, value], i) => {
      const head = `${i === 0 ? '' : pad}${key}:`;
      const comment = style.comments && i === 1 ? [`${pad}# about ${key}`] : [];
      if ('map' in value || 'seq' in value) {
        const childIndent = 'seq' in value && style.flushSequences ? indent : indent + style.indent;
        const [first, ...rest] = render(value, childIndent, style);
        return [...comment, head, `${' '.repeat(childIndent)}${first}`, ...rest];
      }
      const [first, ...rest] = render(value, indent + style.indent, style);
      return [...comment, `${head} ${first}`, ...rest];
    });
  }
  return node.seq.flatMap((item, i) => {
    const [first, ...rest] = render(item, indent + 2, style);
    return [`${i === 0 ? '' : pad}- ${first}`, ...rest];
  });
}

const manifestText = fc
  .tuple(
    fc.array(fc.tuple(fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tree), { minLength: 1, maxLength: 4, selector: ([k]) => k }), fc.record({ indent: fc.constantFrom(2, 4), flushSequences: fc.boolean(), comments: fc.boolean() })), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([documents, crlf, leadingMarker]) => {
    const text = (leadingMarker ? '---\n' : '') + documents.map(([map, style]) => render({ map }, 0, style).join('\n') + '\n').join('---\n');
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

const EDITS = ['\t', ' ', ':', '- ', '\n', '"', "'", '{', '[', '#', '---\n', '...\n', '&a ', '*a', '!!str ', '<<: ', '|', '~', 'null: ', '\r'];

describe('fast parse: property', () => {
  it('generated manifest-like YAML reads as the full parse reads it', () => {
    fc.assert(
      fc.property(manifestText, (text) => {
        expectSameAsFullParse(text, 'gen.yaml', false);
      }),
      { numRuns: 400, seed: 15 },
    );
  });

  it('edits of generated YAML (to fall back, or not) read as the full parse reads them', () => {
    const edited = fc.tuple(manifestText, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...EDITS), fc.boolean()), { minLength: 1, maxLength: 3 })).map(([text, edits]) =>
      edits.reduce((t, [at, token, remove]) => {
        const i = t.length === 0 ? 0 : at % t.length;
        return remove ? t.slice(0, i) + t.slice(i + token.length) : t.slice(0, i) + token + t.slice(i);
      }, text),
    );
    fc.assert(
      fc.property(edited, (text) => {
        expectSameAsFullParse(text, 'edit.yaml', false);
      }),
      { numRuns: 400, seed: 15 },
    );
  });

  it('most generated texts take the fast path (the property is not vacuous)', () => {
    const texts = fc.sample(manifestText, { numRuns: 200, seed: 15 });
    const fast = texts.filter((t) => parseManifestTextFast(t, 'gen.yaml') !== undefined).length;
    expect(fast).toBeGreaterThan(texts.length * 0.8);
  });
});
