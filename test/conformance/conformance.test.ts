import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsServer } from '../../src/runtime/dns-server.js';
import type { ClusterSnapshot } from '../../src/runtime/cluster-snapshot.js';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { lookupName } from '../../src/dns/records/lookup.js';
import { RRType, toZoneLine } from '../../src/dns/records/resource-record.js';
import { decodeReply, dig, encodeQuery, tcpExchange, toZoneLines, udpExchange } from '../helpers/dns-client.js';
import { snapshotFromYaml } from '../helpers/cluster.js';
import { CONFIGS, SECTIONS, SERIAL, type ConfigName, type ConformanceCase } from './conformance-cases.js';

// One table (conformance-cases.ts), three drivers: the in-process handler on bytes, real UDP and
// TCP against DnsServer on 127.0.0.1:0, and the real dig for the rows marked `dig`.

const FIXTURES = new URL('../fixtures/conformance/', import.meta.url);
const files = Object.fromEntries(readdirSync(FIXTURES).map((f) => [f, readFileSync(new URL(f, FIXTURES), 'utf8')]));

const snapshots = new Map<ConfigName, ClusterSnapshot>();
function getSnapshot(config: ConfigName): ClusterSnapshot {
  let s = snapshots.get(config);
  if (!s) snapshots.set(config, (s = snapshotFromYaml(files, CONFIGS[config], {}, SERIAL)));
  return s;
}

function expectReply(reply: Buffer | null | undefined, c: ConformanceCase): void {
  expect(reply, 'no reply').toBeTruthy();
  const p = decodeReply(reply!);
  expect(p.rcode).toBe(c.rcode);
  expect(p.flag_aa).toBe(c.rcode !== 'REFUSED');
  expect(p.flag_tc).toBe(false);
  expect(toZoneLines(reply!, 'answers')).toEqual([...(c.answer ?? [])].sort());
  expect(toZoneLines(reply!, 'authorities')).toEqual([...(c.authority ?? [])].sort());
  expect(toZoneLines(reply!, 'additionals')).toEqual([...(c.additional ?? [])].sort());
}

const all = SECTIONS.flatMap((s) => s.cases);

describe('conformance fixtures load cleanly', () => {
  it('have no findings but the DNS warnings the fixtures set out to show', () => {
    // Two Services deliberately select nothing (an empty ClusterIP and an empty headless Service).
    expect(getSnapshot('default').findings.map((f) => `${f.severity} ${f.code} ${f.path}`).sort()).toEqual(['warning DNS_SELECTOR_MATCHES_NOTHING spec.selector', 'warning DNS_SELECTOR_MATCHES_NOTHING spec.selector']);
  });
  it('every row has a unique name within its section', () => {
    for (const s of SECTIONS) expect(new Set(s.cases.map((c) => `${c.name}/${c.config ?? ''}`)).size).toBe(s.cases.length);
  });
});

describe('conformance in-process (QueryHandler.answer on bytes, decoded by dns-packet)', () => {
  for (const { section, cases } of SECTIONS) {
    describe(section, () => {
      for (const c of cases) {
        it(`${c.name}${c.config ? ` [${c.config}]` : ''}`, () => {
          const handler = new QueryHandler(getSnapshot(c.config ?? 'default').index);
          expectReply(handler.answer(encodeQuery(c.q, { type: c.type, ednsUdpSize: 4096 }), 'tcp'), c);
        });
      }
    });
  }
});

describe('conformance over real UDP and TCP (DnsServer on 127.0.0.1:0)', () => {
  const servers = new Map<ConfigName, { server: DnsServer; port: number }>();
  beforeAll(async () => {
    for (const config of new Set(all.map((c) => c.config ?? 'default'))) {
      const server = new DnsServer(getSnapshot(config).index);
      servers.set(config, { server, port: await server.listen('127.0.0.1', 0) });
    }
  });
  afterAll(async () => {
    for (const { server } of servers.values()) await server.close();
  });
  for (const { section, cases } of SECTIONS) {
    describe(section, () => {
      for (const c of cases) {
        it(`${c.name}${c.config ? ` [${c.config}]` : ''}`, async () => {
          const { port } = servers.get(c.config ?? 'default')!;
          expectReply(await udpExchange(port, encodeQuery(c.q, { type: c.type, ednsUdpSize: 1232 })), c);
          const [tcp] = await tcpExchange(port, [encodeQuery(c.q, { type: c.type })]);
          expectReply(tcp, c);
        });
      }
    });
  }
});

/** dig's sections as normalised zone-file lines (owner lower-cased, whitespace folded), sorted. */
function parseDig(out: string): { status: string; flags: string; lines: Record<string, string[]> } {
  const status = /status: (\w+)/.exec(out)?.[1] ?? '';
  const flags = /flags: ([a-z ]+);/.exec(out)?.[1] ?? '';
  const lines: Record<string, string[]> = { ANSWER: [], AUTHORITY: [], ADDITIONAL: [] };
  let current = '';
  for (const line of out.split('\n')) {
    const m = /^;; (ANSWER|AUTHORITY|ADDITIONAL) SECTION:/.exec(line);
    if (m) current = m[1];
    else if (line.startsWith(';') || line.trim() === '') continue;
    else if (current) {
      const parts = line.trim().split(/\s+/);
      lines[current].push([parts[0].toLowerCase(), ...parts.slice(1)].join(' '));
    }
  }
  for (const k of Object.keys(lines)) lines[k].sort();
  return { status, flags, lines };
}

describe('conformance with the real dig (sample)', () => {
  let server: DnsServer;
  let port: number;
  beforeAll(async () => {
    server = new DnsServer(getSnapshot('default').index);
    port = await server.listen('127.0.0.1', 0);
  });
  afterAll(async () => server.close());
  for (const c of all.filter((x) => x.dig)) {
    for (const transport of ['+notcp', '+tcp']) {
      it(`${c.name} (${transport})`, async () => {
        const out = await dig(['@127.0.0.1', '-p', String(port), transport, '+norecurse', '+noall', '+comments', '+answer', '+authority', '+additional', c.q, c.type]);
        const d = parseDig(out);
        expect(d.status).toBe(c.rcode);
        expect(d.flags.split(' ')).toContain('aa');
        expect(d.lines.ANSWER).toEqual([...(c.answer ?? [])].sort());
        expect(d.lines.AUTHORITY).toEqual([...(c.authority ?? [])].sort());
        expect(d.lines.ADDITIONAL).toEqual([...(c.additional ?? [])].sort());
      });
    }
  }
});

describe('every prepared answer round-trips through dns-packet', () => {
  const types = ['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'CNAME', 'NS', 'SOA', 'MX'] as const;
  it('for every stored name and type, the decoded reply equals the lookup result', () => {
    const index = getSnapshot('default').index;
    const handler = new QueryHandler(index);
    let checked = 0;
    for (const name of index.names.keys()) {
      for (const type of types) {
        const result = lookupName(index, name, RRType[type]);
        const reply = handler.answer(encodeQuery(name, { type }), 'tcp')!;
        const p = decodeReply(reply);
        expect(p.rcode, `${name} ${type}`).toBe(['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][result.rcode]);
        expect(toZoneLines(reply, 'answers'), `${name} ${type}`).toEqual(result.answer.map(toZoneLine).sort());
        expect(toZoneLines(reply, 'authorities'), `${name} ${type}`).toEqual(result.authority.map(toZoneLine).sort());
        expect(toZoneLines(reply, 'additionals'), `${name} ${type}`).toEqual(result.additional.map(toZoneLine).sort());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
