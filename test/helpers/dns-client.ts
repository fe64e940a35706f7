import dgram from 'node:dgram';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as dnsPacket from 'dns-packet';

const execFileP = promisify(execFile);

export interface QueryOptions {
  id?: number;
  type?: string;
  /** Add an OPT record advertising this UDP size. */
  ednsUdpSize?: number;
  flags?: number;
}

/** Encodes a query with dns-packet. */
export function encodeQuery(name: string, opts: QueryOptions = {}): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: opts.id ?? 0x1234,
    flags: opts.flags ?? dnsPacket.RECURSION_DESIRED,
    questions: [{ type: (opts.type ?? 'A') as dnsPacket.RecordType, name, class: 'IN' }],
    additionals: opts.ednsUdpSize ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.ednsUdpSize, flags: 0, options: [] } as unknown as dnsPacket.Answer] : [],
  });
}

/** Sends raw bytes over UDP to 127.0.0.1:port and resolves with the reply bytes (or null on timeout). */
export function udpExchange(port: number, msg: Buffer, timeoutMs = 1000, address = '127.0.0.1'): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(null);
    }, timeoutMs);
    sock.on('message', (reply) => {
      clearTimeout(timer);
      sock.close();
      resolve(reply);
    });
    sock.send(msg, port, address);
  });
}

/** Sends one or more length-framed messages on one TCP connection; resolves with `expect` replies. */
export function tcpExchange(port: number, msgs: Buffer[], expect = msgs.length, timeoutMs = 2000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const replies: Buffer[] = [];
    let pending = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(replies);
    }, timeoutMs);
    sock.on('connect', () => {
      for (const m of msgs) {
        const framed = Buffer.alloc(2 + m.length);
        framed.writeUInt16BE(m.length, 0);
        m.copy(framed, 2);
        sock.write(framed);
      }
    });
    sock.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        replies.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
      }
      if (replies.length >= expect) {
        clearTimeout(timer);
        sock.destroy();
        resolve(replies);
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Decodes a reply and renders its sections as sorted zone-file lines (lower-cased owners unless `keepCase`). */
export function toZoneLines(reply: Buffer, section: 'answers' | 'authorities' | 'additionals' = 'answers', keepCase = false): string[] {
  const p = dnsPacket.decode(reply);
  const rrs = (p[section] ?? []).filter((r) => r.type !== 'OPT');
  return rrs
    .map((r) => {
      const owner = keepCase ? r.name : r.name.toLowerCase();
      const d = (r as { data: unknown }).data;
      let rdata: string;
      switch (r.type) {
        case 'SRV': {
          const s = d as { priority: number; weight: number; port: number; target: string };
          rdata = `${s.priority} ${s.weight} ${s.port} ${s.target.toLowerCase()}.`;
          break;
        }
        case 'SOA': {
          const s = d as { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };
          rdata = `${s.mname}. ${s.rname}. ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
          break;
        }
        case 'TXT':
          rdata = (d as Buffer[]).map((b) => JSON.stringify(b.toString())).join(' ');
          break;
        case 'CNAME':
        case 'PTR':
        case 'NS':
          rdata = `${String(d).toLowerCase()}.`;
          break;
        default:
          rdata = String(d);
      }
      return `${owner}. ${r.ttl} IN ${r.type} ${rdata}`;
    })
    .sort();
}

/** A record of the answer or authority section: any dns-packet record but OPT, which only the additional section carries. */
export type ReplyRecord = Exclude<dnsPacket.Answer, dnsPacket.OptAnswer>;

/**
 * A reply as dns-packet's decoder returns it. Its declared types leave out `rcode` and `opcode` and mark
 * every section optional; `decode` always sets them (sections empty when their count is 0).
 */
export interface DecodedReply extends dnsPacket.DecodedPacket {
  rcode: string;
  opcode: string;
  questions: dnsPacket.Question[];
  answers: ReplyRecord[];
  authorities: ReplyRecord[];
  additionals: dnsPacket.Answer[];
}

/** Decodes a reply with dns-packet, typed as the decoder returns it. */
export function decodeReply(reply: Buffer): DecodedReply {
  return dnsPacket.decode(reply) as DecodedReply;
}

/** Runs `dig` with the given arguments; resolves with stdout. */
export async function dig(args: string[]): Promise<string> {
  const { stdout } = await execFileP('dig', args, { timeout: 15_000 });
  return stdout;
}
