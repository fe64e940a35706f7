import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadManifests } from '../manifest/load.js';
import { buildClusterSnapshot, collectSnapshotFindings, computeNextSerial } from '../runtime/cluster-snapshot.js';
import { BindError, DnsServer } from '../runtime/dns-server.js';
import { buildPodResolvConf } from '../runtime/resolv-conf.js';
import { buildUnshareArgs, diagnoseSandboxFailure, getSandboxMode, readSandboxFacts, setUpInsideSandbox } from '../runtime/namespace-sandbox.js';
import { resolveClusterOptions, resolveDnsConfig, type DnsFlagValues } from './dns-options.js';
import { printFindingSummary, SUMMARY_LOCATED_FINDINGS } from './serve-command.js';
import { startForwarding } from './upstream-options.js';
import { ExitCode, UsageError } from './usage-error.js';

export interface ShellFlags extends DnsFlagValues {
  file: string[];
  podNamespace: string;
  userns?: boolean;
  upstream?: string[];
  /** Internal: set on the re-executed CLI inside the namespaces; the folder holding the pod's resolv.conf. */
  inside?: string;
}

const CLI_PATH = fileURLToPath(new URL('../cli.js', import.meta.url));
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A runtime failure of `shell`, printed as one line and a hint (exit 3). */
class ShellError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/**
 * `shell`: a pod's shell without a cluster. Outside, it checks that namespaces can be made, writes
 * the pod's resolv.conf to a temporary folder and re-executes this CLI under `unshare`; inside, it
 * brings `lo` up, bind-mounts the resolv.conf, serves DNS on 127.0.0.1:53 and runs the command.
 * Resolves with the command's exit code (128 + signal number when it was killed).
 */
export async function runShell(flags: ShellFlags, command: string[], argv: readonly string[], log: Logger): Promise<number> {
  if (!flags.file || flags.file.length === 0) throw new UsageError('shell needs at least one -f PATH', 'e.g. kube-dns-sim shell -f manifests/');
  if (!NAMESPACE_NAME.test(flags.podNamespace)) throw new UsageError(`-n "${flags.podNamespace}" is not a valid namespace name`, 'use a DNS-1123 label such as "default"');
  const dns = resolveDnsConfig(flags);
  resolveClusterOptions(flags);
  try {
    return flags.inside ? await runInside(flags, command, log) : await runOutside(flags, dns.clusterDomain, argv);
  } catch (err) {
    if (err instanceof ShellError) {
      process.stderr.write(`kube-dns-sim shell: ${err.message}\n  hint: ${err.hint}\n`);
      return ExitCode.RUNTIME;
    }
    throw err;
  }
}

async function runOutside(flags: ShellFlags, clusterDomain: string, argv: readonly string[]): Promise<number> {
  for (const f of flags.file) if (f !== '-' && !existsSync(f)) throw new UsageError(`-f ${f}: no such file or directory`, 'name a manifest file or folder, e.g. -f manifests/');
  if (flags.file.includes('-')) throw new UsageError('shell cannot read manifests from stdin (the shell needs it)', 'save them to a file and pass -f FILE');
  const mode = getSandboxMode(process.geteuid?.() ?? 0, flags.userns === true);
  const problem = diagnoseSandboxFailure(readSandboxFacts(mode));
  if (problem) throw new ShellError(problem.message, problem.hint);

  const dir = mkdtempSync(join(tmpdir(), 'kube-dns-sim-shell-'));
  try {
    writeFileSync(join(dir, 'resolv.conf'), buildPodResolvConf({ nameserver: '127.0.0.1', namespace: flags.podNamespace, clusterDomain }), { mode: 0o644 });
    const verbAt = argv.indexOf('shell', 2);
    const rest = argv.slice(verbAt + 1);
    return await runChild(() => spawn('unshare', [...buildUnshareArgs(mode), '--', process.execPath, CLI_PATH, 'shell', '--inside', dir, ...rest], { stdio: 'inherit' }), signalInsideCli);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runInside(flags: ShellFlags, command: string[], log: Logger): Promise<number> {
  try {
    setUpInsideSandbox(join(flags.inside!, 'resolv.conf'));
  } catch (err) {
    throw new ShellError((err as Error).message, 'run kube-dns-sim shell as root, or check that /etc/resolv.conf exists');
  }
  const dns = resolveDnsConfig(flags);
  const clusterOptions = resolveClusterOptions(flags);
  const manifests = await loadManifests(flags.file);
  const snapshot = buildClusterSnapshot(manifests, clusterOptions, dns, computeNextSerial(0, Date.now()));
  printFindingSummary(collectSnapshotFindings(manifests, snapshot.cluster, clusterOptions.defaultNamespace, SUMMARY_LOCATED_FINDINGS), manifests.sources, flags.file);
  const server = new DnsServer(snapshot.index);
  server.handler.onInternalError = (err, qname) => log.warn({ err, qname }, 'internal error answering a query (SERVFAIL)');
  try {
    await server.listen('127.0.0.1', 53);
  } catch (err) {
    if (err instanceof BindError) throw new ShellError(err.message, err.hint);
    throw err;
  }
  // The namespace has only loopback: the host's resolvers cannot be reached from inside, so no default upstream.
  await startForwarding(server, { upstream: flags.upstream ?? ['none'] }, { address: '127.0.0.1', port: 53 }, log);
  const st = snapshot.cluster.state;
  const argv = command.length > 0 ? command : [process.env.SHELL || '/bin/sh'];
  if (command.length === 0) {
    process.stderr.write(
      `kube-dns-sim: a pod of namespace ${flags.podNamespace}: ${st.services.length} services and ${st.pods.length} pods answer on 127.0.0.1:53 in a private network namespace;\n` +
        `/etc/resolv.conf searches ${flags.podNamespace}.svc.${dns.clusterDomain}. Try \`host myweb-svc\`; \`exit\` leaves and removes everything.\n`,
    );
  }
  try {
    return await runChild(() => spawn(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, KUBE_DNS_SIM_NAMESPACE: flags.podNamespace } }), signalCommand);
  } finally {
    await server.close();
  }
}

/**
 * Starts a child sharing our terminal and waits for it. Ctrl-C reaches the whole foreground group, so
 * this process ignores SIGINT and lets the child decide. SIGTERM and SIGHUP go to `target(child)`:
 * outside, the re-executed CLI (unshare itself ignores them); inside, the command, killed after a
 * grace period (we are PID 1 of the namespace: our exit takes every process inside with it).
 * The handlers are in place before the child starts: the kernel drops a signal sent from outside to
 * a namespace's PID 1 that has no handler, and a fast command can be ready (and the signal on its
 * way) before spawn() returns.
 */
function runChild(start: () => ChildProcess, onSignal: (child: ChildProcess, signal: NodeJS.Signals) => void): Promise<number> {
  let child: ChildProcess | undefined;
  const ignore = () => {};
  const onTerm = () => child && onSignal(child, 'SIGTERM');
  const onHup = () => child && onSignal(child, 'SIGHUP');
  const stopListening = () => {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
  };
  process.on('SIGINT', ignore);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  let started: ChildProcess;
  try {
    started = child = start();
  } catch (err) {
    stopListening();
    throw err;
  }
  return new Promise<number>((resolve, reject) => {
    started.once('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      reject(new ShellError(`cannot run ${started.spawnfile}: ${code ?? err.message}`, code === 'ENOENT' ? 'check the command name (it must exist inside the shell too)' : 'check the command'));
    });
    started.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
  }).finally(stopListening);
}

/** Outside: the signal goes to the CLI running inside (unshare's child, PID 1 of the namespace). */
function signalInsideCli(unshare: ChildProcess, signal: NodeJS.Signals): void {
  try {
    const children = readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const pid of children) process.kill(Number(pid), signal);
    if (children.length > 0) return;
  } catch {
    // no /proc children list: fall back to ending unshare, whose --kill-child ends the namespace
  }
  unshare.kill('SIGKILL');
}

const GRACE_MS = 2000;

/** Inside: the signal goes to the command; if it is still running after a grace period, we exit and the namespace ends. */
function signalCommand(command: ChildProcess, signal: NodeJS.Signals): void {
  command.kill(signal);
  setTimeout(() => process.exit(128 + signalNumber(signal)), GRACE_MS).unref();
}

function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal] ?? 0;
}
