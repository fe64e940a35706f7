import { isIPv6 } from 'node:net';

/** Parses an IPv4 or IPv6 address into a bigint and its family; undefined when not an address. */
export function parseIP(ip: string): { value: bigint; family: 4 | 6 } | undefined {
  const v4 = parseIPv4(ip);
  if (v4 !== undefined) return { value: BigInt(v4), family: 4 };
  if (isIPv6(ip)) return { value: parseIPv6(ip), family: 6 };
  return undefined;
}

/**
 * A dotted-quad IPv4 address as a number, accepting exactly what net.isIPv4 accepts (four decimal
 * octets up to 255, no leading zeros); undefined otherwise. One pass, no regular expression and no
 * array: a 100k-pod cluster parses every pod address when it allocates and sorts endpoints.
 */
export function parseIPv4(ip: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && octet === 0) return undefined;
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return undefined;
    } else return undefined;
  }
  if (digits === 0 || dots !== 3) return undefined;
  return value * 256 + octet;
}

function parseIPv6(ip: string): bigint {
  let s = ip;
  let tailV4: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const p = v4[1].split('.').map(Number);
    tailV4 = [(p[0] << 8) | p[1], (p[2] << 8) | p[3]];
    s = s.slice(0, -v4[1].length) + '0:0';
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':').filter((x) => x !== '') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(parseInt(g, 16));
  if (tailV4.length) v = (v & ~0xffffffffn) | (BigInt(tailV4[0]) << 16n) | BigInt(tailV4[1]);
  return v;
}

/** Formats a bigint as an address of the family (IPv6 in RFC 5952 form). */
export function formatIP(value: bigint, family: 4 | 6): string {
  if (family === 4) {
    const n = Number(value);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export interface Cidr {
  base: bigint;
  prefix: number;
  family: 4 | 6;
  /** Number of addresses in the block. */
  size: bigint;
  text: string;
}

/** Parses `10.96.0.0/12` or `fd00:10:96::/112`; throws a usage-level Error when malformed. */
export function parseCidr(text: string): Cidr {
  const [addr, prefixText] = text.split('/');
  const ip = parseIP(addr ?? '');
  const bits = ip?.family === 6 ? 128 : 32;
  const prefix = Number(prefixText);
  if (!ip || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) throw new Error(`invalid CIDR "${text}" (expected e.g. 10.96.0.0/12)`);
  const size = 1n << BigInt(bits - prefix);
  return { base: ip.value & ~(size - 1n), prefix, family: ip.family, size, text };
}

/** Whether `ip` lies inside the block. */
export function isInCidr(ip: string, cidr: Cidr): boolean {
  const p = parseIP(ip);
  return !!p && p.family === cidr.family && p.value >= cidr.base && p.value < cidr.base + cidr.size;
}

/** The reverse-lookup name of an address without a trailing dot (`5.1.244.10.in-addr.arpa`). */
export function toReverseName(ip: string): string | undefined {
  // isIPv4 admits no leading zeros, so the octets are already canonical: no round trip through a bigint.
  if (parseIPv4(ip) !== undefined) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const p = parseIP(ip);
  if (!p) return undefined;
  if (p.family === 4) return `${formatIP(p.value, 4).split('.').reverse().join('.')}.in-addr.arpa`;
  const nibbles = p.value.toString(16).padStart(32, '0').split('').reverse();
  return `${nibbles.join('.')}.ip6.arpa`;
}

/** Parses a reverse name back into an address; undefined when it is not a full reverse name. */
export function fromReverseName(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.reverse().join('.');
  }
  if (n.endsWith('.ip6.arpa')) {
    const parts = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (parts.length !== 32 || !parts.every((p) => /^[0-9a-f]$/.test(p))) return undefined;
    return formatIP(BigInt(`0x${parts.reverse().join('')}`), 6);
  }
  return undefined;
}
