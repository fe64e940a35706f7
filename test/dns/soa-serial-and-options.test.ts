import { describe, expect, it } from 'vitest';
import { DnsServer } from '../../src/runtime/dns-server.js';
import { computeNextSerial } from '../../src/runtime/cluster-snapshot.js';
import { resolveDnsConfig } from '../../src/cli/dns-options.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { decodeReply, encodeQuery, udpExchange } from '../helpers/dns-client.js';
import { snapshotFromYaml } from '../helpers/cluster.js';

const WEB = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {clusterIP: 10.96.100.10, ports: [{name: http, port: 80}]}
`;

describe('SOA serial', () => {
  it('moves forward on every change, also within one second', () => {
    const cases = [
      { name: 'first: Unix seconds', previous: 0, now: 1_700_000_000_500, want: 1_700_000_000 },
      { name: 'same second again: previous + 1', previous: 1_700_000_000, now: 1_700_000_000_900, want: 1_700_000_001 },
      { name: 'clock behind: previous + 1', previous: 1_700_000_010, now: 1_700_000_000_000, want: 1_700_000_011 },
    ];
    for (const c of cases) expect(computeNextSerial(c.previous, c.now), c.name).toBe(c.want);
  });

  it('a new cluster state published to the server is answered with its serial, in positive and negative answers', async () => {
    const server = new DnsServer(snapshotFromYaml({ 'web.yaml': WEB }, {}, {}, 41).index);
    const port = await server.listen('127.0.0.1', 0);
    try {
      const serials = async () => {
        const apex = decodeReply((await udpExchange(port, encodeQuery('cluster.local', { type: 'SOA' })))!);
        const nx = decodeReply((await udpExchange(port, encodeQuery('nope.default.svc.cluster.local')))!);
        return [(apex.answers[0].data as { serial: number }).serial, (nx.authorities[0].data as { serial: number }).serial];
      };
      expect(await serials()).toEqual([41, 41]);
      server.setIndex(snapshotFromYaml({ 'web.yaml': WEB.replace('10.96.100.10', '10.96.100.11') }, {}, {}, 42).index);
      expect(await serials()).toEqual([42, 42]);
    } finally {
      await server.close();
    }
  });
});

describe('DNS options (named after the CoreDNS kubernetes plugin options)', () => {
  const ok = [
    { name: 'defaults: kubeadm Corefile zones, pods insecure, ttl 5', flags: {}, want: { clusterDomain: 'cluster.local', zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], podMode: 'insecure', ttl: 5 } },
    { name: 'first forward zone is the cluster domain', flags: { zone: ['in-addr.arpa', 'Example.ORG.', 'cluster.local'] }, want: { clusterDomain: 'example.org', zones: ['in-addr.arpa', 'example.org', 'cluster.local'] } },
    { name: 'ttl bounds are inclusive', flags: { ttl: '3600' }, want: { ttl: 3600 } },
    { name: 'ttl 0', flags: { ttl: '0' }, want: { ttl: 0 } },
    { name: 'namespaces list', flags: { namespaces: 'a, b' }, want: { namespaces: ['a', 'b'] } },
    { name: 'switches', flags: { ignoreEmptyService: true, endpointPodNames: true, pods: 'verified' }, want: { ignoreEmptyService: true, endpointPodNames: true, podMode: 'verified' } },
  ];
  for (const c of ok) it(c.name, () => expect(resolveDnsConfig(c.flags)).toMatchObject(c.want));

  const bad = [
    { name: 'ttl above 3600', flags: { ttl: '3601' } },
    { name: 'negative ttl', flags: { ttl: '-1' } },
    { name: 'fractional ttl', flags: { ttl: '1.5' } },
    { name: 'unknown pod mode', flags: { pods: 'sometimes' } },
    { name: 'only reverse zones', flags: { zone: ['in-addr.arpa'] } },
    { name: 'a zone that is not a name', flags: { zone: ['bad_zone!'] } },
  ];
  for (const c of bad) it(`usage error: ${c.name}`, () => expect(() => resolveDnsConfig(c.flags)).toThrow(UsageError));
});
