import dgram from 'node:dgram';
import { lookup, type LookupOneOptions } from 'node:dns';
import { isIP, isIPv6 } from 'node:net';
import type { QueryHandler } from './query-handler.js';

/** One UDP socket answering every datagram through the handler. No DNS logic here. */
export class UdpListener {
  private socket: dgram.Socket | undefined;
  /** Socket errors and failed sends of forwarded replies (a reply from the cluster is sent without a callback: see listen). */
  sendErrors = 0;

  constructor(private readonly handler: QueryHandler) {}

  /** Binds and resolves with the bound port; rejects with the bind error (EACCES, EADDRINUSE). */
  listen(address: string, port: number): Promise<number> {
    const socket = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', lookup: lookupLiteral });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      socket.once('error', onError);
      socket.bind(port, address, () => {
        socket.off('error', onError);
        socket.on('error', () => {
          this.sendErrors++;
        });
        resolve(socket.address().port);
      });
      socket.on('message', (msg, rinfo) => {
        const reply = this.handler.respond(msg, 'udp', rinfo.address, rinfo.port);
        // A fresh buffer per reply: never reused, so no send callback is needed to know when it is free.
        // Without a callback (and with lookupLiteral) a send completes in the call: no tick per reply.
        // A failed send (a full socket buffer) is then silent, like a datagram lost on the way.
        if (reply instanceof Promise) {
          // Forwarded (out-of-zone): sent when the upstream answers; the socket may be closed by then.
          reply.then((r) => r && this.socket === socket && socket.send(r, rinfo.port, rinfo.address, this.onSent));
        } else if (reply) socket.send(reply, rinfo.port, rinfo.address);
      });
    });
  }

  private onSent = (err: Error | null): void => {
    if (err) this.sendErrors++;
  };

  close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }
}

/**
 * dgram resolves every destination through `lookup`; dns.lookup answers an IP literal (every reply
 * goes to `rinfo.address`) on the next tick, one tick per reply. Literals are answered at once here;
 * anything else goes to dns.lookup as before.
 */
function lookupLiteral(hostname: string, options: LookupOneOptions | number, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else lookup(hostname, options as LookupOneOptions, callback);
}
