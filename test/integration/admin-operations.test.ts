import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig } from '../helpers/dns-client.js';
import { startCliServer, type CliServer } from '../helpers/server.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/upstream-server.js';
import { buildHealthRoutes } from '../../src/admin/health-routes.js';

/** One sample of the Prometheus text: `name{labels} value` → value, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('health, readiness and CoreDNS metrics on the admin port', () => {
  let srv: CliServer;
  let up: FakeUpstream;
  let admin: string;
  beforeAll(async () => {
    up = await startFakeUpstream((name) => (name === 'www.example.test' ? { answers: [{ type: 'A', name, ttl: 60, data: '192.0.2.1' }] } : undefined));
    srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', '127.0.0.1:0', '--upstream', `127.0.0.1:${up.port}`]);
    admin = `http://127.0.0.1:${/admin API on 127\.0\.0\.1:(\d+)/.exec(srv.stdout())![1]}`;
  });
  afterAll(async () => {
    await srv.stop();
    await up.close();
  });

  const endpoints = [
    { name: '/health answers OK (CoreDNS health)', path: '/health', status: 200, body: 'OK' },
    { name: '/ready answers OK once serving (CoreDNS ready)', path: '/ready', status: 200, body: 'OK' },
  ];
  for (const e of endpoints) {
    it(e.name, async () => {
      const res = await fetch(`${admin}${e.path}`);
      expect(res.status).toBe(e.status);
      expect(await res.text()).toBe(e.body);
    });
  }

  it('/metrics counts queries by proto and type, responses by rcode, durations and forwarding', async () => {
    const p = String(srv.port);
    await dig(['@127.0.0.1', '-p', p, '+short', 'myweb-svc.default.svc.cluster.local']);
    await dig(['@127.0.0.1', '-p', p, '+short', 'nope.default.svc.cluster.local']);
    await dig(['@127.0.0.1', '-p', p, '+short', '+tcp', 'myweb-svc.default.svc.cluster.local', 'SRV']);
    await dig(['@127.0.0.1', '-p', p, '+short', 'www.example.test']);
    const res = await fetch(`${admin}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const server = `dns://127.0.0.1:${p}`;
    const cases: { name: string; labels: Record<string, string>; value: number }[] = [
      { name: 'coredns_dns_requests_total', labels: { server, proto: 'udp', type: 'A' }, value: 3 },
      { name: 'coredns_dns_requests_total', labels: { server, proto: 'tcp', type: 'SRV' }, value: 1 },
      { name: 'coredns_dns_responses_total', labels: { rcode: 'NOERROR' }, value: 3 },
      { name: 'coredns_dns_responses_total', labels: { rcode: 'NXDOMAIN' }, value: 1 },
      { name: 'coredns_dns_request_duration_seconds_count', labels: { server }, value: 4 },
      { name: 'coredns_dns_request_duration_seconds_bucket', labels: { le: '+Inf' }, value: 4 },
      { name: 'coredns_forward_requests_total', labels: { to: `127.0.0.1:${up.port}` }, value: 1 },
      { name: 'coredns_forward_responses_total', labels: { to: `127.0.0.1:${up.port}`, rcode: 'NOERROR' }, value: 1 },
    ];
    for (const c of cases) expect({ ...c, got: sample(text, c.name, c.labels) }).toEqual({ ...c, got: c.value });
    expect(text).toMatch(/^# TYPE coredns_dns_request_duration_seconds histogram$/m);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
  });
});

describe('/ready while a component is not ready', () => {
  it('503 with the names of those not ready', async () => {
    const ready = buildHealthRoutes({ getNotReady: () => ['kubernetes'] }).find((r) => r.path === '/ready')!;
    const res = await ready.handle({ method: 'GET', path: '/ready', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0), params: [] });
    expect(res).toMatchObject({ status: 503, body: 'kubernetes\n' });
  });
});
