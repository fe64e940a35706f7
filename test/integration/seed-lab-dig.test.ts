import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig } from '../helpers/dns-client.js';
import { startCliServer, type CliServer } from '../helpers/server.js';

// The seed's lab served by the real CLI on a free loopback port, asked with the real dig.
describe('seed lab over the wire with dig', () => {
  let srv: CliServer;
  beforeAll(async () => {
    srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', 'off', '--state', 'none']);
  });
  afterAll(async () => {
    expect(await srv.stop()).toBe(0);
  });

  const cases = [
    { name: 'StatefulSet pod by short name (no search path)', q: 'myweb-sts-0.myweb-svc-headless', type: 'A', status: 'NOERROR', answers: /^myweb-sts-0\.myweb-svc-headless\.\s+5\s+IN\s+CNAME\s+myweb-sts-0\.myweb-svc-headless\.default\.svc\.cluster\.local\.\nmyweb-sts-0\.myweb-svc-headless\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.244\.\d+\.\d+$/ },
    { name: 'ClusterIP service FQDN', q: 'myweb-svc.default.svc.cluster.local', type: 'A', status: 'NOERROR', answers: /^myweb-svc\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/ },
    { name: 'missing name is NXDOMAIN', q: 'nope.default.svc.cluster.local', type: 'A', status: 'NXDOMAIN', answers: /^$/ },
    { name: 'existing name without AAAA is NODATA', q: 'myweb-svc.default.svc.cluster.local', type: 'AAAA', status: 'NOERROR', answers: /^$/ },
  ];
  for (const c of cases) {
    for (const transport of ['+notcp', '+tcp']) {
      it(`${c.name} (${transport})`, async () => {
        const out = await dig(['@127.0.0.1', '-p', String(srv.port), transport, '+noall', '+answer', '+comments', c.q, c.type]);
        expect(out).toContain(`status: ${c.status}`);
        expect(out).toMatch(/flags: qr aa rd;/);
        const answers = out.split('\n').filter((l) => l && !l.startsWith(';')).join('\n');
        expect(answers).toMatch(c.answers);
      });
    }
  }

  it('headless service answers one A per pod of every owner (3 ReplicaSet + 6 StatefulSet pods)', async () => {
    const out = await dig(['@127.0.0.1', '-p', String(srv.port), '+short', 'myweb-svc-headless.default.svc.cluster.local']);
    const ips = out.trim().split('\n');
    expect(ips).toHaveLength(9);
    expect(new Set(ips).size).toBe(9);
    for (const ip of ips) expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
  });
});
