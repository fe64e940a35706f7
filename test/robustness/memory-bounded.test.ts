import { describe, expect, it } from 'vitest';
import { QueryHandler } from '../../src/dns/server/query-handler.js';
import { encodeQuery } from '../helpers/dns-client.js';
import { snapshotFromYaml } from '../helpers/cluster.js';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n';

// A bounded flood of distinct random names and random types must not grow any per-name state.
describe('memory under a flood of distinct names', () => {
  it('runs with an exposed garbage collector', () => {
    expect(typeof global.gc).toBe('function');
  });

  it('the heap does not grow with the number of distinct names asked', () => {
    const handler = new QueryHandler(snapshotFromYaml({ 's.yaml': SVC }).index);
    const flood = (n: number, salt: string) => {
      for (let i = 0; i < n; i++) {
        const r = i % 4;
        const name = r === 0 ? `r${salt}${i}.default.svc.cluster.local` : r === 1 ? `r${salt}${i}.example.com` : r === 2 ? `10-244-${i % 250}-${i % 199}.default.pod.cluster.local` : 'web.default.svc.cluster.local';
        const q = encodeQuery(name, { id: i & 0xffff });
        // Existing name, random QTYPE (skipping AXFR/IXFR/OPT): must not grow a per-type cache.
        if (r === 3) q.writeUInt16BE(1000 + (i % 60_000), q.length - 4);
        handler.answer(q, 'udp');
      }
    };
    flood(20_000, 'warm');
    global.gc?.();
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = used();
    flood(100_000, 'x');
    global.gc?.();
    const after = used();
    // A per-name or per-type cache would keep ≥ 25k entries (several MB); allow GC noise well below that.
    expect(after - before).toBeLessThan(1024 * 1024);
    expect(handler.counters.queries).toBe(120_000);
  });
});
