import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { CLI_PATH, REPO_ROOT } from './server.js';

/** A network namespace of the test's own, with `lo` up and its own resolv.conf (`ip netns exec` mounts it). */
export interface TestNetns {
  name: string;
  /** Runs a command inside; resolves with stdout and the exit status (never throws on a non-zero exit). */
  exec(cmd: string, args: string[]): { stdout: string; status: number };
  /** Starts `kube-dns-sim serve ARGS` inside and waits until it serves; stopped by `remove()`. */
  startServer(args: string[], cwd?: string): Promise<ChildProcess>;
  /** Stops what it started (by PID) and deletes the namespace and its /etc/netns folder, also after a failure. */
  remove(): Promise<void>;
}

export function createTestNetns(name: string, resolvConf: string): TestNetns {
  const etc = `/etc/netns/${name}`;
  const children: ChildProcess[] = [];
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  mkdirSync(etc, { recursive: true });
  writeFileSync(`${etc}/resolv.conf`, resolvConf);
  return {
    name,
    exec(cmd, args) {
      try {
        return { stdout: execFileSync('ip', ['netns', 'exec', name, cmd, ...args], { encoding: 'utf8', timeout: 15_000 }), status: 0 };
      } catch (err) {
        const e = err as { stdout?: string; status?: number };
        return { stdout: e.stdout ?? '', status: e.status ?? -1 };
      }
    },
    startServer(args, cwd = REPO_ROOT) {
      const child = spawn('ip', ['netns', 'exec', name, process.execPath, CLI_PATH, 'serve', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 10_000);
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('serving DNS')) {
            clearTimeout(timer);
            resolve(child);
          }
        });
        child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
      });
    },
    async remove() {
      for (const c of children) {
        if (c.exitCode !== null || c.signalCode !== null) continue;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
      try {
        execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
      } catch {
        // already gone
      }
      rmSync(etc, { recursive: true, force: true });
    },
  };
}
