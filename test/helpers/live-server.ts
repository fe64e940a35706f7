import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH, REPO_ROOT, startCliServer, type CliServer } from './server.js';

export interface LiveServer extends CliServer {
  adminUrl: string;
  dir: string;
  statePath: string;
}

/** A temporary copy of the seed manifests plus a state file path, removed by `cleanup`. */
export function newLabDir(files?: Record<string, string>): { dir: string; manifests: string; statePath: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kds5-'));
  const manifests = join(dir, 'manifests');
  if (files) {
    mkdirSync(manifests, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileAtomic(join(manifests, name), text);
  } else cpSync(join(REPO_ROOT, 'manifests'), manifests, { recursive: true });
  return { dir, manifests, statePath: join(dir, 'state', 'state.json'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes as editors do: a temporary file, then rename over the old one. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Starts `serve` on free loopback ports (DNS and admin) with the given manifests and state file. */
export async function startLiveServer(manifests: string, statePath: string, extra: string[] = []): Promise<LiveServer> {
  const srv = await startCliServer(['-f', manifests, '--port', '0', '--admin', '127.0.0.1:0', '--state', statePath, ...extra]);
  const m = /"admin":"(http:\/\/[^"]+)"/.exec(srv.stdout());
  if (!m) throw new Error(`no admin address in the log:\n${srv.stdout()}`);
  return { ...srv, adminUrl: m[1], dir: manifests, statePath };
}

/** Runs the built CLI; resolves with exit code and output (never rejects on a non-zero exit). */
export function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_PATH, ...args], { cwd: REPO_ROOT, timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 3) : 0, stdout, stderr });
    });
  });
}

/** Polls `check` every `everyMs` until it returns a value, at most `timeoutMs`; undefined on timeout. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 25): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) return undefined;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
