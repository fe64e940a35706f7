import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLabDir, runCli } from '../helpers/live-server.js';
import { startCliServer, type CliServer } from '../helpers/server.js';

/**
 * kubectl sends a bearer token only over TLS: with --admin-tls-cert/--admin-tls-key the admin
 * address is HTTPS, and `kubectl --token` writes to a token-protected server.
 */

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const TOKEN = 'tls-test-token-0123456789';

describe.skipIf(!hasOpenssl)('admin API over TLS with a token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kds-admin-tls-'));
  const lab = newLabDir();
  let srv: CliServer;
  let url: string;

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', join(dir, 'admin.key'), '-out', join(dir, 'admin.crt'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    srv = await startCliServer(['-f', lab.manifests, '--port', '0', '--admin', '127.0.0.1:0', '--admin-token', TOKEN, '--admin-tls-cert', join(dir, 'admin.crt'), '--admin-tls-key', join(dir, 'admin.key')]);
    url = /"admin":"(https:\/\/[^"]+)"/.exec(srv.stdout())![1];
  });
  afterAll(async () => {
    await srv?.stop();
    lab.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const kubectl = (...args: string[]) => spawnSync('kubectl', ['--server', url, '--cache-dir', join(dir, 'cache'), '--certificate-authority', join(dir, 'admin.crt'), '--request-timeout', '10s', ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, HOME: dir } });

  it.each([
    { name: 'with the token: created', args: ['--token', TOKEN, 'create', 'namespace', 'tls-ok'], status: 0, out: /namespace\/tls-ok created/ },
    { name: 'with a wrong token: refused', args: ['--token', 'not-the-token-at-all', 'create', 'namespace', 'tls-bad'], status: 1, out: /Unauthorized|must be logged in/ },
    { name: 'with the token: reads', args: ['--token', TOKEN, 'get', 'pod', 'myweb-sts-0', '-o', 'name'], status: 0, out: /^pod\/myweb-sts-0$/m },
  ])('kubectl $name', ({ args, status, out }) => {
    const r = kubectl(...args);
    expect(r.status).toBe(status);
    expect(`${r.stdout}${r.stderr}`).toMatch(out);
  });

  /** One request over HTTPS trusting the test's certificate. */
  const request = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request(`${url}${path}`, { method, ca: readFileSync(join(dir, 'admin.crt')), headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('without a token: reads answer, a write is 401 with a Status naming the header', async () => {
    expect((await request('GET', '/api/v1/namespaces/default/pods/myweb-sts-0')).status).toBe(200);
    const w = await request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }));
    expect(w.status).toBe(401);
    expect(JSON.parse(w.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401, message: expect.stringContaining('Authorization: Bearer') });
  });

  it.each([
    { name: 'a certificate without its key', args: ['--admin-tls-cert', 'x.crt'], err: /--admin-tls-cert and --admin-tls-key go together/ },
    { name: 'a missing file', args: ['--admin-tls-cert', '/nonexistent/a.crt', '--admin-tls-key', '/nonexistent/a.key'], err: /cannot be read \(ENOENT\)/ },
  ])('usage error: $name', async ({ args, err }) => {
    const r = await runCli(['serve', '-f', lab.manifests, '--port', '0', '--admin', '127.0.0.1:0', '--state', 'none', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(err);
  });
});
