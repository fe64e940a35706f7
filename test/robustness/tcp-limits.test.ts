import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DnsServer } from '../../src/runtime/dns-server.js';
import { encodeQuery, tcpExchange } from '../helpers/dns-client.js';
import { snapshotFromYaml } from '../helpers/cluster.js';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n';
const limits = { maxConnections: 4, idleTimeoutMs: 400, messageTimeoutMs: 300, maxQueriesPerConnection: 5 };

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}
const closed = (s: net.Socket) => new Promise<number>((resolve) => {
  const t0 = Date.now();
  s.on('close', () => resolve(Date.now() - t0));
  s.on('error', () => {});
});
const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 255]), m]);

describe('TCP connections are bounded', () => {
  let server: DnsServer | undefined;
  const start = async () => {
    server = new DnsServer(snapshotFromYaml({ 's.yaml': SVC }).index, limits);
    return server.listen('127.0.0.1', 0);
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('pipelined queries on one connection are all answered, in order', async () => {
    const port = await start();
    const qs = [1, 2, 3].map((id) => encodeQuery('web.default.svc.cluster.local', { id }));
    const replies = await tcpExchange(port, qs);
    expect(replies.map((r) => r.readUInt16BE(0))).toEqual([1, 2, 3]);
  });

  it('an idle connection is closed after the idle timeout', async () => {
    const port = await start();
    const s = await connect(port);
    const waited = await closed(s);
    expect(waited).toBeGreaterThanOrEqual(limits.idleTimeoutMs - 50);
  });

  it('a client that sends a length prefix and stalls (or trickles) is cut off', async () => {
    const port = await start();
    const s = await connect(port);
    const done = closed(s);
    s.write(Buffer.from([0xff, 0xff, 1])); // announces 65535 bytes
    const trickle = setInterval(() => s.writable && s.write(Buffer.from([0])), 100);
    const waited = await done;
    clearInterval(trickle);
    // Trickled bytes re-arm the idle timer; only the per-message deadline can end this connection.
    expect(waited).toBeLessThan(5_000);
  });

  it('a connection is closed after the query limit', async () => {
    const port = await start();
    const qs = Array.from({ length: 8 }, (_, i) => encodeQuery('web.default.svc.cluster.local', { id: i }));
    const replies = await tcpExchange(port, qs, 8, 800);
    expect(replies).toHaveLength(limits.maxQueriesPerConnection);
  });

  it('connections over the cap are refused while the others keep working', async () => {
    const port = await start();
    const held = await Promise.all(Array.from({ length: limits.maxConnections }, () => connect(port)));
    const extra = await connect(port);
    const extraClosed = await Promise.race([closed(extra).then(() => true), new Promise((r) => setTimeout(() => r(false), 3_000))]);
    expect(extraClosed).toBe(true);
    const reply = await new Promise<Buffer>((resolve) => {
      held[0].once('data', resolve);
      held[0].write(frame(encodeQuery('web.default.svc.cluster.local', { id: 77 })));
    });
    expect(reply.readUInt16BE(2)).toBe(77);
    for (const s of held) s.destroy();
  });
});
