// `npm run soak`: a bounded soak run (not part of `npm test`). The built server answers a steady,
// rate-limited mix over UDP and TCP (hits, misses, short names, a name that flips) while its
// manifests are rewritten every second (through rename, as editors save). Reports the failures
// (wrong rcode, missing answer, no reply in time: must be 0) and memory at start and end; writes
// JSON to bench/results/soak-<time>.json. Loopback only.
//   SOAK_SECONDS  length of the run (default 120, at most 180)
//   SOAK_RATE     queries per second (default 2000; 1 in 5 over TCP)
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const RESULTS = join(ROOT, 'bench', 'results');
const SECONDS = Math.min(180, Math.max(5, Number(process.env.SOAK_SECONDS ?? 120)));
const RATE = Math.min(20_000, Math.max(100, Number(process.env.SOAK_RATE ?? 2000)));
const TIMEOUT_MS = 2000;
const TICK_MS = 10;
const TCP_CONNECTIONS = 4;

const log = (line) => process.stderr.write(`${line}\n`);

/** The flipping object: a Service whose clusterIP and a label change on every reload. */
const flip = (i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: soak-flip\n  namespace: default\n  labels: {round: "${i}"}\nspec:\n  clusterIP: 10.96.77.${(i % 2) + 10}\n  ports:\n    - port: 80\n`;

/** Each query: name, type, the rcode it must get, and whether the answer section must hold an A. */
const MIX = [
  { name: 'myweb-svc.default.svc.cluster.local', rcode: 'NOERROR', answer: true },
  { name: 'kubernetes.default.svc.cluster.local', rcode: 'NOERROR', answer: true },
  { name: 'myweb-sts-0.myweb-svc-headless.default.svc.cluster.local', rcode: 'NOERROR', answer: true },
  { name: 'soak-flip.default.svc.cluster.local', rcode: 'NOERROR', answer: true },
  { name: 'myweb-svc', rcode: 'NOERROR', answer: true },
  { name: 'myweb-svc.default', rcode: 'NOERROR', answer: true },
  { name: () => `miss-${Math.random().toString(36).slice(2, 10)}.default.svc.cluster.local`, rcode: 'NXDOMAIN', answer: false },
  { name: () => `nope-${Math.random().toString(36).slice(2, 8)}.svc.cluster.local`, rcode: 'NXDOMAIN', answer: false },
];

function startServer(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '-f', dir, '--port', '0', '--admin', '127.0.0.1:0', '--state', 'none', '--upstream', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let reloads = 0;
    let rejected = 0;
    let timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    child.stdout.on('data', (d) => {
      const lines = (out + d.toString()).split('\n');
      out = lines.pop();
      for (const line of lines) {
        if (line.includes('manifests reloaded')) reloads++;
        if (line.includes('reload rejected')) rejected++;
        const port = /"port":(\d+)[^\n]*serving DNS/.exec(line);
        if (port) child.port = Number(port[1]);
        const admin = /"admin":"(http:\/\/[^"]+)"/.exec(line);
        if (admin) child.adminUrl = admin[1];
      }
      if (child.port && child.adminUrl && timer) {
        clearTimeout(timer);
        timer = undefined;
        resolve(child);
      }
    });
    child.stderr.on('data', () => {});
    child.once('exit', (code) => timer && reject(new Error(`server exited with ${code}`)));
    child.counts = () => ({ reloads, rejected });
  });
}

async function readMemory(adminUrl) {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const get = (metric) => Number(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { rssBytes: get('process_resident_memory_bytes'), heapUsedBytes: get('nodejs_heap_size_used_bytes') };
}

const dir = mkdtempSync(join(os.tmpdir(), 'kds-soak-'));
const manifests = join(dir, 'manifests');
cpSync(join(ROOT, 'manifests'), manifests, { recursive: true });
rmSync(join(manifests, 'README.md'), { force: true });
writeFileSync(join(manifests, 'soak.yaml'), flip(0));

const server = await startServer(manifests);
log(`soak: ${SECONDS}s at ${RATE} q/s against 127.0.0.1:${server.port}, manifests rewritten every second`);

const stats = { sent: 0, answered: 0, failures: 0, failureKinds: {}, udp: 0, tcp: 0, tcpResent: 0 };
const fail = (kind) => {
  stats.failures++;
  stats.failureKinds[kind] = (stats.failureKinds[kind] ?? 0) + 1;
};
const outstanding = new Map(); // id → { sentAt, expect }
let nextId = 1;

function check(buf) {
  let p;
  try {
    p = dnsPacket.decode(buf);
  } catch {
    return fail('undecodable reply');
  }
  const q = outstanding.get(p.id);
  if (!q) return; // late, already counted as a timeout
  outstanding.delete(p.id);
  stats.answered++;
  if (p.rcode !== q.expect.rcode) return fail(`${q.expect.rcode} expected, got ${p.rcode}`);
  if (q.expect.answer && !p.answers?.some((a) => a.type === 'A')) return fail('no A record in the answer');
}

function newQuery(transport) {
  const expect = MIX[Math.floor(Math.random() * MIX.length)];
  const id = nextId;
  nextId = (nextId % 0xfffe) + 1;
  if (outstanding.has(id)) fail('id reused while outstanding');
  const msg = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: typeof expect.name === 'function' ? expect.name() : expect.name }] });
  outstanding.set(id, { sentAt: Date.now(), expect, msg, transport });
  stats.sent++;
  return msg;
}

const udp = dgram.createSocket('udp4');
udp.on('message', check);
await new Promise((r) => udp.bind(0, '127.0.0.1', r));

/**
 * A pipelining TCP client. When the server ends the connection (its per-connection query limit),
 * queries written after its last reply were never read: the client reconnects and sends them
 * again, as RFC 7766 6.2.1 asks of clients. Those are counted as `tcpResent`, not failures.
 */
function newTcpClient() {
  const c = { sock: undefined, pending: Buffer.alloc(0), ready: false, sent: new Set() };
  const connect = () => {
    c.ready = false;
    c.pending = Buffer.alloc(0);
    const unanswered = [...c.sent].filter((id) => outstanding.has(id));
    c.sent.clear();
    c.sock = net.connect(server.port, '127.0.0.1', () => {
      c.ready = true;
      for (const id of unanswered) {
        const q = outstanding.get(id);
        if (!q) continue;
        stats.tcpResent++;
        c.send(q.msg, id);
      }
    });
    c.sock.on('data', (chunk) => {
      c.pending = Buffer.concat([c.pending, chunk]);
      while (c.pending.length >= 2 && c.pending.length >= 2 + c.pending.readUInt16BE(0)) {
        const reply = c.pending.subarray(2, 2 + c.pending.readUInt16BE(0));
        if (reply.length >= 2) c.sent.delete(reply.readUInt16BE(0));
        check(reply);
        c.pending = c.pending.subarray(2 + c.pending.readUInt16BE(0));
      }
    });
    c.sock.on('error', () => {});
    c.sock.on('close', () => !stopped && setTimeout(connect, 10));
  };
  connect();
  c.send = (msg, id = msg.readUInt16BE(0)) => {
    c.sent.add(id);
    const framed = Buffer.alloc(2 + msg.length);
    framed.writeUInt16BE(msg.length);
    msg.copy(framed, 2);
    c.sock.write(framed);
  };
  return c;
}

let stopped = false;
const tcpClients = Array.from({ length: TCP_CONNECTIONS }, newTcpClient);
await new Promise((r) => setTimeout(r, 200));

const memStart = await readMemory(server.adminUrl);
const started = Date.now();
let round = 0;
let carry = 0;
const samples = [];

const loadTimer = setInterval(() => {
  carry += (RATE * TICK_MS) / 1000;
  const n = Math.floor(carry);
  carry -= n;
  for (let i = 0; i < n; i++) {
    if (i % 5 === 4) {
      const c = tcpClients[(stats.tcp++) % TCP_CONNECTIONS];
      if (c.ready) c.send(newQuery('tcp'));
      else stats.tcp--;
    } else {
      stats.udp++;
      udp.send(newQuery('udp'), server.port, '127.0.0.1');
    }
  }
  const now = Date.now();
  for (const [id, q] of outstanding) {
    if (now - q.sentAt <= TIMEOUT_MS) break; // insertion order: the rest are younger
    outstanding.delete(id);
    fail(`no ${q.transport.toUpperCase()} reply within 2 s`);
  }
}, TICK_MS);

const reloadTimer = setInterval(async () => {
  round++;
  const tmp = join(manifests, '.soak.yaml.tmp');
  writeFileSync(tmp, flip(round));
  renameSync(tmp, join(manifests, 'soak.yaml'));
  if (round % 10 === 0) {
    const m = await readMemory(server.adminUrl).catch(() => undefined);
    if (m) samples.push({ s: Math.round((Date.now() - started) / 1000), ...m });
    log(`soak: ${Math.round((Date.now() - started) / 1000)}s, ${stats.answered} answered, ${stats.failures} failures, rss ${Math.round((m?.rssBytes ?? 0) / 1e6)} MB`);
  }
}, 1000);

await new Promise((r) => setTimeout(r, SECONDS * 1000));
clearInterval(loadTimer);
clearInterval(reloadTimer);
await new Promise((r) => setTimeout(r, TIMEOUT_MS + 200));
for (const [id, q] of outstanding) {
  outstanding.delete(id);
  fail(`no ${q.transport.toUpperCase()} reply within 2 s`);
}
const memEnd = await readMemory(server.adminUrl);
const { reloads, rejected } = server.counts();
stopped = true;
for (const c of tcpClients) c.sock.destroy();
udp.close();
server.kill('SIGTERM');
const exitCode = await new Promise((r) => server.once('exit', r));
rmSync(dir, { recursive: true, force: true });

const result = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  seconds: SECONDS,
  targetRate: RATE,
  sent: stats.sent,
  answered: stats.answered,
  udp: stats.udp,
  tcp: stats.tcp,
  tcpResent: stats.tcpResent,
  failures: stats.failures,
  failureKinds: stats.failureKinds,
  manifestRewrites: round,
  reloads,
  reloadsRejected: rejected,
  memory: { start: memStart, end: memEnd, rssGrowthMB: +((memEnd.rssBytes - memStart.rssBytes) / 1e6).toFixed(1), heapGrowthMB: +((memEnd.heapUsedBytes - memStart.heapUsedBytes) / 1e6).toFixed(1), ...(samples.length ? { afterWarmup: { fromSecond: samples[0].s, rssGrowthMB: +((memEnd.rssBytes - samples[0].rssBytes) / 1e6).toFixed(1), heapGrowthMB: +((memEnd.heapUsedBytes - samples[0].heapUsedBytes) / 1e6).toFixed(1) } } : {}), samples },
  exitCode,
};
mkdirSync(RESULTS, { recursive: true });
const file = join(RESULTS, `soak-${result.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
log(`soak: ${result.sent} queries (${result.udp} UDP, ${result.tcp} TCP, ${result.tcpResent} resent after the server closed a connection), ${result.failures} failures, ${reloads} reloads of ${round} rewrites; RSS ${Math.round(memStart.rssBytes / 1e6)} → ${Math.round(memEnd.rssBytes / 1e6)} MB, heap ${Math.round(memStart.heapUsedBytes / 1e6)} → ${Math.round(memEnd.heapUsedBytes / 1e6)} MB; exit ${exitCode}; ${file}`);
process.exit(result.failures === 0 && exitCode === 0 ? 0 : 1);
