import { describe, expect, it } from 'vitest';
import { isInCidr, parseCidr } from '../../src/cluster/ip-address.js';
import { snapshotFromYaml } from '../helpers/cluster.js';

// Hand-written EndpointSlices and Endpoints, dual-stack allocation, explicit cluster IPs and
// namespaces, checked on the reconciled cluster state.

const SELECTORLESS = `
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: tools}
spec: {clusterIP: 10.96.200.1, ports: [{name: pg, port: 5432}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ext-1, namespace: tools, labels: {kubernetes.io/service-name: ext}}
addressType: IPv4
ports: [{name: pg, port: 5432}, {name: admin}]
endpoints:
  - addresses: [10.0.0.1]
  - addresses: [10.0.0.2]
    conditions: {ready: false, serving: true, terminating: true}
    hostname: second
    targetRef: {kind: Pod, name: pod-2}
  - addresses: [10.0.0.3]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ext-v6, namespace: tools, labels: {kubernetes.io/service-name: ext}}
addressType: IPv6
endpoints:
  - addresses: ["FD00:0:0::0:5"]
`;

describe('EndpointSlice manifests', () => {
  const state = snapshotFromYaml({ 'ext.yaml': SELECTORLESS }).cluster.state;
  const slice = (name: string) => state.endpointSlices.find((s) => s.name === name)!;
  const cases = [
    { name: 'service-name label ties the slice to its Service', got: () => slice('ext-1').serviceName, want: 'ext' },
    { name: 'conditions absent: ready and serving', got: () => [slice('ext-1').endpoints[0].ready, slice('ext-1').endpoints[0].serving], want: [true, true] },
    { name: 'conditions as written', got: () => { const e = slice('ext-1').endpoints[1]; return [e.ready, e.serving, e.terminating]; }, want: [false, true, true] },
    { name: 'hostname and targetRef (namespace defaults to the slice)', got: () => { const e = slice('ext-1').endpoints[1]; return [e.hostname, e.targetRef]; }, want: ['second', { kind: 'Pod', namespace: 'tools', name: 'pod-2' }] },
    { name: 'ports: protocol defaults to TCP, a missing port number is -1 (as CoreDNS keeps it)', got: () => slice('ext-1').ports, want: [{ name: 'pg', port: 5432, protocol: 'TCP' }, { name: 'admin', port: -1, protocol: 'TCP' }] },
    { name: 'every endpoint of the slice is kept', got: () => slice('ext-1').endpoints[2].addresses, want: ['10.0.0.3'] },
    {
      name: 'an address of the other family is rejected as the API server does, and the slice is not loaded',
      got: () => {
        const bad = snapshotFromYaml({ 'bad.yaml': SELECTORLESS.replace('[10.0.0.3]', '["fd00::1", 10.0.0.3]') });
        return [bad.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.path}`), bad.cluster.state.endpointSlices.some((x) => x.name === 'ext-1')];
      },
      want: [['FIELD_INVALID endpoints[2].addresses[0]'], false],
    },
    { name: 'IPv6 addresses are canonical', got: () => slice('ext-v6').endpoints[0].addresses, want: ['fd00::5'] },
    { name: 'hand-written slices are not managed', got: () => slice('ext-1').managed, want: false },
    { name: 'the namespace is implied', got: () => state.namespaces.find((n) => n.name === 'tools'), want: { name: 'tools', declared: false } },
  ];
  for (const c of cases) it(c.name, () => expect(c.got()).toEqual(c.want));
});

const ENDPOINTS = `
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: default}
spec: {clusterIP: 10.96.200.2, ports: [{name: tcp, port: 5000}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy, namespace: default}
subsets:
  - addresses: [{ip: 192.168.10.1, hostname: a}, {ip: "fd00::10"}]
    notReadyAddresses: [{ip: 192.168.10.2, targetRef: {kind: Pod, name: p2}}]
    ports: [{name: tcp, port: 5000}]
---
apiVersion: v1
kind: Service
metadata: {name: selected, namespace: default}
spec: {clusterIP: 10.96.200.3, selector: {app: x}, ports: [{name: tcp, port: 5000}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: selected, namespace: default}
subsets: [{addresses: [{ip: 192.168.20.1}]}]
---
apiVersion: v1
kind: Service
metadata: {name: skipped, namespace: default}
spec: {clusterIP: 10.96.200.4, ports: [{name: tcp, port: 5000}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: skipped, namespace: default, labels: {endpointslice.kubernetes.io/skip-mirror: "true"}}
subsets: [{addresses: [{ip: 192.168.30.1}]}]
`;

describe('Endpoints manifests are mirrored into slices', () => {
  const state = snapshotFromYaml({ 'legacy.yaml': ENDPOINTS }).cluster.state;
  const of = (svc: string) => state.endpointSlices.filter((s) => s.serviceName === svc && !s.managed);
  it('one slice per address family, ready and not-ready addresses', () => {
    const slices = of('legacy');
    expect(slices.map((s) => s.addressType).sort()).toEqual(['IPv4', 'IPv6']);
    const v4 = slices.find((s) => s.addressType === 'IPv4')!;
    expect(v4.endpoints.map((e) => [e.addresses[0], e.ready, e.hostname ?? null, e.targetRef?.name ?? null])).toEqual([
      ['192.168.10.1', true, 'a', null],
      ['192.168.10.2', false, null, 'p2'],
    ]);
    expect(v4.ports).toEqual([{ name: 'tcp', port: 5000, protocol: 'TCP' }]);
  });
  it('not for a Service with a selector (the endpoints controller owns those)', () => expect(of('selected')).toEqual([]));
  it('not with the skip-mirror label', () => expect(of('skipped')).toEqual([]));
});

const DUAL = `
apiVersion: v1
kind: Service
metadata: {name: both, namespace: default}
spec: {ipFamilyPolicy: PreferDualStack, selector: {app: a}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: six, namespace: default}
spec: {ipFamilies: [IPv6], selector: {app: a}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, namespace: other}
spec:
  replicas: 2
  selector: {matchLabels: {app: a}}
  template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: nginx}]}}
`;

describe('dual-stack allocation', () => {
  const state = snapshotFromYaml({ 'dual.yaml': DUAL }).cluster.state;
  const v4Svc = parseCidr('10.96.0.0/12');
  const v6Svc = parseCidr('fd00:10:96::/112');
  const v6Pod = parseCidr('fd00:10:244::/56');
  it('PreferDualStack gets an IPv4 and an IPv6 cluster IP from the service ranges', () => {
    const both = state.services.find((s) => s.name === 'both')!;
    expect(both.ipFamilies).toEqual(['IPv4', 'IPv6']);
    expect(isInCidr(both.clusterIPs[0], v4Svc)).toBe(true);
    expect(isInCidr(both.clusterIPs[1], v6Svc)).toBe(true);
  });
  it('ipFamilies [IPv6] is IPv6 only', () => {
    const six = state.services.find((s) => s.name === 'six')!;
    expect(six.clusterIPs).toHaveLength(1);
    expect(isInCidr(six.clusterIPs[0], v6Svc)).toBe(true);
  });
  it('once the cluster is dual-stack, every pod (any namespace) has an IPv6 from the pod range', () => {
    const pods = state.pods.filter((p) => p.namespace === 'other');
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(isInCidr(p.ips[1], v6Pod)).toBe(true);
    for (const p of state.pods) expect(p.ips).toHaveLength(2);
  });
  it('a single-stack cluster gives pods IPv4 only', () => {
    const single = snapshotFromYaml({ 'x.yaml': DUAL.replace(/ipFamilyPolicy: PreferDualStack, /, '').replace('[IPv6]', '[IPv4]') }).cluster.state;
    for (const p of single.pods) expect(p.ips).toHaveLength(1);
  });
});

const EXPLICIT = `
apiVersion: v1
kind: Namespace
metadata: {name: declared}
---
apiVersion: v1
kind: Service
metadata: {name: inside, namespace: implied}
spec: {clusterIP: 10.96.123.45, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: outside, namespace: default}
spec: {clusterIP: 192.168.99.1, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: taken, namespace: default}
spec: {clusterIP: 10.96.0.10, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: six, namespace: default}
spec: {clusterIP: "fd00:10:96::abc", ports: [{port: 80}]}
`;

describe('explicit cluster IPs and namespaces', () => {
  const snap = snapshotFromYaml({ 'explicit.yaml': EXPLICIT });
  const svc = (name: string) => snap.cluster.state.services.find((s) => s.name === name)!;
  it('an explicit clusterIP inside the range is honoured without a finding', () => {
    expect(svc('inside').clusterIPs).toEqual(['10.96.123.45']);
  });
  it('one outside the range is honoured with a warning', () => {
    expect(svc('outside').clusterIPs).toEqual(['192.168.99.1']);
    const f = snap.findings.filter((x) => x.code === 'CLUSTER_IP_CONFLICT' && x.value === '192.168.99.1');
    expect(f.map((x) => [x.severity, x.path, x.line])).toEqual([['warning', 'spec.clusterIP', 11]]);
  });
  it('one already taken (kube-dns) gets another address and a warning', () => {
    expect(svc('taken').clusterIPs).toHaveLength(1);
    expect(svc('taken').clusterIPs[0]).not.toBe('10.96.0.10');
    expect(snap.findings.filter((x) => x.code === 'CLUSTER_IP_CONFLICT' && x.value === '10.96.0.10').map((x) => x.severity)).toEqual(['warning']);
  });
  it('an explicit IPv6 clusterIP makes an IPv6 single-stack service', () => {
    expect(svc('six').clusterIPs).toEqual(['fd00:10:96::abc']);
    expect(svc('six').ipFamilies).toEqual(['IPv6']);
  });
  it('namespaces: declared, implied, and the system ones always', () => {
    const ns = Object.fromEntries(snap.cluster.state.namespaces.map((n) => [n.name, n.declared]));
    expect(ns).toMatchObject({ declared: true, implied: false, default: false, 'kube-system': false, 'kube-public': false });
  });
});

describe('endpoints built from selected pods', () => {
  const yaml = (publish: boolean) => `
apiVersion: v1
kind: Service
metadata: {name: s, namespace: default}
spec: {clusterIP: None, publishNotReadyAddresses: ${publish}, selector: {app: s}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default, labels: {app: s}}
spec: {hostname: h, subdomain: s, containers: [{name: c, image: nginx}]}
status: {podIP: 10.244.50.5, conditions: [{type: Ready, status: "False"}]}
`;
  for (const publish of [false, true]) {
    it(`a not-ready pod is ${publish ? 'ready with' : 'not ready without'} publishNotReadyAddresses`, () => {
      const state = snapshotFromYaml({ 's.yaml': yaml(publish) }).cluster.state;
      const ep = state.endpointSlices.find((x) => x.serviceName === 's')!.endpoints[0];
      expect([ep.addresses, ep.ready, ep.hostname]).toEqual([['10.244.50.5'], publish, 'h']);
    });
  }
});
