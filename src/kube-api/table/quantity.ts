// resource.Quantity's canonical text (Quantity.String) for the plain forms manifests use: `1Gi`, `1024Mi`, `500M`, `1.5Gi`.

const BINARY: [string, bigint][] = [['Ei', 2n ** 60n], ['Pi', 2n ** 50n], ['Ti', 2n ** 40n], ['Gi', 2n ** 30n], ['Mi', 2n ** 20n], ['Ki', 2n ** 10n]];
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL_EXP).map(([s, e]) => [e, s]));

/** value × 10^-scale */
interface Exact {
  value: bigint;
  scale: number;
}

function toDecimalSI({ value, scale }: Exact): string {
  if (value === 0n) return '0';
  let exp = -scale;
  let v = value;
  // Go rounds sub-nano amounts up; keep the amount exact at nano precision here.
  while (exp < -9) {
    v = (v + 9n) / 10n;
    exp++;
  }
  while (exp % 3 !== 0) {
    v *= 10n;
    exp--;
  }
  while (v % 1000n === 0n && exp < 18) {
    v /= 1000n;
    exp += 3;
  }
  return `${v}${DECIMAL_SUFFIX[exp]}`;
}

/** The canonical form of a quantity string; unrecognised forms (exponents, signs) come back unchanged. */
export function toCanonicalQuantity(text: string): string {
  const m = /^(\d+)(?:\.(\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(text.trim());
  if (!m) return text;
  const [, whole, frac = '', suffix = ''] = m;
  const digits = BigInt(whole + frac);
  const binary = BINARY.find(([s]) => s === suffix);
  if (binary) {
    const scaled = digits * binary[1];
    const unit = 10n ** BigInt(frac.length);
    if (scaled % unit !== 0n) return toDecimalSI({ value: scaled, scale: frac.length });
    const bytes = scaled / unit;
    if (bytes < 1024n) return toDecimalSI({ value: bytes, scale: 0 });
    for (const [s, size] of BINARY) if (bytes % size === 0n) return `${bytes / size}${s}`;
    return String(bytes);
  }
  return toDecimalSI({ value: digits, scale: frac.length - DECIMAL_EXP[suffix] });
}
