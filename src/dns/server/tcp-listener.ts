import net from 'node:net';
import type { QueryHandler } from './query-handler.js';

export interface TcpLimits {
  /** Open connections at most; further ones are closed at once. */
  maxConnections: number;
  /** A connection idle this long is closed (RFC 7766 6.2.3). */
  idleTimeoutMs: number;
  /** A message whose length prefix has arrived must be complete within this time (slowloris). */
  messageTimeoutMs: number;
  /** Queries answered on one connection before it is closed. */
  maxQueriesPerConnection: number;
}

/** Reply bytes a TCP client may leave unread before it is disconnected. */
const MAX_UNREAD_REPLY_BYTES = 1 << 20;

export const DEFAULT_TCP_LIMITS: TcpLimits = { maxConnections: 256, idleTimeoutMs: 10_000, messageTimeoutMs: 5_000, maxQueriesPerConnection: 10_000 };

/**
 * DNS over TCP (RFC 7766): 2-byte length framing, several queries per connection (pipelined,
 * answered in order), idle and per-message timeouts, a connection cap. No DNS logic here.
 */
export class TcpListener {
  private server: net.Server | undefined;
  /** Open connections → forwarded queries still waiting for their upstream (and whether to end after them). */
  private readonly sockets = new Map<net.Socket, { inFlight: number; ending: boolean }>();

  constructor(private readonly handler: QueryHandler, private readonly limits: TcpLimits = DEFAULT_TCP_LIMITS) {}

  get openConnections(): number {
    return this.sockets.size;
  }

  listen(address: string, port: number): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    server.maxConnections = this.limits.maxConnections;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => {});
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  private accept(socket: net.Socket): void {
    const conn = { inFlight: 0, ending: false };
    this.sockets.set(socket, conn);
    socket.setNoDelay(true);
    socket.setTimeout(this.limits.idleTimeoutMs, () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    let answered = 0;
    const clientAddress = socket.remoteAddress ?? '';
    const clientPort = socket.remotePort ?? 0;
    const send = (reply: Buffer) => {
      const framed = Buffer.allocUnsafe(2 + reply.length);
      framed.writeUInt16BE(reply.length, 0);
      reply.copy(framed, 2);
      // A client that pipelines and never reads: stop reading from it until it drains, and drop it
      // when its unread replies pass the cap, so one connection cannot grow the server's memory.
      if (!socket.write(framed)) {
        if (socket.writableLength > MAX_UNREAD_REPLY_BYTES) socket.destroy();
        else if (!socket.isPaused()) {
          socket.pause();
          socket.once('drain', () => socket.resume());
        }
      }
    };
    let messageTimer: NodeJS.Timeout | undefined;
    const clearMessageTimer = () => {
      if (messageTimer) clearTimeout(messageTimer);
      messageTimer = undefined;
    };
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        clearMessageTimer();
        const reply = this.handler.respond(msg, 'tcp', clientAddress, clientPort);
        if (reply instanceof Promise) {
          // Forwarded: written when the upstream answers, possibly after later replies (RFC 7766 7: clients match IDs).
          conn.inFlight++;
          reply.then((r) => {
            conn.inFlight--;
            if (r && socket.writable) send(r);
            if (conn.ending && conn.inFlight === 0) socket.end();
          });
        } else if (reply) send(reply);
        if (++answered >= this.limits.maxQueriesPerConnection) {
          conn.ending = true;
          if (conn.inFlight === 0) socket.end();
          return;
        }
      }
      // The deadline runs from the first byte of a message and is not re-armed by later bytes,
      // so a client trickling a message (slowloris) is cut off.
      if (pending.length > 0 && !messageTimer) messageTimer = setTimeout(() => socket.destroy(), this.limits.messageTimeoutMs);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearMessageTimer();
      this.sockets.delete(socket);
    });
  }

  /**
   * Stops accepting and drains: each connection is closed once its forwarded queries have been
   * answered (or have failed); whatever is still open after `graceMs` is cut.
   */
  close(graceMs = 5000): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const [s, conn] of this.sockets) {
      conn.ending = true;
      if (conn.inFlight === 0) s.end();
    }
    return new Promise((resolve) => {
      if (!server) return resolve();
      const force = setTimeout(() => {
        for (const s of this.sockets.keys()) s.destroy();
      }, graceMs);
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}
