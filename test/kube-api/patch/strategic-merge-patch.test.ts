import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../src/kube-api/patch/index.js';

// Patches shaped like what kubectl's client-side `apply` sends (strategicpatch.CreateThreeWayMergePatch of
// last-applied, the new file and the live object), applied to live objects that carry server-set fields.
const SMP = 'application/strategic-merge-patch+json';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const SERVICE = { group: '', version: 'v1', kind: 'Service' };
const POD = { group: '', version: 'v1', kind: 'Pod' };
const STATEFULSET = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
const NAMESPACE = { group: '', version: 'v1', kind: 'Namespace' };
const SCALE = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

type Obj = Record<string, unknown>;

function container(overrides: Obj = {}): Obj {
  return {
    name: 'web',
    image: 'nginx:1.25',
    ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
    env: [{ name: 'MODE', value: 'prod' }, { name: 'DEBUG', value: '0' }],
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
    ...overrides,
  };
}

function liveDeployment(spec: Obj = {}, template: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '5b1f0c3e-0000-4000-8000-000000000001',
      resourceVersion: '42',
      generation: 3,
      labels: { app: 'web', tier: 'frontend' },
      annotations: { [LAST_APPLIED]: '{"old":true}\n', 'deployment.kubernetes.io/revision': '3' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'frontend' } },
        spec: { containers: [container(), container({ name: 'sidecar', image: 'envoy:1', ports: [], env: [] })], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', ...template },
      },
      ...spec,
    },
    status: { replicas: 2, readyReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
  };
}

function withLastApplied(patch: Obj): Obj {
  const metadata = (patch.metadata ?? {}) as Obj;
  return { ...patch, metadata: { ...metadata, annotations: { ...((metadata.annotations ?? {}) as Obj), [LAST_APPLIED]: '{"new":true}\n' } } };
}

const get = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], o);

interface Case {
  name: string;
  target: { group: string; version: string; kind: string };
  live: Obj;
  patch: unknown;
  expect: (result: Obj) => void;
}

const kubectlCases: Case[] = [
  {
    name: 'apply: change a container image keeps the other container, ports, env and defaults',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.26', name: 'web' }] } } } }),
    expect: (r) => {
      const containers = get(r, 'spec', 'template', 'spec', 'containers') as Obj[];
      expect(containers.map((c) => c.name)).toEqual(['web', 'sidecar']);
      expect(containers[0]).toEqual(container({ image: 'nginx:1.26' }));
      expect(get(r, 'metadata', 'annotations')).toEqual({ [LAST_APPLIED]: '{"new":true}\n', 'deployment.kubernetes.io/revision': '3' });
      expect(get(r, 'status', 'readyReplicas')).toBe(2);
    },
  },
  {
    name: 'apply: add a container port merges by containerPort in $setElementOrder order',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ '$setElementOrder/ports': [{ containerPort: 443 }, { containerPort: 80 }], name: 'web', ports: [{ containerPort: 443, name: 'https' }] }] } } },
    }),
    expect: (r) => {
      expect(get(r, 'spec', 'template', 'spec', 'containers', 0, 'ports')).toEqual([{ containerPort: 443, name: 'https' }, { containerPort: 80, name: 'http', protocol: 'TCP' }]);
    },
  },
  {
    name: 'apply: remove a container port with a $patch: delete item',
    target: DEPLOYMENT,
    live: liveDeployment({}, { containers: [container({ ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443, name: 'https', protocol: 'TCP' }] })] }),
    patch: withLastApplied({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ '$setElementOrder/ports': [{ containerPort: 80 }], name: 'web', ports: [{ $patch: 'delete', containerPort: 443 }] }] } } },
    }),
    expect: (r) => {
      expect(get(r, 'spec', 'template', 'spec', 'containers', 0, 'ports')).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
    },
  },
  {
    name: 'apply: remove the last port of a container sends ports: null',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ name: 'web', ports: null }] } } } }),
    expect: (r) => {
      expect(get(r, 'spec', 'template', 'spec', 'containers', 0)).not.toHaveProperty('ports');
      expect(get(r, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('nginx:1.25');
    },
  },
  {
    name: 'apply: remove an env var and change another',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ '$setElementOrder/env': [{ name: 'MODE' }], env: [{ name: 'MODE', value: 'dev' }, { $patch: 'delete', name: 'DEBUG' }], name: 'web' }] } } },
    }),
    expect: (r) => {
      expect(get(r, 'spec', 'template', 'spec', 'containers', 0, 'env')).toEqual([{ name: 'MODE', value: 'dev' }]);
    },
  },
  {
    name: 'apply: add a container appends it after the live ones in $setElementOrder order',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }, { name: 'metrics' }], containers: [{ image: 'prom/exporter:1', name: 'metrics' }] } } } }),
    expect: (r) => {
      expect((get(r, 'spec', 'template', 'spec', 'containers') as Obj[]).map((c) => c.name)).toEqual(['web', 'sidecar', 'metrics']);
    },
  },
  {
    name: 'apply: remove a container with $patch: delete',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ $patch: 'delete', name: 'sidecar' }] } } } }),
    expect: (r) => {
      expect((get(r, 'spec', 'template', 'spec', 'containers') as Obj[]).map((c) => c.name)).toEqual(['web']);
    },
  },
  {
    name: 'apply: scale replicas',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({ spec: { replicas: 5 } }),
    expect: (r) => {
      expect(get(r, 'spec', 'replicas')).toBe(5);
      expect(get(r, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('nginx:1.25');
    },
  },
  {
    name: 'apply: remove a label from the object and the pod template',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({ metadata: { labels: { tier: null } }, spec: { template: { metadata: { labels: { tier: null } } } } }),
    expect: (r) => {
      expect(get(r, 'metadata', 'labels')).toEqual({ app: 'web' });
      expect(get(r, 'spec', 'template', 'metadata', 'labels')).toEqual({ app: 'web' });
    },
  },
  {
    name: 'apply: add an annotation keeps the server-set ones',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: { metadata: { annotations: { 'example.com/owner': 'team-a', [LAST_APPLIED]: '{"new":true}\n' } } },
    expect: (r) => {
      expect(get(r, 'metadata', 'annotations')).toEqual({ [LAST_APPLIED]: '{"new":true}\n', 'deployment.kubernetes.io/revision': '3', 'example.com/owner': 'team-a' });
    },
  },
  {
    name: 'apply: switch strategy to Recreate clears rollingUpdate with $retainKeys',
    target: DEPLOYMENT,
    live: liveDeployment(),
    patch: withLastApplied({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } }),
    expect: (r) => {
      expect(get(r, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
    },
  },
  {
    name: 'apply: change a volume source with $retainKeys drops the old source',
    target: DEPLOYMENT,
    live: liveDeployment({}, { volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: {} }] }),
    patch: withLastApplied({ spec: { template: { spec: { '$setElementOrder/volumes': [{ name: 'data' }, { name: 'tmp' }], volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, emptyDir: null, name: 'data' }] } } } }),
    expect: (r) => {
      expect(get(r, 'spec', 'template', 'spec', 'volumes')).toEqual([{ name: 'data', configMap: { name: 'cfg' } }, { name: 'tmp', emptyDir: {} }]);
    },
  },
  {
    name: 'apply: tolerations have no patch strategy and are replaced',
    target: DEPLOYMENT,
    live: liveDeployment({}, { tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }),
    patch: withLastApplied({ spec: { template: { spec: { tolerations: [{ key: 'c', operator: 'Exists' }] } } } }),
    expect: (r) => {
      expect(get(r, 'spec', 'template', 'spec', 'tolerations')).toEqual([{ key: 'c', operator: 'Exists' }]);
    },
  },
  {
    name: 'apply: Service port list: change one, add one, delete one (merge key port)',
    target: SERVICE,
    live: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', annotations: { [LAST_APPLIED]: '{}' } },
      spec: {
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
        ],
        selector: { app: 'web' },
        type: 'ClusterIP',
      },
    },
    patch: withLastApplied({
      spec: {
        '$setElementOrder/ports': [{ port: 80 }, { port: 9090 }],
        ports: [{ port: 80, targetPort: 8081 }, { name: 'metrics', port: 9090, targetPort: 9090 }, { $patch: 'delete', port: 443 }],
      },
    }),
    expect: (r) => {
      expect(get(r, 'spec', 'ports')).toEqual([
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 8081 },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ]);
      expect(get(r, 'spec', 'clusterIP')).toBe('10.96.0.10');
    },
  },
  {
    name: 'apply: StatefulSet volumeClaimTemplates have no strategy and are replaced',
    target: STATEFULSET,
    live: { metadata: { name: 'db' }, spec: { replicas: 1, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }] } },
    patch: { spec: { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '2Gi' } } } }] } },
    expect: (r) => {
      expect(get(r, 'spec', 'volumeClaimTemplates')).toEqual([{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '2Gi' } } } }]);
    },
  },
  {
    name: 'apply: StatefulSet pod template containers merge by name',
    target: STATEFULSET,
    live: { metadata: { name: 'db' }, spec: { template: { spec: { containers: [{ name: 'db', image: 'pg:15', ports: [{ containerPort: 5432 }] }] } } } },
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'db' }], containers: [{ name: 'db', image: 'pg:16' }] } } } },
    expect: (r) => {
      expect(get(r, 'spec', 'template', 'spec', 'containers')).toEqual([{ name: 'db', image: 'pg:16', ports: [{ containerPort: 5432 }] }]);
    },
  },
];

describe('strategic merge patch: what kubectl apply sends', () => {
  it.each(kubectlCases)('$name', ({ target, live, patch, expect: check }) => {
    const before = structuredClone(live);
    const r = applyPatch(SMP, live, patch, target);
    expect(r.ok ? undefined : r).toBeUndefined();
    if (r.ok) check(r.value);
    expect(live).toEqual(before);
    expect(JSON.stringify(r)).not.toContain('$setElementOrder');
  });
});

const directiveCases: Case[] = [
  {
    name: 'finalizers merge as a set of scalars',
    target: NAMESPACE,
    live: { metadata: { name: 'ns', finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'c'] } },
    expect: (r) => expect(get(r, 'metadata', 'finalizers')).toEqual(['a', 'b', 'c']),
  },
  {
    name: '$deleteFromPrimitiveList/finalizers removes values',
    target: NAMESPACE,
    live: { metadata: { name: 'ns', finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    expect: (r) => expect(get(r, 'metadata', 'finalizers')).toEqual(['a', 'c']),
  },
  {
    name: '$setElementOrder/finalizers orders scalars',
    target: NAMESPACE,
    live: { metadata: { name: 'ns', finalizers: ['a', 'b'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'], finalizers: ['c'] } },
    expect: (r) => expect(get(r, 'metadata', 'finalizers')).toEqual(['c', 'b', 'a']),
  },
  {
    name: 'Namespace spec.finalizers has no strategy and is replaced',
    target: NAMESPACE,
    live: { metadata: { name: 'ns' }, spec: { finalizers: ['kubernetes'] } },
    patch: { spec: { finalizers: [] } },
    expect: (r) => expect(get(r, 'spec', 'finalizers')).toEqual([]),
  },
  {
    name: 'ownerReferences merge by uid; without $setElementOrder the patch order comes first (as in apimachinery)',
    target: POD,
    live: { metadata: { name: 'p', ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs1' }] } },
    patch: { metadata: { ownerReferences: [{ uid: 'u2', kind: 'ReplicaSet', name: 'rs2' }, { uid: 'u1', controller: true }] } },
    expect: (r) => expect(get(r, 'metadata', 'ownerReferences')).toEqual([{ uid: 'u2', kind: 'ReplicaSet', name: 'rs2' }, { uid: 'u1', kind: 'ReplicaSet', name: 'rs1', controller: true }]),
  },
  {
    name: 'Pod status conditions merge by type',
    target: POD,
    live: { metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] } },
    patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    expect: (r) => expect(get(r, 'status', 'conditions')).toEqual([{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }]),
  },
  {
    name: 'hostAliases merge by ip, initContainers by name, volumeMounts by mountPath (new items first without $setElementOrder)',
    target: POD,
    live: { spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }], initContainers: [{ name: 'init', image: 'busybox', volumeMounts: [{ mountPath: '/a', name: 'v' }] }] } },
    patch: { spec: { hostAliases: [{ ip: '10.0.0.2', hostnames: ['b'] }], initContainers: [{ name: 'init', volumeMounts: [{ mountPath: '/b', name: 'w' }] }] } },
    expect: (r) => {
      expect(get(r, 'spec', 'hostAliases')).toEqual([{ ip: '10.0.0.2', hostnames: ['b'] }, { ip: '10.0.0.1', hostnames: ['a'] }]);
      expect(get(r, 'spec', 'initContainers', 0, 'volumeMounts')).toEqual([{ mountPath: '/b', name: 'w' }, { mountPath: '/a', name: 'v' }]);
    },
  },
  {
    name: '$patch: replace on a list replaces it',
    target: POD,
    live: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } },
    patch: { spec: { containers: [{ name: 'c' }, { $patch: 'replace' }] } },
    expect: (r) => expect(get(r, 'spec', 'containers')).toEqual([{ name: 'c' }]),
  },
  {
    name: '$patch: replace on a map replaces it',
    target: DEPLOYMENT,
    live: { spec: { selector: { matchLabels: { app: 'web', tier: 'x' } } } },
    patch: { spec: { selector: { $patch: 'replace', matchLabels: { app: 'api' } } } },
    expect: (r) => expect(get(r, 'spec', 'selector')).toEqual({ matchLabels: { app: 'api' } }),
  },
  {
    name: '$patch: delete on a map empties it',
    target: POD,
    live: { metadata: { name: 'p', labels: { a: '1' } } },
    patch: { metadata: { labels: { $patch: 'delete' } } },
    expect: (r) => expect(get(r, 'metadata', 'labels')).toEqual({}),
  },
  {
    name: 'null deletes a key; unmatched nulls are ignored',
    target: POD,
    live: { metadata: { name: 'p' }, spec: { nodeName: 'n1' } },
    patch: { spec: { nodeName: null, priority: null } },
    expect: (r) => expect(get(r, 'spec')).toEqual({}),
  },
  {
    name: 'nulls inside a new map are dropped',
    target: POD,
    live: { metadata: { name: 'p' } },
    patch: { spec: { nodeSelector: { a: '1', b: null } } },
    expect: (r) => expect(get(r, 'spec', 'nodeSelector')).toEqual({ a: '1' }),
  },
  {
    name: 'a list under a field the table does not know is replaced',
    target: POD,
    live: { spec: { unknownList: [{ name: 'a' }] } },
    patch: { spec: { unknownList: [{ name: 'b' }] } },
    expect: (r) => expect(get(r, 'spec', 'unknownList')).toEqual([{ name: 'b' }]),
  },
  {
    name: 'Scale: replicas',
    target: SCALE,
    live: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } },
    patch: { spec: { replicas: 0 } },
    expect: (r) => expect(r).toEqual({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 0 }, status: { replicas: 2, selector: 'app=web' } }),
  },
  {
    name: 'EndpointSlice endpoints have no strategy and are replaced',
    target: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
    live: { endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] },
    patch: { endpoints: [{ addresses: ['10.0.0.2'] }] },
    expect: (r) => expect(r).toEqual({ endpoints: [{ addresses: ['10.0.0.2'] }], ports: [{ port: 80 }] }),
  },
  {
    name: 'a $patch: delete item for an absent entry is a no-op',
    target: SERVICE,
    live: { spec: { ports: [{ port: 80 }] } },
    patch: { spec: { ports: [{ $patch: 'delete', port: 443 }] } },
    expect: (r) => expect(get(r, 'spec', 'ports')).toEqual([{ port: 80 }]),
  },
];

describe('strategic merge patch: directives and merge keys', () => {
  it.each(directiveCases)('$name', ({ target, live, patch, expect: check }) => {
    const r = applyPatch(SMP, live, patch, target);
    expect(r.ok ? undefined : r).toBeUndefined();
    if (r.ok) check(r.value);
  });
});

const failures = [
  { name: 'merge-keyed list item without its key', target: POD, live: { spec: { containers: [{ name: 'a' }] } }, patch: { spec: { containers: [{ image: 'x' }] } }, code: 'STRATEGIC_MERGE_PATCH_MERGE_KEY_MISSING', reason: 'BadRequest', message: 'map: map[image:x] does not contain declared merge key: name' },
  { name: '$patch: merge in a map', target: POD, live: { spec: { a: {} } }, patch: { spec: { $patch: 'merge' } }, code: 'STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', reason: 'BadRequest', message: 'unknown patch type: merge in map: map[$patch:merge]' },
  { name: '$patch: merge in a list', target: POD, live: { spec: { containers: [{ name: 'a' }] } }, patch: { spec: { containers: [{ $patch: 'merge' }] } }, code: 'STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', reason: 'BadRequest', message: 'merging lists cannot yet be specified in the patch' },
  { name: '$retainKeys not a list', target: DEPLOYMENT, live: { spec: { strategy: { type: 'Recreate' } } }, patch: { spec: { strategy: { $retainKeys: 'type' } } }, code: 'STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
  { name: 'patch key missing from $retainKeys', target: DEPLOYMENT, live: { spec: { strategy: { type: 'Recreate' } } }, patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, code: 'STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
  { name: '$setElementOrder out of order with the patch list', target: POD, live: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } }, code: 'STRATEGIC_MERGE_PATCH_DIRECTIVE_INVALID', reason: 'BadRequest' },
  { name: 'lists of lists', target: NAMESPACE, live: { metadata: { finalizers: [['a']] } }, patch: { metadata: { finalizers: [['b']] } }, code: 'STRATEGIC_MERGE_PATCH_LIST_INVALID', reason: 'Invalid', message: 'lists of lists are not supported' },
  { name: 'mixed item types in a merged list', target: NAMESPACE, live: { metadata: { finalizers: ['a'] } }, patch: { metadata: { finalizers: [{ a: 1 }] } }, code: 'STRATEGIC_MERGE_PATCH_LIST_INVALID', reason: 'Invalid' },
  { name: 'a patch that is not an object', target: POD, live: {}, patch: [1], code: 'MERGE_PATCH_NOT_AN_OBJECT', reason: 'BadRequest', message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
];

describe('strategic merge patch: refusals', () => {
  it.each(failures)('$name', ({ target, live, patch, code, reason, message }) => {
    const r = applyPatch(SMP, live, patch, target);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    expect(r.reason).toBe(reason);
    expect(r.hint.length).toBeGreaterThan(0);
    if (message) expect(r.message).toBe(message);
  });
});
