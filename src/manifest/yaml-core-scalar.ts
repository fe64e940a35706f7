import { Document, isScalar } from 'yaml';

interface PlainScalarTag {
  test: RegExp;
  resolve(source: string, onError: (message: string) => void, options: Document['options']): unknown;
}

/** The schema parse.ts parses with (YAML 1.2 core, same options): its tags decide what a plain scalar means. */
const core = new Document(null, { uniqueKeys: true, strict: true });

/** null, bool, int (decimal, 0o, 0x), float (.inf, .nan, exponents), in `yaml`'s order; anything else is a string. */
const PLAIN_SCALAR_TAGS = core.schema.tags.filter((tag): tag is typeof tag & PlainScalarTag => tag.default === true && 'test' in tag && tag.test instanceof RegExp);

const refuse = (message: string): never => {
  throw new Error(message);
};

/** Whether `yaml` reads this plain (unquoted) scalar as something other than a string. */
export function isTypedPlainScalar(source: string): boolean {
  return PLAIN_SCALAR_TAGS.some((tag) => tag.test.test(source));
}

/** The value `yaml` gives a plain scalar: `0o17` → 15, `yes` → 'yes', `~` → null, `2024-01-01` → '2024-01-01'. */
export function resolvePlainScalar(source: string): unknown {
  const tag = PLAIN_SCALAR_TAGS.find((t) => t.test.test(source));
  if (!tag) return source;
  const value = tag.resolve(source, refuse, core.options);
  return isScalar(value) ? value.value : value;
}
