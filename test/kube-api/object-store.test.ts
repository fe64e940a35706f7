import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { LiveClusterRuntime } from '../../src/runtime/live-cluster-runtime.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/reconcile.js';
import { DEFAULT_DNS_CONFIG } from '../../src/dns/records/dns-config.js';
import { ObjectStore, type StoreEvent } from '../../src/kube-api/object-store.js';
import { stsYaml } from '../helpers/live.js';

/** The store as the API keeps it: synced from a real runtime on every change (in-process, no timers). */
describe('ObjectStore over the live cluster', () => {
  let dir: string;
  let runtime: LiveClusterRuntime;
  let store: ObjectStore;
  const events: StoreEvent[] = [];
  let clock = 1_000_000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kds-store-'));
    writeFileSync(join(dir, 'web.yaml'), stsYaml({ replicas: 2 }));
    runtime = await LiveClusterRuntime.start({
      paths: [dir],
      clusterOptions: DEFAULT_CLUSTER_OPTIONS,
      dns: DEFAULT_DNS_CONFIG,
      podReadyDelayMs: 0,
      statePath: undefined,
      log: pino({ level: 'silent' }),
      publish: () => {},
      reportFindings: () => {},
      watch: false,
      now: () => clock,
    });
    store = new ObjectStore(100, 40);
    store.sync(runtime.getApiSource());
    runtime.onChange((namespaces) => store.sync(runtime.getApiSource(), namespaces));
    store.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const take = () => events.splice(0).map((e) => `${e.type} ${e.resource} ${e.object.metadata.name}`);

  it('lists objects with uid, resourceVersion and creationTimestamp; the list resourceVersion is the newest', () => {
    const pods = store.list('pods', 'default').items;
    expect(pods.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1']);
    for (const p of pods) {
      expect(Number(p.metadata.resourceVersion)).toBeGreaterThan(100);
      expect(Number(p.metadata.resourceVersion)).toBeLessThanOrEqual(store.resourceVersion);
      expect(p.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(store.get('statefulsets', 'default', 'web')?.metadata.generation).toBe(1);
  });

  it('scale up: ADDED for the new pod, MODIFIED for the set (generation 2), the endpoints and slices', () => {
    clock += 1000;
    expect(runtime.scaleWorkload('StatefulSet', 'default', 'web', 3).status).toBe(200);
    const seen = take();
    expect(seen).toContain('ADDED pods web-2');
    expect(seen).toContain('MODIFIED statefulsets web');
    expect(seen.some((e) => e.startsWith('MODIFIED endpointslices nginx-'))).toBe(true);
    expect(seen).toContain('MODIFIED endpoints nginx');
    expect(store.get('statefulsets', 'default', 'web')).toMatchObject({ metadata: { generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2 } });
  });

  it('a deleted StatefulSet pod is DELETED, then ADDED again under its name with a new uid', () => {
    const before = store.get('pods', 'default', 'web-1')!;
    clock += 1000;
    expect(runtime.deleteObject('Pod', 'default', 'web-1').status).toBe(200);
    const seen = take();
    const deleted = seen.indexOf('DELETED pods web-1');
    expect(deleted).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf('ADDED pods web-1')).toBeGreaterThan(deleted);
    expect(store.get('pods', 'default', 'web-1')!.metadata.uid).not.toBe(before.metadata.uid);
  });

  it('resumes a watch from any resourceVersion in the window and refuses older ones', () => {
    const rv = store.resourceVersion;
    clock += 1000;
    runtime.scaleWorkload('StatefulSet', 'default', 'web', 1);
    const since = store.eventsSince(rv);
    expect(since).not.toBe('expired');
    expect((since as StoreEvent[]).map((e) => `${e.type} ${e.object.metadata.name}`)).toContain('DELETED web-2');
    expect((since as StoreEvent[]).every((e) => e.resourceVersion > rv)).toBe(true);
    // A window of 40 events: enough changes push the first resourceVersions out.
    for (let i = 0; i < 30; i++) {
      clock += 1000;
      runtime.scaleWorkload('StatefulSet', 'default', 'web', i % 2 === 0 ? 2 : 1);
    }
    expect(store.eventsSince(101)).toBe('expired');
    expect(store.eventsSince(store.resourceVersion)).toEqual([]);
  });

  it('a Service deleted through the API leaves the store, and its file object stays deleted', () => {
    take();
    expect(runtime.deleteObject('Service', 'default', 'nginx').status).toBe(200);
    expect(take()).toContain('DELETED services nginx');
    expect(store.get('services', 'default', 'nginx')).toBeUndefined();
    expect(runtime.deleteObject('Service', 'default', 'nginx').status).toBe(404);
  });
});

describe('ObjectStore pages', () => {
  it('pages through a namespace in name order with `after` and `limit`, counting what is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-store-'));
    writeFileSync(join(dir, 'web.yaml'), stsYaml({ replicas: 7 }));
    const runtime = await LiveClusterRuntime.start({ paths: [dir], clusterOptions: DEFAULT_CLUSTER_OPTIONS, dns: DEFAULT_DNS_CONFIG, podReadyDelayMs: 0, statePath: undefined, log: pino({ level: 'silent' }), publish: () => {}, reportFindings: () => {}, watch: false });
    try {
      const store = new ObjectStore(1);
      store.sync(runtime.getApiSource());
      const names: string[] = [];
      let after: string | undefined;
      const pages: number[] = [];
      for (let i = 0; i < 10; i++) {
        const page = store.list('pods', 'default', { after, limit: 3 });
        names.push(...page.items.map((p) => p.metadata.name));
        pages.push(page.more);
        if (page.more === 0) break;
        after = `default/${page.items[page.items.length - 1].metadata.name}`;
      }
      expect(names).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6']);
      expect(pages).toEqual([4, 1, 0]);
      expect(store.list('pods', 'kube-public').items).toEqual([]);
      expect(store.list('pods', undefined, { matches: (p) => p.metadata.name.endsWith('-6') }).items.map((p) => p.metadata.name)).toEqual(['web-6']);
    } finally {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
