import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, startCliServer } from '../helpers/server.js';
import { dig } from '../helpers/dns-client.js';

function runCli(args: string[], opts: { uid?: number } = {}) {
  const cmd = opts.uid !== undefined ? 'setpriv' : process.execPath;
  const argv = opts.uid !== undefined ? [`--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups', process.execPath, CLI_PATH, ...args] : [CLI_PATH, ...args];
  return spawnSync(cmd, argv, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000 });
}

describe('kube-dns-sim serve: command line', () => {
  const usage = [
    { name: 'no -f', args: ['serve'], stderr: /-f, --file/ },
    { name: 'bad port', args: ['serve', '-f', 'manifests', '--port', '70000'], stderr: /--port 70000 is not a port number/ },
    { name: 'bad address', args: ['serve', '-f', 'manifests', '--address', 'localhost:1'], stderr: /--address localhost:1 is not an IP address/ },
    { name: 'ttl out of range', args: ['serve', '-f', 'manifests', '--ttl', '9999'], stderr: /--ttl 9999 is out of range/ },
    { name: 'unknown verb', args: ['frobnicate'], stderr: /unknown command/ },
  ];
  for (const c of usage) {
    it(`usage error exits 2: ${c.name}`, () => {
      const r = runCli(c.args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(c.stderr);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it.runIf(process.getuid?.() === 0)('a privileged port without permission exits 3 with a one-line hint, no stack trace', () => {
    const r = runCli(['serve', '-f', 'manifests', '--port', '53', '--admin', 'off', '--state', 'none', '--upstream', 'none'], { uid: 65534 });
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot listen on 127\.0\.0\.1:53 \(EACCES\): .*--port 1053/);
  });

  it('warns once about kinds it does not simulate, serves the rest, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-cli-'));
    writeFileSync(join(dir, 'all.yaml'), [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}',
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: listed}\n    spec: {ports: [{port: 80}]}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: cfg2}',
    ].join('\n---\n'));
    const srv = await startCliServer(['-f', dir, '--port', '0', '--admin', 'off']);
    try {
      const warnings = srv.stdout().split('\n').filter((l) => l.includes('does not simulate'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]).kinds).toEqual({ ConfigMap: 2, Secret: 1 });
      const loaded = JSON.parse(srv.stdout().split('\n').find((l) => l.includes('"objects"'))!);
      expect(loaded.objects).toEqual({ Service: 1 });
      expect((await dig(['@127.0.0.1', '-p', String(srv.port), '+short', 'listed.default.svc.cluster.local'])).trim()).toMatch(/^10\.\d+\.\d+\.\d+$/);
    } finally {
      expect(await srv.stop()).toBe(0);
    }
  });

  it('without --address it answers on both loopbacks, so dig @localhost works whichever localhost resolves to', async () => {
    const srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', 'off']);
    try {
      const started = JSON.parse(srv.stdout().split('\n').find((l) => l.includes('serving DNS'))!);
      for (const server of started.alsoOn.includes('::1') ? ['127.0.0.1', '::1'] : ['127.0.0.1']) {
        const out = await dig([`@${server}`, '-p', String(srv.port), '+short', 'myweb-svc.default.svc.cluster.local']);
        expect(out.trim()).toMatch(/^10\.\d+\.\d+\.\d+$/);
      }
      // This machine has ::1; where it does not, the server says so by leaving it out of alsoOn.
      expect(started.alsoOn).toEqual(['::1']);
    } finally {
      await srv.stop();
    }
  });

  it('on the seed files it reports both mistakes and the DNS warning they cause, and serves the rest', async () => {
    const srv = await startCliServer(['-f', 'test/fixtures/seed', '--port', '0', '--admin', 'off']);
    try {
      const codes = [...srv.stderr().matchAll(/^(\S+):(\d+):(\d+): (error|warning) (\w+):/gm)].map((m) => `${m[1]}:${m[2]} ${m[5]}`);
      expect(codes.sort()).toEqual(['test/fixtures/seed/myweb-sts-vol.yaml:31 FIELD_UNKNOWN', 'test/fixtures/seed/myweb-sts.yaml:7 DNS_SERVICE_NOT_FOUND', 'test/fixtures/seed/myweb-svc-headless.yaml:12 YAML_BAD_INDENT']);
      expect((await dig(['@127.0.0.1', '-p', String(srv.port), '+short', 'myweb-svc.default.svc.cluster.local'])).trim()).toMatch(/^10\./);
    } finally {
      await srv.stop();
    }
  });

  it('with --address it listens on that address only', async () => {
    const srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', 'off', '--address', '127.0.0.1']);
    try {
      expect(JSON.parse(srv.stdout().split('\n').find((l) => l.includes('serving DNS'))!).alsoOn).toEqual([]);
    } finally {
      await srv.stop();
    }
  });

  it('serves the lab under another zone and namespace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-cli-'));
    writeFileSync(join(dir, 'svc.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { ports: [{ port: 80 }] } }));
    const srv = await startCliServer(['-f', dir, '--port', '0', '--admin', 'off', '--zone', 'corp.internal', '--namespace', 'team-a', '--ttl', '30']);
    try {
      const out = await dig(['@127.0.0.1', '-p', String(srv.port), '+noall', '+answer', 'api.team-a.svc.corp.internal']);
      expect(out).toMatch(/^api\.team-a\.svc\.corp\.internal\.\s+30\s+IN\s+A\s+10\./);
      const short = await dig(['@127.0.0.1', '-p', String(srv.port), '+short', 'api']);
      expect(short.split('\n')[0]).toBe('api.team-a.svc.corp.internal.');
    } finally {
      await srv.stop();
    }
  });
});
