import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../helpers/server.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `kube-dns-sim shell` (optionally wrapped, e.g. by setpriv or unshare) to completion. */
function runShell(args: string[], wrap: string[] = [], env: NodeJS.ProcessEnv = process.env, root = REPO_ROOT): Run {
  const cmd = [...wrap, process.execPath, join(root, 'dist/cli.js'), 'shell', ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, encoding: 'utf8', timeout: 30_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/**
 * A checkout user nobody can read: this one, or (when it lies under a private folder such as
 * /root) a world-readable copy of what the CLI needs. Returns the folder and a cleanup.
 */
function getCheckoutReadableByNobody(): { root: string; cleanup: () => void } {
  const probe = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(CLI_PATH)})`]);
  if (probe.status === 0) return { root: REPO_ROOT, cleanup: () => {} };
  const root = mkdtempSync(join(tmpdir(), 'kds-rootless-'));
  for (const d of ['dist', 'node_modules', 'manifests', 'package.json']) cpSync(join(REPO_ROOT, d), join(root, d), { recursive: true });
  chmodSync(root, 0o755);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** What the shell could leave behind on the host: temp folders, mounts, processes, the host's resolv.conf. */
function hostTraces(): { tmp: string[]; mounts: string[]; processes: string[]; resolvConf: string } {
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes('kube-dns-sim-shell-')) processes.push(`${pid}: ${cmdline.replace(/\0/g, ' ')}`);
    } catch {
      // exited meanwhile
    }
  }
  return {
    tmp: readdirSync(tmpdir()).filter((f) => f.startsWith('kube-dns-sim-shell-')),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes('kube-dns-sim-shell-')),
    processes,
    resolvConf: readFileSync('/etc/resolv.conf', 'utf8'),
  };
}

const A_SERVICE = /^myweb-svc\.default\.svc\.cluster\.local has address 10\.(9[6-9]|1[01]\d)\.\d+\.\d+$/m;

describe('kube-dns-sim shell: a pod of the seed lab, for real (as root)', () => {
  const cases = [
    { name: 'host resolves a short Service name through the search path', args: [], command: ['host', 'myweb-svc'], expect: A_SERVICE },
    { name: 'dig +search resolves a StatefulSet pod under its headless Service', args: [], command: ['dig', '+search', '+short', 'myweb-sts-0.myweb-svc-headless'], expect: /^10\.244\.\d+\.\d+\n$/ },
    { name: 'getent hosts goes through glibc (nsswitch, resolv.conf)', args: [], command: ['getent', 'hosts', 'myweb-svc'], expect: /^10\.(9[6-9]|1[01]\d)\.\d+\.\d+\s+myweb-svc\.default\.svc\.cluster\.local$/m },
    { name: 'nslookup lists every pod behind the headless Service', args: [], command: ['sh', '-c', 'nslookup myweb-svc-headless | grep -c "^Address: 10.244."'], expect: /^9\n$/ },
    { name: "resolv.conf is a pod's", args: [], command: ['cat', '/etc/resolv.conf'], expect: /^nameserver 127\.0\.0\.1\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\noptions ndots:5\n$/ },
    { name: '-n kube-system: the search path of that namespace', args: ['-n', 'kube-system'], command: ['host', 'kube-dns'], expect: /^kube-dns\.kube-system\.svc\.cluster\.local has address 10\.96\.0\.10$/m },
    { name: 'a name of another namespace needs its namespace', args: ['-n', 'kube-system'], command: ['host', 'myweb-svc.default'], expect: A_SERVICE },
    { name: 'only loopback exists in the namespace', args: [], command: ['sh', '-c', 'ip -o link | cut -d: -f2'], expect: /^ lo\n$/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = runShell(['-f', 'manifests', ...c.args, '--', ...c.command]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(c.expect);
    });
  }

  it("passes the command's exit code through", () => {
    expect(runShell(['-f', 'manifests', '--', 'sh', '-c', 'exit 7']).code).toBe(7);
  });

  it('leaves no temp folder, mount or process behind, and the host resolv.conf unchanged', () => {
    const before = hostTraces();
    const r = runShell(['-f', 'manifests', '--', 'sh', '-c', 'sleep 30 & host myweb-svc']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(A_SERVICE);
    expect(hostTraces()).toEqual(before);
  });

  it('SIGTERM ends the shell and everything it started', async () => {
    const before = hostTraces();
    const child = spawn(process.execPath, [CLI_PATH, 'shell', '-f', 'manifests', '--', 'sh', '-c', 'echo ready; sleep 30'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    child.kill('SIGTERM');
    expect(await exited).toBe(128 + 15);
    expect(hostTraces()).toEqual(before);
  });

  it('a missing command is a runtime error with a hint', () => {
    const r = runShell(['-f', 'manifests', '--', 'no-such-command-kds']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^kube-dns-sim shell: cannot run no-such-command-kds: ENOENT\n {2}hint: /);
  });

  it('a missing manifest path is a usage error', () => {
    const r = runShell(['-f', 'no-such-dir', '--', 'true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-f no-such-dir: no such file or directory/);
  });
});

describe('kube-dns-sim shell: rootless', () => {
  it('--userns as root: the user-namespace path, for real', () => {
    const r = runShell(['--userns', '-f', 'manifests', '--', 'sh', '-c', 'cat /proc/self/uid_map; host myweb-svc']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // A user namespace maps one uid (root inside = our uid outside); the initial namespace maps all 2^32.
    expect(r.stdout).toMatch(/^\s*0\s+0\s+1\n/);
    expect(r.stdout).toMatch(A_SERVICE);
  });

  it('as user nobody (setpriv): a user namespace, or a clear error where the machine forbids it', () => {
    const checkout = getCheckoutReadableByNobody();
    let r: Run;
    try {
      r = runShell(['-f', 'manifests', '--', 'sh', '-c', 'id -u; host myweb-svc'], AS_NOBODY, process.env, checkout.root);
    } finally {
      checkout.cleanup();
    }
    if (r.code === 3) {
      // This machine forbids unprivileged user namespaces: the error must say why and what to do.
      expect(r.stderr).toMatch(/^kube-dns-sim shell: .*(user namespace|user_namespaces|userns).*\n {2}hint: .*run it as root/);
    } else {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // Root inside the user namespace, nobody outside.
      expect(r.stdout).toMatch(/^0\n/);
      expect(r.stdout).toMatch(A_SERVICE);
    }
  });

  it('user namespaces disabled (max_user_namespaces = 0 in an enclosing user namespace): says so and how to fix it', () => {
    const r = runShell(['--userns', '-f', 'manifests', '--', 'true'], ['unshare', '--user', '--map-root-user', 'sh', '-c', 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"', 'sh']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^kube-dns-sim shell: user namespaces are disabled \(user\.max_user_namespaces = 0\): .*\n {2}hint: allow them with `sysctl -w user\.max_user_namespaces=15000`/);
  });

  it('without unshare/ip/mount on PATH: names the missing programs and their packages', () => {
    const r = runShell(['-f', 'manifests', '--', 'true'], [], { ...process.env, PATH: '/nonexistent' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^kube-dns-sim shell: `unshare`, `mount`, `ip` not found on PATH.*\n {2}hint: install util-linux and mount and iproute2/);
  });
});
