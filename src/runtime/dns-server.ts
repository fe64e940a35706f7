import { QueryHandler } from '../dns/server/query-handler.js';
import { TcpListener, DEFAULT_TCP_LIMITS, type TcpLimits } from '../dns/server/tcp-listener.js';
import { UdpListener } from '../dns/server/udp-listener.js';
import type { RecordIndex } from '../dns/records/record-index.js';

/** A bind failure with the address, the system code and a one-line hint. */
export class BindError extends Error {
  constructor(readonly address: string, readonly port: number, readonly code: string, readonly hint: string) {
    super(`cannot listen on ${address}:${port} (${code})`);
  }
}

/** UDP and TCP listeners on one address and port, sharing one query handler. */
export class DnsServer {
  readonly handler: QueryHandler;
  readonly udp: UdpListener;
  readonly tcp: TcpListener;
  port = 0;
  /** Listeners on further addresses (same port, same handler). */
  private readonly extra: { udp: UdpListener; tcp: TcpListener }[] = [];

  constructor(index: RecordIndex, private readonly tcpLimits: TcpLimits = DEFAULT_TCP_LIMITS) {
    this.handler = new QueryHandler(index);
    this.udp = new UdpListener(this.handler);
    this.tcp = new TcpListener(this.handler, tcpLimits);
  }

  /** Binds UDP then TCP on the same port (port 0: a free one, retried if TCP's is taken). */
  async listen(address: string, port: number): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      let udpPort: number;
      try {
        udpPort = await this.udp.listen(address, port);
      } catch (err) {
        throw toBindError(err, address, port);
      }
      try {
        this.port = await this.tcp.listen(address, udpPort);
        return this.port;
      } catch (err) {
        await this.udp.close();
        if (port !== 0) throw toBindError(err, address, port);
      }
    }
    throw new BindError(address, port, 'EADDRINUSE', 'no port free for both UDP and TCP; name one with --port');
  }

  /**
   * Also listens on `address` at the port already bound (e.g. ::1 next to 127.0.0.1, so that
   * `dig @localhost` finds the server whichever address localhost resolves to first). Best effort:
   * resolves false when the address cannot be bound (IPv6 disabled, port taken there).
   */
  async listenAlso(address: string): Promise<boolean> {
    const udp = new UdpListener(this.handler);
    const tcp = new TcpListener(this.handler, this.tcpLimits);
    try {
      await udp.listen(address, this.port);
    } catch {
      return false;
    }
    try {
      await tcp.listen(address, this.port);
    } catch {
      await udp.close();
      return false;
    }
    this.extra.push({ udp, tcp });
    return true;
  }

  /** Publishes a new index: one reference swap. */
  setIndex(index: RecordIndex): void {
    this.handler.setIndex(index);
  }

  async close(): Promise<void> {
    await Promise.all([this.udp.close(), this.tcp.close(), ...this.extra.flatMap((l) => [l.udp.close(), l.tcp.close()])]);
  }
}

function toBindError(err: unknown, address: string, port: number): BindError {
  const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
  const hint =
    code === 'EACCES'
      ? `port ${port} is privileged: run with --port 1053 (or as root, or grant CAP_NET_BIND_SERVICE)`
      : code === 'EADDRINUSE'
        ? `something else listens on ${address}:${port}: stop it or choose another --port`
        : code === 'EADDRNOTAVAIL'
          ? `${address} is not an address of this machine: use --address 127.0.0.1`
          : 'check --address and --port';
  return new BindError(address, port, code, hint);
}
