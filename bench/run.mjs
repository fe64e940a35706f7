// `npm run bench`: kube-dns-sim against Knot DNS and a plain-dgram echo server, same data, same query
// mix, same run. Bounded: a few seconds per measurement, a few minutes in all. Not part of `npm test`.
//   BENCH_SECONDS   seconds per dnsperf run (default 3)
//   BENCH_PORT      first of three loopback ports (default 1700: ours, +1 Knot, +2 echo)
//   BENCH_CLUSTERS  comma-separated cluster names to run (default: all)
//   BENCH_EDITS_ONLY=1  only the largest cluster's edit → answer and kubectl scale → answer (no QPS runs)
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { CLUSTERS, writeCluster } from './generate-cluster.mjs';
import { hasCommand, startKnot } from '../test/helpers/knot-server.mjs';
import { measureWebFirstPaint } from './web-first-paint.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const RESULTS = join(ROOT, 'bench', 'results');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 1700);
const ONLY = process.env.BENCH_CLUSTERS?.split(',');
const ZONES = ['cluster.local', 'in-addr.arpa', 'ip6.arpa'];

function log(line) {
  process.stderr.write(`${line}\n`);
}

// ---- prerequisites -------------------------------------------------------------------------
const missing = [['dnsperf', 'dnsperf'], ['knotd', 'knot']].filter(([cmd]) => !hasCommand(cmd));
if (missing.length) {
  log(`bench: missing ${missing.map(([c]) => c).join(', ')}; on Debian/Ubuntu: sudo apt-get install ${missing.map(([, p]) => p).join(' ')}`);
  process.exit(2);
}
const cpus = os.cpus().length;
const canPin = cpus >= 2 && hasCommand('taskset') && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const SERVER_CPU = canPin ? 0 : undefined;
const CLIENT_CPU = canPin ? 1 : undefined;
const pinned = (cpu, argv) => (cpu === undefined ? argv : ['taskset', '-c', String(cpu), ...argv]);

// ---- small helpers -------------------------------------------------------------------------
/** Deterministic PRNG (mulberry32): same mix every run. */
function newRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Sends one query over UDP; resolves with the decoded reply or null after `timeoutMs`. */
function ask(socket, pending, port, name, type, id) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve(null);
    }, 2000);
    pending.set(id, (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
    socket.send(dnsPacket.encode({ type: 'query', id, flags: 0, questions: [{ type, name, class: 'IN' }] }), port, '127.0.0.1');
  });
}

function newAsker() {
  const socket = dgram.createSocket('udp4');
  const pending = new Map();
  socket.on('message', (m) => {
    const id = m.readUInt16BE(0);
    const cb = pending.get(id);
    if (cb) {
      pending.delete(id);
      cb(m);
    }
  });
  let next = 1;
  return {
    ask: (port, name, type) => ask(socket, pending, port, name, type, (next = (next % 65535) + 1)),
    close: () => socket.close(),
  };
}

/** Polls `port` with `name A` every 10 ms until it answers; resolves with the elapsed ms from `t0`. */
async function waitForAnswer(port, name, t0, timeoutMs, child) {
  const a = newAsker();
  try {
    for (;;) {
      if (child && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      const r = await Promise.race([a.ask(port, name, 'A'), new Promise((res) => setTimeout(() => res(null), 100))]);
      if (r && (r[3] & 0x0f) === 0 && r.readUInt16BE(6) > 0) return performance.now() - t0;
      if (performance.now() - t0 > timeoutMs) throw new Error(`no answer for ${name} on port ${port} within ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 2));
    }
  } finally {
    a.close();
  }
}

function startProcess(argv) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    pid: child.pid,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---- the query mix -------------------------------------------------------------------------
/**
 * The same questions for every server: A hits (services, StatefulSet pods), SRV, PTR, AAAA NODATA,
 * NXDOMAIN from ndots:5 search expansion, and short names (no search path).
 */
function buildQueryMix(zoneTexts, size, random) {
  const byType = { A: [], SRV: [], PTR: [] };
  for (const text of zoneTexts.values()) {
    for (const line of text.split('\n')) {
      if (!line || line[0] === ';' || line[0] === '$') continue;
      const sp1 = line.indexOf(' ');
      const owner = line.slice(0, sp1 - 1);
      const type = line.split(' ', 4)[3];
      if (type in byType && (type !== 'A' || owner.includes('.svc.'))) byType[type].push(owner);
    }
  }
  for (const k of Object.keys(byType)) byType[k] = [...new Set(byType[k])];
  const services = byType.A.filter((n) => /^[^.]+\.[^.]+\.svc\.cluster\.local$/.test(n));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const mix = [];
  for (let i = 0; i < size; i++) {
    const r = random();
    if (r < 0.35) mix.push({ kind: 'A hit', name: pick(byType.A), type: 'A' });
    else if (r < 0.45) mix.push({ kind: 'SRV', name: pick(byType.SRV), type: 'SRV' });
    else if (r < 0.55) mix.push({ kind: 'PTR', name: pick(byType.PTR), type: 'PTR' });
    else if (r < 0.65) mix.push({ kind: 'AAAA NODATA', name: pick(services), type: 'AAAA' });
    else if (r < 0.9) {
      // ndots:5 from a pod in namespace `ns`: `<svc>.<ns>` tried with `<ns>.svc.cluster.local` first,
      // an external name with every search suffix.
      const [svc, ns] = pick(services).split('.');
      const suffixes = [`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'];
      const name = random() < 0.5 ? `${svc}.${ns}.${suffixes[0]}` : `www.example.com.${pick(suffixes)}`;
      mix.push({ kind: 'NXDOMAIN (ndots:5)', name, type: 'A' });
    } else mix.push({ kind: 'short name', name: pick(services).split('.')[0], type: 'A' });
  }
  return mix;
}

// ---- differential check --------------------------------------------------------------------
function toView(reply) {
  if (!reply) return 'no reply';
  const p = dnsPacket.decode(reply);
  const lines = (p.answers ?? []).map((a) => `${a.name.toLowerCase()} ${a.type} ${JSON.stringify(a.data).toLowerCase()}`).sort();
  return `${p.rcode} ${lines.join(' | ')}`;
}

/** Why a difference is expected: the behaviour has no zone-file form (see src/dns/records/zone-file.ts). */
function explainDifference(q) {
  if (q.kind === 'short name') return 'short name: outside every zone (Knot REFUSED; we answer autopath-style)';
  if (/\.pod\.cluster\.local$/.test(q.name)) return 'pod A record computed from the name';
  // The export writes the NS targets of a reverse zone as glue; Knot answers glue, CoreDNS has no such name (NXDOMAIN).
  if (/^[^.]+\.[^.]+\.svc\.(in-addr|ip6)\.arpa$/.test(q.name)) return 'NS glue of a reverse zone: answered by Knot from the zone file, NXDOMAIN in CoreDNS';
  return undefined;
}

async function runDifferential(mix, ourPort, knotPort) {
  const distinct = [...new Map(mix.map((q) => [`${q.name} ${q.type}`, q])).values()].slice(0, 3000);
  const a = newAsker();
  const mismatches = [];
  let same = 0;
  for (let i = 0; i < distinct.length; i += 50) {
    await Promise.all(
      distinct.slice(i, i + 50).map(async (q) => {
        const [ours, theirs] = await Promise.all([a.ask(ourPort, q.name, q.type), a.ask(knotPort, q.name, q.type)]);
        const [vo, vk] = [toView(ours), toView(theirs)];
        if (vo === vk) same++;
        else mismatches.push({ name: q.name, type: q.type, kind: q.kind, ours: vo, knot: vk, expected: explainDifference(q) ?? null });
      }),
    );
  }
  a.close();
  const unexpected = mismatches.filter((m) => !m.expected);
  const expectedByReason = {};
  for (const m of mismatches) if (m.expected) expectedByReason[m.expected] = (expectedByReason[m.expected] ?? 0) + 1;
  return { questions: distinct.length, same, expectedDifferences: expectedByReason, unexpected: unexpected.slice(0, 20), unexpectedCount: unexpected.length };
}

// ---- dnsperf -------------------------------------------------------------------------------
function parseDnsperf(out) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : null;
  };
  return {
    sent: num(/Queries sent:\s+(\d+)/),
    completed: num(/Queries completed:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    qps: num(/Queries per second:\s+([\d.]+)/),
    avgMs: num(/Average Latency \(s\):\s+([\d.]+)/) === null ? null : num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    maxMs: num(/max ([\d.]+)\)/) === null ? null : num(/max ([\d.]+)\)/) * 1000,
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One dnsperf run, pinned to the client core. `rate` limits QPS and collects per-query latencies (-v). */
function runDnsperf(port, file, { seconds = SECONDS, rate, onePass = false } = {}) {
  const args = ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-l', String(seconds), ...(onePass ? ['-n', '1'] : []), '-c', '4', '-T', '1', '-q', '200', '-t', '1'];
  if (rate) args.push('-Q', String(rate), '-v');
  const r = spawnSync(...(() => {
    const argv = pinned(CLIENT_CPU, ['dnsperf', ...args]);
    return [argv[0], argv.slice(1)];
  })(), { encoding: 'utf8', maxBuffer: 512 << 20, timeout: (seconds + 15) * 1000 });
  const out = `${r.stdout}${r.stderr}`;
  const result = parseDnsperf(out);
  if (rate) {
    // Verbose lines: `> NOERROR name A 0.000123` (latency in seconds, last field).
    const lat = [];
    for (const line of r.stdout.split('\n')) {
      if (line[0] !== '>') continue;
      const v = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(v)) lat.push(v * 1000);
    }
    lat.sort((a, b) => a - b);
    Object.assign(result, { p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99), p999Ms: percentile(lat, 99.9), samples: lat.length });
  }
  if (result.qps === null) result.error = out.split('\n').slice(-5).join(' ');
  return result;
}

// ---- one cluster ---------------------------------------------------------------------------
async function benchCluster(cluster, work) {
  log(`\n== ${cluster.name}`);
  const dir = writeCluster(cluster, join(work, cluster.name), ROOT);
  const cidr = ['--pod-cidr', cluster.podCidr];

  // Export with `records -o zone` and split at each zone's header line.
  const exportStart = performance.now();
  const exp = spawnSync(process.execPath, [CLI, 'records', '-o', 'zone', '-f', dir, ...cidr], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (exp.status !== 0) throw new Error(`records failed: ${exp.stderr}`);
  const exportMs = performance.now() - exportStart;
  const zoneTexts = new Map();
  for (const part of exp.stdout.split(/^(?=; zone )/m)) {
    const zone = /^; zone (\S+),/.exec(part)?.[1];
    if (zone) zoneTexts.set(zone, part);
  }
  const recordCount = [...zoneTexts.values()].reduce((n, t) => n + Number(/, (\d+) records\)/.exec(t)[1]), 0);
  log(`exported ${recordCount} records in ${Math.round(exportMs)} ms`);

  const mix = buildQueryMix(zoneTexts, 20_000, newRandom(7));
  const queryFile = join(work, `${cluster.name}.queries`);
  writeFileSync(queryFile, `${mix.map((q) => `${q.name} ${q.type}`).join('\n')}\n`);
  const probe = mix.find((q) => q.kind === 'A hit').name;

  // Servers: kube-dns-sim, Knot, echo; each pinned to the server core.
  const oursT0 = performance.now();
  const ours = startProcess(pinned(SERVER_CPU, [process.execPath, CLI, 'serve', '-f', dir, ...cidr, '--port', String(PORT), '--admin', 'off', '--upstream', 'none', '--state', 'none']));
  const startupMs = await waitForAnswer(PORT, probe, oursT0, 120_000, ours.child);
  log(`kube-dns-sim: first answer after ${Math.round(startupMs)} ms`);
  const knotT0 = performance.now();
  const knot = await startKnot({ dir: join(work, `${cluster.name}-knot`), port: PORT + 1, zones: ZONES.map((zone) => ({ zone, text: zoneTexts.get(zone) })), cpu: SERVER_CPU, timeoutMs: 120_000 });
  const knotStartupMs = performance.now() - knotT0;
  const echo = startProcess(pinned(SERVER_CPU, [process.execPath, join(ROOT, 'bench', 'echo-server.mjs'), String(PORT + 2)]));
  await new Promise((r) => setTimeout(r, 300));

  try {
    const differential = await runDifferential(mix, PORT, PORT + 1);
    log(`differential: ${differential.same}/${differential.questions} identical, ${differential.unexpectedCount} unexpected differences`);

    const servers = [
      { name: 'knot', port: PORT + 1 },
      { name: 'kube-dns-sim', port: PORT },
      { name: 'echo', port: PORT + 2 },
    ];
    // Warm-up: one pass through the mix, so every server is measured in its steady state (kube-dns-sim
    // compiles each answer on first use; the cold pass is reported separately).
    const coldPass = {};
    for (const s of servers) coldPass[s.name] = runDnsperf(s.port, queryFile, { seconds: 5, onePass: true });
    const runs = { knot: [], 'kube-dns-sim': [], echo: [] };
    for (const order of [servers, [...servers].reverse()]) {
      for (const s of order) {
        const r = runDnsperf(s.port, queryFile);
        runs[s.name].push(r);
        log(`  ${s.name.padEnd(13)} ${r.qps === null ? `failed: ${r.error}` : `${Math.round(r.qps)} QPS, lost ${r.lost}`}`);
      }
    }
    const latency = {};
    for (const s of servers.slice(0, 2)) latency[s.name] = runDnsperf(s.port, queryFile, { rate: 20_000, seconds: Math.min(SECONDS, 3) });
    const best = (name) => runs[name].reduce((a, b) => ((b.qps ?? 0) > (a.qps ?? 0) ? b : a));
    return {
      cluster: cluster.name,
      records: recordCount,
      exportMs: Math.round(exportMs),
      startupMs: Math.round(startupMs),
      knotStartupMs: Math.round(knotStartupMs),
      peakRssMb: { 'kube-dns-sim': peakRssMb(ours.pid), knot: peakRssMb(knot.pid), echo: peakRssMb(echo.pid) },
      best: { knot: best('knot'), 'kube-dns-sim': best('kube-dns-sim'), echo: best('echo') },
      runs,
      coldPass,
      latencyAt20k: latency,
      differential,
      dir,
    };
  } finally {
    await Promise.all([ours.stop(), knot.stop(), echo.stop()]);
  }
}

/**
 * Live reload: serve the cluster, then, EDITS times, add one manifest file (a new Service, each in
 * another namespace) next to the others and time until the server answers for it. Includes the
 * watcher's debounce (10 ms) and the reload. Reports the median and the slowest edit.
 */
const EDITS = 5;
async function measureEditLive(cluster, dir) {
  const files = Array.from({ length: EDITS }, (_, i) => join(dir, `bench-edit-${i}.yaml`));
  for (const f of files) rmSync(f, { force: true });
  const adminPort = PORT + 1;
  const ours = startProcess(pinned(SERVER_CPU, [process.execPath, CLI, 'serve', '-f', dir, '--pod-cidr', cluster.podCidr, '--port', String(PORT), '--admin', `127.0.0.1:${adminPort}`, '--upstream', 'none', '--state', 'none']));
  try {
    const probe = 'api-0.team-0.svc.cluster.local';
    await waitForAnswer(PORT, probe, performance.now(), 120_000, ours.child);
    await new Promise((r) => setTimeout(r, 1000));
    const times = [];
    for (let i = 0; i < EDITS; i++) {
      const ns = `team-${(i * 37) % cluster.namespaces}`;
      const t0 = performance.now();
      writeFileSync(files[i], `apiVersion: v1\nkind: Service\nmetadata:\n  name: bench-edit-${i}\n  namespace: ${ns}\nspec:\n  clusterIP: 10.100.200.${200 + i}\n  ports:\n    - port: 80\n`);
      times.push(Math.round(await waitForAnswer(PORT, `bench-edit-${i}.${ns}.svc.cluster.local`, t0, 120_000, ours.child)));
      await new Promise((r) => setTimeout(r, 500));
    }
    const sorted = [...times].sort((a, b) => a - b);
    const api = await measureApiScale(cluster, adminPort, ours.child);
    const webView = await measureWebFirstPaint(`http://127.0.0.1:${adminPort}`, 'team-0');
    return { editToAnswerMs: sorted[sorted.length >> 1], slowestEditMs: sorted[sorted.length - 1], edits: times, ...api, webView, peakRssMbDuringEdit: peakRssMb(ours.pid) };
  } finally {
    await ours.stop();
    for (const f of files) rmSync(f, { force: true });
  }
}

/**
 * `kubectl scale` through the Kubernetes API → the new StatefulSet pod answers over DNS, EDITS
 * times (median and slowest), after one `kubectl get ns` (the first API request builds the
 * object store; its time is reported apart). Skipped without kubectl on PATH.
 */
async function measureApiScale(cluster, adminPort, child) {
  if (!hasCommand('kubectl')) return {};
  const cache = join(RESULTS, 'work', 'kubectl-cache');
  const kubectl = (...args) => spawnSync('kubectl', ['--server', `http://127.0.0.1:${adminPort}`, '--cache-dir', cache, '--request-timeout', '60s', ...args], { encoding: 'utf8', timeout: 120_000 });
  const t0 = performance.now();
  const first = kubectl('get', 'ns', 'team-0');
  const firstApiRequestMs = Math.round(performance.now() - t0);
  if (first.status !== 0) return { apiError: first.stderr.trim() };
  const times = [];
  for (let i = 0; i < EDITS; i++) {
    const ns = `team-${(i * 53 + 1) % cluster.namespaces}`;
    const t = performance.now();
    const r = kubectl('scale', 'sts', 'db-0', '-n', ns, `--replicas=${cluster.replicas + 1}`);
    if (r.status !== 0) return { apiError: r.stderr.trim() };
    times.push(Math.round(await waitForAnswer(PORT, `db-0-${cluster.replicas}.db-0.${ns}.svc.cluster.local`, t, 120_000, child)));
    await new Promise((res) => setTimeout(res, 500));
  }
  // kubectl's own cost (process start, discovery from its cache, one request): `get --raw /version`.
  const overhead = [];
  for (let i = 0; i < EDITS; i++) {
    const t = performance.now();
    kubectl('get', '--raw', '/version');
    overhead.push(Math.round(performance.now() - t));
  }
  overhead.sort((a, b) => a - b);
  const sorted = [...times].sort((a, b) => a - b);
  return { firstApiRequestMs, kubectlRoundTripMs: overhead[overhead.length >> 1], apiScaleToAnswerMs: sorted[sorted.length >> 1], slowestApiScaleMs: sorted[sorted.length - 1], apiScales: times };
}

// ---- main ----------------------------------------------------------------------------------
const fmt = (v, d = 0) => (v === null || v === undefined ? '-' : Number(v).toFixed(d));

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  const work = join(RESULTS, 'work');
  const machine = { cpus, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, kernel: os.release(), pinned: canPin ? `server cpu ${SERVER_CPU}, dnsperf cpu ${CLIENT_CPU}` : 'no (taskset unavailable or 1 cpu)' };
  const knotVersion = spawnSync('knotd', ['-V'], { encoding: 'utf8' }).stdout.trim();
  const dnsperfVersion = /Version ([\d.]+)/.exec(spawnSync('dnsperf', ['-h'], { encoding: 'utf8' }).stderr + spawnSync('dnsperf', ['-h'], { encoding: 'utf8' }).stdout)?.[1];
  log(`bench: ${machine.cpus} cpus (${machine.model}), ${machine.pinned}; ${knotVersion}; dnsperf ${dnsperfVersion}; ${SECONDS} s per run`);

  if (process.env.BENCH_EDITS_ONLY === '1') {
    const cluster = CLUSTERS[CLUSTERS.length - 1];
    const dir = writeCluster(cluster, join(work, cluster.name), ROOT);
    const liveEdit = await measureEditLive(cluster, dir);
    process.stdout.write(`${cluster.name}: manifest edit -> changed answer: median ${liveEdit.editToAnswerMs} ms, slowest ${liveEdit.slowestEditMs} ms (${liveEdit.edits.join(', ')})\n`);
    if (liveEdit.apiScales) process.stdout.write(`${cluster.name}: kubectl scale -> new pod answers (kubectl's start-up included): median ${liveEdit.apiScaleToAnswerMs} ms, slowest ${liveEdit.slowestApiScaleMs} ms (${liveEdit.apiScales.join(', ')}), ${(liveEdit.apiScaleToAnswerMs / liveEdit.editToAnswerMs).toFixed(2)}x the manifest edit; kubectl's own round trip (get --raw /version) ${liveEdit.kubectlRoundTripMs} ms; first API request (builds the object store) ${liveEdit.firstApiRequestMs} ms; peak RSS ${liveEdit.peakRssMbDuringEdit} MB\n`);
    if (liveEdit.apiError) process.stdout.write(`kubectl scale failed: ${liveEdit.apiError}\n`);
    const w = liveEdit.webView;
    if (w) process.stdout.write(`${cluster.name}: web view of namespace ${w.namespace}, navigation -> snapshot painted: ${w.openMs} ms (first open ${w.firstOpenMs} ms), first-contentful-paint ${w.fcpMs} ms, filter -> repaint ${w.filterMs} ms\n`);
    rmSync(work, { recursive: true, force: true });
    return;
  }
  const results = [];
  for (const cluster of CLUSTERS.filter((c) => !ONLY || ONLY.includes(c.name))) {
    const r = await benchCluster(cluster, work);
    if (cluster === CLUSTERS[CLUSTERS.length - 1]) r.liveEdit = await measureEditLive(cluster, r.dir);
    results.push(r);
  }

  const rows = [['cluster', 'records', 'server', 'QPS', 'x Knot', 'x echo', 'avg ms', 'p50@20k', 'p99@20k', 'lost', 'peak RSS MB', 'first answer ms']];
  for (const r of results) {
    for (const name of ['knot', 'kube-dns-sim', 'echo']) {
      const b = r.best[name];
      const lat = r.latencyAt20k[name];
      rows.push([
        r.cluster,
        String(r.records),
        name,
        fmt(b.qps),
        fmt(b.qps / r.best.knot.qps, 2),
        fmt(b.qps / r.best.echo.qps, 2),
        fmt(b.avgMs, 3),
        fmt(lat?.p50Ms, 3),
        fmt(lat?.p99Ms, 3),
        String(b.lost ?? '-'),
        fmt(r.peakRssMb[name]),
        name === 'knot' ? fmt(r.knotStartupMs) : name === 'kube-dns-sim' ? fmt(r.startupMs) : '-',
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const table = rows.map((row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
  table.splice(1, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  process.stdout.write(`\n${table.join('\n')}\n\n`);
  for (const r of results) {
    const d = r.differential;
    process.stdout.write(`${r.cluster}: differential ${d.same}/${d.questions} identical; expected differences (no zone-file form): ${JSON.stringify(d.expectedDifferences)}; unexpected: ${d.unexpectedCount}\n`);
    for (const m of d.unexpected.slice(0, 5)) process.stdout.write(`  ${m.name} ${m.type}: ours ${m.ours} / knot ${m.knot}\n`);
    if (r.liveEdit) process.stdout.write(`${r.cluster}: manifest edit -> changed answer (live reload, one new file, ${EDITS} edits): median ${r.liveEdit.editToAnswerMs} ms, slowest ${r.liveEdit.slowestEditMs} ms (${r.liveEdit.edits.join(', ')}); peak RSS through the edits ${r.liveEdit.peakRssMbDuringEdit} MB\n`);
    if (r.liveEdit?.apiScales) process.stdout.write(`${r.cluster}: kubectl scale -> new pod answers (Kubernetes API, ${EDITS} scales, kubectl's own start-up included): median ${r.liveEdit.apiScaleToAnswerMs} ms, slowest ${r.liveEdit.slowestApiScaleMs} ms (${r.liveEdit.apiScales.join(', ')}), ${(r.liveEdit.apiScaleToAnswerMs / r.liveEdit.editToAnswerMs).toFixed(2)}x the manifest edit; kubectl's own round trip ${r.liveEdit.kubectlRoundTripMs} ms; first API request (builds the object store) ${r.liveEdit.firstApiRequestMs} ms\n`);
    const w = r.liveEdit?.webView;
    if (w) process.stdout.write(`${r.cluster}: web view of namespace ${w.namespace} (${w.servicesShown} Services painted, ${w.podRowsShown} pod rows), navigation -> snapshot painted: ${w.openMs} ms (first open, object store built if no API request came before: ${w.firstOpenMs} ms), first-contentful-paint ${w.fcpMs} ms, filter -> repaint ${w.filterMs} ms\n`);
    else if (r.liveEdit) process.stdout.write(`${r.cluster}: web view first paint not measured (no /usr/bin/chromium)\n`);
    if (r.liveEdit?.apiError) process.stdout.write(`${r.cluster}: kubectl scale failed: ${r.liveEdit.apiError}\n`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(RESULTS, `bench-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify({ machine, knotVersion, dnsperfVersion, seconds: SECONDS, results }, null, 2)}\n`);
  rmSync(work, { recursive: true, force: true });
  process.stdout.write(`\nresults: ${file}\n`);
}

main().catch((err) => {
  log(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(3);
});
