import { ADMIN_TOKEN_ENV } from '../admin/admin-server.js';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { formatList, type OutputFormat } from './kube-table.js';
import { ExitCode, UsageError } from './usage-error.js';
import { formatFinding, type Finding } from '../manifest/finding.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

/** kubectl's resource names and short names → the admin API path under a namespace. */
const RESOURCES: Record<string, { resource: string; group: string }> = {};
for (const [names, resource, group] of [
  [['pods', 'pod', 'po'], 'pods', '/api/v1'],
  [['services', 'service', 'svc'], 'services', '/api/v1'],
  [['endpointslices', 'endpointslice'], 'endpointslices', '/apis/discovery.k8s.io/v1'],
  [['statefulsets', 'statefulset', 'sts'], 'statefulsets', '/apis/apps/v1'],
  [['persistentvolumeclaims', 'persistentvolumeclaim', 'pvc'], 'persistentvolumeclaims', '/api/v1'],
] as const) {
  for (const n of names) RESOURCES[n] = { resource, group };
}

interface ServerFlags {
  server: string;
  namespace: string;
  token?: string;
}

/** One request to the admin API; a refused connection becomes a runtime error with a hint. */
async function callServer(flags: ServerFlags, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  let res: Response;
  const url = `${flags.server.replace(/\/$/, '')}${path}`;
  try {
    const token = flags.token ?? process.env[ADMIN_TOKEN_ENV];
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new RuntimeError(`cannot reach the server at ${flags.server} (${cause})`, 'start one with "kube-dns-sim serve -f manifests/" or point --server at its --admin address');
  }
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { message: text };
  }
  return { status: res.status, json };
}

/** A failure talking to or inside the running server: exit code 3. */
export class RuntimeError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** Prints the server's answer to a change: the message on stdout, or `Error from server` on stderr (exit 1). */
function report(r: { status: number; json: any }): number {
  for (const f of (r.json.findings ?? []) as Finding[]) process.stderr.write(`${formatFinding(f, undefined)}\n`);
  if (r.status >= 300) {
    process.stderr.write(`Error from server (${r.json.reason ?? r.status}): ${r.json.message ?? JSON.stringify(r.json)}\n`);
    return ExitCode.FINDINGS;
  }
  process.stdout.write(`${r.json.message}\n`);
  return ExitCode.OK;
}

function addServerFlags(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'admin API of a running kube-dns-sim serve', DEFAULT_SERVER)
    .option('--token <token>', `bearer token for changes, as the server's --admin-token (env ${ADMIN_TOKEN_ENV})`)
    .option('-n, --namespace <ns>', 'namespace', 'default');
}

/** get / delete / scale / apply / readiness: kubectl's verbs against a running server's admin API. */
export function addKubectlCommands(program: Command, setExitCode: (code: number) => void): void {
  addServerFlags(program.command('get').description('list pods|services|endpointslices|statefulsets|pvc of a running server, as kubectl get').argument('<resource>'))
    .option('-A, --all-namespaces', 'every namespace')
    .option('-o, --output <format>', 'wide | yaml | json')
    .action(async (resource: string, flags: ServerFlags & { allNamespaces?: boolean; output?: string }) => {
      const r = RESOURCES[resource.toLowerCase()];
      if (!r) throw new UsageError(`the server doesn't have a resource type "${resource}"`, 'use pods, services, endpointslices, statefulsets or pvc');
      const format = (flags.output ?? 'table') as OutputFormat;
      if (!['table', 'wide', 'yaml', 'json'].includes(format)) throw new UsageError(`-o ${flags.output} is not an output format`, 'use -o wide, -o yaml or -o json');
      const path = flags.allNamespaces ? `${r.group}/${r.resource}` : `${r.group}/namespaces/${encodeURIComponent(flags.namespace)}/${r.resource}`;
      const res = await callServer(flags, 'GET', path);
      if (res.status !== 200) return setExitCode(report(res));
      const out = formatList(r.resource, res.json, format, !!flags.allNamespaces, Date.now());
      if (out === '' && format !== 'json' && format !== 'yaml') process.stderr.write(flags.allNamespaces ? 'No resources found\n' : `No resources found in ${flags.namespace} namespace.\n`);
      process.stdout.write(out);
      const overlays = await callServer(flags, 'GET', '/sim/v1/overlays');
      const lines = ((overlays.json.items ?? []) as string[]).filter((l) => flags.allNamespaces || l.includes(` ${flags.namespace}/`));
      if (lines.length && format !== 'json' && format !== 'yaml') process.stderr.write(`# differs from the manifest files:\n${lines.map((l) => `#   ${l}`).join('\n')}\n`);
      setExitCode(ExitCode.OK);
    });

  addServerFlags(program.command('delete').description('delete a pod: a StatefulSet pod comes back with its name and claim, a ReplicaSet pod is replaced').argument('<resource>').argument('<name>')).action(
    async (resource: string, name: string, flags: ServerFlags) => {
      if (RESOURCES[resource.toLowerCase()]?.resource !== 'pods') throw new UsageError(`delete supports pods only, not "${resource}"`, 'e.g. kube-dns-sim delete pod myweb-sts-1');
      setExitCode(report(await callServer(flags, 'DELETE', `/api/v1/namespaces/${encodeURIComponent(flags.namespace)}/pods/${encodeURIComponent(name)}`)));
    },
  );

  addServerFlags(program.command('scale').description('set the replicas of a StatefulSet (an overlay on the files)').argument('<resource>').argument('<name>'))
    .requiredOption('--replicas <n>', 'the new number of replicas')
    .action(async (resource: string, name: string, flags: ServerFlags & { replicas: string }) => {
      if (RESOURCES[resource.toLowerCase()]?.resource !== 'statefulsets') throw new UsageError(`scale supports statefulsets only, not "${resource}"`, 'e.g. kube-dns-sim scale statefulset myweb-sts --replicas 5');
      const n = Number(flags.replicas);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--replicas ${flags.replicas} is not a whole number`, 'e.g. --replicas 5');
      setExitCode(report(await callServer(flags, 'PATCH', `/apis/apps/v1/namespaces/${encodeURIComponent(flags.namespace)}/statefulsets/${encodeURIComponent(name)}/scale`, { spec: { replicas: n } })));
    });

  addServerFlags(program.command('apply').description('apply a manifest file to the running cluster (an overlay until its file changes)'))
    .requiredOption('-f, --filename <file>', 'manifest file (- for stdin)')
    .action(async (flags: ServerFlags & { filename: string }) => {
      let text: string;
      try {
        text = flags.filename === '-' ? await readStdin() : await readFile(flags.filename, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${flags.filename} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'check the path given to -f');
      }
      setExitCode(report(await callServer(flags, 'POST', '/sim/v1/apply', { file: flags.filename, text })));
    });

  addServerFlags(program.command('readiness').description('make a pod ready or not ready (true | false | probe)').argument('<resource>').argument('<name>').argument('<ready>')).action(
    async (resource: string, name: string, ready: string, flags: ServerFlags) => {
      if (RESOURCES[resource.toLowerCase()]?.resource !== 'pods') throw new UsageError(`readiness applies to pods, not "${resource}"`, 'e.g. kube-dns-sim readiness pod myweb-sts-1 false');
      if (!['true', 'false', 'probe'].includes(ready)) throw new UsageError(`readiness "${ready}" is not true, false or probe`, 'e.g. kube-dns-sim readiness pod myweb-sts-1 false');
      const body = { ready: ready === 'probe' ? null : ready === 'true' };
      setExitCode(report(await callServer(flags, 'PUT', `/sim/v1/namespaces/${encodeURIComponent(flags.namespace)}/pods/${encodeURIComponent(name)}/readiness`, body)));
    },
  );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
