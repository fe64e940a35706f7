import { BlockList, isIP } from 'node:net';

/** Who may have names outside the cluster forwarded by default: loopback, RFC 1918, link-local, RFC 4193 ULA. */
export const DEFAULT_RECURSION_CIDRS: readonly string[] = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'];

/**
 * A check of client addresses against `CIDR`s (a bare address is one host). IPv4-mapped IPv6
 * clients (`::ffff:10.0.0.1`, a server bound to `::`) match the IPv4 ranges. Throws Error naming the
 * first entry that is not a CIDR.
 */
export function newRecursionAcl(cidrs: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const text of cidrs) {
    const [address, prefixText, extra] = text.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (family === 0 || extra !== undefined || !(prefix >= 0 && prefix <= max)) throw new Error(`"${text}" is not an IP address or CIDR`);
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}
