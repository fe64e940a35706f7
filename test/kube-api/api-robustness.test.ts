import { execFileSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeQuery, toZoneLines, udpExchange } from '../helpers/dns-client.js';
import { Kubectl } from '../helpers/kubectl.js';
import { newLabDir, startLiveServer, waitFor, type LiveServer } from '../helpers/live-server.js';

/**
 * What a client can do wrong to the Kubernetes API, over plain fetch on loopback: a clear Status for
 * each, and nothing else disturbed (DNS and the API keep answering). One token-protected server.
 */

const TOKEN = 'robustness-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('Kubernetes API robustness', () => {
  const lab = newLabDir();
  let srv: LiveServer;
  const api = (path: string, init: RequestInit = {}) => fetch(`${srv.adminUrl}${path}`, { ...init, headers: { ...AUTH, ...JSON_TYPE, ...(init.headers as Record<string, string>) } });
  /** The API still answers, and quickly. */
  const apiAnswers = async () => {
    const t = performance.now();
    const r = await api('/api/v1/namespaces/default/services/myweb-svc');
    const body = (await r.json()) as { metadata: { name: string } };
    return { status: r.status, name: body.metadata.name, fast: performance.now() - t < 500 };
  };
  const dnsAnswers = async () => {
    const reply = await udpExchange(srv.port, encodeQuery('myweb-svc.default.svc.cluster.local'), 1000);
    return reply ? toZoneLines(reply).length : -1;
  };

  beforeAll(async () => {
    srv = await startLiveServer(lab.manifests, lab.statePath, ['--admin-token', TOKEN]);
  });
  afterAll(async () => {
    await srv?.stop();
    lab.cleanup();
  });

  describe('bad requests get a Status', () => {
    const svc = (apiVersion: string, kind: string) => JSON.stringify({ apiVersion, kind, metadata: { name: 'bad' }, spec: { ports: [{ port: 80 }] } });
    it.each([
      { name: 'malformed JSON', method: 'POST', path: '/api/v1/namespaces/default/services', body: '{"apiVersion": "v1", "kind": ', code: 400, reason: 'BadRequest', message: /not valid JSON/ },
      { name: 'a JSON array', method: 'POST', path: '/api/v1/namespaces/default/services', body: '[1,2]', code: 400, reason: 'BadRequest', message: /must be a JSON object/ },
      { name: 'an unknown resource', method: 'GET', path: '/api/v1/namespaces/default/widgets', code: 404, reason: 'NotFound', message: /^the server could not find the requested resource$/ },
      { name: 'an unknown group', method: 'GET', path: '/apis/example.com/v1/widgets', code: 404, reason: 'NotFound', message: /^the server could not find the requested resource$/ },
      { name: 'a write to an unknown resource', method: 'POST', path: '/api/v1/namespaces/default/widgets', body: svc('v1', 'Widget'), code: 404, reason: 'NotFound', message: /could not find the requested resource/ },
      { name: 'the wrong apiVersion for the URL', method: 'POST', path: '/api/v1/namespaces/default/services', body: svc('apps/v1', 'Service'), code: 400, reason: 'BadRequest', message: /^the API version in the data \(apps\/v1\) does not match the expected API version \(v1\)$/ },
      { name: 'the wrong kind for the URL', method: 'POST', path: '/api/v1/namespaces/default/services', body: svc('v1', 'Pod'), code: 400, reason: 'BadRequest', message: /^the kind in the data \(Pod\) does not match the expected kind \(Service\)$/ },
      { name: 'a missing object', method: 'GET', path: '/api/v1/namespaces/default/pods/nope', code: 404, reason: 'NotFound', message: /^pods "nope" not found$/ },
    ])('$name: $code $reason', async ({ method, path, body, code, reason, message }) => {
      const r = await api(path, { method, body });
      expect(r.status).toBe(code);
      const status = (await r.json()) as { kind: string; status: string; code: number; reason: string; message: string };
      expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
      expect(status.message).toMatch(message);
      expect((await api('/api/v1/namespaces/default/services/bad')).status).toBe(404);
    });
  });

  it('a body over 1 MiB is 413, and DNS and the API keep answering', async () => {
    const huge = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'huge', annotations: { a: 'x'.repeat(1100 * 1024) } } });
    const r = await api('/api/v1/namespaces/default/services', { method: 'POST', body: huge }).catch((e: unknown) => e);
    // The server may answer before it has read everything; either way the object is not made.
    if (r instanceof Response) {
      expect(r.status).toBe(413);
      expect(await r.json()).toMatchObject({ kind: 'Status', code: 413, reason: 'RequestEntityTooLarge' });
    }
    expect(await dnsAnswers()).toBe(1);
    expect(await apiAnswers()).toEqual({ status: 200, name: 'myweb-svc', fast: true });
    expect((await api('/api/v1/namespaces/default/services/huge')).status).toBe(404);
  });

  describe('a watch whose client never reads, and a watch from too far back', () => {
    const NS = 'churn';
    let listedRv = '';
    let watch: { received: () => number; closed: Promise<boolean>; socket: net.Socket };
    const scale = (replicas: number) => api(`/apis/apps/v1/namespaces/${NS}/statefulsets/churn/scale`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { replicas } }) }).then((r) => r.status);

    beforeAll(async () => {
      expect((await api('/api/v1/namespaces', { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }) })).status).toBe(201);
      const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'churn' }, spec: { replicas: 0, podManagementPolicy: 'Parallel', serviceName: 'churn', selector: { matchLabels: { app: 'churn' } }, template: { metadata: { labels: { app: 'churn' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } };
      expect((await api(`/apis/apps/v1/namespaces/${NS}/statefulsets`, { method: 'POST', body: JSON.stringify(sts) })).status).toBe(201);
      listedRv = ((await (await api(`/api/v1/namespaces/${NS}/pods`)).json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      // A raw connection that reads the response head and then stops reading.
      const u = new URL(srv.adminUrl);
      const socket = net.connect(Number(u.port), u.hostname);
      let received = 0;
      socket.on('data', (d: Buffer) => (received += d.length));
      socket.on('error', () => {});
      const closed = new Promise<boolean>((r) => socket.once('close', () => r(true)));
      await new Promise((r) => socket.once('connect', r));
      socket.write(`GET /api/v1/namespaces/${NS}/pods?watch=true HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`);
      await waitFor(async () => (received > 0 ? true : undefined), 5000);
      socket.pause();
      watch = { received: () => received, closed, socket };
    });
    afterAll(() => watch?.socket.destroy());

    it('200 scale operations of 60 pods: the server cuts the stalled watch off, and keeps answering quickly', async () => {
      const started = Date.now();
      const slowest: number[] = [];
      for (let i = 0; i < 200 && Date.now() - started < 20_000; i++) {
        const t = performance.now();
        expect(await scale(i % 2 === 0 ? 60 : 0)).toBe(200);
        slowest.push(performance.now() - t);
      }
      expect(slowest.length).toBe(200);
      slowest.sort((a, b) => b - a);
      expect(slowest[0], 'the slowest scale request (ms)').toBeLessThan(1000);
      expect(await apiAnswers()).toEqual({ status: 200, name: 'myweb-svc', fast: true });
      expect(await dnsAnswers()).toBe(1);
      // Reading again: the server closed the connection after a bounded amount (the sockets'
      // buffers, then 2000 unread events), far less than the ~12k pod events the churn made.
      watch.socket.resume();
      const closed = await Promise.race([watch.closed, new Promise<false>((r) => setTimeout(() => r(false), 5000))]);
      expect(closed, 'the server closes a watch its client does not read').toBe(true);
      expect(watch.received()).toBeLessThan(20 << 20);
    });

    /** The first event of a watch from `from` (its whole text read; the server ends it after 1 s). */
    const firstEvent = async (from: string) => {
      const r = await api(`/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${from}&timeoutSeconds=1`);
      expect(r.status).toBe(200);
      const text = await r.text();
      return { first: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; object: { kind: string; code: number; reason: string; message: string } })[0], text };
    };
    /** The oldest resourceVersion a watch can still start from, as the 410 message names it. */
    const oldest = async () => Number(/\((\d+)\)$/.exec((await firstEvent('1')).first.object.message)![1]);

    it.each([
      { name: 'from before the first resourceVersion', rv: async () => '1', expired: true },
      { name: 'from just before the oldest one the window keeps', rv: async () => String((await oldest()) - 1), expired: true },
      { name: 'from the current resourceVersion: no error', rv: async () => ((await (await api(`/api/v1/namespaces/${NS}/pods`)).json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion, expired: false },
    ])('a watch $name', async ({ rv, expired }) => {
      const from = await rv();
      const { first } = await firstEvent(from);
      if (expired) expect(first).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: expect.stringMatching(new RegExp(`^too old resource version: ${from} \\(\\d+\\)$`)) } });
      else expect(first).toBeUndefined();
    });

    it('a watch resuming from before the churn (a backlog of several MB) gets the backlog or 410, not a cut connection', async () => {
      // A client that fell behind resumes from its last resourceVersion. If the server replays the
      // backlog at once and then cuts the connection for the buffer it fills, the client resumes
      // again from almost the same place, over and over.
      const got = await firstEvent(listedRv).catch((e: unknown) => ({ error: String((e as Error).cause ?? e) }));
      expect(got).not.toHaveProperty('error');
    });
  });

  describe('--admin-token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-tls-'));
    let front: https.Server;
    let frontUrl = '';
    beforeAll(async () => {
      // kubectl sends a bearer token only over TLS (client-go; kubernetes/kubectl#744): an https front on loopback.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'pipe' });
      const admin = new URL(srv.adminUrl);
      front = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
        const up = http.request({ host: admin.hostname, port: admin.port, method: req.method, path: req.url, headers: { ...req.headers, host: admin.host } }, (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        });
        up.on('error', () => res.destroy());
        req.pipe(up);
      });
      await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
      frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      front?.closeAllConnections();
      await new Promise((r) => front?.close(r));
      rmSync(dir, { recursive: true, force: true });
    });

    it.each([
      { name: 'no token', headers: {} as Record<string, string> },
      { name: 'a wrong token', headers: { authorization: 'Bearer wrong-token-wrong-token' } },
    ])('a write with $name is 401, and reads need none', async ({ headers }) => {
      const r = await fetch(`${srv.adminUrl}/api/v1/namespaces`, { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'no-token' } }) });
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ kind: 'Status', status: 'Failure', code: 401, reason: 'Unauthorized' });
      expect((await fetch(`${srv.adminUrl}/api/v1/namespaces/no-token`)).status).toBe(404);
    });

    it.each([
      { name: 'kubectl --token over https writes', via: 'https', token: TOKEN, want: { code: 0, stdout: 'namespace/with-token created\n' } },
      { name: 'kubectl with a wrong token is refused', via: 'https', token: 'wrong-token-wrong-token', want: { code: 1, stderr: expect.stringMatching(/^error: You must be logged in to the server \(/) } },
      // client-go drops the token on a plain http connection: kubectl cannot write to a token-protected http server.
      { name: 'kubectl --token over plain http is refused (kubectl sends no token without TLS)', via: 'http', token: TOKEN, want: { code: 1, stderr: expect.stringMatching(/^error: You must be logged in to the server \(/) } },
    ])('$name', async ({ via, token, want }) => {
      const kubectl = new Kubectl(via === 'https' ? frontUrl : srv.adminUrl, ['--token', token, ...(via === 'https' ? ['--insecure-skip-tls-verify'] : [])]);
      try {
        expect(await kubectl.run(['create', 'namespace', 'with-token'])).toMatchObject(want);
        if (want.code === 0) expect((await kubectl.run(['get', 'namespace', 'with-token', '-o', 'name'])).stdout).toBe('namespace/with-token\n');
      } finally {
        kubectl.cleanup();
      }
    });
  });
});
