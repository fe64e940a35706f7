import { describe, expect, it } from 'vitest';
import { toCanonicalQuantity } from '../../src/kube-api/table/quantity.js';
import { toTable } from '../../src/kube-api/table/to-table.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:57:57Z'; // 2m3s before NOW
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: created, ...extra });
const row = (kind: string, obj: Record<string, unknown>) => toTable(kind, [obj], { now: NOW }).rows[0];

const running = { name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: created } } };
const podCases = [
  {
    name: 'running and ready',
    pod: { metadata: meta('web-0'), spec: { nodeName: 'node-a', containers: [{ name: 'app' }] }, status: { phase: 'Running', podIP: '10.244.0.3', podIPs: [{ ip: '10.244.0.3' }], containerStatuses: [running] } },
    cells: ['web-0', '1/1', 'Running', '0', '2m3s', '10.244.0.3', 'node-a', '<none>', '<none>'],
  },
  {
    name: 'pending without statuses',
    pod: { metadata: meta('p'), spec: { containers: [{ name: 'app' }] }, status: { phase: 'Pending' } },
    cells: ['p', '0/1', 'Pending', '0', '2m3s', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'container creating',
    pod: { metadata: meta('p'), spec: { nodeName: 'n', containers: [{ name: 'app' }] }, status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } },
    cells: ['p', '0/1', 'ContainerCreating', '0', '2m3s', '<none>', 'n', '<none>', '<none>'],
  },
  {
    name: 'completed',
    pod: { metadata: meta('job'), spec: { containers: [{ name: 'app' }] }, status: { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] } },
    cells: ['job', '0/1', 'Completed', '0', '2m3s', '<none>', '<none>', '<none>', '<none>'],
    conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
  },
  {
    name: 'terminating',
    pod: { metadata: meta('web-0', { deletionTimestamp: '2024-05-01T12:00:00Z' }), spec: { containers: [{ name: 'app' }] }, status: { phase: 'Running', containerStatuses: [running] } },
    cells: ['web-0', '1/1', 'Terminating', '0', '2m3s', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'crash loop with restarts and last restart age',
    pod: {
      metadata: meta('c'),
      spec: { containers: [{ name: 'app' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:55:00Z' } } }] },
    },
    cells: ['c', '0/1', 'CrashLoopBackOff', '3 (5m ago)', '2m3s', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'init container still running',
    pod: { metadata: meta('i'), spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { running: {} } }] } },
    cells: ['i', '0/1', 'Init:0/1', '0', '2m3s', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'sidecar init container counts toward READY',
    pod: {
      metadata: meta('s'),
      spec: { initContainers: [{ name: 'side', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 0, state: { running: {} } }], containerStatuses: [running] },
    },
    cells: ['s', '2/2', 'Running', '0', '2m3s', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'readiness gates',
    pod: { metadata: meta('g'), spec: { containers: [{ name: 'app' }], readinessGates: [{ conditionType: 'x/ready' }, { conditionType: 'y/ready' }] }, status: { phase: 'Running', conditions: [{ type: 'x/ready', status: 'True' }], containerStatuses: [running] } },
    cells: ['g', '1/1', 'Running', '0', '2m3s', '<none>', '<none>', '<none>', '1/2'],
  },
];

describe('Pod rows', () => {
  it.each(podCases)('$name', ({ pod, cells, conditions }) => {
    const r = row('Pod', pod);
    expect(r.cells).toEqual(cells);
    expect(r.conditions).toEqual(conditions);
  });
});

const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => ({ metadata: meta('s'), spec, status });
const serviceCases = [
  { name: 'cluster IP', obj: svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } }), cells: ['s', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '2m3s', 'app=web'] },
  { name: 'headless without ports', obj: svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }), cells: ['s', 'ClusterIP', 'None', '<none>', '<none>', '2m3s', '<none>'] },
  {
    name: 'node port',
    obj: svc({ type: 'NodePort', clusterIPs: ['10.96.0.5'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP', nodePort: 30053 }] }),
    cells: ['s', 'NodePort', '10.96.0.5', '<none>', '80:30080/TCP,53:30053/UDP', '2m3s', '<none>'],
  },
  { name: 'external name', obj: svc({ type: 'ExternalName', externalName: 'db.example.com' }), cells: ['s', 'ExternalName', '<none>', 'db.example.com', '<none>', '2m3s', '<none>'] },
  { name: 'load balancer pending', obj: svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.7'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }), cells: ['s', 'LoadBalancer', '10.96.0.7', '<pending>', '443:31443/TCP', '2m3s', '<none>'] },
  {
    name: 'load balancer with ingress and external IPs',
    obj: svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.7'], externalIPs: ['1.2.3.4'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { hostname: 'lb.example.com' }] } }),
    cells: ['s', 'LoadBalancer', '10.96.0.7', '5.6.7.8,lb.example.com,1.2.3.4', '443:31443/TCP', '2m3s', '<none>'],
  },
];

describe('Service rows', () => {
  it.each(serviceCases)('$name', ({ obj, cells }) => expect(row('Service', obj).cells).toEqual(cells));
});

const addrs = (n: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.244.0.${i + 1}` }));
describe('Endpoints and EndpointSlice rows', () => {
  it.each([
    { name: 'no subsets', obj: { metadata: meta('e') }, cell: '<none>' },
    { name: 'one port', obj: { metadata: meta('e'), subsets: [{ addresses: addrs(2), ports: [{ port: 80 }] }] }, cell: '10.244.0.1:80,10.244.0.2:80' },
    { name: 'shortened', obj: { metadata: meta('e'), subsets: [{ addresses: addrs(5), ports: [{ port: 80 }] }] }, cell: '10.244.0.1:80,10.244.0.2:80,10.244.0.3:80 + 2 more...' },
    { name: 'ports multiply addresses', obj: { metadata: meta('e'), subsets: [{ addresses: addrs(2), ports: [{ port: 80 }, { port: 443 }] }] }, cell: '10.244.0.1:80,10.244.0.2:80,10.244.0.1:443 + 1 more...' },
    { name: 'headless without ports', obj: { metadata: meta('e'), subsets: [{ addresses: addrs(1) }] }, cell: '10.244.0.1' },
    { name: 'IPv6 in brackets', obj: { metadata: meta('e'), subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] }, cell: '[fd00::1]:80' },
  ])('Endpoints: $name', ({ obj, cell }) => expect(row('Endpoints', obj).cells).toEqual(['e', cell, '2m3s']));

  it.each([
    { name: 'empty', obj: { metadata: meta('sl'), addressType: 'IPv4', endpoints: [], ports: [] }, cells: ['sl', 'IPv4', '<unset>', '<unset>', '2m3s'] },
    {
      name: 'ports and shortened endpoints',
      obj: { metadata: meta('sl'), addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }], ports: [{ port: 80, name: 'http' }, { name: 'dns' }, { port: null }] },
      cells: ['sl', 'IPv4', '80,dns,*', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '2m3s'],
    },
    { name: 'more than three ports', obj: { metadata: meta('sl'), addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1'] }], ports: [1, 2, 3, 4, 5].map((port) => ({ port })) }, cells: ['sl', 'IPv6', '1,2,3 + 2 more...', 'fd00::1', '2m3s'] },
  ])('EndpointSlice: $name', ({ obj, cells }) => expect(row('EndpointSlice', obj).cells).toEqual(cells));
});

const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] } };
describe('workload rows', () => {
  it.each([
    { name: 'StatefulSet', kind: 'StatefulSet', obj: { metadata: meta('db'), spec: { replicas: 3, template }, status: { readyReplicas: 2 } }, cells: ['db', '2/3', '2m3s', 'web,log', 'nginx:1.25,busybox'] },
    { name: 'StatefulSet without status', kind: 'StatefulSet', obj: { metadata: meta('db'), spec: { template } }, cells: ['db', '0/1', '2m3s', 'web,log', 'nginx:1.25,busybox'] },
    {
      name: 'ReplicaSet (integer cells)',
      kind: 'ReplicaSet',
      obj: { metadata: meta('web-5d9'), spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d9' } }, template }, status: { replicas: 2, readyReplicas: 1 } },
      cells: ['web-5d9', 2, 2, 1, '2m3s', 'web,log', 'nginx:1.25,busybox', 'app=web,pod-template-hash=5d9'],
    },
    {
      name: 'Deployment',
      kind: 'Deployment',
      obj: { metadata: meta('web'), spec: { replicas: 3, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, template }, status: { readyReplicas: 3, updatedReplicas: 3, availableReplicas: 2 } },
      cells: ['web', '3/3', 3, 2, '2m3s', 'web,log', 'nginx:1.25,busybox', 'app in (web)'],
    },
  ])('$name', ({ kind, obj, cells }) => expect(row(kind, obj).cells).toEqual(cells));
});

describe('PersistentVolumeClaim and Namespace rows', () => {
  it.each([
    {
      name: 'bound',
      obj: { metadata: meta('data-db-0'), spec: { volumeName: 'pv-1', storageClassName: 'standard', volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound', capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'] } },
      cells: ['data-db-0', 'Bound', 'pv-1', '1Gi', 'RWO,RWX', 'standard', '<unset>', '2m3s', 'Filesystem'],
    },
    {
      name: 'pending hides capacity and modes',
      obj: { metadata: meta('c'), spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } },
      cells: ['c', 'Pending', '', '', '', 'standard', '<unset>', '2m3s', '<unset>'],
    },
    {
      name: 'terminating, beta class annotation wins',
      obj: { metadata: meta('c', { deletionTimestamp: created, annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } }), spec: { storageClassName: 'standard', volumeAttributesClassName: 'gold' }, status: { phase: 'Bound' } },
      cells: ['c', 'Terminating', '', '', '', 'old', 'gold', '2m3s', '<unset>'],
    },
  ])('PVC: $name', ({ obj, cells }) => expect(row('PersistentVolumeClaim', obj).cells).toEqual(cells));

  it('Namespace', () => expect(row('Namespace', { metadata: { name: 'dev', creationTimestamp: created }, status: { phase: 'Terminating' } }).cells).toEqual(['dev', 'Terminating', '2m3s']));
});

describe('toTable envelope', () => {
  const pod = podCases[0].pod;
  it('columns as the apiserver declares them, wide ones at priority 1', () => {
    const t = toTable('Pod', [pod], { now: NOW, resourceVersion: '42' });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '42' });
    expect(t.columnDefinitions!.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
    expect(Object.keys(t)).toEqual(['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
  });
  it.each([
    { kind: 'Service', names: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'] },
    { kind: 'Endpoints', names: ['Name', 'Endpoints', 'Age'] },
    { kind: 'EndpointSlice', names: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'] },
    { kind: 'StatefulSet', names: ['Name', 'Ready', 'Age', 'Containers', 'Images'] },
    { kind: 'ReplicaSet', names: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'] },
    { kind: 'Deployment', names: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'] },
    { kind: 'PersistentVolumeClaim', names: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode'] },
    { kind: 'Namespace', names: ['Name', 'Status', 'Age'] },
    { kind: 'ConfigMap', names: ['Name', 'Created At'] },
  ])('columns of $kind', ({ kind, names }) => expect(toTable(kind, [], { now: NOW }).columnDefinitions!.map((c) => c.name)).toEqual(names));

  it.each([
    { name: 'Metadata by default', opts: {}, want: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata } },
    { name: 'Metadata in v1beta1', opts: { version: 'v1beta1' as const }, want: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1', metadata: pod.metadata } },
    { name: 'Object', opts: { includeObject: 'Object' as const }, want: pod },
    { name: 'None', opts: { includeObject: 'None' as const }, want: null },
  ])('includeObject: $name', ({ opts, want }) => expect(toTable('Pod', [pod], { now: NOW, ...opts }).rows[0].object).toEqual(want));

  it('noHeaders leaves columnDefinitions null (watch events after the first)', () => {
    const t = toTable('Pod', [pod], { now: NOW, noHeaders: true });
    expect(t.columnDefinitions).toBeNull();
    expect(JSON.parse(JSON.stringify(t)).columnDefinitions).toBeNull();
  });
  it('an empty list has empty rows', () => expect(toTable('Pod', [], { now: NOW }).rows).toEqual([]));
  it('unset creationTimestamp prints <unknown> and null in the partial metadata', () => {
    const r = toTable('Namespace', [{ metadata: { name: 'x' }, status: { phase: 'Active' } }], { now: NOW }).rows[0];
    expect(r.cells).toEqual(['x', 'Active', '<unknown>']);
    expect((r.object as { metadata: Record<string, unknown> }).metadata.creationTimestamp).toBeNull();
  });
  it('default table prints Created At in RFC 3339', () => expect(row('ConfigMap', { metadata: meta('cm') }).cells).toEqual(['cm', created]));
});

describe('toCanonicalQuantity', () => {
  it.each([
    { name: 'binary kept', in: '1Gi', want: '1Gi' },
    { name: 'binary folded up', in: '1024Mi', want: '1Gi' },
    { name: 'binary not divisible', in: '1536Mi', want: '1536Mi' },
    { name: 'fractional binary', in: '1.5Gi', want: '1536Mi' },
    { name: 'small binary becomes decimal', in: '0.5Ki', want: '512' },
    { name: 'decimal folded up', in: '1000M', want: '1G' },
    { name: 'decimal kept', in: '1500M', want: '1500M' },
    { name: 'fractional decimal', in: '0.5G', want: '500M' },
    { name: 'plain bytes', in: '2000', want: '2k' },
    { name: 'unrecognised form unchanged', in: '1e3', want: '1e3' },
  ])('$name', ({ in: q, want }) => expect(toCanonicalQuantity(q)).toBe(want));
});
