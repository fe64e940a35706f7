import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeReply, encodeQuery, udpExchange } from '../helpers/dns-client.js';
import { newLabDir, startLiveServer, writeFileAtomic } from '../helpers/live-server.js';

// Bounded: at most 4 loops × 1500 queries, at most 3 s, to loopback only; at most 40 manifest rewrites.
describe('reload under load', () => {
  it('a UDP query loop sees zero failed or wrong answers while the manifests change many times', async () => {
    const lab = newLabDir();
    const srv = await startLiveServer(lab.manifests, lab.statePath);
    try {
      const svcFile = join(lab.manifests, '01-myweb-svc.yaml');
      const original = readFileSync(svcFile, 'utf8');
      const ips = ['10.96.210.1', '10.96.210.2'];
      writeFileAtomic(svcFile, original.replace(/spec:\n/, `spec:\n  clusterIP: ${ips[0]}\n`));
      await new Promise((r) => setTimeout(r, 300));

      const deadline = Date.now() + 3000;
      let writes = 0;
      const writer = (async () => {
        while (Date.now() < deadline && writes < 40) {
          writes++;
          writeFileAtomic(svcFile, original.replace(/spec:\n/, `spec:\n  clusterIP: ${ips[writes % 2]}\n`));
          writeFileSync(join(lab.manifests, 'unrelated.yaml'), `apiVersion: v1\nkind: Service\nmetadata: {name: unrelated-${writes % 3}}\nspec:\n  ports: [{port: 80}]\n`);
          await new Promise((r) => setTimeout(r, 60));
        }
      })();
      const failures: string[] = [];
      const answers = new Map<string, number>();
      let sent = 0;
      const loop = async (id: number) => {
        for (let i = 0; i < 1500 && Date.now() < deadline; i++) {
          sent++;
          const query = encodeQuery('myweb-svc.default.svc.cluster.local', { id: (id << 12) | (i & 0xfff) });
          // A datagram lost on a busy 2-core machine is retried once, as every resolver does; a second
          // loss, or any wrong answer, is a failure.
          const reply = (await udpExchange(srv.port, query, 1000)) ?? (await udpExchange(srv.port, query, 2000));
          if (!reply) {
            failures.push('timeout');
            continue;
          }
          const p = decodeReply(reply);
          const a = (p.answers ?? []).filter((r) => r.type === 'A').map((r) => String(r.data));
          if (p.rcode !== 'NOERROR' || a.length !== 1 || !ips.includes(a[0])) failures.push(`${p.rcode} ${a.join(',')}`);
          else answers.set(a[0], (answers.get(a[0]) ?? 0) + 1);
        }
      };
      await Promise.all([writer, loop(1), loop(2), loop(3), loop(4)]);
      expect(failures).toEqual([]);
      expect(sent).toBeGreaterThan(100);
      expect(writes).toBeGreaterThan(10);
      // Both versions were served: the reloads really happened under load.
      expect([...answers.keys()].sort()).toEqual(ips);
    } finally {
      expect(await srv.stop()).toBe(0);
      lab.cleanup();
    }
  });
});
