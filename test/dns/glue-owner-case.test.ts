import { describe, expect, it } from 'vitest';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { decodeReply, dig, encodeQuery } from '../helpers/dns-client.js';
import { buildHeadlessStatefulSetYaml, snapshotFromYaml } from '../helpers/cluster.js';
import { DnsServer } from '../../src/runtime/dns-server.js';

// Additional-section owners are spelled exactly as the SRV/NS target that points at them, and a
// target keeps the zone as asked with the objects' own labels (CoreDNS kubernetes.go ServeDNS keeps
// state.Zone in the query's case; service, namespace and host labels come from the objects).

const FILES = {
  'svc1.yaml': `apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: testns}
spec: {clusterIP: 10.96.0.100, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: myweb-svc, namespace: default}
spec: {clusterIP: 10.96.0.101, ports: [{name: http, port: 80}, {name: https, port: 443}]}
`,
  'db.yaml': buildHeadlessStatefulSetYaml('default', 3),
};
const snapshot = snapshotFromYaml(FILES);

const cases = [
  { name: 'named port of a ClusterIP service (the issue)', q: '_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL', type: 'SRV', targets: ['svc1.testns.svc.cLuStEr.LoCaL'] },
  { name: 'the service name itself, two ports', q: 'mYwEb-SvC.DeFaUlT.sVc.CluSteR.LoCaL', type: 'SRV', targets: ['myweb-svc.default.svc.CluSteR.LoCaL', 'myweb-svc.default.svc.CluSteR.LoCaL'] },
  { name: 'headless service: one target per pod', q: 'DB.default.SVC.Cluster.Local', type: 'SRV', targets: ['db-0.db.default.svc.Cluster.Local', 'db-1.db.default.svc.Cluster.Local', 'db-2.db.default.svc.Cluster.Local'] },
  { name: 'headless named port, upper-case everything', q: '_PG._TCP.DB.DEFAULT.SVC.CLUSTER.LOCAL', type: 'SRV', targets: ['db-0.db.default.svc.CLUSTER.LOCAL', 'db-1.db.default.svc.CLUSTER.LOCAL', 'db-2.db.default.svc.CLUSTER.LOCAL'] },
  { name: 'port alias without underscores', q: 'PG.tcp.db.default.svc.cluster.LOCAL', type: 'SRV', targets: ['db-0.db.default.svc.cluster.LOCAL', 'db-1.db.default.svc.cluster.LOCAL', 'db-2.db.default.svc.cluster.LOCAL'] },
  { name: 'pod name SRV', q: '10-244-1-2.DeFaUlT.pOd.cLuStEr.lOcAl', type: 'SRV', targets: ['10-244-1-2.default.pod.cLuStEr.lOcAl'] },
  { name: 'NS at the apex', q: 'ClUsTeR.lOcAl', type: 'NS', targets: ['kube-dns.kube-system.svc.ClUsTeR.lOcAl'] },
  { name: 'all lower-case (nothing to keep)', q: '_http._tcp.svc1.testns.svc.cluster.local', type: 'SRV', targets: ['svc1.testns.svc.cluster.local'] },
];

/** Targets (SRV/NS) and additional owners exactly as decoded, case kept. */
function readNames(reply: Buffer): { targets: string[]; glueOwners: string[]; owners: string[] } {
  const p = decodeReply(reply);
  const targets = p.answers!.map((a) => (a.type === 'SRV' ? (a.data as { target: string }).target : String(a.data)));
  return { targets, glueOwners: p.additionals!.filter((r) => r.type !== 'OPT').map((r) => r.name), owners: p.answers!.map((a) => a.name) };
}

describe('glue owners are spelled as their targets, byte for byte', () => {
  for (const c of cases) {
    it(c.name, () => {
      const handler = new QueryHandler(snapshot.index);
      // Another spelling first: the prepared answer is shared by every spelling of the name.
      handler.answer(encodeQuery(c.q.toLowerCase(), { type: c.type }), 'udp');
      handler.answer(encodeQuery(c.q.toUpperCase(), { type: c.type }), 'udp');
      for (const transport of ['udp', 'tcp'] as const) {
        const { targets, glueOwners, owners } = readNames(handler.answer(encodeQuery(c.q, { type: c.type, ednsUdpSize: 4096 }), transport)!);
        expect(owners.every((o) => o === c.q), `${transport}: answer owners echo the question`).toBe(true);
        expect([...targets].sort(), transport).toEqual([...c.targets].sort());
        expect(glueOwners.length, transport).toBeGreaterThan(0);
        for (const g of glueOwners) expect(targets, `${transport}: glue owner ${g}`).toContain(g);
        expect([...new Set(glueOwners)].sort(), transport).toEqual([...new Set(targets)].sort());
      }
    });
  }

  it('dig over a real socket shows the same spelling for target and glue', async () => {
    const server = new DnsServer(snapshot.index);
    const port = await server.listen('127.0.0.1', 0);
    try {
      const out = await dig(['@127.0.0.1', '-p', String(port), '+noall', '+answer', '+additional', '_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL', 'SRV']);
      const lines = out.trim().split('\n').map((l) => l.split(/\s+/));
      expect(lines.find((l) => l[3] === 'SRV')?.[7]).toBe('svc1.testns.svc.cLuStEr.LoCaL.');
      expect(lines.find((l) => l[3] === 'A')?.[0]).toBe('svc1.testns.svc.cLuStEr.LoCaL.');
    } finally {
      await server.close();
    }
  });
});
