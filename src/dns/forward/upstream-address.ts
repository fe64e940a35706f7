import { isIP } from 'node:net';

/** One upstream resolver: an IP address and a port. */
export interface Upstream {
  address: string;
  port: number;
}

/**
 * `--upstream` text → an upstream: `IP`, `IP:PORT`, `[IPv6]:PORT` or a bare IPv6 address (port 53).
 * Throws Error naming the bad text.
 */
export function parseUpstream(text: string): Upstream {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  let address = text;
  let port = '53';
  if (bracketed) [, address, port = '53'] = bracketed;
  else if (isIP(text) !== 6) {
    const m = /^([^:]+):(\d+)$/.exec(text);
    if (m) [, address, port] = m;
  }
  const n = Number(port);
  if (!isIP(address) || !Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--upstream "${text}" is not IP[:PORT]`);
  return { address, port: n };
}

/** `address:port`, with brackets for IPv6. */
export function toUpstreamText(u: Upstream): string {
  return isIP(u.address) === 6 ? `[${u.address}]:${u.port}` : `${u.address}:${u.port}`;
}
