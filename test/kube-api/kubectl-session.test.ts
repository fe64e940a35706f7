import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { encodeQuery, toZoneLines, udpExchange } from '../helpers/dns-client.js';
import { Kubectl, toRows, type KubectlResult } from '../helpers/kubectl.js';
import { newLabDir, startLiveServer, waitFor, type LiveServer } from '../helpers/live-server.js';

/**
 * The seed's session done with plain kubectl (issue 12, item 3) against `serve` started on an EMPTY
 * manifest directory: every object comes in through the Kubernetes API. The steps run in order and
 * build on each other, as a user's session does; one server for the file (restarted once, on the
 * same state file).
 */

const SERVE_ARGS = ['--pod-ready-delay', '300ms'];
const SEED_OBJECTS = ['service/myweb-svc', 'service/myweb-svc-headless', 'replicaset.apps/myweb-rs', 'statefulset.apps/myweb-sts', 'statefulset.apps/myweb-sts-vol'];
const HEADLESS = 'myweb-svc-headless.default.svc.cluster.local';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The A answer for a name as sorted zone-file lines ([] when there is none or no reply). */
async function answerA(port: number, name: string): Promise<string[]> {
  const reply = await udpExchange(port, encodeQuery(name), 1000);
  return reply ? toZoneLines(reply) : [];
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('the seed session with plain kubectl', () => {
  const lab = newLabDir({});
  let srv: LiveServer;
  let kubectl: Kubectl;
  const k = (...args: string[]): Promise<KubectlResult> => kubectl.run(args);
  /** `name ip` of every pod in default, sorted. */
  const podIps = async () => lines((await k('get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}')).stdout).sort();

  beforeAll(async () => {
    srv = await startLiveServer(lab.manifests, lab.statePath, SERVE_ARGS);
    kubectl = new Kubectl(srv.adminUrl);
  });
  afterAll(async () => {
    await srv?.stop();
    kubectl?.cleanup();
    lab.cleanup();
  });

  it('apply -f manifests/ creates every object, and get pods -w shows myweb-sts-0, -1, -2 Running in order', async () => {
    // -v=6 logs each request once its response headers arrive: the watch is open when its GET is logged.
    const watch = kubectl.spawn(['get', 'pods', '-w', '-v=6']);
    try {
      const open = await waitFor(async () => (/GET http\S+\/api\/v1\/namespaces\/default\/pods\?\S*watch=true\S* 200 OK/.test(watch.stderr()) ? true : undefined), 10_000);
      expect(open, `kubectl get pods -w logged:\n${watch.stderr()}`).toBe(true);
      const applied = await k('apply', '-f', 'manifests/');
      expect(applied).toMatchObject({ code: 0, stderr: '' });
      expect(lines(applied.stdout)).toEqual(SEED_OBJECTS.map((o) => `${o} created`));
      const settled = await waitFor(async () => (/^myweb-sts-2\s+1\/1\s+Running\b/m.test(watch.stdout()) ? true : undefined), 10_000);
      expect(settled, `get pods -w printed:\n${watch.stdout()}`).toBe(true);
    } finally {
      if (watch.child.exitCode === null) process.kill(watch.child.pid!, 'SIGTERM');
      await watch.exited;
    }
    const rows = toRows(watch.stdout()).filter((r) => /^myweb-sts-\d+$/.test(r[0]));
    const firstSeen = (pod: string) => rows.findIndex((r) => r[0] === pod);
    const firstRunning = (pod: string) => rows.findIndex((r) => r[0] === pod && r[1] === '1/1' && r[2] === 'Running');
    const order = ['myweb-sts-0', 'myweb-sts-1', 'myweb-sts-2'].map((pod) => ({ pod, seen: firstSeen(pod), running: firstRunning(pod), firstStatus: rows[firstSeen(pod)]?.[2] }));
    for (const o of order) {
      expect(o.seen, `${o.pod} in:\n${watch.stdout()}`).toBeGreaterThanOrEqual(0);
      expect(o.running, `${o.pod} Running in:\n${watch.stdout()}`).toBeGreaterThan(o.seen);
      expect(o.firstStatus).not.toBe('Running');
    }
    // OrderedReady: a pod appears only once the one before it is Running.
    expect(order[0].running).toBeLessThan(order[1].seen);
    expect(order[1].running).toBeLessThan(order[2].seen);
  });

  it('a second apply -f manifests/ changes nothing', async () => {
    const again = await k('apply', '-f', 'manifests/');
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(lines(again.stdout)).toEqual(SEED_OBJECTS.map((o) => `${o} unchanged`));
  });

  describe('get svc,ep,endpointslices,pvc', () => {
    let blocks: string[][][] = [];
    beforeAll(async () => {
      // Every StatefulSet pod ready first, so the endpoints are complete.
      await waitFor(async () => ((await k('get', 'sts', 'myweb-sts-vol', '-o', 'jsonpath={.status.readyReplicas}')).stdout === '3' ? true : undefined), 10_000);
      const r = await k('get', 'svc,ep,endpointslices,pvc');
      expect(r).toMatchObject({ code: 0, stderr: '' });
      blocks = r.stdout.split(/\n\s*\n/).map(toRows);
    });
    const cases = [
      {
        name: 'services: type, cluster IP (None for the headless one), ports',
        header: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
        rows: [
          ['service/kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP'],
          ['service/myweb-svc', 'ClusterIP', expect.stringMatching(/^10\.(9[6-9]|1[01]\d)\.\d+\.\d+$/), '<none>', '80/TCP'],
          ['service/myweb-svc-headless', 'ClusterIP', 'None', '<none>', '80/TCP'],
        ],
      },
      {
        name: 'endpoints: the 9 ready pods on the target port',
        header: ['NAME', 'ENDPOINTS', 'AGE'],
        rows: [
          ['endpoints/myweb-svc', expect.stringMatching(/^(10\.244\.\d+\.\d+:8080,){2}10\.244\.\d+\.\d+:8080$/), '+', '6', 'more...'],
          ['endpoints/myweb-svc-headless', expect.stringMatching(/^(10\.244\.\d+\.\d+:8080,){2}10\.244\.\d+\.\d+:8080$/), '+', '6', 'more...'],
        ],
      },
      {
        name: 'endpoint slices: one per service, named after it',
        header: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
        rows: [
          [expect.stringMatching(/^endpointslice\.discovery\.k8s\.io\/myweb-svc-headless-[a-z0-9]{5}$/), 'IPv4', '8080', expect.stringMatching(/^(10\.244\.\d+\.\d+,){2}10\.244\.\d+\.\d+$/), '+', '6', 'more...'],
          [expect.stringMatching(/^endpointslice\.discovery\.k8s\.io\/myweb-svc-[a-z0-9]{5}$/), 'IPv4', '8080', expect.stringMatching(/^(10\.244\.\d+\.\d+,){2}10\.244\.\d+\.\d+$/), '+', '6', 'more...'],
        ],
      },
      {
        name: 'claims: one per myweb-sts-vol pod, bound',
        header: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS', 'MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
        rows: [0, 1, 2].map((i) => [`persistentvolumeclaim/myweb-pvc-myweb-sts-vol-${i}`, 'Bound', expect.stringMatching(/^pvc-[0-9a-f-]{36}$/), '1G', 'RWO', 'nfs-client', '<unset>']),
      },
    ];
    it.each(cases)('$name', ({ header, rows }) => {
      const block = blocks.find((b) => b[0]?.join(' ') === header.join(' '));
      expect(block, `no block with header ${header.join(' ')} in ${JSON.stringify(blocks)}`).toBeDefined();
      // AGE is the last column; compare the others.
      expect(block!.slice(1).map((r) => r.slice(0, -1))).toEqual(rows);
    });
  });

  describe('-o yaml has the fields the API server fills in', () => {
    const docs = new Map<string, Record<string, unknown>>();
    beforeAll(async () => {
      for (const what of ['pod/myweb-sts-0', 'service/myweb-svc']) {
        const r = await k('get', what, '-o', 'yaml');
        expect(r).toMatchObject({ code: 0, stderr: '' });
        docs.set(what, parseYaml(r.stdout) as Record<string, unknown>);
      }
    });
    const cases = [
      { name: 'a StatefulSet pod: uid', what: 'pod/myweb-sts-0', path: 'metadata.uid', want: expect.stringMatching(UUID) },
      { name: 'a StatefulSet pod: resourceVersion', what: 'pod/myweb-sts-0', path: 'metadata.resourceVersion', want: expect.stringMatching(/^[1-9]\d*$/) },
      { name: 'a StatefulSet pod: creationTimestamp', what: 'pod/myweb-sts-0', path: 'metadata.creationTimestamp', want: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
      { name: 'a StatefulSet pod: its controller', what: 'pod/myweb-sts-0', path: 'metadata.ownerReferences', want: [expect.objectContaining({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'myweb-sts', controller: true, uid: expect.stringMatching(UUID) })] },
      { name: 'a StatefulSet pod: hostname and subdomain', what: 'pod/myweb-sts-0', path: 'spec', want: expect.objectContaining({ hostname: 'myweb-sts-0', subdomain: 'myweb-svc-headless' }) },
      { name: 'a StatefulSet pod: phase and IP', what: 'pod/myweb-sts-0', path: 'status', want: expect.objectContaining({ phase: 'Running', podIP: expect.stringMatching(/^10\.244\./) }) },
      { name: 'a Service: ipFamilyPolicy', what: 'service/myweb-svc', path: 'spec.ipFamilyPolicy', want: 'SingleStack' },
      { name: 'a Service: ipFamilies', what: 'service/myweb-svc', path: 'spec.ipFamilies', want: ['IPv4'] },
      { name: 'a Service: sessionAffinity', what: 'service/myweb-svc', path: 'spec.sessionAffinity', want: 'None' },
      { name: 'a Service: internalTrafficPolicy', what: 'service/myweb-svc', path: 'spec.internalTrafficPolicy', want: 'Cluster' },
      { name: 'a Service: uid', what: 'service/myweb-svc', path: 'metadata.uid', want: expect.stringMatching(UUID) },
    ];
    it.each(cases)('$name', ({ what, path, want }) => {
      const value = path.split('.').reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], docs.get(what));
      expect(value).toEqual(want);
    });
  });

  it('-o wide adds IP and NODE', async () => {
    const r = await k('get', 'pods', '-o', 'wide');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = toRows(r.stdout);
    expect(header.slice(0, 7)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
    expect(rows.length).toBe(9);
    for (const row of rows) expect(row.slice(5, 7)).toEqual([expect.stringMatching(/^10\.244\.\d+\.\d+$/), expect.stringMatching(/^[a-z0-9.-]+$/)]);
  });

  describe('selectors', () => {
    const cases = [
      { name: '-l app=web: every pod of the lab', args: ['-l', 'app=web'], want: [...[0, 1, 2].map(() => expect.stringMatching(/^pod\/myweb-rs-[a-z0-9]{5}$/)), ...[0, 1, 2].map((i) => `pod/myweb-sts-${i}`), ...[0, 1, 2].map((i) => `pod/myweb-sts-vol-${i}`)] },
      { name: '-l with a pod-name label: one pod', args: ['-l', 'statefulset.kubernetes.io/pod-name=myweb-sts-vol-1'], want: ['pod/myweb-sts-vol-1'] },
      { name: '-l app!=web: none', args: ['-l', 'app!=web'], want: [] },
      { name: '--field-selector metadata.name=myweb-sts-0', args: ['--field-selector', 'metadata.name=myweb-sts-0'], want: ['pod/myweb-sts-0'] },
      { name: '--field-selector status.phase!=Running: none', args: ['--field-selector', 'status.phase!=Running'], want: [] },
    ];
    it.each(cases)('$name', async ({ args, want }) => {
      const r = await k('get', 'pods', ...args, '-o', 'name');
      expect(r.code).toBe(0);
      expect(lines(r.stdout).sort()).toEqual(want);
    });
  });

  it('get pod nope: NotFound, exit 1', async () => {
    expect(await k('get', 'pod', 'nope')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
  });

  it('create -f the seed\'s myweb-sts-vol.yaml in a new namespace: the accessMode mistake is a BadRequest naming the field', async () => {
    expect(await k('create', 'namespace', 'seed-typo')).toMatchObject({ code: 0, stdout: 'namespace/seed-typo created\n' });
    const r = await k('create', '-f', 'test/fixtures/seed/myweb-sts-vol.yaml', '-n', 'seed-typo');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error from server \(BadRequest\): error when creating "test\/fixtures\/seed\/myweb-sts-vol\.yaml": .*unknown field "spec\.volumeClaimTemplates\[0\]\.spec\.accessMode"/);
    expect(await k('get', 'sts,pods', '-n', 'seed-typo')).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in seed-typo namespace.\n' });
  });

  describe('kubectl api-resources', () => {
    let rows: string[][] = [];
    beforeAll(async () => {
      const r = await k('api-resources');
      expect(r).toMatchObject({ code: 0, stderr: '' });
      rows = toRows(r.stdout);
    });
    it.each([
      { name: 'po', resource: 'pods', apiVersion: 'v1', kind: 'Pod' },
      { name: 'svc', resource: 'services', apiVersion: 'v1', kind: 'Service' },
      { name: 'sts', resource: 'statefulsets', apiVersion: 'apps/v1', kind: 'StatefulSet' },
      { name: 'rs', resource: 'replicasets', apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      { name: 'deploy', resource: 'deployments', apiVersion: 'apps/v1', kind: 'Deployment' },
      { name: 'ep', resource: 'endpoints', apiVersion: 'v1', kind: 'Endpoints' },
      { name: 'pvc', resource: 'persistentvolumeclaims', apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
      { name: 'ns', resource: 'namespaces', apiVersion: 'v1', kind: 'Namespace' },
    ])('$name: $resource', ({ name, resource, apiVersion, kind }) => {
      expect(rows.find((r) => r[0] === resource)).toEqual([resource, name, apiVersion, kind === 'Namespace' ? 'false' : 'true', kind]);
    });
  });

  it('delete pod myweb-sts-1: back with the same name and a new IP, over the API and over DNS', async () => {
    const ipOf = async () => (await k('get', 'pod', 'myweb-sts-1', '-o', 'jsonpath={.status.podIP} {.status.phase} {.metadata.uid}')).stdout.split(' ');
    const [oldIp, , oldUid] = await ipOf();
    expect(await answerA(srv.port, `myweb-sts-1.${HEADLESS}`)).toEqual([`myweb-sts-1.${HEADLESS}. 5 IN A ${oldIp}`]);
    expect(await k('delete', 'pod', 'myweb-sts-1')).toMatchObject({ code: 0, stdout: 'pod "myweb-sts-1" deleted\n' });
    const back = await waitFor(async () => {
      const [ip, phase, uid] = await ipOf();
      return phase === 'Running' && uid !== oldUid ? ip : undefined;
    }, 10_000, 100);
    expect(back).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(back).not.toBe(oldIp);
    const want = [`myweb-sts-1.${HEADLESS}. 5 IN A ${back}`];
    const dns = await waitFor(async () => {
      const got = await answerA(srv.port, `myweb-sts-1.${HEADLESS}`);
      return JSON.stringify(got) === JSON.stringify(want) ? got : undefined;
    }, 5000);
    expect(dns).toEqual(want);
  });

  it('scale sts myweb-sts --replicas=5: myweb-sts-4 answers over DNS', async () => {
    expect(await k('scale', 'sts', 'myweb-sts', '--replicas=5')).toMatchObject({ code: 0, stdout: 'statefulset.apps/myweb-sts scaled\n' });
    const name = `myweb-sts-4.${HEADLESS}`;
    const dns = await waitFor(async () => {
      const got = await answerA(srv.port, name);
      return got.length ? got : undefined;
    }, 10_000, 50);
    const ip = (await k('get', 'pod', 'myweb-sts-4', '-o', 'jsonpath={.status.podIP}')).stdout;
    expect(dns).toEqual([`${name}. 5 IN A ${ip}`]);
    expect((await k('get', 'sts', 'myweb-sts')).stdout).toMatch(/^myweb-sts\s+5\/5\s/m);
  });

  it('a restart on the same state file keeps what came through the API, with the same addresses', async () => {
    const before = { pods: await podIps(), svc: (await k('get', 'svc', 'myweb-svc', '-o', 'jsonpath={.spec.clusterIP} {.metadata.uid}')).stdout };
    expect(before.pods.length).toBe(11);
    await srv.stop();
    srv = await startLiveServer(lab.manifests, lab.statePath, SERVE_ARGS);
    kubectl.server = srv.adminUrl;
    const after = await waitFor(async () => {
      const pods = await podIps();
      return pods.every((p) => /\s10\.244\./.test(p)) && pods.length === before.pods.length ? pods : undefined;
    }, 10_000, 100);
    expect(after).toEqual(before.pods);
    expect((await k('get', 'svc', 'myweb-svc', '-o', 'jsonpath={.spec.clusterIP} {.metadata.uid}')).stdout).toBe(before.svc);
    const ip4 = before.pods.find((p) => p.startsWith('myweb-sts-4 '))!.split(' ')[1];
    const dns = await waitFor(async () => {
      const got = await answerA(srv.port, `myweb-sts-4.${HEADLESS}`);
      return got.length ? got : undefined;
    }, 5000);
    expect(dns).toEqual([`myweb-sts-4.${HEADLESS}. 5 IN A ${ip4}`]);
  });

  it('apply after scale puts replicas back to the file\'s 3 without replacing the pods it keeps', async () => {
    const identity = async () => (await k('get', 'pods', '-l', 'statefulset.kubernetes.io/pod-name', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.uid} {.status.podIP}{"\\n"}{end}')).stdout;
    const revision = async () => (await k('get', 'sts', 'myweb-sts', '-o', 'jsonpath={.status.updateRevision}')).stdout;
    const kept = (text: string) => lines(text).filter((l) => /^myweb-sts-[012] /.test(l));
    const before = { pods: kept(await identity()), revision: await revision() };
    const r = await k('apply', '-f', 'manifests/');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    // As on a real cluster: the file says 3, the live object 5, the last applied 3: apply sets 3.
    expect(lines(r.stdout)).toEqual(SEED_OBJECTS.map((o) => `${o} ${o === 'statefulset.apps/myweb-sts' ? 'configured' : 'unchanged'}`));
    // The pod template did not change: same revision, so no rolling update.
    expect(await revision()).toBe(before.revision);
    const gone = await waitFor(async () => ((await k('get', 'pods', '-o', 'name')).stdout.includes('myweb-sts-3') ? undefined : true), 10_000, 100);
    expect(gone).toBe(true);
    // A rolling update would replace myweb-sts-2, -1, -0 one by one (300 ms each): give it the time.
    await new Promise((res) => setTimeout(res, 1200));
    expect(kept(await identity())).toEqual(before.pods);
  });
});
