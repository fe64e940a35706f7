import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { AdminRoute } from './admin-server.js';
import { DURATION_BUCKETS, type QueryCounters } from '../dns/server/query-handler.js';
import type { UpstreamCounters } from '../dns/forward/forwarder.js';
import { getRcodeName, getTypeName } from '../dns/wire/code-names.js';

/** What `/metrics` reads: the handler's plain counters (and the forwarder's), at scrape time only. */
export interface MetricsContext {
  counters: QueryCounters;
  /** `dns://ADDRESS:PORT`, CoreDNS's `server` label. */
  server: string;
  getUpstreamCounters?(): ReadonlyMap<string, UpstreamCounters>;
  version?: string;
  /** Errors in the manifest files the running server watches (files that keep their last good objects meanwhile). */
  getManifestErrors?(): number;
}

/** Query types CoreDNS labels by name; the rest are `other` (as its `vars.qTypeString`). */
const NAMED_TYPES = new Set(['A', 'AAAA', 'NS', 'PTR', 'CNAME', 'SOA', 'MX', 'TXT', 'SRV', 'HINFO', 'ANY', 'AXFR', 'IXFR', 'NAPTR', 'DS', 'DNSKEY', 'CAA', 'HTTPS', 'SVCB', 'OPT']);

function toTypeLabel(code: number): string {
  const name = code < 256 ? getTypeName(code) : 'other';
  return NAMED_TYPES.has(name) ? name : 'other';
}

/**
 * Prometheus metrics under CoreDNS's names, so its dashboards work: `coredns_dns_requests_total`,
 * `coredns_dns_responses_total{rcode}`, `coredns_dns_request_duration_seconds`, `coredns_forward_*`,
 * `coredns_build_info`, plus process metrics. Values are copied from the plain counters when scraped.
 */
export function buildMetricsRegistry(ctx: MetricsContext): Registry {
  const registry = new Registry();
  const base = { server: ctx.server, zone: '.', view: '' };
  const c = ctx.counters;
  new Gauge({ name: 'coredns_build_info', help: 'A metric with a constant 1 value labeled by version, revision, and goversion from which CoreDNS was built.', labelNames: ['version', 'revision', 'goversion'], registers: [registry] }).set(
    { version: ctx.version ?? '0.0.0', revision: 'kube-dns-sim', goversion: process.version },
    1,
  );
  new Counter({
    name: 'coredns_dns_requests_total',
    help: 'Counter of DNS requests made per zone, protocol and family.',
    labelNames: ['server', 'zone', 'view', 'proto', 'family', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      const sums = new Map<string, number>();
      for (const proto of ['udp', 'tcp'] as const) {
        const off = proto === 'tcp' ? 257 : 0;
        for (let t = 0; t < 257; t++) {
          const n = c.qtypesByTransport[off + t];
          if (n === 0) continue;
          const key = `${proto}/${toTypeLabel(t)}`;
          sums.set(key, (sums.get(key) ?? 0) + n);
        }
      }
      for (const [key, n] of sums) {
        const [proto, type] = key.split('/');
        this.inc({ ...base, proto, family: '1', type }, n);
      }
    },
  });
  new Counter({
    name: 'coredns_dns_responses_total',
    help: 'Counter of response status codes.',
    labelNames: ['server', 'zone', 'view', 'rcode', 'plugin'],
    registers: [registry],
    collect() {
      this.reset();
      c.rcodes.forEach((n, code) => n > 0 && this.inc({ ...base, rcode: getRcodeName(code), plugin: '' }, n));
    },
  });
  const withoutType = { server: ctx.server, zone: '.', view: '' };
  registry.registerMetric({
    name: 'coredns_dns_request_duration_seconds',
    help: 'Histogram of the time (in seconds) each request took per zone.',
    type: 'histogram',
    async get() {
      let cumulative = 0;
      const values = DURATION_BUCKETS.map((le, i) => {
        cumulative += c.durationBuckets[i];
        return { metricName: 'coredns_dns_request_duration_seconds_bucket', labels: { ...withoutType, le }, value: cumulative };
      });
      cumulative += c.durationBuckets[DURATION_BUCKETS.length];
      values.push({ metricName: 'coredns_dns_request_duration_seconds_bucket', labels: { ...withoutType, le: '+Inf' as unknown as number }, value: cumulative });
      values.push({ metricName: 'coredns_dns_request_duration_seconds_sum', labels: withoutType as never, value: c.durationSumSeconds });
      values.push({ metricName: 'coredns_dns_request_duration_seconds_count', labels: withoutType as never, value: c.durationCount });
      return { name: 'coredns_dns_request_duration_seconds', help: 'Histogram of the time (in seconds) each request took per zone.', type: 'histogram', values, aggregator: 'sum' };
    },
  } as never);
  if (ctx.getUpstreamCounters) {
    const upstreams = ctx.getUpstreamCounters;
    new Counter({
      name: 'coredns_forward_requests_total',
      help: 'Counter of requests made per upstream.',
      labelNames: ['to'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [to, u] of upstreams()) this.inc({ to }, u.requests);
      },
    });
    new Counter({
      name: 'coredns_forward_responses_total',
      help: 'Counter of responses received per upstream.',
      labelNames: ['to', 'rcode'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [to, u] of upstreams()) u.rcodes.forEach((n, code) => n > 0 && this.inc({ to, rcode: getRcodeName(code) }, n));
      },
    });
    new Counter({
      name: 'kube_dns_sim_forward_failures_total',
      help: 'Exchanges with an upstream that timed out or failed.',
      labelNames: ['to'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [to, u] of upstreams()) this.inc({ to }, u.failures);
      },
    });
  }
  for (const [name, help, read] of [
    ['kube_dns_sim_dropped_total', 'Messages dropped without a reply (not a query).', () => c.dropped],
    ['kube_dns_sim_truncated_total', 'UDP replies sent with TC set.', () => c.truncated],
    ['kube_dns_sim_internal_errors_total', 'Queries answered SERVFAIL because of an internal fault.', () => c.internalErrors],
  ] as const) {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }
  if (ctx.getManifestErrors) {
    const read = ctx.getManifestErrors;
    new Gauge({
      name: 'kube_dns_sim_manifest_errors',
      help: 'Errors in the watched manifest files now; each file with errors keeps its last good objects until fixed (0: every file applies).',
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  }
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** `GET /metrics` in Prometheus's text format. */
export function buildMetricsRoutes(ctx: MetricsContext): AdminRoute[] {
  const registry = buildMetricsRegistry(ctx);
  return [{ method: 'GET', path: '/metrics', handle: async () => ({ status: 200, body: await registry.metrics(), contentType: registry.contentType }) }];
}
