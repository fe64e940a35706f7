import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH, REPO_ROOT } from './server.js';

/** Prefix that runs a command as user nobody (uid/gid 65534, no groups); needs root. */
export const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/**
 * The CLI as user nobody can run it: this checkout's, or (when it lies under a private folder such
 * as /root) a world-readable copy of what the CLI needs. Returns the CLI path and a cleanup.
 */
export function getCliReadableByNobody(): { cli: string; cleanup: () => void } {
  const probe = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(CLI_PATH)})`]);
  if (probe.status === 0) return { cli: CLI_PATH, cleanup: () => {} };
  const root = mkdtempSync(join(tmpdir(), 'kds8-nobody-'));
  for (const d of ['dist', 'node_modules', 'package.json']) cpSync(join(REPO_ROOT, d), join(root, d), { recursive: true });
  chmodSync(root, 0o755);
  return { cli: join(root, 'dist/cli.js'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
