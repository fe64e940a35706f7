import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';

/** How the fake upstream treats one question: its answers, or silence, or TC over UDP. */
export interface UpstreamBehaviour {
  answers?: dnsPacket.Answer[];
  rcode?: string;
  /** Over UDP reply with TC set and no records (the client must retry over TCP). */
  truncateUdp?: boolean;
  /** Never reply. */
  silent?: boolean;
  /** Reply after this many ms (a slow upstream). */
  delayMs?: number;
}

export interface FakeUpstream {
  port: number;
  /** Questions received, as `proto name type`. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP and TCP, same port) built on dns-packet, for
 * forwarding tests. `behave(name, type)` decides each reply; undefined → NXDOMAIN.
 */
export async function startFakeUpstream(behave: (name: string, type: string) => UpstreamBehaviour | undefined): Promise<FakeUpstream> {
  const seen: string[] = [];
  const delays = new WeakMap<Buffer, number>();
  const later = (r: Buffer, send: () => void) => (delays.has(r) ? setTimeout(send, delays.get(r)) : send());
  const reply = (msg: Buffer, proto: 'udp' | 'tcp'): Buffer | null => {
    const q = dnsPacket.decode(msg);
    const question = q.questions![0];
    seen.push(`${proto} ${question.name} ${question.type}`);
    const b = behave(question.name.toLowerCase(), question.type) ?? { rcode: 'NXDOMAIN' };
    if (b.silent) return null;
    const tc = proto === 'udp' && b.truncateUdp === true;
    const rcodeFlag = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 }[b.rcode ?? 'NOERROR'] ?? 0;
    const out = dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (tc ? dnsPacket.TRUNCATED_RESPONSE : 0) | rcodeFlag,
      questions: q.questions,
      answers: tc ? [] : (b.answers ?? []),
    });
    if (b.delayMs) delays.set(out, b.delayMs);
    return out;
  };
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const port = udp.address().port;
    const tcp = net.createServer((sock) => {
      let pending = Buffer.alloc(0);
      sock.on('error', () => {});
      sock.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          const r = reply(pending.subarray(2, 2 + pending.readUInt16BE(0)), 'tcp');
          pending = pending.subarray(2 + pending.readUInt16BE(0));
          if (r) {
            const len = Buffer.alloc(2);
            len.writeUInt16BE(r.length);
            later(r, () => sock.writable && sock.write(Buffer.concat([len, r])));
          }
        }
      });
    });
    const ok = await new Promise<boolean>((r) => {
      tcp.once('error', () => r(false));
      tcp.listen(port, '127.0.0.1', () => r(true));
    });
    if (!ok) {
      udp.close();
      if (attempt > 5) throw new Error('no port free for UDP and TCP');
      continue;
    }
    udp.on('message', (msg, rinfo) => {
      const r = reply(msg, 'udp');
      if (r) later(r, () => {
        try {
          udp.send(r, rinfo.port, rinfo.address);
        } catch {
          // closed meanwhile
        }
      });
    });
    return {
      port,
      seen,
      close: () => new Promise<void>((resolve) => udp.close(() => tcp.close(() => resolve()))),
    };
  }
}

/** A UDP relay on 127.0.0.1 that passes every query on to `target()` and the reply back: a resolver pointing at our server. */
export async function startUdpRelay(target: () => number): Promise<{ port: number; relayed: () => number; close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  let relayed = 0;
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  sock.on('message', (msg, rinfo) => {
    relayed++;
    const out = dgram.createSocket('udp4');
    const timer = setTimeout(() => out.close(), 2000);
    out.on('message', (r) => {
      clearTimeout(timer);
      out.close();
      sock.send(r, rinfo.port, rinfo.address);
    });
    out.send(msg, target(), '127.0.0.1');
  });
  return { port: sock.address().port, relayed: () => relayed, close: () => new Promise((r) => sock.close(() => r())) };
}
