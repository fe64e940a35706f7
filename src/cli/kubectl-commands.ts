import { ADMIN_TOKEN_ENV } from '../admin/admin-server.js';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { formatList, formatTable, type OutputFormat } from './kube-table.js';
import { ExitCode, UsageError } from './usage-error.js';
import { formatFinding, type Finding } from '../manifest/finding.js';
import { buildManifestSet } from '../manifest/load.js';
import { API_RESOURCES, findResourceByKind, toApiVersion, toGroupVersionPath, type ApiResource } from '../kube-api/api-resources.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

/** A resource by any of kubectl's names: plural, singular, short name, `kind`, `plural.group`. */
export function findResourceByName(name: string): ApiResource | undefined {
  const n = name.toLowerCase();
  return API_RESOURCES.find((r) => r.resource === n || r.singular === n || r.shortNames.includes(n) || r.kind.toLowerCase() === n || `${r.resource}.${r.group}` === n);
}

/** A JSON body (the server's reply, a manifest document), read field by field as kubectl reads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON: narrowing each field read would restate the API's schemas
type Json = any;

/** The server's answer to one request: its status and its JSON body (or `{ message }` when it sent text). */
interface ServerReply {
  status: number;
  json: Json;
}

interface ServerFlags {
  server: string;
  namespace: string;
  token?: string;
}

/** One request to the server's API; a refused connection becomes a runtime error with a hint. */
async function callServer(flags: ServerFlags, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ServerReply> {
  let res: Response;
  const url = `${flags.server.replace(/\/$/, '')}${path}`;
  try {
    const token = flags.token ?? process.env[ADMIN_TOKEN_ENV];
    const h: Record<string, string> = { ...headers };
    if (body !== undefined) h['content-type'] ??= 'application/json';
    if (token) h.authorization = `Bearer ${token}`;
    res = await fetch(url, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new RuntimeError(`cannot reach the server at ${flags.server} (${cause})`, 'start one with "kube-dns-sim serve -f manifests/" or point --server at its --admin address');
  }
  const text = await res.text();
  let json: Json;
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

/** Prints an API failure as kubectl does (`Error from server (NotFound): ...`, Invalid's causes one per line); exit 1. */
function reportFailure(r: ServerReply, context = ''): number {
  const s = r.json;
  const causes = (s.details?.causes ?? []) as { field?: string; message: string }[];
  if (s.reason === 'Invalid' && causes.length > 0) {
    process.stderr.write(`${context}The ${s.details?.kind ?? 'object'} "${s.details?.name ?? ''}" is invalid: \n${causes.map((c) => `* ${c.field ? `${c.field}: ` : ''}${c.message}`).join('\n')}\n`);
  } else process.stderr.write(`Error from server (${s.reason ?? r.status}): ${context}${s.message ?? JSON.stringify(s)}\n`);
  return ExitCode.FINDINGS;
}

/** Prints the server's answer to a /sim/v1 change: the message on stdout, or `Error from server` on stderr (exit 1). */
function report(r: ServerReply): number {
  for (const f of (r.json.findings ?? []) as Finding[]) process.stderr.write(`${formatFinding(f, undefined)}\n`);
  if (r.status >= 300) return reportFailure(r);
  process.stdout.write(`${r.json.message}\n`);
  return ExitCode.OK;
}

/** The server flags of a verb, falling back to those given before the verb (`kube-dns-sim --server URL get pods`). */
function resolveServerFlags(cmd: Command): ServerFlags {
  const own = cmd.opts() as ServerFlags;
  const global = (cmd.parent?.opts() ?? {}) as Partial<ServerFlags>;
  const pick = <K extends keyof ServerFlags>(k: K): ServerFlags[K] => (cmd.getOptionValueSource(k) === 'default' || own[k] === undefined ? (global[k] ?? own[k]) : own[k]) as ServerFlags[K];
  return { server: pick('server'), namespace: pick('namespace'), token: pick('token') };
}

function addServerFlags(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'API of a running kube-dns-sim serve (its --admin address)', DEFAULT_SERVER)
    .option('--token <token>', `bearer token for changes, as the server's --admin-token (env ${ADMIN_TOKEN_ENV})`)
    .option('-n, --namespace <ns>', 'namespace', 'default');
}

/** `/api/v1/namespaces/ns/pods[/name]`, or the cluster-wide path. */
function toPath(r: ApiResource, namespace: string | undefined, name?: string): string {
  const base = toGroupVersionPath(r.group, r.version);
  const coll = r.namespaced && namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${base}/${r.resource}`;
  return name === undefined ? coll : `${coll}/${encodeURIComponent(name)}`;
}

/** `statefulset.apps` as kubectl names a kind in its messages. */
const toNoun = (r: ApiResource) => `${r.singular}${r.group ? `.${r.group}` : ''}`;

function requireResource(name: string): ApiResource {
  const r = findResourceByName(name);
  if (!r) throw new UsageError(`the server doesn't have a resource type "${name}"`, `use one of ${API_RESOURCES.map((x) => x.shortNames[0] ?? x.resource).join(', ')}`);
  return r;
}

/** get / delete / scale / apply / readiness: kubectl's verbs against a running server's Kubernetes API. */
export function addKubectlCommands(program: Command, setExitCode: (code: number) => void): void {
  program
    .option('--server <url>', 'API of a running kube-dns-sim serve, for get/delete/scale/apply/readiness (as kubectl --server)')
    .option('--token <token>', 'bearer token for changes (as kubectl --token)')
    .option('-n, --namespace <ns>', 'namespace for get/delete/scale/apply/readiness');

  addServerFlags(program.command('get').description('list objects of a running server, as kubectl get').argument('<resource>').argument('[name]'))
    .option('-A, --all-namespaces', 'every namespace')
    .option('-o, --output <format>', 'wide | yaml | json')
    .option('-l, --selector <selector>', 'label selector')
    .action(async function (this: Command, resource: string, name: string | undefined, opts: { allNamespaces?: boolean; output?: string; selector?: string }) {
      const flags = resolveServerFlags(this);
      const r = requireResource(resource);
      const format = (opts.output ?? 'table') as OutputFormat;
      if (!['table', 'wide', 'yaml', 'json'].includes(format)) throw new UsageError(`-o ${opts.output} is not an output format`, 'use -o wide, -o yaml or -o json');
      const all = !!opts.allNamespaces && name === undefined;
      const query = opts.selector ? `?labelSelector=${encodeURIComponent(opts.selector)}` : '';
      const path = `${toPath(r, all ? undefined : flags.namespace, name)}${query}`;
      const asTable = format === 'table' || format === 'wide';
      const res = await callServer(flags, 'GET', path, undefined, asTable ? { accept: TABLE_ACCEPT } : {});
      if (res.status !== 200) return setExitCode(reportFailure(res));
      let out: string;
      if (asTable) out = formatTable(res.json, format === 'wide', all);
      else if (name !== undefined) out = format === 'json' ? `${JSON.stringify(res.json, null, 4)}\n` : (await import('yaml')).stringify(res.json);
      else out = formatList(res.json, format);
      if (asTable && out === '') process.stderr.write(all || !r.namespaced ? 'No resources found\n' : `No resources found in ${flags.namespace} namespace.\n`);
      process.stdout.write(out);
      if (asTable) {
        const overlays = await callServer(flags, 'GET', '/sim/v1/overlays');
        const lines = ((overlays.json.items ?? []) as string[]).filter((l) => all || l.includes(` ${flags.namespace}/`));
        if (lines.length) process.stderr.write(`# differs from the manifest files:\n${lines.map((l) => `#   ${l}`).join('\n')}\n`);
      }
      setExitCode(ExitCode.OK);
    });

  addServerFlags(program.command('delete').description('delete an object: a StatefulSet pod comes back with its name and claim, a ReplicaSet pod is replaced').argument('<resource>').argument('<name>')).action(async function (
    this: Command,
    resource: string,
    name: string,
  ) {
    const flags = resolveServerFlags(this);
    const r = requireResource(resource);
    const res = await callServer(flags, 'DELETE', toPath(r, flags.namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    if (res.status >= 300) return setExitCode(reportFailure(res));
    process.stdout.write(`${r.singular} "${name}" deleted\n`);
    setExitCode(ExitCode.OK);
  });

  addServerFlags(program.command('scale').description('set the replicas of a StatefulSet, ReplicaSet or Deployment (an overlay on the files)').argument('<resource>').argument('<name>'))
    .requiredOption('--replicas <n>', 'the new number of replicas')
    .action(async function (this: Command, resource: string, name: string, opts: { replicas: string }) {
      const flags = resolveServerFlags(this);
      const r = requireResource(resource);
      if (!r.subresources.includes('scale')) throw new UsageError(`${r.resource} cannot be scaled`, 'e.g. kube-dns-sim scale statefulset myweb-sts --replicas 5');
      const n = Number(opts.replicas);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--replicas ${opts.replicas} is not a whole number`, 'e.g. --replicas 5');
      const res = await callServer(flags, 'PATCH', `${toPath(r, flags.namespace, name)}/scale`, { spec: { replicas: n } }, { 'content-type': 'application/merge-patch+json' });
      if (res.status >= 300) return setExitCode(reportFailure(res));
      process.stdout.write(`${toNoun(r)}/${name} scaled\n`);
      setExitCode(ExitCode.OK);
    });

  addServerFlags(program.command('apply').description('apply a manifest file to the running cluster (each object an overlay until its file changes)'))
    .requiredOption('-f, --filename <file>', 'manifest file (- for stdin)')
    .action(async function (this: Command, opts: { filename: string }) {
      const flags = resolveServerFlags(this);
      let text: string;
      try {
        text = opts.filename === '-' ? await readStdin() : await readFile(opts.filename, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${opts.filename} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'check the path given to -f');
      }
      setExitCode(await applyText(flags, opts.filename, text));
    });

  addServerFlags(program.command('readiness').description('make a pod ready or not ready (true | false | probe)').argument('<resource>').argument('<name>').argument('<ready>')).action(async function (
    this: Command,
    resource: string,
    name: string,
    ready: string,
  ) {
    const flags = resolveServerFlags(this);
    if (findResourceByName(resource)?.resource !== 'pods') throw new UsageError(`readiness applies to pods, not "${resource}"`, 'e.g. kube-dns-sim readiness pod myweb-sts-1 false');
    if (!['true', 'false', 'probe'].includes(ready)) throw new UsageError(`readiness "${ready}" is not true, false or probe`, 'e.g. kube-dns-sim readiness pod myweb-sts-1 false');
    const body = { ready: ready === 'probe' ? null : ready === 'true' };
    setExitCode(report(await callServer(flags, 'PUT', `/sim/v1/namespaces/${encodeURIComponent(flags.namespace)}/pods/${encodeURIComponent(name)}/readiness`, body)));
  });
}

/**
 * `apply -f`: every object on its own, as kubectl does: the file is checked here first (so each
 * mistake is printed with file:line:col, a code frame and the fix), an object with errors is
 * skipped, the others are created or replaced through the API (`created`, `configured`,
 * `unchanged`). Exit 1 when any object failed.
 */
async function applyText(flags: ServerFlags, file: string, text: string): Promise<number> {
  const set = buildManifestSet([{ file, text }]);
  for (const f of set.findings) process.stderr.write(`${formatFinding(f, text)}\n`);
  const failedDocs = new Set(set.findings.filter((f) => f.severity === 'error').map((f) => f.line));
  let code: number = ExitCode.OK;
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const body = doc.toJS() as Record<string, Json> | null;
    if (!body || typeof body !== 'object') continue;
    const items: Record<string, Json>[] = body.kind === 'List' && Array.isArray(body.items) ? body.items : [body];
    for (const item of items) {
      const r = findResourceByKind(String(item.kind));
      const name = item.metadata?.name;
      const [start, end] = doc.range;
      const line = text.slice(0, start).split('\n').length;
      const lastLine = text.slice(0, end).split('\n').length;
      if ([...failedDocs].some((l) => l >= line && l <= lastLine)) {
        process.stderr.write(`error: ${item.kind ?? 'object'} "${name ?? ''}" in ${file} was not applied: fix the error(s) above\n`);
        code = ExitCode.FINDINGS;
        continue;
      }
      if (!r || typeof name !== 'string' || !r.writable) continue;
      const namespace = r.namespaced ? (item.metadata?.namespace ?? flags.namespace) : undefined;
      const sent = { ...item, apiVersion: item.apiVersion ?? toApiVersion(r), metadata: { ...item.metadata, ...(namespace ? { namespace } : {}) } };
      const current = await callServer(flags, 'GET', toPath(r, namespace, name));
      const noun = `${toNoun(r)}/${name}`;
      let res: ServerReply;
      if (current.status === 404) res = await callServer(flags, 'POST', `${toPath(r, namespace)}?fieldValidation=Strict&fieldManager=kube-dns-sim`, sent);
      else if (current.status === 200) res = await callServer(flags, 'PUT', `${toPath(r, namespace, name)}?fieldValidation=Strict&fieldManager=kube-dns-sim`, sent);
      else res = current;
      if (res.status >= 300) {
        code = reportFailure(res, `error when applying "${file}": `);
        continue;
      }
      const verb = current.status === 404 ? 'created' : res.json.metadata?.resourceVersion === current.json.metadata?.resourceVersion ? 'unchanged' : 'configured';
      process.stdout.write(`${noun} ${verb}\n`);
    }
  }
  return code;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
