import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DnsServer } from '../../src/runtime/dns-server.js';
import type { ClusterSnapshot } from '../../src/runtime/cluster-snapshot.js';

export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Starts the real UDP+TCP server in-process on a free loopback port. */
export async function startInProcessServer(snapshot: ClusterSnapshot): Promise<{ server: DnsServer; port: number; close: () => Promise<void> }> {
  const server = new DnsServer(snapshot.index);
  const port = await server.listen('127.0.0.1', 0);
  return { server, port, close: () => server.close() };
}

export interface CliServer {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Spawns the built CLI (`node dist/cli.js serve ...`) and waits until it logs that it serves.
 * Adds `--upstream none` unless the args name upstreams: tests never reach the host's resolvers.
 */
export function startCliServer(args: string[], opts: { cwd?: string; timeoutMs?: number; wrap?: string[]; cli?: string } = {}): Promise<CliServer> {
  if (!args.includes('--upstream')) args = [...args, '--upstream', 'none'];
  return new Promise((resolve, reject) => {
    // Tests never share or leave a state file unless they ask for one.
    const stateArgs = args.includes('--state') ? [] : ['--state', 'none'];
    // `wrap` runs the server through another command that execs it (setpriv, ip netns exec): same pid.
    const argv = [...(opts.wrap ?? []), process.execPath, opts.cli ?? CLI_PATH, 'serve', ...args, ...stateArgs];
    const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in time:\n${out}\n${err}`));
    }, opts.timeoutMs ?? 10_000);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)[^\n]*serving DNS/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          port: Number(m[1]),
          stdout: () => out,
          stderr: () => err,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${out}\n${err}`));
    });
  });
}
