// Knot DNS (knotd) serving zone files on a loopback port: used by the zone-file round-trip test and by
// `npm run bench`. Plain ESM JavaScript so both the vitest suite and bench/run.mjs can import it.
import { spawn, execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** True when a command is on PATH. */
export function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A free UDP port on 127.0.0.1 (bound, read, released; for servers that cannot report their own). */
export function getFreeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Knot's configuration for `zones` ([{ zone, file }]) in `dir`, one worker of each kind, nothing written back. */
export function buildKnotConfig(dir, port, zones) {
  return [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: 127.0.0.1@${port}`,
    '    udp-workers: 1',
    '    tcp-workers: 1',
    '    background-workers: 1',
    'database:',
    `    storage: "${dir}"`,
    'log:',
    '  - target: stderr',
    '    any: warning',
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    '    zonefile-sync: -1',
    '    zonefile-load: whole',
    '    journal-content: none',
    '    semantic-checks: on',
    'zone:',
    ...zones.flatMap((z) => [`  - domain: ${z.zone}.`, `    file: "${z.file}"`]),
    '',
  ].join('\n');
}

/**
 * Starts knotd on 127.0.0.1:`port` serving `zones` ([{ zone, text }]), optionally pinned with
 * `taskset -c cpu`. Resolves once every zone answers its SOA; `stop()` ends that process only.
 */
export async function startKnot({ dir, port, zones, cpu, timeoutMs = 60_000 }) {
  mkdirSync(dir, { recursive: true });
  const files = zones.map((z) => {
    const file = join(dir, `${z.zone}.zone`);
    writeFileSync(file, z.text);
    return { zone: z.zone, file };
  });
  const conf = join(dir, 'knot.conf');
  writeFileSync(conf, buildKnotConfig(dir, port, files));
  const argv = cpu === undefined ? ['knotd', '-c', conf] : ['taskset', '-c', String(cpu), 'knotd', '-c', conf];
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d.toString();
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const started = Date.now();
  for (const z of zones) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`knotd exited with ${child.exitCode}:\n${stderr}`);
      const reply = await askSoa(port, z.zone);
      if (reply && (reply[3] & 0x0f) === 0 && ((reply[6] << 8) | reply[7]) > 0) break;
      if (Date.now() - started > timeoutMs) {
        await stop();
        throw new Error(`knotd did not serve ${z.zone} within ${timeoutMs} ms:\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { child, port, pid: child.pid, stop, stderr: () => stderr };
}

/** One SOA query over UDP; resolves with the reply or null after 200 ms. */
function askSoa(port, zone) {
  const labels = zone.split('.').filter(Boolean);
  const name = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
  const msg = Buffer.concat([Buffer.from([0x4b, 0x4e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), name, Buffer.from([0, 6, 0, 1])]);
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      resolve(null);
    }, 200);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m);
    });
    s.on('error', () => {});
    s.send(msg, port, '127.0.0.1');
  });
}
