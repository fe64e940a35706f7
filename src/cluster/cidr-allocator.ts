import { fnv32a } from './names.js';
import { formatIP, parseIP, parseIPv4, type Cidr } from './ip-address.js';

export interface AllocationRequest {
  /** Stable identity, e.g. `default/myweb-svc` or `default/myweb-sts-0#0`. */
  key: string;
  /** An address the manifest states (spec.clusterIP, status.podIP); honoured when inside the block and free. */
  requested?: string;
}

export interface AllocationResult {
  /** key → address, for every request that got one. */
  addresses: Map<string, string>;
  /** Requests whose stated address could not be honoured as stated, with the reason. */
  conflicts: { key: string; requested: string; reason: 'outside-range' | 'taken' | 'invalid'; assigned: string }[];
  /** Requests left without an address because the block is full. */
  exhausted: string[];
}

/**
 * Deterministic address allocation, order-independent: stated addresses first, then addresses
 * `previous` already gave (so a live cluster keeps its IPs), then each new key at the hash of its
 * key, probing upwards on collision, keys taken in sorted order. Same requests → same addresses.
 * `reserved` addresses are never handed out (network, gateway, built-ins).
 */
export function allocateAddresses(
  requests: readonly AllocationRequest[],
  cidr: Cidr,
  reserved: ReadonlySet<string> = new Set(),
  previous: ReadonlyMap<string, string> = new Map(),
  isUsable: (offset: bigint) => boolean = () => true,
  isTakenElsewhere: (ip: string) => boolean = () => false,
): AllocationResult {
  // `isTakenElsewhere`: addresses held outside these requests (other namespaces, when one namespace is re-allocated alone).
  const taken = new Set<string>(reserved);
  const isTaken = (ip: string): boolean => taken.has(ip) || isTakenElsewhere(ip);
  const addresses = new Map<string, string>();
  const conflicts: AllocationResult['conflicts'] = [];
  const exhausted: string[] = [];
  const sorted = [...requests].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const pending: AllocationRequest[] = [];
  const [low, high] = [Number(cidr.base), Number(cidr.base + cidr.size)];
  const inside = (ip: string): boolean => {
    if (cidr.family === 4) {
      const v4 = parseIPv4(ip);
      return v4 !== undefined && v4 >= low && v4 < high;
    }
    const p = parseIP(ip);
    return !!p && p.family === cidr.family && p.value >= cidr.base && p.value < cidr.base + cidr.size;
  };
  for (const r of sorted) {
    if (r.requested === undefined) continue;
    const canonical = parseIP(r.requested);
    const ip = canonical ? formatIP(canonical.value, canonical.family) : undefined;
    if (ip && !isTaken(ip) && canonical!.family === cidr.family) {
      // Outside the block is still honoured (a real API server would reject it; the caller warns).
      taken.add(ip);
      addresses.set(r.key, ip);
      if (!inside(ip)) conflicts.push({ key: r.key, requested: r.requested, reason: 'outside-range', assigned: ip });
    } else {
      pending.push(r);
    }
  }
  for (const r of sorted) {
    if (r.requested !== undefined) continue;
    const prev = previous.get(r.key);
    if (prev && inside(prev) && !isTaken(prev)) {
      taken.add(prev);
      addresses.set(r.key, prev);
    } else pending.push(r);
  }
  pending.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const size = cidr.size;
  // Once one probe has walked the whole block in vain, every later request would too (the taken set
  // only grows): without this, a full block costs a scan of the block per remaining request.
  let blockFull = false;
  for (const r of pending) {
    if (blockFull) {
      exhausted.push(r.key);
      continue;
    }
    const start = (BigInt(fnv32a(r.key)) * 0x9e3779b1n + BigInt(fnv32a(`${r.key}#ip`))) % size;
    let found: string | undefined;
    const limit = size < 1_000_000n ? size : 1_000_000n;
    for (let i = 0n; i < limit; i++) {
      const off = (start + i) % size;
      if (!isUsable(off)) continue;
      const ip = formatIP(cidr.base + off, cidr.family);
      if (!isTaken(ip)) {
        found = ip;
        break;
      }
    }
    if (!found) {
      blockFull = limit === size;
      exhausted.push(r.key);
      continue;
    }
    taken.add(found);
    addresses.set(r.key, found);
    if (r.requested !== undefined) {
      const valid = parseIP(r.requested);
      conflicts.push({ key: r.key, requested: r.requested, reason: valid ? 'taken' : 'invalid', assigned: found });
    }
  }
  return { addresses, conflicts, exhausted };
}

/** Usable offsets for an IPv4 block: not the network or broadcast, and not .0/.1/.255 of any /24 (gateways look odd to learners). */
export function isUsableIPv4Offset(cidr: Cidr): (offset: bigint) => boolean {
  return (off) => {
    if (off === 0n || off === cidr.size - 1n) return false;
    if (cidr.family !== 4 || cidr.prefix > 24) return true;
    const last = Number((cidr.base + off) & 255n);
    return last !== 0 && last !== 1 && last !== 255;
  };
}
