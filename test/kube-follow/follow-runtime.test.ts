import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DNS_CONFIG } from '../../src/dns/records/dns-config.js';
import { lookupName, Rcode } from '../../src/dns/records/lookup.js';
import { buildRecordIndex } from '../../src/dns/records/build-record-index.js';
import { renderRecords } from '../../src/dns/records/zone-file.js';
import type { RecordIndex } from '../../src/dns/records/record-index.js';
import { KubeFollowRuntime } from '../../src/kube-follow/follow-runtime.js';
import { newEndpointConnection } from '../../src/kube-follow/kube-connection.js';
import { FakeKubeApi, newEndpointSlice, newNamespace, newPod, newService } from '../helpers/kube-api-server.js';
import { waitFor } from '../helpers/live-server.js';

const A = 1;
const quiet = pino({ level: 'silent' });

describe('KubeFollowRuntime against the test API server (in process)', () => {
  let api: FakeKubeApi | undefined;
  let rt: KubeFollowRuntime | undefined;
  afterEach(async () => {
    await rt?.close();
    await api?.close();
    rt = api = undefined;
  });

  function start(published: RecordIndex[] = []): KubeFollowRuntime {
    rt = KubeFollowRuntime.start({ connection: newEndpointConnection(api!.url, undefined), dns: DEFAULT_DNS_CONFIG, log: quiet, publish: (i) => published.push(i) });
    return rt;
  }

  it('a paged initial list of 5000 pods and 500 Services is one build; the index before it is unsynced', async () => {
    api = await FakeKubeApi.start();
    api.apply('namespaces', newNamespace('default'));
    for (let s = 0; s < 500; s++) {
      api.apply('services', newService('default', `svc-${s}`, { clusterIP: 'None', clusterIPs: ['None'] }));
      const eps = Array.from({ length: 10 }, (_, i) => ({ ip: `10.244.${s >> 4}.${((s & 15) << 4) + i}`, pod: `p-${s}-${i}` }));
      api.apply('endpointslices', newEndpointSlice('default', `svc-${s}-x`, `svc-${s}`, eps));
      for (const e of eps) api.apply('pods', newPod('default', e.pod, e.ip, true));
    }
    const published: RecordIndex[] = [];
    const runtime = start(published);
    expect(runtime.getSnapshot().index.unsynced).toBe(true);
    expect(lookupName(runtime.getSnapshot().index, 'svc-1.default.svc.cluster.local', A).rcode).toBe(Rcode.SERVFAIL);
    expect(await runtime.waitForSync(10_000)).toBe(true);
    expect(published).toHaveLength(1);
    expect(runtime.builds).toBe(2);
    const index = runtime.getSnapshot().index;
    expect(index.unsynced).toBeUndefined();
    expect(runtime.getSnapshot().cluster.state.pods).toHaveLength(5000);
    expect(lookupName(index, 'svc-499.default.svc.cluster.local', A).answer).toHaveLength(10);
    expect(lookupName(index, 'nope.default.svc.cluster.local', A).rcode).toBe(Rcode.NXDOMAIN);
    // 5000 pods in pages of 500, plus the other lists.
    expect(api.requests.filter((r) => r.startsWith('GET /api/v1/pods?limit=500')).length).toBe(10);
  });

  it('a burst of 300 watch events costs a few builds, not 300; the last state wins', async () => {
    api = await FakeKubeApi.start();
    api.apply('namespaces', newNamespace('default'));
    const runtime = start();
    expect(await runtime.waitForSync(5000)).toBe(true);
    await waitFor(async () => (api!.countWatches() === 4 ? true : undefined), 3000);
    const before = runtime.builds;
    for (let i = 0; i < 300; i++) api.apply('services', newService('default', `burst-${i}`, { clusterIP: `10.96.1.${i % 250}`, clusterIPs: [`10.96.1.${i % 250}`] }));
    await waitFor(async () => (runtime.getSnapshot().cluster.state.services.length === 300 ? true : undefined), 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(runtime.builds - before).toBeGreaterThanOrEqual(1);
    expect(runtime.builds - before).toBeLessThanOrEqual(10);
    expect(lookupName(runtime.getSnapshot().index, 'burst-299.default.svc.cluster.local', A).answer.map((r) => (r.data as { address: string }).address)).toEqual(['10.96.1.49']);
  });

  it('a pod MODIFIED in fields DNS does not read costs no build', async () => {
    api = await FakeKubeApi.start();
    api.apply('namespaces', newNamespace('default'));
    const pod = newPod('default', 'p', '10.244.0.5', true);
    api.apply('pods', pod);
    const runtime = start();
    expect(await runtime.waitForSync(5000)).toBe(true);
    await waitFor(async () => (api!.countWatches() === 4 ? true : undefined), 3000);
    const builds = runtime.builds;
    api.apply('pods', { ...pod, metadata: { ...pod.metadata, annotations: { heartbeat: '1' } } });
    await new Promise((r) => setTimeout(r, 200));
    expect(runtime.builds).toBe(builds);
    api.apply('pods', newPod('default', 'q', '10.244.0.6', true));
    await waitFor(async () => (runtime.getSnapshot().cluster.state.pods.length === 2 ? true : undefined), 3000);
    await new Promise((r) => setTimeout(r, 100));
    expect(runtime.builds - builds).toBe(1);
  });

  it('changes to one namespace are patched into the index, and the result is what a whole build gives', async () => {
    api = await FakeKubeApi.start();
    for (const ns of ['default', 'team-a', 'kube-system']) api.apply('namespaces', newNamespace(ns));
    api.apply('services', newService('kube-system', 'kube-dns', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }));
    api.apply('endpointslices', newEndpointSlice('kube-system', 'kube-dns-x', 'kube-dns', [{ ip: '10.244.9.9', pod: 'coredns-0' }], [{ name: 'dns', port: 53, protocol: 'UDP' }]));
    api.apply('services', newService('team-a', 'api', { clusterIP: '10.96.3.1', clusterIPs: ['10.96.3.1'], ports: [{ name: 'http', port: 80 }] }));
    const runtime = start();
    expect(await runtime.waitForSync(5000)).toBe(true);
    await waitFor(async () => (api!.countWatches() === 4 ? true : undefined), 3000);
    const settle = async (check: () => boolean) => {
      await waitFor(async () => (check() ? true : undefined), 3000);
      await new Promise((r) => setTimeout(r, 80));
    };
    const steps: { name: string; change: () => void; done: () => boolean }[] = [
      { name: 'headless Service', change: () => api!.apply('services', newService('default', 'db', { clusterIP: 'None', clusterIPs: ['None'] })), done: () => runtime.getSnapshot().cluster.state.services.length === 3 },
      { name: 'its slice', change: () => api!.apply('endpointslices', newEndpointSlice('default', 'db-x', 'db', [{ ip: '10.244.0.1', hostname: 'db-0', pod: 'db-0' }, { ip: '10.244.0.2', hostname: 'db-1', pod: 'db-1', ready: false }], [{ name: 'pg', port: 5432 }])), done: () => runtime.getSnapshot().cluster.state.endpointSlices.length === 2 },
      { name: 'a pod', change: () => api!.apply('pods', newPod('default', 'db-0', '10.244.0.1', true)), done: () => runtime.getSnapshot().cluster.state.pods.length === 1 },
      { name: 'readiness', change: () => api!.apply('endpointslices', newEndpointSlice('default', 'db-x', 'db', [{ ip: '10.244.0.1', hostname: 'db-0', pod: 'db-0' }, { ip: '10.244.0.2', hostname: 'db-1', pod: 'db-1' }], [{ name: 'pg', port: 5432 }])), done: () => lookupName(runtime.getSnapshot().index, 'db-1.db.default.svc.cluster.local', A).answer.length === 1 },
      { name: 'another namespace', change: () => api!.apply('endpointslices', newEndpointSlice('team-a', 'api-x', 'api', [{ ip: '10.244.5.5', pod: 'api-0' }], [{ name: 'http', port: 8080 }])), done: () => runtime.getSnapshot().cluster.state.endpointSlices.length === 3 },
      { name: 'Service deleted', change: () => api!.remove('services', 'team-a', 'api'), done: () => runtime.getSnapshot().cluster.state.services.length === 2 },
    ];
    for (const step of steps) {
      step.change();
      await settle(step.done);
      const index = runtime.getSnapshot().index;
      const whole = buildRecordIndex(runtime.getSnapshot().cluster.state, DEFAULT_DNS_CONFIG, index.serial);
      expect(renderRecords(index, 'zone', []).text, step.name).toBe(renderRecords(whole, 'zone', []).text);
    }
    expect(runtime.patches).toBeGreaterThanOrEqual(4);
  });
});
