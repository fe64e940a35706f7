import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateAddresses, isUsableIPv4Offset } from '../../src/cluster/cidr-allocator.js';
import { formatIP, fromReverseName, isInCidr, parseCidr, parseIP, toReverseName } from '../../src/cluster/ip-address.js';

describe('allocateAddresses', () => {
  const cidr = parseCidr('10.96.0.0/12');
  const keys = Array.from({ length: 50 }, (_, i) => ({ key: `default/svc-${i}` }));

  it('gives every key a distinct address inside the block', () => {
    const r = allocateAddresses(keys, cidr, new Set(), new Map(), isUsableIPv4Offset(cidr));
    expect(r.addresses.size).toBe(50);
    expect(new Set(r.addresses.values()).size).toBe(50);
    for (const ip of r.addresses.values()) expect(isInCidr(ip, cidr)).toBe(true);
  });
  it('is independent of request order', () => {
    const a = allocateAddresses(keys, cidr);
    const b = allocateAddresses([...keys].reverse(), cidr);
    expect([...b.addresses].sort()).toEqual([...a.addresses].sort());
  });
  it('adding a key does not move the others', () => {
    const a = allocateAddresses(keys, cidr);
    const b = allocateAddresses([...keys, { key: 'default/new' }], cidr);
    for (const [k, ip] of a.addresses) expect(b.addresses.get(k)).toBe(ip);
  });
  const stated = [
    { name: 'stated address inside the block is honoured', req: '10.96.5.5', want: '10.96.5.5', conflict: undefined },
    { name: 'stated address outside the block is honoured with a conflict', req: '192.168.1.1', want: '192.168.1.1', conflict: 'outside-range' },
    { name: 'reserved address is re-allocated with a conflict', req: '10.96.0.10', want: undefined, conflict: 'taken' },
    { name: 'garbage is re-allocated with a conflict', req: 'not-an-ip', want: undefined, conflict: 'invalid' },
  ];
  for (const c of stated) {
    it(c.name, () => {
      const r = allocateAddresses([{ key: 'default/x', requested: c.req }], cidr, new Set(['10.96.0.10']));
      const got = r.addresses.get('default/x')!;
      if (c.want) expect(got).toBe(c.want);
      else {
        expect(got).not.toBe(c.req);
        expect(isInCidr(got, cidr)).toBe(true);
      }
      expect(r.conflicts[0]?.reason).toBe(c.conflict);
    });
  }
  it('keeps previous allocations', () => {
    const r = allocateAddresses([{ key: 'a' }], cidr, new Set(), new Map([['a', '10.100.1.2']]));
    expect(r.addresses.get('a')).toBe('10.100.1.2');
  });
  it('reports exhaustion instead of looping or reusing', () => {
    const tiny = parseCidr('10.0.0.0/30');
    const r = allocateAddresses([{ key: 'a' }, { key: 'b' }, { key: 'c' }, { key: 'd' }, { key: 'e' }], tiny);
    expect(r.addresses.size).toBe(4);
    expect(r.exhausted).toHaveLength(1);
  });
  it('a full block leaves every remaining request exhausted, probing the block once', () => {
    const tiny = parseCidr('10.0.0.0/28');
    let probes = 0;
    const requests = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}` }));
    const r = allocateAddresses(requests, tiny, new Set(), new Map(), () => (probes++, true));
    expect(r.addresses.size).toBe(16);
    expect(r.exhausted).toHaveLength(984);
    // 16 allocations probe at most 16 offsets each, plus one full walk that finds the block full.
    expect(probes).toBeLessThanOrEqual(16 * 16 + 16);
  });
  it('never hands out .0, .1 or .255 in IPv4 pod blocks', () => {
    const pods = parseCidr('10.244.0.0/16');
    const r = allocateAddresses(Array.from({ length: 2000 }, (_, i) => ({ key: `p${i}` })), pods, new Set(), new Map(), isUsableIPv4Offset(pods));
    for (const ip of r.addresses.values()) expect(ip).not.toMatch(/\.(0|1|255)$/);
  });
});

describe('IP helpers', () => {
  const cases = [
    { name: 'IPv4 reverse', ip: '10.244.1.5', rev: '5.1.244.10.in-addr.arpa' },
    { name: 'IPv6 reverse', ip: 'fd00:10:96::a', rev: 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa' },
  ];
  it('every IPv4 address: the reverse name is its octets reversed, and reads back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        const ip = formatIP(BigInt(n), 4);
        const rev = toReverseName(ip)!;
        expect(rev).toBe(`${[n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.')}.in-addr.arpa`);
        expect(fromReverseName(rev)).toBe(ip);
      }),
      { numRuns: 500 },
    );
  });
  it.each(['010.1.1.1', '1.2.3', 'a.b.c.d', ''])('not an address: %j has no reverse name', (ip) => {
    expect(toReverseName(ip)).toBeUndefined();
  });
  for (const c of cases) {
    it(`${c.name} round-trips`, () => {
      expect(toReverseName(c.ip)).toBe(c.rev);
      expect(fromReverseName(c.rev)).toBe(c.ip);
    });
  }
  it('formats IPv6 in RFC 5952 form', () => {
    expect(formatIP(parseIP('fd00:0010:0096:0000:0000:0000:0000:000a')!.value, 6)).toBe('fd00:10:96::a');
  });
  it('rejects partial reverse names', () => {
    expect(fromReverseName('1.244.10.in-addr.arpa')).toBeUndefined();
  });
});
