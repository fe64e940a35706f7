import { describe, expect, it } from 'vitest';
import { getObjectKey, getPodOrdinal, toEndpointSlice, toNamespace, toPod, toService } from '../../src/kube-follow/to-cluster-objects.js';
import { newEndpointSlice, newNamespace, newPod, newService } from '../helpers/kube-api-server.js';

const meta = (name: string, namespace = 'default') => ({ metadata: { name, namespace } });

describe('toService', () => {
  const cases: { name: string; object: object; expected: Record<string, unknown> | undefined }[] = [
    {
      name: 'ClusterIP: clusterIPs, families, ports with defaults',
      object: { ...meta('web'), spec: { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 53, protocol: 'UDP' }] } },
      expected: { type: 'ClusterIP', headless: false, clusterIPs: ['10.96.0.50'], ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: '', port: 53, protocol: 'UDP', targetPort: 53 }], externalName: undefined, publishNotReadyAddresses: false },
    },
    {
      name: 'only spec.clusterIP (a server before dual-stack): object/service.go uses it',
      object: { ...meta('old'), spec: { clusterIP: '10.96.0.51', ports: [] } },
      expected: { headless: false, clusterIPs: ['10.96.0.51'], ipFamilies: ['IPv4'] },
    },
    {
      name: 'dual-stack, IPv6 primary',
      object: { ...meta('dual'), spec: { clusterIP: 'fd00:10:96::5', clusterIPs: ['fd00:10:96::5', '10.96.0.5'], ipFamilies: ['IPv6', 'IPv4'] } },
      expected: { clusterIPs: ['fd00:10:96::5', '10.96.0.5'], ipFamilies: ['IPv6', 'IPv4'] },
    },
    {
      name: 'headless: clusterIP None, publishNotReadyAddresses',
      object: { ...meta('db'), spec: { clusterIP: 'None', clusterIPs: ['None'], publishNotReadyAddresses: true, selector: { app: 'db' } } },
      expected: { headless: true, clusterIPs: [], publishNotReadyAddresses: true },
    },
    {
      name: 'ExternalName keeps its name, no cluster IPs',
      object: { ...meta('alias'), spec: { type: 'ExternalName', externalName: 'example.com' } },
      expected: { type: 'ExternalName', headless: false, clusterIPs: [], externalName: 'example.com' },
    },
    {
      name: 'selector-less (endpoints from the API)',
      object: { ...meta('ext'), spec: { clusterIP: '10.96.0.52' } },
      expected: { selector: undefined },
    },
    {
      name: 'NodePort and LoadBalancer are kept; an unknown type is ClusterIP',
      object: { ...meta('np'), spec: { type: 'Weird', clusterIP: '10.96.0.53' } },
      expected: { type: 'ClusterIP' },
    },
    { name: 'no name: unusable', object: { metadata: {} }, expected: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = toService(c.object);
      if (c.expected === undefined) return expect(s).toBeUndefined();
      expect(s).toMatchObject(c.expected);
    });
  }

  it('the helper server objects convert', () => {
    expect(toService(newService('default', 'web', { clusterIP: '10.96.0.9' }))).toMatchObject({ namespace: 'default', name: 'web', clusterIPs: ['10.96.0.9'] });
  });
});

describe('toEndpointSlice', () => {
  const base = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4' };
  const cases: { name: string; object: object; expected: Record<string, unknown> | undefined }[] = [
    {
      name: 'endpoints with conditions, hostname, targetRef; ports',
      object: {
        ...base,
        endpoints: [
          { addresses: ['10.244.0.5'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'web-0', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0' } },
          { addresses: ['10.244.0.6'], conditions: { ready: false, serving: true, terminating: true } },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      expected: {
        serviceName: 'web',
        addressType: 'IPv4',
        managed: false,
        endpoints: [
          { addresses: ['10.244.0.5'], hostname: 'web-0', ready: true, serving: true, terminating: false, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0' } },
          { addresses: ['10.244.0.6'], hostname: undefined, ready: false, serving: true, terminating: true, targetRef: undefined },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    },
    {
      name: 'unset ready counts as ready (endpointsliceReady in object/endpoint.go)',
      object: { ...base, endpoints: [{ addresses: ['10.244.0.7'] }] },
      expected: { endpoints: [{ addresses: ['10.244.0.7'], hostname: undefined, ready: true, serving: true, terminating: false, targetRef: undefined }] },
    },
    {
      name: 'null endpoints and ports; a port without number is the -1 sentinel, without name ""',
      object: { ...base, endpoints: null, ports: [{ port: null, protocol: null, name: null }] },
      expected: { endpoints: [], ports: [{ name: '', port: -1, protocol: 'TCP' }] },
    },
    { name: 'IPv6 address type', object: { ...base, addressType: 'IPv6', endpoints: [] }, expected: { addressType: 'IPv6' } },
    { name: 'FQDN address type is kept (the index skips it)', object: { ...base, addressType: 'FQDN', endpoints: [] }, expected: { addressType: 'FQDN' } },
    { name: 'without the service-name label: no Service can use it', object: { ...base, metadata: { name: 'x', namespace: 'default' } }, expected: undefined },
    {
      name: 'managed by the endpointslice controller',
      object: newEndpointSlice('default', 'web-1', 'web', [{ ip: '10.244.0.8', pod: 'web-1' }], [{ name: 'http', port: 80 }]),
      expected: { managed: true, endpoints: [{ addresses: ['10.244.0.8'], ready: true, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1' } }] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = toEndpointSlice(c.object);
      if (c.expected === undefined) return expect(s).toBeUndefined();
      expect(s).toMatchObject(c.expected);
    });
  }
});

describe('toPod', () => {
  const cases: { name: string; object: object; expected: Record<string, unknown> | undefined }[] = [
    {
      name: 'running and ready StatefulSet pod: ordinal from the pod-index label, hostname, subdomain',
      object: {
        metadata: { name: 'db-1', namespace: 'default', labels: { app: 'db', 'apps.kubernetes.io/pod-index': '1' }, ownerReferences: [{ kind: 'StatefulSet', name: 'db', controller: true }] },
        spec: { hostname: 'db-1', subdomain: 'db', containers: [{ ports: [{ name: 'pg', containerPort: 5432 }, { containerPort: 9 }] }], volumes: [{ persistentVolumeClaim: { claimName: 'data-db-1' } }, {}] },
        status: { phase: 'Running', podIP: '10.244.1.2', podIPs: [{ ip: '10.244.1.2' }, { ip: 'fd00:10:244::2' }], conditions: [{ type: 'Ready', status: 'True' }] },
      },
      expected: {
        ips: ['10.244.1.2', 'fd00:10:244::2'],
        hostname: 'db-1',
        subdomain: 'db',
        phase: 'Running',
        ready: true,
        terminating: false,
        owner: { kind: 'StatefulSet', name: 'db' },
        ordinal: 1,
        claims: ['data-db-1'],
        containerPorts: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }],
      },
    },
    {
      name: 'only status.podIP; not ready; ReplicaSet owner has no ordinal',
      object: { metadata: { name: 'web-7d9-abcde', namespace: 'default', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9', controller: true }] }, status: { phase: 'Running', podIP: '10.244.1.3', conditions: [{ type: 'Ready', status: 'False' }] } },
      expected: { ips: ['10.244.1.3'], ready: false, owner: { kind: 'ReplicaSet', name: 'web-7d9' }, ordinal: -1 },
    },
    { name: 'pending without an IP', object: { metadata: { name: 'p', namespace: 'default' }, status: { phase: 'Pending' } }, expected: { ips: [], phase: 'Pending', ready: false } },
    { name: 'no status at all: Pending', object: { metadata: { name: 'p', namespace: 'default' } }, expected: { ips: [], phase: 'Pending' } },
    { name: 'deletionTimestamp: terminating', object: { metadata: { name: 'p', namespace: 'default', deletionTimestamp: '2024-01-01T00:00:00Z' }, status: { phase: 'Running', podIP: '10.244.1.4' } }, expected: { terminating: true } },
    { name: 'Succeeded: not watched by CoreDNS', object: { metadata: { name: 'job', namespace: 'default' }, status: { phase: 'Succeeded', podIP: '10.244.1.5' } }, expected: undefined },
    { name: 'Failed: not watched by CoreDNS', object: { metadata: { name: 'job', namespace: 'default' }, status: { phase: 'Failed' } }, expected: undefined },
    { name: 'Unknown: not watched by CoreDNS', object: { metadata: { name: 'job', namespace: 'default' }, status: { phase: 'Unknown' } }, expected: undefined },
    { name: 'an owner that is not a controller is no owner', object: { metadata: { name: 'p', namespace: 'default', ownerReferences: [{ kind: 'StatefulSet', name: 's', controller: false }] } }, expected: { owner: undefined, ordinal: -1 } },
    { name: 'helper pod', object: newPod('default', 'web-0', '10.244.0.9', true, { hostname: 'web-0', subdomain: 'web', owner: { kind: 'StatefulSet', name: 'web' } }), expected: { ips: ['10.244.0.9'], ready: true, ordinal: 0 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = toPod(c.object);
      if (c.expected === undefined) return expect(p).toBeUndefined();
      expect(p).toMatchObject(c.expected);
    });
  }
});

describe('small helpers', () => {
  const ordinals: { name: string; pod: string; labels: Record<string, string>; expected: number }[] = [
    { name: 'label wins', pod: 'web-3', labels: { 'apps.kubernetes.io/pod-index': '7' }, expected: 7 },
    { name: 'name suffix', pod: 'web-12', labels: {}, expected: 12 },
    { name: 'neither', pod: 'web', labels: {}, expected: -1 },
  ];
  for (const c of ordinals) it(`getPodOrdinal: ${c.name}`, () => expect(getPodOrdinal(c.pod, c.labels)).toBe(c.expected));

  it('toNamespace and getObjectKey', () => {
    expect(toNamespace(newNamespace('team-a'))).toEqual({ name: 'team-a', declared: true });
    expect(toNamespace({ metadata: {} })).toBeUndefined();
    expect(getObjectKey(newNamespace('team-a'))).toBe('team-a');
    expect(getObjectKey(newPod('ns1', 'p', undefined, false))).toBe('ns1/p');
    expect(getObjectKey({})).toBe('');
  });
});
