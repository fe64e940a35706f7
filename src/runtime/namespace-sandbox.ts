import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * How the sandbox gets its namespaces: `root` unshares network and mount namespaces directly
 * (needs CAP_SYS_ADMIN); `userns` first makes a user namespace in which the caller is root
 * (`unshare --user --map-root-user`), so an ordinary user can run it.
 */
export type SandboxMode = 'root' | 'userns';

/** `root` when the effective uid is 0 and no user namespace was asked for, else `userns`. */
export function getSandboxMode(euid: number, forceUserns: boolean): SandboxMode {
  return euid === 0 && !forceUserns ? 'root' : 'userns';
}

/**
 * util-linux `unshare` arguments for a mode. Private mount propagation keeps the resolv.conf bind
 * mount out of the host. The child is PID 1 of a new PID namespace: when it exits the kernel kills
 * every process left inside, and `--kill-child` makes it die with unshare, so exit leaves no process behind.
 */
export function buildUnshareArgs(mode: SandboxMode): string[] {
  return [...(mode === 'userns' ? ['--user', '--map-root-user'] : []), '--net', '--mount', '--propagation', 'private', '--pid', '--mount-proc', '--fork', '--kill-child'];
}

/** What the machine says about namespaces, gathered by `readSandboxFacts`. */
export interface SandboxFacts {
  mode: SandboxMode;
  /** Programs missing from PATH (`unshare`, `ip`, `mount`). */
  missing: string[];
  /** stderr of the failed probe, when one ran. */
  probeError?: string;
  maxUserNamespaces?: number;
  /** Debian/Ubuntu `kernel.unprivileged_userns_clone`. */
  unprivilegedUsernsClone?: number;
  /** Ubuntu 23.10+ `kernel.apparmor_restrict_unprivileged_userns`. */
  apparmorRestrictUserns?: number;
}

const PACKAGE_OF: Record<string, string> = { unshare: 'util-linux', mount: 'mount', ip: 'iproute2' };

/** Why the sandbox cannot be made, in one line, and what to do about it; undefined when nothing is wrong. */
export function diagnoseSandboxFailure(f: SandboxFacts): { message: string; hint: string } | undefined {
  if (f.missing.length > 0) {
    const pkgs = [...new Set(f.missing.map((m) => PACKAGE_OF[m] ?? m))];
    return { message: `${f.missing.map((m) => `\`${m}\``).join(', ')} not found on PATH (needed to make the pod's network and mount namespaces)`, hint: `install ${pkgs.join(' and ')} (Debian: apt-get install ${pkgs.join(' ')})` };
  }
  if (f.probeError === undefined) return undefined;
  const why = f.probeError.trim().split('\n').pop() ?? '';
  const asRoot = 'or run it as root (sudo kube-dns-sim shell ...), or use docker/compose.yaml';
  if (f.mode === 'root') {
    return {
      message: `cannot create network and mount namespaces as root: ${why}`,
      hint: 'this process lacks CAP_SYS_ADMIN (a container without privileges?): run on the host, or start the container with --cap-add SYS_ADMIN (or --privileged)',
    };
  }
  if (f.maxUserNamespaces === 0) return { message: `user namespaces are disabled (user.max_user_namespaces = 0): ${why}`, hint: `allow them with \`sysctl -w user.max_user_namespaces=15000\`, ${asRoot}` };
  if (f.unprivilegedUsernsClone === 0) return { message: `unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0): ${why}`, hint: `allow them with \`sysctl -w kernel.unprivileged_userns_clone=1\`, ${asRoot}` };
  if (f.apparmorRestrictUserns === 1) return { message: `AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1): ${why}`, hint: `lift it with \`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0\`, ${asRoot}` };
  if (/no space left/i.test(why)) return { message: `the limit of user namespaces is reached: ${why}`, hint: `raise user.max_user_namespaces, ${asRoot}` };
  return { message: `cannot create a user namespace with network and mount namespaces: ${why}`, hint: `unprivileged user namespaces may be disabled (seccomp or a container runtime), ${asRoot}` };
}

/** Whether an executable `name` is on PATH. */
export function hasProgram(name: string, path = process.env.PATH ?? ''): boolean {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function readSysctl(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the programs, then tries the namespaces for real (`unshare … ip link set lo up`) and reads the sysctls that explain a failure. */
export function readSandboxFacts(mode: SandboxMode): SandboxFacts {
  const missing = ['unshare', 'mount', 'ip'].filter((p) => !hasProgram(p));
  if (missing.length > 0) return { mode, missing };
  const probe = spawnSync('unshare', [...buildUnshareArgs(mode), '--', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status === 0) return { mode, missing };
  return {
    mode,
    missing,
    probeError: probe.stderr || probe.error?.message || `unshare exited with ${probe.status ?? probe.signal}`,
    maxUserNamespaces: readSysctl('/proc/sys/user/max_user_namespaces'),
    unprivilegedUsernsClone: readSysctl('/proc/sys/kernel/unprivileged_userns_clone'),
    apparmorRestrictUserns: readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
  };
}

/**
 * Inside the new namespaces: brings `lo` up (a new network namespace starts with it down) and
 * bind-mounts the pod's resolv.conf over /etc/resolv.conf (private to this mount namespace).
 * Throws Error with the failing command's message.
 */
export function setUpInsideSandbox(resolvConfPath: string): void {
  const run = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`\`${cmd} ${args.join(' ')}\` failed: ${(e.stderr || e.message).trim()}`);
    }
  };
  run('ip', ['link', 'set', 'lo', 'up']);
  run('mount', ['--bind', resolvConfPath, '/etc/resolv.conf']);
}
