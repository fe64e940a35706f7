import { describe, expect, it } from 'vitest';
import { isSelectorMatch } from '../../src/cluster/labels.js';
import { snapshotFromYaml } from '../helpers/cluster.js';
import { readFileSync, readdirSync } from 'node:fs';

const lab = Object.fromEntries(readdirSync('manifests').filter((f) => f.endsWith('.yaml')).map((f) => [`manifests/${f}`, readFileSync(`manifests/${f}`, 'utf8')]));

describe('selection', () => {
  const cases: { name: string; sel: Record<string, string>; labels: Record<string, string>; want: boolean }[] = [
    { name: 'subset matches', sel: { app: 'web' }, labels: { app: 'web', env: 'dev' }, want: true },
    { name: 'all keys match', sel: { app: 'web', env: 'dev' }, labels: { app: 'web', env: 'dev' }, want: true },
    { name: 'value differs', sel: { app: 'web' }, labels: { app: 'db' }, want: false },
    { name: 'key missing', sel: { app: 'web', tier: 'fe' }, labels: { app: 'web' }, want: false },
    { name: 'empty selector selects nothing', sel: {}, labels: { app: 'web' }, want: false },
  ];
  for (const c of cases) it(c.name, () => expect(isSelectorMatch(c.sel, c.labels)).toBe(c.want));
});

describe('the seed lab as a cluster', () => {
  const s = snapshotFromYaml(lab).cluster.state;
  const pods = (owner: string) => s.pods.filter((p) => p.owner?.name === owner).map((p) => p.name);

  it('StatefulSet pods are <name>-<ordinal> with hostname and subdomain', () => {
    expect(pods('myweb-sts')).toEqual(['myweb-sts-0', 'myweb-sts-1', 'myweb-sts-2']);
    const p = s.pods.find((x) => x.name === 'myweb-sts-1')!;
    expect([p.hostname, p.subdomain]).toEqual(['myweb-sts-1', 'myweb-svc-headless']);
  });
  it('ReplicaSet pods are <name>-<5 chars>', () => {
    const names = pods('myweb-rs');
    expect(names).toHaveLength(3);
    for (const n of names) expect(n).toMatch(/^myweb-rs-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
  it('volumeClaimTemplates make one Bound claim per pod', () => {
    expect(s.persistentVolumeClaims.map((c) => `${c.name} ${c.phase} ${c.storage} ${c.accessModes.join(',')} ${c.storageClassName}`)).toEqual([
      'myweb-pvc-myweb-sts-vol-0 Bound 1G ReadWriteOnce nfs-client',
      'myweb-pvc-myweb-sts-vol-1 Bound 1G ReadWriteOnce nfs-client',
      'myweb-pvc-myweb-sts-vol-2 Bound 1G ReadWriteOnce nfs-client',
    ]);
  });
  it('the headless Service selects every app=web pod, whatever owns it', () => {
    const slice = s.endpointSlices.filter((e) => e.serviceName === 'myweb-svc-headless');
    const owners = slice.flatMap((e) => e.endpoints).map((ep) => s.pods.find((p) => p.name === ep.targetRef!.name)!.owner!.name);
    expect(owners.sort()).toEqual(['myweb-rs', 'myweb-rs', 'myweb-rs', 'myweb-sts', 'myweb-sts', 'myweb-sts', 'myweb-sts-vol', 'myweb-sts-vol', 'myweb-sts-vol']);
  });
  it('built-ins are there as in kubeadm', () => {
    const svc = (ns: string, n: string) => s.services.find((x) => x.namespace === ns && x.name === n)!;
    expect(svc('default', 'kubernetes').clusterIPs).toEqual(['10.96.0.1']);
    expect(svc('kube-system', 'kube-dns').clusterIPs).toEqual(['10.96.0.10']);
    expect(s.pods.filter((p) => p.namespace === 'kube-system' && p.name.startsWith('coredns-'))).toHaveLength(2);
  });
  it('pod and cluster IPs come from their ranges and are unique', () => {
    const podIPs = s.pods.flatMap((p) => p.ips);
    expect(new Set(podIPs).size).toBe(podIPs.length);
    for (const ip of podIPs) expect(ip).toMatch(/^10\.244\./);
    for (const svc of s.services) for (const ip of svc.clusterIPs) expect(ip).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
  });
  it('same manifests in any file order → same names and IPs', () => {
    const reversed = Object.fromEntries(Object.entries(lab).reverse());
    const t = snapshotFromYaml(reversed).cluster.state;
    const key = (st: typeof s) => JSON.stringify([st.pods.map((p) => [p.name, p.ips]), st.services.map((x) => [x.name, x.clusterIPs])]);
    expect(key(t)).toBe(key(s));
  });
  it('a Deployment makes <deploy>-<hash> ReplicaSet and <deploy>-<hash>-<5> pods', () => {
    const d = snapshotFromYaml({ 'd.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: c, image: i}]}\n' }).cluster.state;
    const rs = d.replicaSets.find((r) => r.owner?.name === 'api')!;
    expect(rs.name).toMatch(/^api-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    const apiPods = d.pods.filter((p) => p.owner?.name === rs.name);
    expect(apiPods).toHaveLength(2);
    for (const p of apiPods) expect(p.name).toMatch(new RegExp(`^${rs.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
  });
  it('an explicit clusterIP is honoured; one taken by a built-in is warned about', () => {
    const r = snapshotFromYaml({
      'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {clusterIP: 10.96.100.100, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {clusterIP: 10.96.0.10, ports: [{port: 80}]}\n',
    });
    expect(r.cluster.state.services.find((x) => x.name === 'a')!.clusterIPs).toEqual(['10.96.100.100']);
    expect(r.cluster.state.services.find((x) => x.name === 'b')!.clusterIPs[0]).not.toBe('10.96.0.10');
    expect(r.findings.map((f) => [f.code, f.file, f.line])).toEqual([['CLUSTER_IP_CONFLICT', 'a.yaml', 6]]);
  });
});

describe('pod CIDR exhaustion', () => {
  const sts = (name: string, replicas: number) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: ${name}}\nspec:\n  replicas: ${replicas}\n  serviceName: ${name}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: i}]}\n`;
  const cases: { name: string; files: Record<string, string>; podCidr: string; warnings: number; want: RegExp }[] = [
    { name: 'one warning per manifest, naming the first pods and the count', files: { 'a.yaml': sts('a', 40) }, podCidr: '10.9.0.0/27', warnings: 1, want: /for \d+ pods: a-\d+, a-\d+, a-\d+ and \d+ more/ },
    { name: 'a single pod without an address is named alone', files: { 'a.yaml': sts('a', 7) }, podCidr: '10.9.0.0/29', warnings: 1, want: /for pod a-\d$/ },
    { name: 'two manifests short of addresses: a warning each', files: { 'a.yaml': sts('a', 40), 'b.yaml': sts('b', 40) }, podCidr: '10.9.0.0/27', warnings: 2, want: /no free IPv4 pod address left in 10\.9\.0\.0\/27/ },
    { name: 'a block large enough: no warning', files: { 'a.yaml': sts('a', 40) }, podCidr: '10.9.0.0/24', warnings: 0, want: /./ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = snapshotFromYaml(c.files, {}, { podCidr: c.podCidr });
      // Built-in pods (CoreDNS) may run short too; only the user's manifests are judged here.
      const found = s.cluster.findings.filter((f) => f.code === 'POD_IP_EXHAUSTED' && f.file !== '<built-in>');
      expect(found).toHaveLength(c.warnings);
      for (const f of found) {
        expect(f.message).toMatch(c.want);
        expect(f.hint).toContain('--pod-cidr');
      }
      const withoutIp = s.cluster.state.pods.filter((p) => p.ips.length === 0 && p.namespace === 'default').length;
      if (c.warnings > 0) expect(withoutIp).toBeGreaterThan(0);
      else expect(withoutIp).toBe(0);
    });
  }
});
