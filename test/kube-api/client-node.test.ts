import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLabDir, startLiveServer, waitFor, type LiveServer } from '../helpers/live-server.js';

/**
 * @kubernetes/client-node (the version serve --kubeconfig uses) against the simulated cluster: the
 * generated CoreV1Api/AppsV1Api clients list and read, an informer and a Watch see the StatefulSet's
 * pods come and go when it is scaled through the API.
 */

describe('@kubernetes/client-node against kube-dns-sim', () => {
  const lab = newLabDir();
  let srv: LiveServer;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  let kc: k8s.KubeConfig;

  beforeAll(async () => {
    srv = await startLiveServer(lab.manifests, lab.statePath, ['--pod-ready-delay', '200ms']);
    kc = new k8s.KubeConfig();
    // client-node refuses plain http unless skipTLSVerify is set (there is no TLS to verify).
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: srv.adminUrl, skipTLSVerify: true }],
      users: [{ name: 'me' }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'me' }],
      currentContext: 'sim',
    });
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    // The seed's StatefulSets start one pod at a time: wait for all of them.
    await waitFor(async () => ((await core.listNamespacedPod({ namespace: 'default' })).items.filter((p) => p.status?.phase === 'Running').length === 9 ? true : undefined), 10_000, 100);
  });
  afterAll(async () => {
    await srv?.stop();
    lab.cleanup();
  });

  describe('lists', () => {
    it.each([
      {
        name: 'CoreV1Api.listNamespacedPod: the seed\'s nine pods, Running with pod IPs',
        list: async () => (await core.listNamespacedPod({ namespace: 'default' })).items.map((p) => `${p.metadata!.name} ${p.status!.phase} ${/^10\.244\./.test(p.status!.podIP ?? '')}`),
        want: [...[0, 1, 2].map(() => expect.stringMatching(/^myweb-rs-[a-z0-9]{5} Running true$/)), ...['sts', 'sts-vol'].flatMap((s) => [0, 1, 2].map((i) => `myweb-${s}-${i} Running true`))],
      },
      {
        name: 'CoreV1Api.listNamespacedService: kubernetes and the seed\'s two',
        list: async () => (await core.listNamespacedService({ namespace: 'default' })).items.map((s) => `${s.metadata!.name} ${s.spec!.clusterIP === 'None' ? 'None' : /^10\.\d+\.\d+\.\d+$/.test(s.spec!.clusterIP ?? '')}`),
        want: ['kubernetes true', 'myweb-svc true', 'myweb-svc-headless None'],
      },
      {
        name: 'CoreV1Api.listPodForAllNamespaces with a label selector',
        list: async () => (await core.listPodForAllNamespaces({ labelSelector: 'statefulset.kubernetes.io/pod-name=myweb-sts-1' })).items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`),
        want: ['default/myweb-sts-1'],
      },
      {
        name: 'AppsV1Api.listNamespacedStatefulSet',
        list: async () => (await apps.listNamespacedStatefulSet({ namespace: 'default' })).items.map((s) => `${s.metadata!.name} ${s.spec!.replicas} ${s.status!.readyReplicas}`),
        want: ['myweb-sts 3 3', 'myweb-sts-vol 3 3'],
      },
    ])('$name', async ({ list, want }) => {
      expect((await list()).sort()).toEqual(want);
    });

    it('readNamespacedPod of a missing pod rejects with the NotFound Status', async () => {
      const err = (await core.readNamespacedPod({ namespace: 'default', name: 'nope' }).catch((e: unknown) => e)) as k8s.ApiException<string>;
      expect(err).toBeInstanceOf(k8s.ApiException);
      expect(err.code).toBe(404);
      expect(JSON.parse(err.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found', code: 404 });
    });
  });

  it('an informer and a Watch see ADDED, MODIFIED and DELETED when the StatefulSet is scaled up and down through the API', async () => {
    const selector = 'statefulset.kubernetes.io/pod-name';
    const informerEvents: string[] = [];
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default', labelSelector: selector }), selector);
    informer.on('add', (p) => informerEvents.push(`add ${p.metadata!.name}`));
    informer.on('update', (p) => informerEvents.push(`update ${p.metadata!.name} ${p.status!.phase}`));
    informer.on('delete', (p) => informerEvents.push(`delete ${p.metadata!.name}`));
    const informerErrors: unknown[] = [];
    informer.on('error', (e) => informerErrors.push(e));

    const watchEvents: string[] = [];
    const watch = new k8s.Watch(kc);
    const start = (await apps.readNamespacedStatefulSet({ namespace: 'default', name: 'myweb-sts' })).metadata!.resourceVersion!;
    const controller = await watch.watch(
      '/apis/apps/v1/namespaces/default/statefulsets',
      { resourceVersion: start, fieldSelector: 'metadata.name=myweb-sts' },
      (type, o: k8s.V1StatefulSet) => watchEvents.push(`${type} ${o.metadata!.name} ${o.spec!.replicas}`),
      () => {},
    );
    try {
      await informer.start();
      // The informer's list: the six StatefulSet pods.
      expect(informerEvents.filter((e) => e.startsWith('add ')).sort()).toEqual(['sts', 'sts-vol'].flatMap((s) => [0, 1, 2].map((i) => `add myweb-${s}-${i}`)));
      informerEvents.length = 0;

      const up = await apps.patchNamespacedStatefulSetScale({ namespace: 'default', name: 'myweb-sts', body: { spec: { replicas: 5 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      expect(up.spec!.replicas).toBe(5);
      const upSeen = await waitFor(async () => (informerEvents.includes('update myweb-sts-4 Running') ? true : undefined), 10_000);
      expect(upSeen, informerEvents.join('\n')).toBe(true);
      // OrderedReady: -3 is added and Running before -4 is added.
      expect(informerEvents).toEqual(['add myweb-sts-3', 'update myweb-sts-3 Running', 'add myweb-sts-4', 'update myweb-sts-4 Running']);
      informerEvents.length = 0;

      const down = await apps.patchNamespacedStatefulSetScale({ namespace: 'default', name: 'myweb-sts', body: { spec: { replicas: 2 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      expect(down.spec!.replicas).toBe(2);
      const downSeen = await waitFor(async () => (informerEvents.includes('delete myweb-sts-2') ? true : undefined), 10_000);
      expect(downSeen, informerEvents.join('\n')).toBe(true);
      // Scale-down removes the highest ordinal first (pods may be seen Terminating on the way).
      expect(informerEvents.filter((e) => e.startsWith('delete '))).toEqual(['delete myweb-sts-4', 'delete myweb-sts-3', 'delete myweb-sts-2']);
      expect(informer.list('default').map((p) => p.metadata!.name).sort()).toEqual(['myweb-sts-0', 'myweb-sts-1', 'myweb-sts-vol-0', 'myweb-sts-vol-1', 'myweb-sts-vol-2']);

      // The Watch on the StatefulSet saw its spec change twice, and nothing for the other one.
      const specs = await waitFor(async () => (watchEvents.some((e) => e.endsWith(' 2')) ? watchEvents : undefined), 5000);
      expect([...new Set(specs)]).toEqual(expect.arrayContaining(['MODIFIED myweb-sts 5', 'MODIFIED myweb-sts 2']));
      expect(watchEvents.every((e) => e.startsWith('MODIFIED myweb-sts '))).toBe(true);
      expect(informerErrors).toEqual([]);
    } finally {
      controller.abort();
      await informer.stop();
    }
  });

  it('deleting a StatefulSet through the API is DELETED to a Watch, and its pods go with it', async () => {
    const events: string[] = [];
    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'statefulset.kubernetes.io/pod-name' });
    const controller = await new k8s.Watch(kc).watch(
      '/api/v1/namespaces/default/pods',
      { resourceVersion: list.metadata!.resourceVersion, labelSelector: 'statefulset.kubernetes.io/pod-name' },
      (type, o: k8s.V1Pod) => events.push(`${type} ${o.metadata!.name}`),
      () => {},
    );
    try {
      await apps.deleteNamespacedStatefulSet({ namespace: 'default', name: 'myweb-sts-vol' });
      const gone = await waitFor(async () => (['0', '1', '2'].every((i) => events.includes(`DELETED myweb-sts-vol-${i}`)) ? true : undefined), 10_000);
      expect(gone, events.join('\n')).toBe(true);
      expect(events.filter((e) => !e.startsWith('MODIFIED ')).sort()).toEqual([0, 1, 2].map((i) => `DELETED myweb-sts-vol-${i}`));
      const err = (await apps.readNamespacedStatefulSet({ namespace: 'default', name: 'myweb-sts-vol' }).catch((e: unknown) => e)) as k8s.ApiException<string>;
      expect(err.code).toBe(404);
    } finally {
      controller.abort();
    }
  });

  it('replaceNamespacedStatefulSet with the object as read and another replica count scales without replacing the pods', async () => {
    const before = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web,statefulset.kubernetes.io/pod-name' })).items.map((p) => `${p.metadata!.name} ${p.metadata!.uid}`).sort();
    expect(before.map((p) => p.split(' ')[0])).toEqual(['myweb-sts-0', 'myweb-sts-1']);
    const sts = await apps.readNamespacedStatefulSet({ namespace: 'default', name: 'myweb-sts' });
    sts.spec!.replicas = 3;
    const replaced = await apps.replaceNamespacedStatefulSet({ namespace: 'default', name: 'myweb-sts', body: sts });
    expect(replaced.spec!.replicas).toBe(3);
    // The template was sent back as read: the revision must not change (else every pod is replaced).
    expect(replaced.status?.updateRevision ?? (await apps.readNamespacedStatefulSet({ namespace: 'default', name: 'myweb-sts' })).status!.updateRevision).toBe(sts.status!.updateRevision);
    const third = await waitFor(async () => ((await core.readNamespacedPod({ namespace: 'default', name: 'myweb-sts-2' }).catch(() => undefined))?.status?.phase === 'Running' ? true : undefined), 10_000, 100);
    expect(third).toBe(true);
    await new Promise((r) => setTimeout(r, 700));
    const after = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web,statefulset.kubernetes.io/pod-name' })).items.map((p) => `${p.metadata!.name} ${p.metadata!.uid}`).sort();
    expect(after.slice(0, 2)).toEqual(before);
  });
});
