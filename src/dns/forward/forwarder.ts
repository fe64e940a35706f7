import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes, randomInt } from 'node:crypto';
import { FLAG_QR, FLAG_TC, HEADER_LENGTH } from '../wire/constants.js';
import { toUpstreamText, type Upstream } from './upstream-address.js';
import { writeOpt } from '../wire/response-writer.js';

const SERVFAIL = 2;
const REFUSED = 5;
/** Forwarded queries in flight at most; further ones get REFUSED. */
const MAX_CONCURRENT_FORWARDS = 1000;

/** Plain counters per upstream, read at scrape time (CoreDNS `coredns_forward_*`). */
export interface UpstreamCounters {
  requests: number;
  /** Replies by rcode. */
  rcodes: number[];
  /** Exchanges that timed out or failed at the socket. */
  failures: number;
  /** Retries over TCP after a truncated UDP reply. */
  tcpRetries: number;
}

export interface ForwarderOptions {
  /** Per exchange (UDP, then TCP on TC) with one upstream. */
  timeoutMs: number;
}

export const DEFAULT_FORWARDER_OPTIONS: ForwarderOptions = { timeoutMs: 2000 };

/**
 * Sends queries for names outside the cluster to upstream resolvers, in order: UDP, TCP when the
 * reply is truncated; the next upstream on timeout or failure; SERVFAIL when all fail (CoreDNS
 * `forward`). Each exchange uses a fresh socket and a random ID, and the reply must match the
 * question. A probe that comes back to this server marks its upstream as a loop (CoreDNS `loop`).
 */
export class Forwarder {
  private active: Upstream[];
  readonly counters = new Map<string, UpstreamCounters>();
  /** Upstreams found to send queries back to this server; never used. */
  readonly looped: Upstream[] = [];
  private readonly probes = new Map<string, Upstream>();
  private inFlight = 0;

  constructor(upstreams: readonly Upstream[], private readonly options: ForwarderOptions = DEFAULT_FORWARDER_OPTIONS) {
    this.active = [...upstreams];
    for (const u of upstreams) this.counters.set(toUpstreamText(u), { requests: 0, rcodes: new Array(16).fill(0), failures: 0, tcpRetries: 0 });
  }

  get upstreams(): readonly Upstream[] {
    return this.active;
  }

  /**
   * The reply to a forwarded query: the upstream's answer with the client's ID, cut to the header and
   * question with TC set when it exceeds `sizeLimit` (the client retries over TCP); SERVFAIL when
   * every upstream failed, REFUSED when none is left.
   */
  async forward(query: Uint8Array, questionEnd: number, sizeLimit: number, edns = false): Promise<Buffer> {
    if (this.active.length === 0) return toErrorReply(query, questionEnd, REFUSED);
    // Bounded like CoreDNS forward's max_concurrent: each query in flight holds a socket.
    if (this.inFlight >= MAX_CONCURRENT_FORWARDS) return toErrorReply(query, questionEnd, REFUSED);
    this.inFlight++;
    try {
      return await this.forwardToUpstreams(query, questionEnd, sizeLimit, edns);
    } finally {
      this.inFlight--;
    }
  }

  private async forwardToUpstreams(query: Uint8Array, questionEnd: number, sizeLimit: number, edns: boolean): Promise<Buffer> {
    for (const up of this.active) {
      const c = this.counters.get(toUpstreamText(up))!;
      c.requests++;
      const reply = await this.exchange(up, query, questionEnd, c);
      if (!reply) {
        c.failures++;
        continue;
      }
      c.rcodes[reply[3] & 0x0f]++;
      reply[0] = query[0];
      reply[1] = query[1];
      return reply.length > sizeLimit ? toTruncated(reply, questionEnd, edns) : reply;
    }
    return toErrorReply(query, questionEnd, SERVFAIL);
  }

  /** True when `qname` is one of our loop probes (it came back to us): marks its upstream as a loop. */
  noteIfLoopProbe(qname: string): boolean {
    const up = this.probes.get(qname);
    if (!up) return false;
    if (!this.looped.includes(up)) this.looped.push(up);
    return true;
  }

  /**
   * Finds upstreams that point back at this server: the server's own address, or one whose probe
   * (`<random>.<random>.kube-dns-sim-loop.` HINFO) comes back through our listener. Those are
   * dropped; resolves with them.
   */
  async detectLoops(self: Upstream): Promise<Upstream[]> {
    const wildcard = self.address === '0.0.0.0' || self.address === '::';
    for (const up of this.active) {
      const isSelf = up.port === self.port && (up.address === self.address || (wildcard && (up.address.startsWith('127.') || up.address === '::1')));
      if (isSelf && !this.looped.includes(up)) this.looped.push(up);
    }
    await Promise.all(
      this.active
        .filter((up) => !this.looped.includes(up))
        .map(async (up) => {
          const name = `${randomBytes(6).toString('hex')}.${randomBytes(6).toString('hex')}.kube-dns-sim-loop`;
          this.probes.set(name, up);
          const q = toProbeQuery(name);
          await this.exchange(up, q, q.length, undefined);
          this.probes.delete(name);
        }),
    );
    this.active = this.active.filter((u) => !this.looped.includes(u));
    return [...this.looped];
  }

  private async exchange(up: Upstream, query: Uint8Array, questionEnd: number, c: UpstreamCounters | undefined): Promise<Buffer | null> {
    const msg = Buffer.from(query);
    const id = randomInt(0, 0x10000);
    msg.writeUInt16BE(id, 0);
    let reply = await udpExchange(up, msg, this.options.timeoutMs, (r) => isReplyTo(r, msg, id, questionEnd));
    if (reply && reply[2] & (FLAG_TC >> 8)) {
      if (c) c.tcpRetries++;
      reply = await tcpExchange(up, msg, this.options.timeoutMs, (r) => isReplyTo(r, msg, id, questionEnd));
    }
    return reply;
  }
}

/** ASCII letters to lower case; every other byte (label lengths, QTYPE, QCLASS) as it is. */
function foldCase(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/** Same ID, QR set, one question equal to ours (names compared without case). */
function isReplyTo(reply: Buffer, query: Buffer, id: number, questionEnd: number): boolean {
  if (reply.length < questionEnd || reply.readUInt16BE(0) !== id || !(reply[2] & (FLAG_QR >> 8)) || reply.readUInt16BE(4) !== 1) return false;
  for (let i = HEADER_LENGTH; i < questionEnd; i++) if (foldCase(reply[i]) !== foldCase(query[i])) return false;
  return true;
}

function udpExchange(up: Upstream, msg: Buffer, timeoutMs: number, accept: (r: Buffer) => boolean): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(net.isIPv6(up.address) ? 'udp6' : 'udp4');
    const done = (r: Buffer | null) => {
      clearTimeout(timer);
      sock.close();
      resolve(r);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('error', () => done(null));
    // Anything else arriving on this socket (a spoof, a late reply) is ignored.
    sock.on('message', (r, rinfo) => {
      if (rinfo.port === up.port && accept(r)) done(r);
    });
    sock.send(msg, up.port, up.address, (err) => err && done(null));
  });
}

function tcpExchange(up: Upstream, msg: Buffer, timeoutMs: number, accept: (r: Buffer) => boolean): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: up.address, port: up.port });
    let pending = Buffer.alloc(0);
    const done = (r: Buffer | null) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('error', () => done(null));
    sock.on('close', () => done(null));
    sock.on('connect', () => {
      const framed = Buffer.allocUnsafe(2 + msg.length);
      framed.writeUInt16BE(msg.length, 0);
      msg.copy(framed, 2);
      sock.write(framed);
    });
    sock.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 2 || pending.length < 2 + pending.readUInt16BE(0)) return;
      const r = Buffer.from(pending.subarray(2, 2 + pending.readUInt16BE(0)));
      done(accept(r) ? r : null);
    });
  });
}

/** Header and question only, TC set, counts zeroed (RFC 1035 4.2.1); an OPT record for an EDNS client. */
function toTruncated(reply: Buffer, questionEnd: number, edns: boolean): Buffer {
  const out = Buffer.alloc(questionEnd + (edns ? 11 : 0));
  reply.copy(out, 0, 0, questionEnd);
  out[2] |= FLAG_TC >> 8;
  out.fill(0, 6, 12);
  out[5] = 1;
  if (edns) {
    out[11] = 1;
    writeOpt(out, questionEnd, 0);
  }
  return out;
}

function toErrorReply(query: Uint8Array, questionEnd: number, rcode: number): Buffer {
  const out = Buffer.from(query.subarray(0, questionEnd));
  out[2] = (FLAG_QR >> 8) | (query[2] & 0x79); // QR, opcode, RD kept
  out[3] = (query[3] & 0x10) | rcode; // CD kept
  out.fill(0, 6, 12);
  out[5] = questionEnd > HEADER_LENGTH ? 1 : 0;
  out[4] = 0;
  return out;
}

/** A HINFO query for `name`, RD set. */
function toProbeQuery(name: string): Buffer {
  const labels = name.split('.');
  const out = Buffer.alloc(HEADER_LENGTH + labels.reduce((n, l) => n + l.length + 1, 1) + 4);
  out.writeUInt16BE(0x0100, 2);
  out.writeUInt16BE(1, 4);
  let off = HEADER_LENGTH;
  for (const l of labels) {
    out[off++] = l.length;
    off += out.write(l, off, 'ascii');
  }
  out[off++] = 0;
  out.writeUInt16BE(13, off);
  out.writeUInt16BE(1, off + 2);
  return out;
}
