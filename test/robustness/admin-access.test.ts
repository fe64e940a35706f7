import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminServer, checkAdminExposure } from '../../src/admin/admin-server.js';
import { CLI_PATH, REPO_ROOT, startCliServer } from '../helpers/server.js';

const TOKEN = 's3cret-token-0123456789';

/** fetch() will not send a foreign Host header; node:http will. */
function requestWithHost(url: string, host: string): Promise<{ status: number; text: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: async () => body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who may use the admin API', () => {
  const exposure = [
    { name: 'loopback without token', host: '127.0.0.1', token: undefined, ok: true },
    { name: 'IPv6 loopback without token', host: '::1', token: undefined, ok: true },
    { name: 'all interfaces without token', host: '0.0.0.0', token: undefined, ok: false },
    { name: 'all interfaces with a short token', host: '0.0.0.0', token: 'short', ok: false },
    { name: 'all interfaces with a token', host: '0.0.0.0', token: TOKEN, ok: true },
  ];
  for (const c of exposure) it(`exposure rule: ${c.name}`, () => expect(checkAdminExposure(c.host, c.token) === undefined).toBe(c.ok));

  it('serve refuses to expose the admin API off loopback without a token (exit 2)', () => {
    const r = spawnSync(process.execPath, [CLI_PATH, 'serve', '-f', 'manifests', '--port', '0', '--admin', '0.0.0.0:0'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000, env: { ...process.env, KUBE_DNS_SIM_ADMIN_TOKEN: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/without a token/);
  });

  describe('the token gate and body limit', () => {
    let server: AdminServer;
    let base: string;
    beforeAll(async () => {
      server = new AdminServer({ maxBodyBytes: 1024, token: TOKEN }).addRoutes([
        { method: 'GET', path: '/things', handle: () => ({ status: 200, body: '[]' }) },
        { method: 'POST', path: '/things', handle: (req) => ({ status: 201, body: JSON.stringify({ got: req.body.length }) }) },
      ]);
      base = `http://127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
    });
    afterAll(() => server.close());

    const cases = [
      { name: 'reads need no token', method: 'GET', auth: undefined, body: undefined, status: 200 },
      { name: 'a change without a token is refused', method: 'POST', auth: undefined, body: '{}', status: 401 },
      { name: 'a change with a wrong token is refused', method: 'POST', auth: 'Bearer nope-nope-nope-nope-nope', body: '{}', status: 401 },
      { name: 'a change with the token is accepted', method: 'POST', auth: `Bearer ${TOKEN}`, body: '{}', status: 201 },
      { name: 'an oversized body is refused', method: 'POST', auth: `Bearer ${TOKEN}`, body: 'x'.repeat(5000), status: 413 },
      { name: 'an unknown path', method: 'GET', auth: undefined, body: undefined, status: 404 },
      { name: 'a change sent as text/plain (what a web page can send without a preflight) is refused', method: 'POST', auth: `Bearer ${TOKEN}`, body: '{}', status: 403, type: 'text/plain' },
      { name: 'a request naming another host (DNS rebinding) is refused', method: 'GET', auth: undefined, body: undefined, status: 403, host: 'evil.example:8080' },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const headers: Record<string, string> = {};
        if (c.auth) headers.authorization = c.auth;
        if (c.body !== undefined) headers['content-type'] = (c as { type?: string }).type ?? 'application/json';
        const host = (c as { host?: string }).host;
        const res = host ? await requestWithHost(`${base}/things`, host) : await fetch(`${base}${c.name === 'an unknown path' ? '/nope' : '/things'}`, { method: c.method, headers, body: c.body });
        expect(res.status).toBe(c.status);
        const text = await res.text();
        expect(text).not.toMatch(/\n\s+at /);
        expect(() => JSON.parse(text)).not.toThrow();
      });
    }
  });

  it('kubectl-style verbs send the token (--token or the env variable); without it a change is refused', async () => {
    const srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', '127.0.0.1:0', '--admin-token', TOKEN]);
    try {
      const url = /"admin":"(http:[^"]+)"/.exec(srv.stdout())![1];
      const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [CLI_PATH, ...args, '--server', url], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000, env: { ...process.env, KUBE_DNS_SIM_ADMIN_TOKEN: '', ...env } });
      const refused = run(['delete', 'pod', 'myweb-sts-1']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/Error from server.*Authorization: Bearer/);
      expect(run(['delete', 'pod', 'myweb-sts-1', '--token', TOKEN]).status).toBe(0);
      expect(run(['delete', 'pod', 'myweb-sts-2'], { KUBE_DNS_SIM_ADMIN_TOKEN: TOKEN }).status).toBe(0);
      expect(run(['get', 'pods']).status).toBe(0);
    } finally {
      await srv.stop();
    }
  });

  it('logs never contain the admin token', async () => {
    const srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', '0.0.0.0:0', '--admin-token', TOKEN]);
    await srv.stop();
    expect(srv.stdout()).toMatch(/admin API/);
    expect(srv.stdout() + srv.stderr()).not.toContain(TOKEN);
  });
});
