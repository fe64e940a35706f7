import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dig } from '../helpers/dns-client.js';
import { CLI_PATH, REPO_ROOT, startCliServer, type CliServer } from '../helpers/server.js';
// @ts-expect-error plain ESM helper shared with bench/run.mjs (no type declarations)
import { getFreeUdpPort, startKnot } from '../helpers/knot-server.mjs';

const execFileP = promisify(execFile);

// More than the seed: a second namespace, named ports on a headless StatefulSet service, an ExternalName.
const EXTRA = `apiVersion: v1
kind: Service
metadata: { name: db, namespace: shop }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: pg, port: 5432, protocol: TCP }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  replicas: 2
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: pg, image: postgres, ports: [{ containerPort: 5432 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: [{ name: http, port: 80, protocol: TCP }]
---
apiVersion: v1
kind: Service
metadata: { name: search, namespace: shop }
spec: { type: ExternalName, externalName: search.example.com }
`;

const ZONES = ['cluster.local', 'in-addr.arpa', 'ip6.arpa'];

async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [CLI_PATH, ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** dig's view of one answer: status, then the answer and authority lines (and additional for SRV), sorted, each once. */
async function digView(port: number, name: string, type: string): Promise<string[]> {
  const sections = type === 'SRV' ? ['+answer', '+authority', '+additional'] : ['+answer', '+authority'];
  const out = await dig(['@127.0.0.1', '-p', String(port), '+notcp', '+norecurse', '+noall', '+comments', ...sections, name, type]);
  const status = /status: (\w+)/.exec(out)?.[1] ?? 'no reply';
  const records = out.split('\n').filter((l) => l.trim() && !l.startsWith(';')).map((l) => l.split(/\s+/).join(' '));
  // A set: Knot repeats an additional record once per SRV naming the same target.
  return [`status ${status}`, ...[...new Set(records)].sort()];
}

/** Owner names and types of a zone file's records (skipping comments and directives). */
function toQuestions(zoneText: string): { name: string; type: string }[] {
  const seen = new Set<string>();
  const out: { name: string; type: string }[] = [];
  // Glue after the marker has no name of its own in kube-dns-sim (as in CoreDNS): not compared.
  for (const line of zoneText.split('; glue for the NS above')[0].split('\n')) {
    if (!line || line.startsWith(';') || line.startsWith('$')) continue;
    const [owner, , , type] = line.split(/\s+/);
    const key = `${owner} ${type}`;
    if (!seen.has(key)) {
      out.push({ name: owner, type });
      seen.add(key);
    }
  }
  return out;
}

describe('records -o zone round-trips through Knot', () => {
  let dir: string;
  let srv: CliServer;
  let adminUrl: string;
  let knot: { port: number; stop: () => Promise<void> } | undefined;
  const zoneTexts = new Map<string, string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kds-zone-'));
    cpSync(join(REPO_ROOT, 'manifests'), join(dir, 'manifests'), { recursive: true });
    writeFileSync(join(dir, 'manifests', 'shop.yaml'), EXTRA);
    srv = await startCliServer(['-f', join(dir, 'manifests'), '--port', '0', '--admin', '127.0.0.1:0']);
    adminUrl = /"admin":"(http:\/\/[^"]+)"/.exec(srv.stdout())![1];
    for (const zone of ZONES) {
      const r = await runCli(['records', '-o', 'zone', '--zone', zone, '--server', adminUrl]);
      expect(r.code).toBe(0);
      zoneTexts.set(zone, r.stdout);
    }
    knot = await startKnot({ dir: join(dir, 'knot'), port: await getFreeUdpPort(), zones: ZONES.map((zone) => ({ zone, text: zoneTexts.get(zone)! })) });
  }, 60_000);

  afterAll(async () => {
    await knot?.stop();
    if (srv) expect(await srv.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const zone of ZONES) {
    it(`kzonecheck accepts the ${zone} zone`, async () => {
      const file = join(dir, `${zone}.check.zone`);
      writeFileSync(file, zoneTexts.get(zone)!);
      const { stdout, stderr } = await execFileP('kzonecheck', ['-o', zone, file]);
      expect(`${stdout}${stderr}`).not.toMatch(/error/i);
    });

    it(`the ${zone} zone starts with its SOA and NS, all owners inside it`, () => {
      const records = zoneTexts.get(zone)!.split('\n').filter((l) => l && !l.startsWith(';') && !l.startsWith('$'));
      expect(records[0]).toMatch(new RegExp(`^${zone.replace(/\./g, '\\.')}\\. \\d+ IN SOA `));
      expect(records[1]).toMatch(new RegExp(`^${zone.replace(/\./g, '\\.')}\\. \\d+ IN NS `));
      for (const r of records) expect(r.split(' ')[0] === `${zone}.` || r.split(' ')[0].endsWith(`.${zone}.`)).toBe(true);
    });
  }

  it('Knot and kube-dns-sim give the same answers for every record name, NODATA and NXDOMAIN questions', async () => {
    const questions = [
      ...ZONES.flatMap((z) => toQuestions(zoneTexts.get(z)!)),
      { name: 'myweb-svc.default.svc.cluster.local.', type: 'AAAA' },
      { name: 'db.shop.svc.cluster.local.', type: 'AAAA' },
      { name: 'MyWeb-Svc.Default.SVC.cluster.local.', type: 'A' },
      { name: 'nope.default.svc.cluster.local.', type: 'A' },
      { name: 'myweb-svc.default.default.svc.cluster.local.', type: 'A' },
      { name: 'db-7.db.shop.svc.cluster.local.', type: 'A' },
      { name: '9.9.9.9.in-addr.arpa.', type: 'PTR' },
    ];
    expect(questions.length).toBeGreaterThan(40);
    const mismatches: string[] = [];
    for (let i = 0; i < questions.length; i += 8) {
      await Promise.all(
        questions.slice(i, i + 8).map(async (q) => {
          const [ours, theirs] = await Promise.all([digView(srv.port, q.name, q.type), digView(knot!.port, q.name, q.type)]);
          if (JSON.stringify(ours) !== JSON.stringify(theirs)) mismatches.push(`${q.name} ${q.type}\n  kube-dns-sim: ${ours.join(' | ')}\n  knot:         ${theirs.join(' | ')}`);
        }),
      );
    }
    expect(mismatches).toEqual([]);
  }, 60_000);

  it('records -f prints the same records as records --server (apart from the SOA serial)', async () => {
    const fromFiles = await runCli(['records', '-o', 'zone', '-f', join(dir, 'manifests')]);
    expect(fromFiles.code).toBe(0);
    const strip = (t: string) => t.split('\n').filter((l) => l && !l.startsWith(';')).map((l) => l.replace(/ SOA (\S+ \S+) \d+ /, ' SOA $1 N '));
    expect(strip(fromFiles.stdout)).toEqual(strip(ZONES.map((z) => zoneTexts.get(z)!).join('\n')));
  });

  it('records -o json lists each zone with SOA first and the same record count as the zone files', async () => {
    const r = await runCli(['records', '-o', 'json', '--server', adminUrl]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { zones: { zone: string; records: { name: string; type: string }[]; glue: unknown[] }[] };
    expect(doc.zones.map((z) => z.zone)).toEqual(ZONES);
    for (const z of doc.zones) {
      expect(z.records[0]).toMatchObject({ name: z.zone, type: 'SOA' });
      expect(z.records.length + z.glue.length).toBe(zoneTexts.get(z.zone)!.split('\n').filter((l) => l && !l.startsWith(';') && !l.startsWith('$')).length);
    }
  });

  const usage = [
    { name: 'unknown format', args: ['records', '-o', 'yaml', '-f', 'manifests'], code: 2 },
    { name: 'neither -f nor --server', args: ['records', '-o', 'zone'], code: 2 },
    { name: 'both -f and --server', args: ['records', '-o', 'zone', '-f', 'manifests', '--server', 'http://127.0.0.1:1'], code: 2 },
    { name: 'server not reachable', args: ['records', '-o', 'zone', '--server', 'http://127.0.0.1:1'], code: 3 },
  ];
  for (const c of usage) {
    it(`records: ${c.name} → exit ${c.code}`, async () => {
      const r = await runCli(c.args);
      expect(r.code).toBe(c.code);
      expect(r.stderr).toMatch(/kube-dns-sim: /);
    });
  }

  it('records --server with a zone the server does not serve → exit 2', async () => {
    const r = await runCli(['records', '-o', 'zone', '--zone', 'example.org', '--server', adminUrl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/example\.org/);
  });
});
