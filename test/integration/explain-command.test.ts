import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, startCliServer } from '../helpers/server.js';

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI_PATH, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kube-dns-sim explain (the CLI)', () => {
  const cases = [
    { name: 'an answer: exit 0, the object chain', args: ['explain', 'myweb-sts-0.myweb-svc-headless', '-f', 'manifests'], code: 0, out: /← Service default\/myweb-svc-headless \(headless\) ← EndpointSlice \S+ ← Pod myweb-sts-0 \(StatefulSet myweb-sts, ordinal 0\)\nanswered by candidate 1/ },
    { name: 'a miss: exit 1, did you mean', args: ['explain', 'myweb-svc-headles', '-f', 'manifests'], code: 1, out: /did you mean: myweb-svc-headless \(myweb-svc-headless\.default\.svc\.cluster\.local\.\)\?/ },
    { name: 'SRV type and -o json', args: ['explain', 'myweb-svc', 'SRV', '-f', 'manifests', '-o', 'json'], code: 0, out: /"type": "SRV"[\s\S]*IN SRV 0 100 80 myweb-svc\.default\.svc\.cluster\.local\.[\s\S]*"answeredBy": 0/ },
    { name: 'neither -f nor --server: usage', args: ['explain', 'x'], code: 2, err: /either -f PATH or --server URL/ },
    { name: 'unknown type: usage', args: ['explain', 'x', 'NOPE', '-f', 'manifests'], code: 2, err: /"NOPE" is not a DNS record type/ },
    { name: 'server unreachable: runtime error with a hint', args: ['explain', 'x', '--server', 'http://127.0.0.1:1'], code: 3, err: /cannot reach http:\/\/127\.0\.0\.1:1 .*\n {2}hint: / },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = cli(c.args);
      expect(r.code).toBe(c.code);
      if (c.out) expect(r.stdout).toMatch(c.out);
      if (c.err) expect(r.stderr).toMatch(c.err);
    });
  }

  it('--server (the running server, through its admin API) says the same as -f on the same manifests', async () => {
    const srv = await startCliServer(['-f', 'manifests', '--port', '0', '--admin', '127.0.0.1:0']);
    try {
      const admin = `http://127.0.0.1:${/admin API on 127\.0\.0\.1:(\d+)/.exec(srv.stdout())![1]}`;
      for (const q of [['myweb-sts-1.myweb-svc-headless'], ['myweb-svc', 'AAAA'], ['myweb-sts-0.myweb-svc']]) {
        const viaServer = cli(['explain', ...q, '--server', admin]);
        const viaFiles = cli(['explain', ...q, '-f', 'manifests']);
        expect(viaServer.stderr).toBe('');
        expect(viaServer).toEqual(viaFiles);
      }
    } finally {
      await srv.stop();
    }
  });
});
