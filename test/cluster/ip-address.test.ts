import { isIPv4 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIP, parseIPv4 } from '../../src/cluster/ip-address.js';

/** The reference: net.isIPv4, then the octets. */
const reference = (ip: string): number | undefined => (isIPv4(ip) ? ip.split('.').reduce((v, o) => v * 256 + Number(o), 0) : undefined);

describe('parseIPv4 accepts exactly what net.isIPv4 accepts', () => {
  const cases = ['10.244.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.4 ', '', '1.2.3.0x1', '1.2.3.1000', '10.0.0.00', '::1', '1.2.3.-4'];
  for (const ip of cases) {
    it(JSON.stringify(ip), () => {
      expect(parseIPv4(ip)).toBe(reference(ip));
    });
  }
  it('random dotted strings', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.stringMatching(/^[0-9]{0,4}$/), fc.constantFrom('', 'a', '-1', '00'));
    const text = fc.oneof(fc.array(part, { minLength: 1, maxLength: 6 }).map((p) => p.join('.')), fc.string({ maxLength: 16 }));
    fc.assert(fc.property(text, (ip) => parseIPv4(ip) === reference(ip)), { numRuns: 3000 });
  });
  it('parseIP gives the same value as before for IPv4 (the 32-bit number)', () => {
    expect(parseIP('10.128.3.7')).toEqual({ value: 0x0a800307n, family: 4 });
    expect(parseIP('255.255.255.255')).toEqual({ value: 0xffffffffn, family: 4 });
  });
});
