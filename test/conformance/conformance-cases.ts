import type { ResolvedDnsConfig } from '../../src/dns/records/dns-config.js';

/**
 * The conformance table: each row a question and the exact response, as sorted zone-file lines,
 * organised by section of the Kubernetes DNS specification (schema 1.1.0) and then by what CoreDNS's
 * `kubernetes` plugin adds or does differently (cited per row). Cluster state: test/fixtures/conformance.
 * Every IP below is stated in a fixture (or is a built-in: kube-dns 10.96.0.10), never hash-allocated.
 */

export const SERIAL = 1;

/** DNS options each row can run under (named after the CoreDNS plugin options). */
export const CONFIGS = {
  default: {},
  ignoreEmpty: { ignoreEmptyService: true },
  podsVerified: { podMode: 'verified' },
  podsDisabled: { podMode: 'disabled' },
  namespaces: { namespaces: ['dual'] },
  podNames: { endpointPodNames: true },
  longTtl: { ttl: 3600 },
  narrowReverse: { zones: ['cluster.local', '100.96.10.in-addr.arpa'] },
} satisfies Record<string, Partial<ResolvedDnsConfig>>;
export type ConfigName = keyof typeof CONFIGS;

export interface ConformanceCase {
  name: string;
  q: string;
  type: string;
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED';
  answer?: string[];
  authority?: string[];
  additional?: string[];
  config?: ConfigName;
  /** Also asked with the real dig (+notcp and +tcp). */
  dig?: boolean;
}

const CL = 'cluster.local';
const soa = (zone: string, ttl = 5, minimum = ttl): string => `${zone}. ${ttl} IN SOA ns.dns.${zone}. hostmaster.${zone}. ${SERIAL} 7200 1800 86400 ${minimum}`;
const nodata = (q: string, type: string, extra: Partial<ConformanceCase> = {}, zone = CL): ConformanceCase => ({ name: `${type} ${q} is NODATA`, q, type, rcode: 'NOERROR', authority: [soa(zone)], ...extra });
const nx = (q: string, type: string, extra: Partial<ConformanceCase> = {}, zone = CL): ConformanceCase => ({ name: `${type} ${q} is NXDOMAIN`, q, type, rcode: 'NXDOMAIN', authority: [soa(zone)], ...extra });
const svc = (s: string, ns = 'default'): string => `${s}.${ns}.svc.${CL}`;

export const SECTIONS: { section: string; cases: ConformanceCase[] }[] = [
  {
    section: 'spec 2.2 schema version',
    cases: [
      { name: 'dns-version TXT is 1.1.0 with TTL 28800', q: `dns-version.${CL}`, type: 'TXT', rcode: 'NOERROR', answer: [`dns-version.${CL}. 28800 IN TXT "1.1.0"`], dig: true },
      // kubernetes.go Services(): only TXT is served there; parseRequest rejects the name for every other type.
      nx(`dns-version.${CL}`, 'A'),
    ],
  },
  {
    section: 'spec 2.3 ClusterIP service',
    cases: [
      { name: 'A is the cluster IP', q: svc('web'), type: 'A', rcode: 'NOERROR', answer: [`${svc('web')}. 5 IN A 10.96.100.10`], dig: true },
      nodata(svc('web'), 'AAAA', { name: 'AAAA of a single-stack IPv4 service is NODATA', dig: true }),
      {
        name: 'SRV per named port, weight 100, target the service, address as glue',
        q: `_http._tcp.${svc('web')}`,
        type: 'SRV',
        rcode: 'NOERROR',
        answer: [`_http._tcp.${svc('web')}. 5 IN SRV 0 100 80 ${svc('web')}.`],
        additional: [`${svc('web')}. 5 IN A 10.96.100.10`],
        dig: true,
      },
      { name: 'SRV of a UDP port', q: `_syslog._udp.${svc('web')}`, type: 'SRV', rcode: 'NOERROR', answer: [`_syslog._udp.${svc('web')}. 5 IN SRV 0 100 514 ${svc('web')}.`], additional: [`${svc('web')}. 5 IN A 10.96.100.10`] },
      nx(`_http._udp.${svc('web')}`, 'SRV', { name: 'SRV with the wrong protocol is NXDOMAIN' }),
      nx(`_nope._tcp.${svc('web')}`, 'SRV', { name: 'SRV of an unknown port is NXDOMAIN' }),
      { name: 'PTR of the cluster IP names the service', q: '10.100.96.10.in-addr.arpa', type: 'PTR', rcode: 'NOERROR', answer: [`10.100.96.10.in-addr.arpa. 5 IN PTR ${svc('web')}.`], dig: true },
      { name: 'a service without endpoints still answers', q: svc('lonely'), type: 'A', rcode: 'NOERROR', answer: [`${svc('lonely')}. 5 IN A 10.96.100.20`] },
      { name: 'kubernetes.default is the API server', q: svc('kubernetes'), type: 'A', rcode: 'NOERROR', answer: [`${svc('kubernetes')}. 5 IN A 10.96.0.1`] },
    ],
  },
  {
    section: 'spec 2.4 headless service',
    cases: [
      { name: 'A per ready endpoint', q: svc('db'), type: 'A', rcode: 'NOERROR', answer: [`${svc('db')}. 5 IN A 10.244.2.10`, `${svc('db')}. 5 IN A 10.244.2.11`, `${svc('db')}. 5 IN A 10.244.2.12`], dig: true },
      { name: 'hostname endpoint A', q: `db-0.${svc('db')}`, type: 'A', rcode: 'NOERROR', answer: [`db-0.${svc('db')}. 5 IN A 10.244.2.10`], dig: true },
      { name: 'endpoint without hostname is named by its dashed address', q: `10-244-2-12.${svc('db')}`, type: 'A', rcode: 'NOERROR', answer: [`10-244-2-12.${svc('db')}. 5 IN A 10.244.2.12`] },
      {
        name: 'SRV per endpoint, weight floor(100/3), targets the endpoint names, addresses as glue',
        q: `_pg._tcp.${svc('db')}`,
        type: 'SRV',
        rcode: 'NOERROR',
        answer: [`_pg._tcp.${svc('db')}. 5 IN SRV 0 33 5432 db-0.${svc('db')}.`, `_pg._tcp.${svc('db')}. 5 IN SRV 0 33 5432 db-1.${svc('db')}.`, `_pg._tcp.${svc('db')}. 5 IN SRV 0 33 5432 10-244-2-12.${svc('db')}.`],
        additional: [`db-0.${svc('db')}. 5 IN A 10.244.2.10`, `db-1.${svc('db')}. 5 IN A 10.244.2.11`, `10-244-2-12.${svc('db')}. 5 IN A 10.244.2.12`],
        dig: true,
      },
      { name: 'PTR of an endpoint names the endpoint', q: '10.2.244.10.in-addr.arpa', type: 'PTR', rcode: 'NOERROR', answer: [`10.2.244.10.in-addr.arpa. 5 IN PTR db-0.${svc('db')}.`] },
      nx(svc('empty-headless'), 'A', { name: 'headless with no ready endpoint is NXDOMAIN', dig: true }),
      nx(svc('empty-headless'), 'TXT', { name: 'headless with no ready endpoint is NXDOMAIN for every type' }),
      // The concept page's example.
      { name: 'busybox-1.busybox-subdomain (docs example)', q: 'busybox-1.busybox-subdomain.my-namespace.svc.cluster.local', type: 'A', rcode: 'NOERROR', answer: ['busybox-1.busybox-subdomain.my-namespace.svc.cluster.local. 5 IN A 10.244.3.11'], dig: true },
      { name: 'busybox-subdomain lists both pods', q: 'busybox-subdomain.my-namespace.svc.cluster.local', type: 'A', rcode: 'NOERROR', answer: ['busybox-subdomain.my-namespace.svc.cluster.local. 5 IN A 10.244.3.11', 'busybox-subdomain.my-namespace.svc.cluster.local. 5 IN A 10.244.3.12'] },
    ],
  },
  {
    section: 'spec 2.5 ExternalName service',
    cases: [
      { name: 'A of an external target: the CNAME (the client resolves on)', q: svc('search'), type: 'A', rcode: 'NOERROR', answer: [`${svc('search')}. 5 IN CNAME www.example.com.`], dig: true },
      { name: 'CNAME asked directly', q: svc('search'), type: 'CNAME', rcode: 'NOERROR', answer: [`${svc('search')}. 5 IN CNAME www.example.com.`] },
      { name: 'in-zone target is followed', q: svc('alias-internal'), type: 'A', rcode: 'NOERROR', answer: [`${svc('alias-internal')}. 5 IN CNAME ${svc('web')}.`, `${svc('web')}. 5 IN A 10.96.100.10`], dig: true },
      { name: 'chains are followed', q: svc('alias-chain'), type: 'A', rcode: 'NOERROR', answer: [`${svc('alias-chain')}. 5 IN CNAME ${svc('alias-internal')}.`, `${svc('alias-internal')}. 5 IN CNAME ${svc('web')}.`, `${svc('web')}. 5 IN A 10.96.100.10`] },
      // backend_lookup.go plugin.A keeps an in-zone CNAME only when the target has addresses of the type.
      nodata(svc('alias-internal'), 'AAAA', { name: 'in-zone target without AAAA: NODATA, no CNAME' }),
      nodata(svc('loop-a'), 'A', { name: 'a CNAME loop is cut: NODATA' }),
      nodata(svc('dangling'), 'A', { name: 'a dangling in-zone target: NODATA' }),
      // kubernetes.go Services(): TXT never follows, SRV drops CNAME-typed services.
      nodata(svc('search'), 'TXT'),
      nodata(svc('search'), 'SRV'),
      nx(`_http._tcp.${svc('search')}`, 'SRV', { name: 'no port names under an ExternalName service' }),
      nx(svc('by-ip'), 'A', { name: 'an ExternalName that is an IP is not served (kubernetes.go)' }),
    ],
  },
  {
    section: 'spec 2.6 pod records (pods insecure)',
    cases: [
      { name: 'dashed IPv4 answers', q: `10-244-1-10.default.pod.${CL}`, type: 'A', rcode: 'NOERROR', answer: [`10-244-1-10.default.pod.${CL}. 5 IN A 10.244.1.10`], dig: true },
      { name: 'insecure answers any address', q: `1-2-3-4.default.pod.${CL}`, type: 'A', rcode: 'NOERROR', answer: [`1-2-3-4.default.pod.${CL}. 5 IN A 1.2.3.4`] },
      { name: 'dashed IPv6 answers AAAA', q: `fd00--1.default.pod.${CL}`, type: 'AAAA', rcode: 'NOERROR', answer: [`fd00--1.default.pod.${CL}. 5 IN AAAA fd00::1`] },
      nodata(`1-2-3-4.default.pod.${CL}`, 'AAAA'),
      nx(`1-2-3-4.no-such-ns.pod.${CL}`, 'A', { name: 'pod name in a missing namespace is NXDOMAIN' }),
      nx(`010-1-1-1.default.pod.${CL}`, 'A', { name: 'leading zeros do not parse (Go net.ParseIP)' }),
      nx(`not-an-ip.default.pod.${CL}`, 'A'),
      nodata(`default.pod.${CL}`, 'A'),
      // parse.go reads one extra label as an endpoint; findPods ignores it.
      { name: 'an extra label in front is ignored', q: `x.1-2-3-4.default.pod.${CL}`, type: 'A', rcode: 'NOERROR', answer: [`x.1-2-3-4.default.pod.${CL}. 5 IN A 1.2.3.4`] },
      { name: 'SRV of a pod name: port 0 to itself (plugin.SRV)', q: `1-2-3-4.default.pod.${CL}`, type: 'SRV', rcode: 'NOERROR', answer: [`1-2-3-4.default.pod.${CL}. 5 IN SRV 0 100 0 1-2-3-4.default.pod.${CL}.`], additional: [`1-2-3-4.default.pod.${CL}. 5 IN A 1.2.3.4`] },
      { name: 'verified: an existing pod answers', q: `10-244-1-10.default.pod.${CL}`, type: 'A', rcode: 'NOERROR', answer: [`10-244-1-10.default.pod.${CL}. 5 IN A 10.244.1.10`], config: 'podsVerified' },
      nx(`1-2-3-4.default.pod.${CL}`, 'A', { name: 'verified: no such pod is NXDOMAIN', config: 'podsVerified' }),
      nx(`10-244-1-10.dual.pod.${CL}`, 'A', { name: 'verified: the pod must live in that namespace', config: 'podsVerified' }),
      nx(`fd00-10-244-4--10.dual.pod.${CL}`, 'AAAA', { name: 'verified: only status.podIP (the primary IP) counts', config: 'podsVerified' }),
      nx(`10-244-1-10.default.pod.${CL}`, 'A', { name: 'disabled: pod names are NXDOMAIN', config: 'podsDisabled' }),
      nx(`default.pod.${CL}`, 'A', { name: 'disabled: <ns>.pod is NXDOMAIN', config: 'podsDisabled' }),
    ],
  },
  {
    section: 'CoreDNS: endpoint names and bare-name SRV',
    cases: [
      { name: 'endpoint name under a ClusterIP service', q: `10-244-1-10.${svc('web')}`, type: 'A', rcode: 'NOERROR', answer: [`10-244-1-10.${svc('web')}. 5 IN A 10.244.1.10`] },
      nx(`10-244-1-12.${svc('web')}`, 'A', { name: 'a not-ready endpoint has no name' }),
      {
        name: 'SRV of an endpoint name: its ports (target ports), weight floor(100/2)',
        q: `10-244-1-10.${svc('web')}`,
        type: 'SRV',
        rcode: 'NOERROR',
        answer: [`10-244-1-10.${svc('web')}. 5 IN SRV 0 50 514 10-244-1-10.${svc('web')}.`, `10-244-1-10.${svc('web')}. 5 IN SRV 0 50 8080 10-244-1-10.${svc('web')}.`],
        additional: [`10-244-1-10.${svc('web')}. 5 IN A 10.244.1.10`],
      },
      {
        name: 'bare-name SRV of a ClusterIP service: every port, weight floor(100/ports)',
        q: svc('web'),
        type: 'SRV',
        rcode: 'NOERROR',
        answer: [`${svc('web')}. 5 IN SRV 0 50 514 ${svc('web')}.`, `${svc('web')}. 5 IN SRV 0 50 80 ${svc('web')}.`],
        additional: [`${svc('web')}. 5 IN A 10.96.100.10`],
      },
      { name: 'A at a port name answers the cluster IP', q: `_http._tcp.${svc('web')}`, type: 'A', rcode: 'NOERROR', answer: [`_http._tcp.${svc('web')}. 5 IN A 10.96.100.10`] },
      { name: 'port and protocol without underscores (parse.go strips them)', q: `http.tcp.${svc('web')}`, type: 'SRV', rcode: 'NOERROR', answer: [`http.tcp.${svc('web')}. 5 IN SRV 0 100 80 ${svc('web')}.`], additional: [`${svc('web')}. 5 IN A 10.96.100.10`] },
      nx(`_tcp.${svc('web')}`, 'SRV', { name: '_tcp.<svc> is an endpoint query that matches nothing' }),
      nx(`a.b.c.${svc('web')}`, 'A', { name: 'too many labels is NXDOMAIN (parse.go)' }),
      {
        name: 'kube-dns: 53/UDP and 53/TCP are one SRV (deduplicated), weight floor(100/3)',
        q: svc('kube-dns', 'kube-system'),
        type: 'SRV',
        rcode: 'NOERROR',
        answer: [`${svc('kube-dns', 'kube-system')}. 5 IN SRV 0 33 53 ${svc('kube-dns', 'kube-system')}.`, `${svc('kube-dns', 'kube-system')}. 5 IN SRV 0 33 9153 ${svc('kube-dns', 'kube-system')}.`],
        additional: [`${svc('kube-dns', 'kube-system')}. 5 IN A 10.96.0.10`],
      },
    ],
  },
  {
    section: 'EndpointSlice and Endpoints manifests (selector-less services)',
    cases: [
      { name: 'ClusterIP of the docs example', q: svc('my-service'), type: 'A', rcode: 'NOERROR', answer: [`${svc('my-service')}. 5 IN A 10.96.100.30`], dig: true },
      { name: 'manual endpoint (conditions absent = ready) has a name', q: `10-4-5-6.${svc('my-service')}`, type: 'A', rcode: 'NOERROR', answer: [`10-4-5-6.${svc('my-service')}. 5 IN A 10.4.5.6`] },
      nx(`10-1-2-4.${svc('my-service')}`, 'A', { name: 'ready: false leaves the endpoint out' }),
      { name: 'PTR of a manual endpoint address', q: '6.5.4.10.in-addr.arpa', type: 'PTR', rcode: 'NOERROR', answer: [`6.5.4.10.in-addr.arpa. 5 IN PTR 10-4-5-6.${svc('my-service')}.`] },
      { name: 'IPv6 slice: AAAA per ready address', q: svc('external-db'), type: 'AAAA', rcode: 'NOERROR', answer: [`${svc('external-db')}. 5 IN AAAA fd00:10:244:7::5`, `${svc('external-db')}. 5 IN AAAA fd00:10:244:8::`], dig: true },
      nodata(svc('external-db'), 'A', { name: 'IPv6-only headless: A is NODATA' }),
      { name: 'IPv6 endpoint hostname', q: `primary.${svc('external-db')}`, type: 'AAAA', rcode: 'NOERROR', answer: [`primary.${svc('external-db')}. 5 IN AAAA fd00:10:244:7::5`] },
      { name: 'IPv6 address ending in :: is named with a trailing -0', q: `fd00-10-244-8--0.${svc('external-db')}`, type: 'AAAA', rcode: 'NOERROR', answer: [`fd00-10-244-8--0.${svc('external-db')}. 5 IN AAAA fd00:10:244:8::`] },
      { name: 'PTR in ip6.arpa for an IPv6 endpoint', q: '5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa', type: 'PTR', rcode: 'NOERROR', answer: [`5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. 5 IN PTR primary.${svc('external-db')}.`] },
      { name: 'endpoint_pod_names: named by targetRef', q: `pg-replica.${svc('external-db')}`, type: 'AAAA', rcode: 'NOERROR', answer: [`pg-replica.${svc('external-db')}. 5 IN AAAA fd00:10:244:8::`], config: 'podNames' },
      { name: 'endpoint_pod_names: hostname still wins', q: `primary.${svc('external-db')}`, type: 'AAAA', rcode: 'NOERROR', answer: [`primary.${svc('external-db')}. 5 IN AAAA fd00:10:244:7::5`], config: 'podNames' },
      { name: 'Endpoints v1 (mirrored): ready address with hostname', q: `legacy-a.${svc('legacy')}`, type: 'A', rcode: 'NOERROR', answer: [`legacy-a.${svc('legacy')}. 5 IN A 192.168.10.1`] },
      nx(`192-168-10-2.${svc('legacy')}`, 'A', { name: 'Endpoints v1: notReadyAddresses have no name' }),
      { name: 'Endpoints v1: SRV of the port', q: `_tcp._tcp.${svc('legacy')}`, type: 'SRV', rcode: 'NOERROR', answer: [`_tcp._tcp.${svc('legacy')}. 5 IN SRV 0 100 5000 ${svc('legacy')}.`], additional: [`${svc('legacy')}. 5 IN A 10.96.100.40`] },
    ],
  },
  {
    section: 'dual-stack',
    cases: [
      { name: 'A of a dual-stack service', q: svc('api', 'dual'), type: 'A', rcode: 'NOERROR', answer: [`${svc('api', 'dual')}. 5 IN A 10.96.100.50`] },
      { name: 'AAAA of a dual-stack service', q: svc('api', 'dual'), type: 'AAAA', rcode: 'NOERROR', answer: [`${svc('api', 'dual')}. 5 IN AAAA fd00:10:96::50`], dig: true },
      {
        name: 'SRV: one record, weight floor(100/2 IPs), A and AAAA glue',
        q: `_http._tcp.${svc('api', 'dual')}`,
        type: 'SRV',
        rcode: 'NOERROR',
        answer: [`_http._tcp.${svc('api', 'dual')}. 5 IN SRV 0 50 80 ${svc('api', 'dual')}.`],
        additional: [`${svc('api', 'dual')}. 5 IN A 10.96.100.50`, `${svc('api', 'dual')}. 5 IN AAAA fd00:10:96::50`],
      },
      { name: 'IPv6 endpoint name under a dual-stack service', q: `fd00-10-244-4--10.${svc('api', 'dual')}`, type: 'AAAA', rcode: 'NOERROR', answer: [`fd00-10-244-4--10.${svc('api', 'dual')}. 5 IN AAAA fd00:10:244:4::10`] },
      { name: 'IPv6-only headless over a dual-stack pod', q: svc('v6-headless', 'dual'), type: 'AAAA', rcode: 'NOERROR', answer: [`${svc('v6-headless', 'dual')}. 5 IN AAAA fd00:10:244:4::10`] },
      { name: 'PTR of the IPv6 cluster IP', q: '0.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa', type: 'PTR', rcode: 'NOERROR', answer: [`0.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ${svc('api', 'dual')}.`] },
    ],
  },
  {
    section: 'CoreDNS: apex, NS, SOA and ns.dns',
    cases: [
      { name: 'SOA at the apex', q: CL, type: 'SOA', rcode: 'NOERROR', answer: [soa(CL)], dig: true },
      // ns.go nsAddrs: CoreDNS in the cluster names the Service its own pod backs.
      { name: 'NS at the apex names kube-dns, with glue', q: CL, type: 'NS', rcode: 'NOERROR', answer: [`${CL}. 5 IN NS ${svc('kube-dns', 'kube-system')}.`], additional: [`${svc('kube-dns', 'kube-system')}. 5 IN A 10.96.0.10`], dig: true },
      { name: 'ns.dns answers the DNS service address', q: `ns.dns.${CL}`, type: 'A', rcode: 'NOERROR', answer: [`ns.dns.${CL}. 5 IN A 10.96.0.10`] },
      nodata(`ns.dns.${CL}`, 'AAAA'),
      nx(`ns.dns.${CL}`, 'TXT', { name: 'TXT ns.dns is NXDOMAIN (parseRequest rejects it)' }),
      nodata(CL, 'A', { name: 'A at the apex is NODATA' }),
      nx(CL, 'TXT', { name: 'TXT at the apex is NXDOMAIN (kubernetes.go Services: TXT with no records)' }),
      nodata(`svc.${CL}`, 'A'),
      nodata(`default.svc.${CL}`, 'A'),
      nodata(`kube-public.svc.${CL}`, 'A', { name: 'kube-public always exists' }),
      nx(`no-such-ns.svc.${CL}`, 'A', { name: 'a missing namespace is NXDOMAIN', dig: true }),
      nx(`foo.${CL}`, 'A', { name: 'any other shape is NXDOMAIN' }),
      nodata(`nope.default.svc.${CL}`, 'SOA', { name: 'SOA below the apex is NODATA even for a missing name (handler.go)' }),
      nodata(`default.svc.${CL}`, 'NS', { name: 'NS below the apex is NODATA' }),
      { name: 'SOA TTL is capped at 300, minimum keeps the ttl', q: CL, type: 'SOA', rcode: 'NOERROR', answer: [soa(CL, 300, 3600)], config: 'longTtl' },
      nx(`nope.default.svc.${CL}`, 'A', { name: 'NXDOMAIN carries the SOA with TTL min(ttl, 300)', authority: [soa(CL, 300, 3600)], config: 'longTtl' }),
    ],
  },
  {
    section: 'CoreDNS: types it does not serve (NODATA vs NXDOMAIN)',
    cases: [
      ...['MX', 'HINFO', 'ANY', 'TXT', 'CNAME', 'PTR', 'NS', 'SOA'].map((t) => nodata(svc('web'), t, { dig: t === 'HINFO' })),
      ...['MX', 'HINFO', 'ANY', 'TXT', 'SRV', 'AAAA'].map((t) => nx(svc('nope'), t)),
      nodata(`db-0.${svc('db')}`, 'TXT'),
      { name: 'AXFR is refused (no transfer plugin)', q: CL, type: 'AXFR', rcode: 'REFUSED' },
      { name: 'IXFR is refused', q: CL, type: 'IXFR', rcode: 'REFUSED' },
    ],
  },
  {
    section: 'reverse zones',
    cases: [
      { name: 'SOA of in-addr.arpa is its own', q: 'in-addr.arpa', type: 'SOA', rcode: 'NOERROR', answer: [soa('in-addr.arpa')] },
      { name: 'NS of in-addr.arpa (ns.go joins the Service name to the zone asked)', q: 'in-addr.arpa', type: 'NS', rcode: 'NOERROR', answer: [`in-addr.arpa. 5 IN NS kube-dns.kube-system.svc.in-addr.arpa.`], additional: ['kube-dns.kube-system.svc.in-addr.arpa. 5 IN A 10.96.0.10'] },
      nx('9.9.9.9.in-addr.arpa', 'PTR', { name: 'PTR of an address outside the cluster: NXDOMAIN with the reverse SOA', dig: true }, 'in-addr.arpa'),
      nx('9.9.244.10.in-addr.arpa', 'PTR', { name: 'a pod that is no endpoint has no PTR' }, 'in-addr.arpa'),
      nx('10.100.96.10.in-addr.arpa', 'A', { name: 'A on a PTR name is NXDOMAIN (parseRequest)' }, 'in-addr.arpa'),
      nx('96.10.in-addr.arpa', 'PTR', { name: 'a partial reverse name is NXDOMAIN' }, 'in-addr.arpa'),
      nx('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.ip6.arpa', 'PTR', {}, 'ip6.arpa'),
      { name: 'a narrower reverse zone is the SOA owner', q: '10.100.96.10.in-addr.arpa', type: 'PTR', rcode: 'NOERROR', answer: [`10.100.96.10.in-addr.arpa. 5 IN PTR ${svc('web')}.`], config: 'narrowReverse' },
      nx('99.100.96.10.in-addr.arpa', 'PTR', { config: 'narrowReverse' }, '100.96.10.in-addr.arpa'),
      { name: 'outside every served zone: REFUSED', q: '10.2.244.10.in-addr.arpa', type: 'PTR', rcode: 'REFUSED', config: 'narrowReverse' },
    ],
  },
  {
    section: 'options: ignore_empty_service and namespaces',
    cases: [
      nx(svc('lonely'), 'A', { name: 'ignore_empty_service: no ready endpoint, NXDOMAIN', config: 'ignoreEmpty' }),
      { name: 'ignore_empty_service: backed services still answer', q: svc('web'), type: 'A', rcode: 'NOERROR', answer: [`${svc('web')}. 5 IN A 10.96.100.10`], config: 'ignoreEmpty' },
      { name: 'ignore_empty_service: ExternalName unaffected', q: svc('search'), type: 'A', rcode: 'NOERROR', answer: [`${svc('search')}. 5 IN CNAME www.example.com.`], config: 'ignoreEmpty' },
      { name: 'namespaces: an exposed namespace answers', q: svc('api', 'dual'), type: 'A', rcode: 'NOERROR', answer: [`${svc('api', 'dual')}. 5 IN A 10.96.100.50`], config: 'namespaces' },
      nx(svc('web'), 'A', { name: 'namespaces: others are NXDOMAIN', config: 'namespaces' }),
      nx(`default.svc.${CL}`, 'A', { name: 'namespaces: <ns>.svc of a hidden namespace is NXDOMAIN', config: 'namespaces' }),
      nx('10.100.96.10.in-addr.arpa', 'PTR', { name: 'namespaces: no PTR into a hidden namespace', config: 'namespaces' }, 'in-addr.arpa'),
    ],
  },
];
