import dgram from 'node:dgram';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeQuery, udpExchange, type DecodedReply } from '../helpers/dns-client.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/upstream-server.js';
import { CLI_PATH, REPO_ROOT, startCliServer, type CliServer } from '../helpers/server.js';

const CLUSTER_NAME = 'kubernetes.default.svc.cluster.local';

/** Sends one framed query on a new TCP connection; resolves with the decoded reply, or null when the connection ends without one. */
function tcpQuery(port: number, msg: Buffer, timeoutMs = 5000): Promise<DecodedReply | null> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let pending = Buffer.alloc(0);
    const done = (p: DecodedReply | null) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(p);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(msg.length);
      sock.write(Buffer.concat([len, msg]));
    });
    sock.on('data', (c) => {
      pending = Buffer.concat([pending, c]);
      if (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) done(decodeReply(pending.subarray(2, 2 + pending.readUInt16BE(0))));
    });
    sock.on('error', () => done(null));
    sock.on('close', () => done(null));
  });
}

async function udpQuery(port: number, name: string): Promise<DecodedReply | null> {
  const r = await udpExchange(port, encodeQuery(name), 5000);
  return r && decodeReply(r);
}

/**
 * An upstream that talks garbage on one port: over UDP random bytes, then a well-formed reply with
 * TC set (so the forwarder retries over TCP); over TCP a huge length prefix and then silence.
 */
async function startGarbageUpstream(): Promise<{ port: number; close: () => void }> {
  for (;;) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const port = udp.address().port;
    const tcp = net.createServer((s) => {
      s.on('error', () => {});
      s.once('data', () => s.write(Buffer.from([0xff, 0xff, 0x13, 0x37])));
    });
    const ok = await new Promise<boolean>((r) => {
      tcp.once('error', () => r(false));
      tcp.listen(port, '127.0.0.1', () => r(true));
    });
    if (!ok) {
      udp.close();
      continue;
    }
    udp.on('message', (msg, rinfo) => {
      udp.send(Buffer.from(Array.from({ length: 1 + (msg[1] % 40) }, (_, i) => (msg[0] * 31 + i * 17) & 0xff)), rinfo.port, rinfo.address);
      const tc = Buffer.from(msg);
      tc[2] |= 0x82; // QR and TC
      udp.send(tc, rinfo.port, rinfo.address);
    });
    return { port, close: () => (udp.close(), tcp.close()) };
  }
}

async function getClosedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('upstream and admin failures never stop the DNS listeners', () => {
  let garbage: { port: number; close: () => void };
  let silent: FakeUpstream;
  let srv: CliServer;
  let adminUrl: string;

  beforeAll(async () => {
    garbage = await startGarbageUpstream();
    silent = await startFakeUpstream(() => ({ silent: true }));
    const down = await getClosedPort();
    srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', '127.0.0.1:0', '--upstream-timeout', '300', ...[garbage.port, silent.port, down].flatMap((p) => ['--upstream', `127.0.0.1:${p}`])]);
    adminUrl = /"admin":"(http:\/\/[^"]+)"/.exec(srv.stdout())![1];
  });
  afterAll(async () => {
    if (srv) expect(await srv.stop()).toBe(0);
    garbage?.close();
    await silent?.close();
  });

  it('upstreams down, silent and talking garbage: cluster names answer while forwarded queries wait; those end in SERVFAIL', async () => {
    let forwardedDone = 0;
    const forwarded = [
      ...Array.from({ length: 8 }, (_, i) => udpQuery(srv.port, `lost-${i}.example.org`)),
      ...Array.from({ length: 3 }, (_, i) => tcpQuery(srv.port, encodeQuery(`lost-tcp-${i}.example.org`))),
    ].map((p) => p.then((r) => (forwardedDone++, r)));
    const viaUdp = await udpQuery(srv.port, CLUSTER_NAME);
    const viaTcp = await tcpQuery(srv.port, encodeQuery(CLUSTER_NAME));
    expect(forwardedDone, 'the cluster answers came after the forwarded ones').toBe(0);
    for (const r of [viaUdp, viaTcp]) {
      expect(r?.rcode).toBe('NOERROR');
      expect(r?.answers?.[0]?.type).toBe('A');
    }
    const replies = await Promise.all(forwarded);
    expect(replies.map((r) => r?.rcode)).toEqual(new Array(11).fill('SERVFAIL'));
    expect(srv.child.exitCode).toBeNull();
  });

  it('an admin handler that throws answers 500 with one line of JSON, and DNS answers on', async () => {
    const res = await fetch(`${adminUrl}/api/v1/namespaces/%E0%A4%A/pods`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toHaveProperty('error');
    expect(text).not.toMatch(/\n\s+at /);
    // Not HTTP at all: node answers 400 and closes; the process stays.
    await new Promise<void>((resolve) => {
      const s = net.connect(Number(new URL(adminUrl).port), '127.0.0.1', () => s.end('\x00\x01GARBAGE\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.resume();
    });
    expect((await udpQuery(srv.port, CLUSTER_NAME))?.rcode).toBe('NOERROR');
    expect(srv.child.exitCode).toBeNull();
  });
});

describe('start-up and shutdown', () => {
  it('the admin port taken at start: exit 3 with a one-line reason (fail fast, see README)', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = spawnSync(process.execPath, [CLI_PATH, 'serve', '-f', 'manifests', '--port', '0', '--admin', `127.0.0.1:${port}`, '--state', 'none', '--upstream', 'none'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15_000 });
      expect(r.status).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/cannot listen for the admin API on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
    } finally {
      blocker.close();
    }
  });

  it('SIGTERM: a TCP query waiting on a slow upstream is answered, then the process exits 0', async () => {
    const slow = await startFakeUpstream((name) => ({ answers: [{ type: 'A', name, ttl: 30, data: '192.0.2.7' }], delayMs: 600 }));
    const srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', 'off', '--upstream', `127.0.0.1:${slow.port}`, '--upstream-timeout', '3000']);
    try {
      const seen = slow.seen.length;
      const reply = tcpQuery(srv.port, encodeQuery('drain.example.org'));
      // SIGTERM once the upstream has the question: the query is in flight.
      for (let i = 0; i < 100 && slow.seen.length === seen; i++) await new Promise((r) => setTimeout(r, 10));
      expect(slow.seen.length).toBeGreaterThan(seen);
      const exit = srv.stop();
      const r = await reply;
      expect(r?.rcode).toBe('NOERROR');
      expect(r?.answers?.map((a) => a.data)).toEqual(['192.0.2.7']);
      expect(await exit).toBe(0);
      expect(srv.stdout()).toMatch(/shutting down/);
    } finally {
      if (srv.child.exitCode === null) srv.child.kill('SIGKILL');
      await slow.close();
    }
  });
});
