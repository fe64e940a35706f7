import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { decodeReply, encodeQuery, toZoneLines } from '../helpers/dns-client.js';
import { snapshotFromYaml } from '../helpers/cluster.js';

// The foundation's answers, in-process: the same bytes the sockets send.
const lab = Object.fromEntries(readdirSync('manifests').filter((f) => f.endsWith('.yaml')).map((f) => [`manifests/${f}`, readFileSync(`manifests/${f}`, 'utf8')]));
const snap = snapshotFromYaml(lab, {}, {}, 42);
const st = snap.cluster.state;
const handler = new QueryHandler(snap.index);
const ask = (name: string, type = 'A', opts: { ednsUdpSize?: number } = {}) => handler.answer(encodeQuery(name, { type, ...opts }), 'udp')!;
const podIP = (n: string) => st.pods.find((p) => p.name === n)!.ips[0];
const svcIP = (n: string) => st.services.find((s) => s.name === n)!.clusterIPs[0];
const SOA = 'cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 42 7200 1800 86400 5';

describe('seed lab answers (in-process)', () => {
  const cases = [
    { name: 'ClusterIP service: its one virtual IP', q: 'myweb-svc.default.svc.cluster.local', rcode: 'NOERROR', answer: () => [`myweb-svc.default.svc.cluster.local. 5 IN A ${svcIP('myweb-svc')}`], authority: [] as string[] },
    {
      name: 'headless service: one A per ready selected pod',
      q: 'myweb-svc-headless.default.svc.cluster.local',
      rcode: 'NOERROR',
      answer: () => st.pods.filter((p) => p.labels.app === 'web').map((p) => `myweb-svc-headless.default.svc.cluster.local. 5 IN A ${p.ips[0]}`).sort(),
      authority: [],
    },
    { name: 'StatefulSet pod under its governing service', q: 'myweb-sts-2.myweb-svc-headless.default.svc.cluster.local', rcode: 'NOERROR', answer: () => [`myweb-sts-2.myweb-svc-headless.default.svc.cluster.local. 5 IN A ${podIP('myweb-sts-2')}`], authority: [] },
    { name: 'existing name, no AAAA → NODATA with SOA', q: 'myweb-svc.default.svc.cluster.local', type: 'AAAA', rcode: 'NOERROR', answer: () => [], authority: [SOA] },
    { name: 'existing name, MX → NODATA with SOA', q: 'myweb-sts-0.myweb-svc-headless.default.svc.cluster.local', type: 'MX', rcode: 'NOERROR', answer: () => [], authority: [SOA] },
    { name: 'missing service → NXDOMAIN with SOA', q: 'nope.default.svc.cluster.local', rcode: 'NXDOMAIN', answer: () => [], authority: [SOA] },
    { name: 'missing pod under an existing service → NXDOMAIN', q: 'myweb-sts-9.myweb-svc-headless.default.svc.cluster.local', rcode: 'NXDOMAIN', answer: () => [], authority: [SOA] },
    { name: 'namespace name → NODATA', q: 'default.svc.cluster.local', rcode: 'NOERROR', answer: () => [], authority: [SOA] },
    {
      name: 'short name from outside → CNAME to the full name, then its records',
      q: 'myweb-sts-0.myweb-svc-headless',
      rcode: 'NOERROR',
      answer: () => [`myweb-sts-0.myweb-svc-headless. 5 IN CNAME myweb-sts-0.myweb-svc-headless.default.svc.cluster.local.`, `myweb-sts-0.myweb-svc-headless.default.svc.cluster.local. 5 IN A ${podIP('myweb-sts-0')}`].sort(),
      authority: [],
    },
    { name: 'short name with namespace', q: 'myweb-svc.default', rcode: 'NOERROR', answer: () => [`myweb-svc.default. 5 IN CNAME myweb-svc.default.svc.cluster.local.`, `myweb-svc.default.svc.cluster.local. 5 IN A ${svcIP('myweb-svc')}`].sort(), authority: [] },
    { name: 'built-in kube-dns', q: 'kube-dns.kube-system.svc.cluster.local', rcode: 'NOERROR', answer: () => ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'], authority: [] },
    { name: 'unknown out-of-zone name → REFUSED (no forwarding yet)', q: 'example.com', rcode: 'REFUSED', answer: () => [], authority: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const reply = ask(c.q, c.type ?? 'A');
      const p = decodeReply(reply);
      expect(p.rcode).toBe(c.rcode);
      expect(toZoneLines(reply, 'answers')).toEqual(c.answer());
      expect(toZoneLines(reply, 'authorities')).toEqual(c.authority);
      expect(p.flag_aa).toBe(c.rcode !== 'REFUSED');
    });
  }

  it('echoes the question as asked and matches case-insensitively', () => {
    const reply = ask('MyWeb-Svc.Default.SVC.cluster.LOCAL');
    const p = decodeReply(reply);
    expect(p.questions![0].name).toBe('MyWeb-Svc.Default.SVC.cluster.LOCAL');
    expect(p.answers![0].name).toBe('MyWeb-Svc.Default.SVC.cluster.LOCAL');
    expect((p.answers![0] as { data: string }).data).toBe(svcIP('myweb-svc'));
  });

  it('owners are compressed as pointers to the question', () => {
    const reply = ask('myweb-svc.default.svc.cluster.local');
    const answerStart = 12 + 'myweb-svc.default.svc.cluster.local'.length + 2 + 4;
    expect(reply.readUInt16BE(answerStart)).toBe(0xc00c);
  });

  it('a headless answer too large for 512 bytes is truncated over UDP and whole over TCP', () => {
    const many = { ...lab, 'big.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: big}\nspec:\n  replicas: 100\n  serviceName: big\n  selector: {matchLabels: {app: big}}\n  template:\n    metadata: {labels: {app: big}}\n    spec: {containers: [{name: c, image: i}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: big}\nspec: {clusterIP: None, selector: {app: big}, ports: [{port: 80}]}\n' };
    const h = new QueryHandler(snapshotFromYaml(many).index);
    const q = encodeQuery('big.default.svc.cluster.local');
    const udp = decodeReply(h.answer(q, 'udp')!);
    expect(udp.flag_tc).toBe(true);
    // As many whole records as fit (miekg Msg.Truncate): 12 + 35-byte question, then 16 bytes per A record.
    expect(udp.answers).toHaveLength(Math.floor((512 - 47) / 16));
    const tcp = decodeReply(h.answer(q, 'tcp')!);
    expect(tcp.flag_tc).toBe(false);
    expect(tcp.answers).toHaveLength(100);
    const edns = decodeReply(h.answer(encodeQuery('big.default.svc.cluster.local', { ednsUdpSize: 1232 }), 'udp')!);
    expect(edns.flag_tc).toBe(true);
  });

  const malformed = [
    { name: 'shorter than a header → dropped', bytes: Buffer.from([1, 2, 3]), want: null },
    { name: 'a response (QR=1) → dropped', bytes: Buffer.from(encodeQuery('a.b').map((b, i) => (i === 2 ? b | 0x80 : b))), want: null },
    { name: 'QDCOUNT 0 → FORMERR', bytes: Buffer.from([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), want: 'FORMERR' },
    { name: 'question cut short → FORMERR', bytes: encodeQuery('myweb-svc.default.svc.cluster.local').subarray(0, 20), want: 'FORMERR' },
    { name: 'opcode STATUS → NOTIMP', bytes: Buffer.from(encodeQuery('a.b').map((b, i) => (i === 2 ? b | 0x10 : b))), want: 'NOTIMP' },
  ];
  for (const c of malformed) {
    it(`malformed: ${c.name}`, () => {
      const reply = handler.answer(c.bytes, 'udp');
      if (c.want === null) expect(reply).toBeNull();
      else expect(decodeReply(reply!).rcode).toBe(c.want);
    });
  }
});
