import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { DCLinter } from 'dclint';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/main.js';
import { getPodSearchPath } from '../../src/dns/records/dns-config.js';
import { REPO_ROOT } from '../helpers/server.js';

// No Docker engine runs here: the files are checked against the Compose specification's JSON schema
// (as shipped by dclint), linted (dclint, dockerfile-utils), and their lab topology asserted; the
// `shell` command exercises the same topology for real.
const require = createRequire(import.meta.url);
const composePath = join(REPO_ROOT, 'docker/compose.yaml');
const composeText = readFileSync(composePath, 'utf8');
const compose = parse(composeText);
const dockerfile = readFileSync(join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');

function newComposeValidator() {
  // The file names draft-07 by its https URI, which Ajv (draft-07 by default) registers under http: drop it.
  const { $schema: _draft07, ...schema } = JSON.parse(readFileSync(join(dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

/** The options `serve` accepts, from the real CLI definition. */
function getServeOptions(): Set<string> {
  const serve = buildProgram(() => {}).commands.find((c) => c.name() === 'serve')!;
  return new Set(serve.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x)));
}

/** Dockerfile instructions as `[keyword, rest]`, continuation lines joined, comments dropped. */
function getInstructions(text: string): [string, string][] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .map((l) => {
      const m = /^\s*(\w+)\s+(.*)$/.exec(l)!;
      return [m[1].toUpperCase(), m[2]];
    });
}

describe('docker/compose.yaml', () => {
  it('is valid against the Compose specification schema', () => {
    const v = newComposeValidator();
    expect(v(compose), JSON.stringify(v.errors)).toBe(true);
  });

  const invalid = [
    { name: 'dns_opt must be a list', patch: { services: { nettool: { image: 'x', dns_opt: 5 } } } },
    { name: 'unknown service keys are rejected', patch: { services: { nettool: { image: 'x', dns_serch: ['a'] } } } },
  ];
  for (const c of invalid) it(`the schema catches: ${c.name}`, () => expect(newComposeValidator()(c.patch)).toBe(false));

  it('passes dclint with no errors or warnings', () => {
    const [result] = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] }).lintFiles([composePath], false);
    expect(result.messages).toEqual([]);
  });

  it("nettool is a pod of namespace default: dns at the server's fixed address, the pod search path, ndots:5", () => {
    const { dns, nettool } = compose.services;
    expect(nettool.image).toBe('ghcr.io/c1t1d0s7/network-multitool');
    expect(nettool.dns).toEqual([dns.networks.lab.ipv4_address]);
    expect(nettool.dns_search).toEqual(getPodSearchPath('default', 'cluster.local'));
    expect(nettool.dns_opt).toEqual(['ndots:5']);
    expect(nettool.networks).toEqual(['lab']);
    expect(nettool.depends_on.dns.condition).toBe('service_healthy');
  });

  it('the server mounts manifests/ read-only and serves /manifests on port 53 with options serve knows', () => {
    const { dns } = compose.services;
    expect(dns.volumes).toContain('../manifests:/manifests:ro');
    expect(dns.sysctls['net.ipv4.ip_unprivileged_port_start']).toBe('0');
    const args: string[] = dns.command;
    expect(args.slice(0, 3)).toEqual(['serve', '-f', '/manifests']);
    expect(args[args.indexOf('--port') + 1]).toBe('53');
    const known = getServeOptions();
    for (const a of args.filter((x) => x.startsWith('-'))) expect(known, a).toContain(a);
  });
});

describe('docker/Dockerfile', () => {
  it('passes dockerfile-utils validation (the linter of the VS Code Docker extension)', () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  it('the linter catches a broken Dockerfile (so the check above can fail)', () => {
    expect(lintDockerfile('FROM node:20\nEXPOSE 99999\nHEALTHCHECK --interval=x CMD true\n').length).toBeGreaterThan(0);
  });

  const instructions = getInstructions(dockerfile);
  const stages = instructions.filter(([k]) => k === 'FROM');
  const finalStage = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]));
  const rules = [
    { name: 'multi-stage: a build stage and a runtime stage', ok: () => stages.length >= 2 && / AS build$/i.test(stages[0][1]) },
    { name: 'production dependencies only in the image (npm prune --omit=dev in the build stage)', ok: () => instructions.some(([k, r]) => k === 'RUN' && /npm prune --omit=dev/.test(r)) },
    { name: 'the final stage copies node_modules and dist from the build stage', ok: () => ['node_modules', 'dist'].every((d) => finalStage.some(([k, r]) => k === 'COPY' && r.includes('--from=build') && r.includes(d))) },
    { name: 'runs as a non-root user', ok: () => finalStage.some(([k, r]) => k === 'USER' && r.trim() !== 'root' && r.trim() !== '0') },
    { name: 'HEALTHCHECK on /health', ok: () => finalStage.some(([k, r]) => k === 'HEALTHCHECK' && r.includes('/health')) },
    { name: 'exposes DNS on 53 (UDP and TCP)', ok: () => finalStage.some(([k, r]) => k === 'EXPOSE' && r.includes('53/udp') && r.includes('53/tcp')) },
    { name: 'serves /manifests by default', ok: () => finalStage.some(([k, r]) => k === 'CMD' && JSON.parse(r).join(' ').startsWith('serve -f /manifests')) },
  ];
  for (const r of rules) it(r.name, () => expect(r.ok()).toBe(true));

  it("the default command uses only options serve knows", () => {
    const cmd: string[] = JSON.parse(finalStage.find(([k]) => k === 'CMD')![1]);
    const known = getServeOptions();
    for (const a of cmd.filter((x) => x.startsWith('-'))) expect(known, a).toContain(a);
  });
});
