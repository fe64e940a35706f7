import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeQuery, toZoneLines, udpExchange } from '../helpers/dns-client.js';
import { FakeKubeApi, newEndpointSlice, newNamespace, newPod, newService } from '../helpers/kube-api-server.js';
import { runCli, waitFor } from '../helpers/live-server.js';
import { startCliServer, type CliServer } from '../helpers/server.js';

/**
 * `serve --endpoint` / `--kubeconfig` against the test-only Kubernetes API server: the built CLI,
 * real UDP queries, answers before and after watch events, through dropped watches and 410 Gone.
 */

const Z = 'svc.cluster.local';

interface Answer {
  rcode: string;
  lines: string[];
}

async function ask(port: number, name: string, type = 'A'): Promise<Answer> {
  const reply = await udpExchange(port, encodeQuery(name, { type }), 2000);
  if (!reply) throw new Error(`no reply for ${name} ${type}`);
  return { rcode: decodeReply(reply).rcode ?? 'NOERROR', lines: toZoneLines(reply) };
}

/** Polls until `name` answers `expected` (rcode, and the answer lines when given); returns what it last saw. */
async function until(port: number, name: string, expected: Partial<Answer>, type = 'A', timeoutMs = 5000): Promise<Answer> {
  let last: Answer = { rcode: 'none', lines: [] };
  await waitFor(async () => {
    last = await ask(port, name, type);
    const ok = (expected.rcode === undefined || last.rcode === expected.rcode) && (expected.lines === undefined || JSON.stringify(last.lines) === JSON.stringify(expected.lines));
    return ok ? true : undefined;
  }, timeoutMs);
  return last;
}

const a = (name: string, ip: string) => `${name}. 5 IN A ${ip}`;

/** The cluster the tests start from: a ClusterIP Service with one ready and one unready endpoint, a headless StatefulSet-like Service, an ExternalName. */
function seed(api: FakeKubeApi): void {
  for (const ns of ['default', 'kube-system', 'team-a']) api.apply('namespaces', newNamespace(ns));
  api.apply('services', newService('default', 'web', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }));
  api.apply('endpointslices', newEndpointSlice('default', 'web-x1', 'web', [{ ip: '10.244.1.10', pod: 'web-a' }, { ip: '10.244.1.11', ready: false, pod: 'web-b' }], [{ name: 'http', port: 8080 }]));
  api.apply('pods', newPod('default', 'web-a', '10.244.1.10', true));
  api.apply('pods', newPod('default', 'web-b', '10.244.1.11', false));
  api.apply('services', newService('default', 'db', { clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }));
  for (const i of [0, 1]) api.apply('pods', newPod('default', `db-${i}`, `10.244.2.${i + 1}`, i === 0, { hostname: `db-${i}`, subdomain: 'db', owner: { kind: 'StatefulSet', name: 'db' } }));
  api.apply('endpointslices', dbSlice([0], [1]));
  api.apply('services', newService('team-a', 'alias', { type: 'ExternalName', externalName: 'example.com' }));
}

/** The slice of `db`: ready ordinals, then unready ones. */
function dbSlice(ready: number[], unready: number[] = []) {
  const ep = (i: number, r: boolean) => ({ ip: `10.244.2.${i + 1}`, hostname: `db-${i}`, pod: `db-${i}`, ready: r });
  return newEndpointSlice('default', 'db-s1', 'db', [...ready.map((i) => ep(i, true)), ...unready.map((i) => ep(i, false))], [{ name: 'pg', port: 5432 }]);
}

describe('serve --endpoint follows a Kubernetes API server', () => {
  let api: FakeKubeApi;
  let srv: CliServer;
  let admin: string;

  beforeAll(async () => {
    api = await FakeKubeApi.start({ token: 'test-token-1234' });
    seed(api);
    srv = await startCliServer(['--endpoint', api.url, '--token', 'test-token-1234', '--port', '0', '--admin', '127.0.0.1:0', '--state', 'none']);
    admin = /"admin":"(http:\/\/[^"]+)"/.exec(srv.stdout())![1];
  });
  afterAll(async () => {
    expect(await srv.stop()).toBe(0);
    await api.close();
  });

  it('answers from the first list as CoreDNS would', async () => {
    const cases: { name: string; q: string; type?: string; expected: Answer }[] = [
      { name: 'ClusterIP', q: `web.default.${Z}`, expected: { rcode: 'NOERROR', lines: [a(`web.default.${Z}`, '10.96.0.50')] } },
      { name: 'ready endpoint name under a ClusterIP Service', q: `10-244-1-10.web.default.${Z}`, expected: { rcode: 'NOERROR', lines: [a(`10-244-1-10.web.default.${Z}`, '10.244.1.10')] } },
      { name: 'unready endpoint: no name', q: `10-244-1-11.web.default.${Z}`, expected: { rcode: 'NXDOMAIN', lines: [] } },
      { name: 'headless: ready endpoints only', q: `db.default.${Z}`, expected: { rcode: 'NOERROR', lines: [a(`db.default.${Z}`, '10.244.2.1')] } },
      { name: 'headless endpoint hostname', q: `db-0.db.default.${Z}`, expected: { rcode: 'NOERROR', lines: [a(`db-0.db.default.${Z}`, '10.244.2.1')] } },
      { name: 'not ready yet', q: `db-1.db.default.${Z}`, expected: { rcode: 'NXDOMAIN', lines: [] } },
      { name: 'SRV of a headless port', q: `_pg._tcp.db.default.${Z}`, type: 'SRV', expected: { rcode: 'NOERROR', lines: [`_pg._tcp.db.default.${Z}. 5 IN SRV 0 100 5432 db-0.db.default.${Z}.`] } },
      { name: 'ExternalName', q: `alias.team-a.${Z}`, type: 'CNAME', expected: { rcode: 'NOERROR', lines: [`alias.team-a.${Z}. 5 IN CNAME example.com.`] } },
      { name: 'namespace from the API', q: `team-a.${Z}`, expected: { rcode: 'NOERROR', lines: [] } },
      { name: 'namespace the API does not have', q: `team-b.${Z}`, expected: { rcode: 'NXDOMAIN', lines: [] } },
      { name: 'PTR of a cluster IP', q: '50.0.96.10.in-addr.arpa', type: 'PTR', expected: { rcode: 'NOERROR', lines: [`50.0.96.10.in-addr.arpa. 5 IN PTR web.default.${Z}.`] } },
      { name: 'PTR of an endpoint', q: '1.2.244.10.in-addr.arpa', type: 'PTR', expected: { rcode: 'NOERROR', lines: [`1.2.244.10.in-addr.arpa. 5 IN PTR db-0.db.default.${Z}.`] } },
    ];
    for (const c of cases) expect(await ask(srv.port, c.q, c.type), c.name).toEqual(c.expected);
  });

  it('the admin API reads the followed cluster: /ready, /records, /explain, /metrics; no cluster-changing routes', async () => {
    expect((await fetch(`${admin}/ready`)).status).toBe(200);
    expect((await fetch(`${admin}/health`)).status).toBe(200);
    const records = await (await fetch(`${admin}/records`)).text();
    expect(records).toContain('web.default.svc.cluster.local.');
    const explain = (await (await fetch(`${admin}/explain?name=db-0.db&type=A`)).json()) as { steps: { rcode: string; records: { origin: string }[] }[] };
    expect(JSON.stringify(explain)).toContain('EndpointSlice db-s1');
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    expect(metrics).toMatch(/coredns_dns_requests_total\{/);
    expect((await fetch(`${admin}/api/v1/pods`)).status).toBe(404);
    const cli = await runCli(['records', '-o', 'zone', '--server', admin]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('db-0.db.default.svc.cluster.local.');
  });

  it('a pod becoming ready: its endpoint name and the headless answer follow the EndpointSlice', async () => {
    api.apply('pods', newPod('default', 'db-1', '10.244.2.2', true, { hostname: 'db-1', subdomain: 'db', owner: { kind: 'StatefulSet', name: 'db' } }));
    api.apply('endpointslices', dbSlice([0, 1]));
    expect(await until(srv.port, `db-1.db.default.${Z}`, { rcode: 'NOERROR' })).toEqual({ rcode: 'NOERROR', lines: [a(`db-1.db.default.${Z}`, '10.244.2.2')] });
    expect(await ask(srv.port, `db.default.${Z}`)).toEqual({ rcode: 'NOERROR', lines: [a(`db.default.${Z}`, '10.244.2.1'), a(`db.default.${Z}`, '10.244.2.2')] });
  });

  it('a scale-down removes the endpoint', async () => {
    api.apply('endpointslices', dbSlice([0]));
    api.remove('pods', 'default', 'db-1');
    expect(await until(srv.port, `db-1.db.default.${Z}`, { rcode: 'NXDOMAIN' })).toMatchObject({ rcode: 'NXDOMAIN' });
    expect(await ask(srv.port, `db.default.${Z}`)).toEqual({ rcode: 'NOERROR', lines: [a(`db.default.${Z}`, '10.244.2.1')] });
  });

  it('a deleted Service is NXDOMAIN', async () => {
    api.remove('services', 'default', 'web');
    expect(await until(srv.port, `web.default.${Z}`, { rcode: 'NXDOMAIN' })).toMatchObject({ rcode: 'NXDOMAIN' });
  });

  it('a dropped watch resumes from its resourceVersion (no re-list) and catches up', async () => {
    await waitFor(async () => (api.countWatches() === 4 ? true : undefined), 3000);
    const lists = api.requests.filter((r) => !r.includes('watch=true')).length;
    api.dropWatches();
    api.apply('services', newService('default', 'api', { clusterIP: '10.96.0.60', clusterIPs: ['10.96.0.60'] }));
    expect(await until(srv.port, `api.default.${Z}`, { rcode: 'NOERROR' })).toEqual({ rcode: 'NOERROR', lines: [a(`api.default.${Z}`, '10.96.0.60')] });
    expect(api.requests.filter((r) => !r.includes('watch=true')).length).toBe(lists);
    expect(srv.stdout()).toMatch(/watch of services failed: .*resuming from resourceVersion \d+/);
  });

  it('410 Gone on resume: re-lists, and objects deleted meanwhile are gone', async () => {
    await waitFor(async () => (api.countWatches() === 4 ? true : undefined), 3000);
    api.dropWatches();
    // While the watches are away: a Service is added, another deleted, and the history is compacted.
    api.apply('services', newService('team-a', 'late', { clusterIP: '10.96.0.70', clusterIPs: ['10.96.0.70'] }));
    api.remove('services', 'default', 'api');
    api.forgetHistory();
    expect(await until(srv.port, `late.team-a.${Z}`, { rcode: 'NOERROR' })).toEqual({ rcode: 'NOERROR', lines: [a(`late.team-a.${Z}`, '10.96.0.70')] });
    expect(await until(srv.port, `api.default.${Z}`, { rcode: 'NXDOMAIN' })).toMatchObject({ rcode: 'NXDOMAIN' });
    expect(srv.stdout()).toMatch(/re-listed services: \d+ \(resourceVersion \d+ expired \(410 Gone\)/);
  });

  it('an ERROR event with code 410 on an open watch: re-lists', async () => {
    await waitFor(async () => (api.countWatches() === 4 ? true : undefined), 3000);
    const relists = (srv.stdout().match(/re-listed pods/g) ?? []).length;
    api.sendGone();
    api.apply('endpointslices', dbSlice([0], [1]));
    await waitFor(async () => ((srv.stdout().match(/re-listed pods/g) ?? []).length > relists ? true : undefined), 5000);
    expect((srv.stdout().match(/re-listed pods/g) ?? []).length).toBeGreaterThan(relists);
    expect(await ask(srv.port, `db.default.${Z}`)).toEqual({ rcode: 'NOERROR', lines: [a(`db.default.${Z}`, '10.244.2.1')] });
  });

  it('a BOOKMARK moves the resume point: the next watch starts from it', async () => {
    await waitFor(async () => (api.countWatches() === 4 ? true : undefined), 3000);
    // A change elsewhere moves the server's resourceVersion past what the pods watch has seen.
    api.apply('namespaces', newNamespace('team-c'));
    api.bookmark();
    const rv = api.resourceVersion;
    await new Promise((r) => setTimeout(r, 100));
    api.dropWatches();
    await waitFor(async () => (api.requests.some((r) => r.startsWith('GET /api/v1/pods?') && r.includes(`resourceVersion=${rv}&`)) ? true : undefined), 3000);
    expect(api.requests.some((r) => r.startsWith('GET /api/v1/pods?') && r.includes('watch=true') && r.includes(`resourceVersion=${rv}&`))).toBe(true);
    expect(await until(srv.port, `team-c.${Z}`, { rcode: 'NOERROR' })).toMatchObject({ rcode: 'NOERROR' });
  });
});

describe('serve --kubeconfig', () => {
  let api: FakeKubeApi;
  let dir: string;
  beforeAll(async () => {
    api = await FakeKubeApi.start({ token: 'kubeconfig-token-5678', goneAsHttpStatus: true });
    seed(api);
    dir = mkdtempSync(join(tmpdir(), 'kds-follow-'));
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'current-context: other',
      'clusters:',
      `- name: fake\n  cluster:\n    server: ${api.url}`,
      '- name: nowhere\n  cluster:\n    server: http://127.0.0.1:9',
      'users:',
      '- name: tester\n  user:\n    token: kubeconfig-token-5678',
      'contexts:',
      '- name: fake\n  context:\n    cluster: fake\n    user: tester',
      '- name: other\n  context:\n    cluster: nowhere\n    user: tester',
    ].join('\n');
    writeFileSync(join(dir, 'config'), `${kubeconfig}\n`);
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the named context: its server and token; 410 as an HTTP status re-lists too', async () => {
    const srv = await startCliServer(['--kubeconfig', join(dir, 'config'), '--context', 'fake', '--port', '0', '--admin', 'off']);
    try {
      expect(await ask(srv.port, `db-0.db.default.${Z}`)).toEqual({ rcode: 'NOERROR', lines: [a(`db-0.db.default.${Z}`, '10.244.2.1')] });
      expect(srv.stdout()).toContain(`context fake`);
      await waitFor(async () => (api.countWatches() === 4 ? true : undefined), 3000);
      api.dropWatches();
      api.remove('services', 'team-a', 'alias');
      api.forgetHistory();
      expect(await until(srv.port, `alias.team-a.${Z}`, { rcode: 'NXDOMAIN' }, 'CNAME')).toMatchObject({ rcode: 'NXDOMAIN' });
      expect(srv.stdout()).toMatch(/re-listed services/);
    } finally {
      expect(await srv.stop()).toBe(0);
    }
  });

  const usage: { name: string; args: string[]; stderr: RegExp }[] = [
    { name: '-f with --endpoint', args: ['serve', '-f', 'manifests', '--endpoint', 'http://127.0.0.1:1'], stderr: /-f cannot be combined with --endpoint\n {2}hint: serve either simulates manifests/ },
    { name: '-f with --kubeconfig', args: ['serve', '-f', 'manifests', '--kubeconfig', '/nonexistent'], stderr: /-f cannot be combined with --kubeconfig/ },
    { name: 'both servers', args: ['serve', '--kubeconfig', '/nonexistent', '--endpoint', 'http://127.0.0.1:1'], stderr: /--kubeconfig and --endpoint/ },
    { name: 'no kubeconfig file', args: ['serve', '--kubeconfig', '/nonexistent/config'], stderr: /--kubeconfig \/nonexistent\/config: no such file/ },
    { name: 'unknown context', args: ['serve', '--kubeconfig', 'CONFIG', '--context', 'nope'], stderr: /has no context "nope"\n {2}hint: contexts in the file: fake, other/ },
    { name: 'endpoint not a URL', args: ['serve', '--endpoint', '127.0.0.1:8080'], stderr: /is not an http:\/\/ or https:\/\/ URL|is not a URL/ },
    { name: '--context without --kubeconfig', args: ['serve', '-f', 'manifests', '--context', 'x'], stderr: /--context needs --kubeconfig/ },
  ];
  for (const c of usage) {
    it(`usage error exits 2: ${c.name}`, async () => {
      const r = await runCli(c.args.map((x) => (x === 'CONFIG' ? join(dir, 'config') : x)));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(c.stderr);
    });
  }
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl in `dir`; undefined without openssl. */
function makeCertificates(dir: string): Record<'ca' | 'serverKey' | 'serverCert' | 'clientKey' | 'clientCert', string> | undefined {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run('version');
  } catch {
    return undefined;
  }
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run('req', ...key, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'san.ext');
  run('req', ...key, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/O=system:masters/CN=kube-dns-sim');
  run('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '1');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { ca: read('ca.crt'), serverKey: read('server.key'), serverCert: read('server.crt'), clientKey: read('client.key'), clientCert: read('client.crt') };
}

describe('serve --kubeconfig over https with client certificates (as kind writes it)', () => {
  it('verifies the server against certificate-authority-data and authenticates with client-certificate-data', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-follow-tls-'));
    const certs = makeCertificates(dir);
    if (!certs) {
      rmSync(dir, { recursive: true, force: true });
      return ctx.skip('openssl is not installed');
    }
    const api = await FakeKubeApi.start({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca } });
    seed(api);
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'current-context: kind-lab',
      `clusters:\n- name: kind-lab\n  cluster:\n    server: ${api.url}\n    certificate-authority-data: ${b64(certs.ca)}`,
      `users:\n- name: kind-lab\n  user:\n    client-certificate-data: ${b64(certs.clientCert)}\n    client-key-data: ${b64(certs.clientKey)}`,
      'contexts:\n- name: kind-lab\n  context:\n    cluster: kind-lab\n    user: kind-lab',
    ].join('\n');
    writeFileSync(join(dir, 'config'), `${kubeconfig}\n`);
    const srv = await startCliServer(['--kubeconfig', join(dir, 'config'), '--port', '0', '--admin', 'off']);
    try {
      expect(await ask(srv.port, `web.default.${Z}`)).toEqual({ rcode: 'NOERROR', lines: [a(`web.default.${Z}`, '10.96.0.50')] });
      api.apply('services', newService('default', 'tls-late', { clusterIP: '10.96.0.80', clusterIPs: ['10.96.0.80'] }));
      expect(await until(srv.port, `tls-late.default.${Z}`, { rcode: 'NOERROR' })).toEqual({ rcode: 'NOERROR', lines: [a(`tls-late.default.${Z}`, '10.96.0.80')] });
    } finally {
      expect(await srv.stop()).toBe(0);
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an API server that is not there at start', () => {
  it('retries with backoff, serves SERVFAIL for unknown names after --startup-timeout (CoreDNS), then answers once it can list', async () => {
    // A free port: start a server, note its port, close it.
    const probe = await FakeKubeApi.start();
    const port = probe.port;
    await probe.close();
    const srv = await startCliServer(['--endpoint', `http://127.0.0.1:${port}`, '--startup-timeout', '300ms', '--port', '0', '--admin', '127.0.0.1:0']);
    let api: FakeKubeApi | undefined;
    try {
      const adminUrl = /"admin":"(http:\/\/[^"]+)"/.exec(srv.stdout())![1];
      expect(srv.stdout()).toMatch(/cannot list \w+ from http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*; retrying in/);
      expect(srv.stdout()).toMatch(/serving with an unsynced Kubernetes API/);
      expect(await ask(srv.port, `web.default.${Z}`)).toMatchObject({ rcode: 'SERVFAIL' });
      expect(await ask(srv.port, 'dns-version.cluster.local', 'TXT')).toMatchObject({ rcode: 'NOERROR' });
      const ready = await fetch(`${adminUrl}/ready`);
      expect([ready.status, await ready.text()]).toEqual([503, 'kubernetes\n']);
      api = await FakeKubeApi.start({}, port);
      seed(api);
      expect(await until(srv.port, `web.default.${Z}`, { rcode: 'NOERROR' }, 'A', 15_000)).toEqual({ rcode: 'NOERROR', lines: [a(`web.default.${Z}`, '10.96.0.50')] });
      expect(await ask(srv.port, `nope.default.${Z}`)).toMatchObject({ rcode: 'NXDOMAIN' });
      expect((await fetch(`${adminUrl}/ready`)).status).toBe(200);
      expect(srv.stdout()).toMatch(/synced with the Kubernetes API: 3 services/);
    } finally {
      expect(await srv.stop()).toBe(0);
      await api?.close();
    }
  }, 30_000);
});
