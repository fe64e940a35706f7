import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './server.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Plain `kubectl` against a server URL, with its own HOME and discovery cache (nothing leaks between
 * runs or from the user's ~/.kube), run from the repository root, each call bounded by `timeoutMs`.
 */
export class Kubectl {
  readonly home = mkdtempSync(join(tmpdir(), 'kds-kubectl-'));

  constructor(public server: string, private readonly extra: string[] = []) {}

  private argv(args: string[]): string[] {
    return ['--server', this.server, '--cache-dir', join(this.home, 'cache'), ...this.extra, ...args];
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...process.env, HOME: this.home, KUBECONFIG: join(this.home, 'no-kubeconfig') };
  }

  /** Runs one command; resolves with exit code and output (never rejects on a non-zero exit). */
  run(args: string[], timeoutMs = 15_000): Promise<KubectlResult> {
    return new Promise((resolve) => {
      execFile('kubectl', this.argv(args), { cwd: REPO_ROOT, env: this.env, timeout: timeoutMs }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 99) : 0, stdout, stderr });
      });
    });
  }

  /** Starts a long-running command (`get -w`); the caller stops it by its PID. */
  spawn(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
    const child = spawn('kubectl', this.argv(args), { cwd: REPO_ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return { child, stdout: () => out, stderr: () => err, exited };
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Splits kubectl's column output into rows of cells (header included). */
export function toRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));
}
