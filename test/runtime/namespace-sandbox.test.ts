import { describe, expect, it } from 'vitest';
import { buildUnshareArgs, diagnoseSandboxFailure, getSandboxMode, type SandboxFacts } from '../../src/runtime/namespace-sandbox.js';
import { buildPodResolvConf, getResolvConfNameservers } from '../../src/runtime/resolv-conf.js';
import { getPodSearchPath } from '../../src/dns/records/dns-config.js';

describe('sandbox mode and unshare arguments', () => {
  const cases = [
    { name: 'root uses plain namespaces', euid: 0, force: false, mode: 'root', userFlags: false },
    { name: 'root can ask for the rootless path', euid: 0, force: true, mode: 'userns', userFlags: true },
    { name: 'an ordinary user gets a user namespace', euid: 1000, force: false, mode: 'userns', userFlags: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const mode = getSandboxMode(c.euid, c.force);
      expect(mode).toBe(c.mode);
      const args = buildUnshareArgs(mode);
      expect(args.includes('--map-root-user')).toBe(c.userFlags);
      for (const a of ['--net', '--mount', '--pid', '--fork', '--kill-child']) expect(args).toContain(a);
    });
  }
});

describe('diagnoseSandboxFailure', () => {
  const err = 'unshare: unshare failed: Operation not permitted\n';
  const cases: { name: string; facts: SandboxFacts; message?: RegExp; hint?: RegExp }[] = [
    { name: 'all well', facts: { mode: 'root', missing: [] } },
    { name: 'missing programs name their packages', facts: { mode: 'root', missing: ['ip'] }, message: /`ip` not found/, hint: /apt-get install iproute2/ },
    { name: 'root without CAP_SYS_ADMIN', facts: { mode: 'root', missing: [], probeError: err }, message: /as root: unshare: unshare failed: Operation not permitted$/, hint: /CAP_SYS_ADMIN/ },
    { name: 'max_user_namespaces 0', facts: { mode: 'userns', missing: [], probeError: err, maxUserNamespaces: 0 }, message: /max_user_namespaces = 0/, hint: /sysctl -w user\.max_user_namespaces/ },
    { name: 'Debian unprivileged_userns_clone 0', facts: { mode: 'userns', missing: [], probeError: err, maxUserNamespaces: 100, unprivilegedUsernsClone: 0 }, message: /unprivileged_userns_clone = 0/, hint: /kernel\.unprivileged_userns_clone=1/ },
    { name: 'Ubuntu AppArmor restriction', facts: { mode: 'userns', missing: [], probeError: err, maxUserNamespaces: 100, apparmorRestrictUserns: 1 }, message: /AppArmor/, hint: /apparmor_restrict_unprivileged_userns=0/ },
    { name: 'namespace limit reached', facts: { mode: 'userns', missing: [], probeError: 'unshare: unshare failed: No space left on device' }, message: /limit of user namespaces/, hint: /max_user_namespaces/ },
    { name: 'anything else still says what to do', facts: { mode: 'userns', missing: [], probeError: err, maxUserNamespaces: 100 }, message: /cannot create a user namespace/, hint: /run it as root/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = diagnoseSandboxFailure(c.facts);
      if (!c.message) return expect(d).toBeUndefined();
      expect(d?.message).toMatch(c.message);
      expect(d?.hint).toMatch(c.hint!);
    });
  }
});

describe('resolv.conf', () => {
  it("a pod's, as kubelet writes it", () => {
    expect(buildPodResolvConf({ nameserver: '10.96.0.10', namespace: 'web', clusterDomain: 'cluster.local' })).toBe(
      'nameserver 10.96.0.10\nsearch web.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    );
    expect(getPodSearchPath('web', 'k8s.test')).toEqual(['web.svc.k8s.test', 'svc.k8s.test', 'k8s.test']);
  });
  const cases = [
    { name: 'one nameserver', text: 'nameserver 10.0.0.2\n', want: ['10.0.0.2'] },
    { name: 'order kept, comments and options ignored', text: '# x\nsearch a b\nnameserver 1.1.1.1 # cloud\n;nameserver 9.9.9.9\noptions ndots:2\nnameserver ::1\n', want: ['1.1.1.1', '::1'] },
    { name: 'IPv6 zone dropped', text: 'nameserver fe80::1%eth0\n', want: ['fe80::1'] },
    { name: 'none', text: 'search x\n', want: [] },
  ];
  for (const c of cases) it(`nameservers: ${c.name}`, () => expect(getResolvConfNameservers(c.text)).toEqual(c.want));
});
