import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../helpers/server.js';

function runCli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

describe('kube-dns-sim validate (built binary)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kds-validate-'));
    await writeFile(join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n');
    await writeFile(join(dir, 'bad.yml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "3"\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers: [{name: web, image: nginx}]\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("the seed's files: exit 1, exact positions, frames and hints", async () => {
    const r = await runCli(['validate', '-f', 'test/fixtures/seed/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('test/fixtures/seed/myweb-svc-headless.yaml:12:5: error YAML_BAD_INDENT: ');
    expect(r.stdout).toContain('hint: indent "targetPort:" to column 7');
    expect(r.stdout).toContain('test/fixtures/seed/myweb-sts-vol.yaml:31:9: error FIELD_UNKNOWN: spec.volumeClaimTemplates[0].spec.accessMode: ');
    expect(r.stdout).toContain('hint: did you mean "accessModes"?');
    expect(r.stdout).toMatch(/> 31 \|\s+accessMode:\n\s+\|\s+\^/);
    expect(r.stdout).toContain('test/fixtures/seed/myweb-sts.yaml:7:16: warning DNS_SERVICE_NOT_FOUND: spec.serviceName: ');
    expect(r.stdout).toMatch(/^2 errors, 1 warning in 5 files/m);
  });

  it('valid manifests: exit 0', async () => {
    const r = await runCli(['validate', '-f', 'test/fixtures/valid', '-f', 'manifests']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^0 errors, 0 warnings/m);
  });

  it('-o json: the same findings as data; a directory and a file together', async () => {
    const r = await runCli(['validate', '-f', dir, '-o', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; file: string; line: number; col: number; path: string }>; summary: { files: number; errors: number } };
    expect(report.summary.files).toBe(2);
    expect(report.findings.map(({ code, file, line, col, path }) => ({ code, file, line, col, path }))).toEqual([
      { code: 'FIELD_TYPE', file: join(dir, 'bad.yml'), line: 6, col: 13, path: 'spec.replicas' },
      { code: 'SELECTOR_MISMATCH', file: join(dir, 'bad.yml'), line: 11, col: 15, path: 'spec.template.metadata.labels' },
    ]);
  });

  it('- reads stdin', async () => {
    const r = await runCli(['validate', '-f', '-'], 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIp\n  ports: [{port: 80}]\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('-:6:9: error FIELD_ENUM: spec.type: ');
  });

  const usage = [
    { name: 'no -f', args: ['validate'] },
    { name: 'unknown output format', args: ['validate', '-f', 'manifests', '-o', 'yaml'] },
  ];
  for (const c of usage) {
    it(`usage error exits 2: ${c.name}`, async () => {
      const r = await runCli(c.args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    });
  }

  it('a missing file is an error finding, exit 1', async () => {
    const r = await runCli(['validate', '-f', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error FILE_UNREADABLE');
  });
});
