import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { QueryHandler } from './query-handler.js';

/** One UDP socket answering every datagram through the handler. No DNS logic here. */
export class UdpListener {
  private socket: dgram.Socket | undefined;
  sendErrors = 0;

  constructor(private readonly handler: QueryHandler) {}

  /** Binds and resolves with the bound port; rejects with the bind error (EACCES, EADDRINUSE). */
  listen(address: string, port: number): Promise<number> {
    const socket = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
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
        // A fresh buffer per reply: never reused before dgram is done with it.
        if (reply instanceof Promise) {
          // Forwarded (out-of-zone): sent when the upstream answers; the socket may be closed by then.
          reply.then((r) => r && this.socket === socket && socket.send(r, rinfo.port, rinfo.address, this.onSent));
        } else if (reply) socket.send(reply, rinfo.port, rinfo.address, this.onSent);
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
