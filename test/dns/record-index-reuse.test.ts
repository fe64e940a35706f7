import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRecordIndex } from '../../src/dns/records/build-record-index.js';
import { DerivedNameCache, DerivedNames, listNamesWithRecords } from '../../src/dns/records/derived-names.js';
import { DEFAULT_DNS_CONFIG, type ResolvedDnsConfig } from '../../src/dns/records/dns-config.js';
import type { RecordIndex } from '../../src/dns/records/record-index.js';
import { buildHeadlessStatefulSetYaml, snapshotFromYaml } from '../helpers/cluster.js';

const namespace = (ns: string, services: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
${buildHeadlessStatefulSetYaml(ns, 3)}${services}`;
const api = (ns: string, name: string, port = 80) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: {app: db}, ports: [{name: http, port: ${port}}]}
`;

/** Every name with its records and glue, sorted by name. */
const dump = (index: RecordIndex) =>
  [...index.names].map(([name, e]) => [name, e.existence, [...e.rrsets], [...e.glue]] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const readDir = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('names derived when asked are the names built at once', () => {
  const twoTeams = { 'a.yaml': namespace('a', api('a', 'web')), 'b.yaml': namespace('b', api('b', 'web')) };
  const cases: { name: string; files: Record<string, string>; dns?: Partial<ResolvedDnsConfig>; cluster?: Record<string, unknown> }[] = [
    { name: 'the seed lab (manifests/)', files: readDir('manifests') },
    { name: 'the conformance fixtures (dual-stack, ExternalName, selectorless, subdomains)', files: readDir('test/fixtures/conformance') },
    { name: 'the valid fixtures (manifest endpoint slices, named target ports)', files: readDir('test/fixtures/valid') },
    { name: 'two namespaces', files: twoTeams },
    { name: 'endpoint_pod_names', files: readDir('test/fixtures/conformance'), dns: { endpointPodNames: true } },
    { name: 'namespaces narrowed (--namespaces a)', files: twoTeams, dns: { namespaces: ['a'] } },
    { name: 'ignore_empty_service', files: readDir('test/fixtures/conformance'), dns: { ignoreEmptyService: true } },
    { name: 'pods disabled, ttl 30', files: twoTeams, dns: { podMode: 'disabled', ttl: 30 } },
    { name: 'two forward zones', files: twoTeams, dns: { zones: ['cluster.local', 'example.org', 'in-addr.arpa', 'ip6.arpa'] } },
    { name: 'no reverse zones', files: twoTeams, dns: { zones: ['cluster.local'] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const snapshot = snapshotFromYaml(c.files, c.dns ?? {}, c.cluster ?? {});
      const config = snapshot.index.config;
      const derived = buildRecordIndex(snapshot.cluster.state, config, 7);
      const whole = buildRecordIndex(snapshot.cluster.state, config, 7, undefined, 'whole');
      expect(derived.names).toBeInstanceOf(DerivedNames);
      expect(whole.names).not.toBeInstanceOf(DerivedNames);
      expect(dump(derived)).toEqual(dump(whole));
      expect(derived.names.size).toBe(whole.names.size);
      // The names with records, listed without deriving entries (explain's "did you mean"), zone by zone.
      for (const zone of config.zones) {
        const expected = [...whole.names].filter(([name, e]) => e.rrsets.size > 0 && (name === zone || name.endsWith(`.${zone}`))).map(([name]) => name);
        expect([...listNamesWithRecords(derived.names, zone)].sort(), zone).toEqual(expected.sort());
        expect([...listNamesWithRecords(whole.names, zone)].sort(), zone).toEqual(expected.sort());
      }
      // Asked one by one (through the cache), every name reads as built at once; near misses miss in both.
      for (const [name, entry] of whole.names) {
        expect({ name, rrsets: [...derived.names.get(name)!.rrsets], existence: derived.names.get(name)!.existence }).toEqual({ name, rrsets: [...entry.rrsets], existence: entry.existence });
        for (const miss of [`x.${name}`, name.replace(/^[^.]*/, (l) => `${l}x`)]) expect(derived.names.has(miss), miss).toBe(whole.names.has(miss));
      }
    });
  }

  it('a pod\'s name is derived alone, and its Service\'s own names apart from the pods\'', () => {
    const snapshot = snapshotFromYaml({ 'a.yaml': namespace('a', '') });
    const whole = buildRecordIndex(snapshot.cluster.state, snapshot.index.config, 1, undefined, 'whole');
    const cache = new DerivedNameCache();
    const derived = new DerivedNames((buildRecordIndex(snapshot.cluster.state, snapshot.index.config, 1).names as DerivedNames).sources, cache);
    const same = (name: string) => expect([...derived.get(name)!.rrsets, ...derived.get(name)!.glue]).toEqual([...whole.names.get(name)!.rrsets, ...whole.names.get(name)!.glue]);
    same('db-1.db.a.svc.cluster.local');
    expect(cache.size).toBe(1);
    same('_pg._tcp.db.a.svc.cluster.local');
    same('db.a.svc.cluster.local');
    expect(cache.size).toBe(3);
    for (const miss of ['x.db-1.db.a.svc.cluster.local', '_pg.x.db.a.svc.cluster.local', 'db-9.db.a.svc.cluster.local']) expect(derived.get(miss), miss).toBeUndefined();
  });

  it('a bounded cache: past its size the least recently used Services are dropped and derived again, the same', () => {
    const snapshot = snapshotFromYaml({ 'a.yaml': namespace('a', api('a', 'web') + api('a', 'api') + api('a', 'www')) });
    const whole = buildRecordIndex(snapshot.cluster.state, snapshot.index.config, 1, undefined, 'whole');
    const cache = new DerivedNameCache(4);
    const derived = new DerivedNames((buildRecordIndex(snapshot.cluster.state, snapshot.index.config, 1).names as DerivedNames).sources, cache);
    const asked = ['web.a.svc.cluster.local', 'api.a.svc.cluster.local', 'db-0.db.a.svc.cluster.local', 'www.a.svc.cluster.local'];
    for (let round = 0; round < 3; round++) {
      for (const name of asked) {
        expect([...derived.get(name)!.rrsets]).toEqual([...whole.names.get(name)!.rrsets]);
        // The headless Service holds more names than the bound: only the one just asked for is kept.
        expect(cache.size).toBeLessThanOrEqual(Math.max(4, [...whole.names.keys()].filter((n) => n.endsWith('.db.a.svc.cluster.local') || n === 'db.a.svc.cluster.local').length));
      }
    }
    const first = derived.get('web.a.svc.cluster.local');
    expect(derived.get('web.a.svc.cluster.local')).toBe(first);
  });
});

describe('an index built with the previous one equals one built from scratch', () => {
  const base = { 'a.yaml': namespace('a', api('a', 'web')), 'b.yaml': namespace('b', api('b', 'web')) };
  const cases = [
    { name: 'a Service added in one namespace', files: { ...base, 'edit.yaml': api('a', 'extra').slice(4) } },
    { name: 'a port changed in one namespace', files: { ...base, 'a.yaml': namespace('a', api('a', 'web', 8080)) } },
    { name: 'a namespace removed', files: { 'b.yaml': base['b.yaml'] } },
    { name: 'nothing changed', files: base },
    { name: 'nested zones (built whole)', files: { ...base, 'edit.yaml': api('a', 'extra').slice(4) }, zones: ['cluster.local', 'svc.cluster.local', 'in-addr.arpa'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dns = c.zones ? { zones: c.zones } : {};
      const previous = snapshotFromYaml(base, dns).index;
      for (const [name] of previous.names) previous.names.get(name);
      const state = snapshotFromYaml(c.files, dns, {}, 2).cluster.state;
      const reused = buildRecordIndex(state, previous.config, 2, previous);
      const fresh = buildRecordIndex(state, previous.config, 2);
      expect(dump(reused)).toEqual(dump(fresh));
      for (const [name, entry] of fresh.names) expect([...reused.names.get(name)!.rrsets], name).toEqual([...entry.rrsets]);
      if (reused.names instanceof DerivedNames) expect(reused.names.cache).toBe((previous.names as DerivedNames).cache);
    });
  }

  it('a config other than the previous index\'s starts a cache of its own', () => {
    const previous = snapshotFromYaml(base).index;
    const state = snapshotFromYaml(base, {}, {}, 2).cluster.state;
    const other = buildRecordIndex(state, { ...DEFAULT_DNS_CONFIG, ttl: 60 }, 2, previous);
    expect((other.names as DerivedNames).cache).not.toBe((previous.names as DerivedNames).cache);
    expect(other.names.get('web.a.svc.cluster.local')!.rrsets.get(1)![0].ttl).toBe(60);
  });
});
