import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newLabDir, startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { stsYaml } from '../helpers/live.js';
import { findStateProblem, readStateFile } from '../../src/runtime/state-file.js';

/** What the admin API acknowledged about the StatefulSet `web` (namespace default). */
interface Model {
  replicas: number;
  /** Pod → the IP it must still have. */
  ips: Map<string, string>;
  /** Pod deleted after its IP was seen: its replacement must not have that IP. */
  replacedIps: Map<string, string>;
  /** Pod → Ready condition it must show. */
  ready: Map<string, boolean>;
}

type Op = { kind: 'scale'; replicas: number } | { kind: 'delete'; pod: string } | { kind: 'readiness'; pod: string; ready: boolean | null };

interface ObservedPod {
  name: string;
  ip: string;
  ready: boolean;
}

const ROUNDS = 20;
const ordinal = (pod: string) => Number(pod.slice('web-'.length));

function applyOp(m: Model, op: Op | undefined): Model {
  const next: Model = { replicas: m.replicas, ips: new Map(m.ips), replacedIps: new Map(m.replacedIps), ready: new Map(m.ready) };
  if (!op) return next;
  if (op.kind === 'scale') {
    next.replicas = op.replicas;
    for (const map of [next.ips, next.replacedIps, next.ready]) for (const pod of [...map.keys()]) if (ordinal(pod) >= op.replicas) map.delete(pod);
  } else if (op.kind === 'delete') {
    const ip = next.ips.get(op.pod);
    if (ip) next.replacedIps.set(op.pod, ip);
    next.ips.delete(op.pod);
    next.ready.set(op.pod, true); // the replacement starts fresh and, with no start-up delay, is ready at once
  } else next.ready.set(op.pod, op.ready !== false);
  return next;
}

function fromObserved(pods: ObservedPod[]): Model {
  return { replicas: pods.length, ips: new Map(pods.map((p) => [p.name, p.ip])), replacedIps: new Map(), ready: new Map(pods.map((p) => [p.name, p.ready])) };
}

/** Every way the observed pods break what was acknowledged; empty when they keep it. */
function findViolations(m: Model, pods: ObservedPod[]): string[] {
  const out: string[] = [];
  const byName = new Map(pods.map((p) => [p.name, p]));
  const want = Array.from({ length: m.replicas }, (_, i) => `web-${i}`);
  if (pods.length !== m.replicas || want.some((n) => !byName.has(n))) out.push(`pods ${[...byName.keys()].sort().join(',')} but ${m.replicas} replicas were acknowledged`);
  for (const [pod, ip] of m.ips) if (byName.get(pod)?.ip !== ip) out.push(`${pod} has ${byName.get(pod)?.ip} instead of its acknowledged ${ip}`);
  for (const [pod, ip] of m.replacedIps) if (byName.get(pod)?.ip === ip) out.push(`${pod} still has ${ip}: its acknowledged deletion was lost`);
  for (const [pod, ready] of m.ready) if (byName.has(pod) && byName.get(pod)!.ready !== ready) out.push(`${pod} ready=${byName.get(pod)!.ready}, acknowledged ${ready}`);
  return out;
}

async function getPods(srv: LiveServer): Promise<ObservedPod[]> {
  const res = await fetch(`${srv.adminUrl}/api/v1/namespaces/default/pods`);
  const list = (await res.json()) as { items: { metadata: { name: string; deletionTimestamp?: string }; status: { podIP?: string; conditions: { type: string; status: string }[] } }[] };
  return list.items
    .filter((p) => p.metadata.name.startsWith('web-') && !p.metadata.deletionTimestamp)
    .map((p) => ({ name: p.metadata.name, ip: p.status.podIP ?? '', ready: p.status.conditions.find((c) => c.type === 'Ready')?.status === 'True' }));
}

async function send(srv: LiveServer, op: Op): Promise<number> {
  const base = `${srv.adminUrl}`;
  const req =
    op.kind === 'scale'
      ? { url: `${base}/apis/apps/v1/namespaces/default/statefulsets/web/scale`, method: 'PATCH', body: JSON.stringify({ spec: { replicas: op.replicas } }) }
      : op.kind === 'delete'
        ? { url: `${base}/api/v1/namespaces/default/pods/${op.pod}`, method: 'DELETE', body: undefined }
        : { url: `${base}/sim/v1/namespaces/default/pods/${op.pod}/readiness`, method: 'PUT', body: JSON.stringify({ ready: op.ready }) };
  const res = await fetch(req.url, { method: req.method, body: req.body });
  await res.text();
  return res.status;
}

/** A small seeded generator: a failing round can be replayed from the seed in the test name. */
function newRandom(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

// STATE_CRASH_SEED=<n> replays a failed run.
const SEED = Number(process.env.STATE_CRASH_SEED ?? Date.now() % 100_000);

describe('state file: kill -9 while it is being written', () => {
  const lab = newLabDir({ 'web.yaml': stsYaml({ replicas: 3, claims: false, policy: 'Parallel' }) });
  afterAll(() => lab.cleanup());

  it(`${ROUNDS} rounds of changes cut short by SIGKILL lose no acknowledged change (seed ${SEED})`, async () => {
    const random = newRandom(SEED);
    let model: Model | undefined;
    let pending: Op | undefined;
    let acknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const srv = await startLiveServer(lab.manifests, lab.statePath);
      try {
        expect(srv.stdout(), `round ${round}: the state file was unusable`).not.toMatch(/unusable/);
        const pods = await getPods(srv);
        if (model) {
          const asAcknowledged = findViolations(model, pods);
          // The change in flight at the kill may or may not have been written; either is fine.
          const withPending = pending ? findViolations(applyOp(model, pending), pods) : asAcknowledged;
          expect(asAcknowledged.length === 0 || withPending.length === 0, `round ${round}: ${asAcknowledged.join('; ')}`).toBe(true);
        }
        model = fromObserved(pods);
        pending = undefined;
        let killed = false;
        const killAt = setTimeout(() => {
          killed = true;
          process.kill(srv.child.pid!, 'SIGKILL');
        }, random(150));
        try {
          while (!killed) {
            const pick = random(10);
            const pod = `web-${random(Math.max(1, model.replicas))}`;
            const op: Op = pick < 4 ? { kind: 'scale', replicas: 1 + random(5) } : pick < 7 ? { kind: 'delete', pod } : { kind: 'readiness', pod, ready: random(2) === 0 ? false : null };
            pending = op;
            const status = await send(srv, op);
            if (status === 200) {
              model = applyOp(model, op);
              acknowledged++;
            }
            pending = undefined;
            if (random(3) === 0) {
              const seen = await getPods(srv);
              expect(findViolations(model, seen)).toEqual([]);
              model = fromObserved(seen);
            }
          }
        } catch {
          // The kill cut a request short; `pending` may or may not have reached the disk.
        } finally {
          clearTimeout(killAt);
        }
      } finally {
        if (srv.child.exitCode === null && srv.child.signalCode === null) process.kill(srv.child.pid!, 'SIGKILL');
        await new Promise((r) => (srv.child.exitCode !== null || srv.child.signalCode !== null ? r(null) : srv.child.once('exit', r)));
      }
    }
    expect(acknowledged).toBeGreaterThan(ROUNDS);
    const saved = await readStateFile(lab.statePath);
    expect(saved.kind).toBe('loaded');
    if (saved.kind === 'loaded') expect(findStateProblem(saved.state)).toBeUndefined();
    // Nothing set aside as corrupt, and the killed writers' temporary files are cleaned up at start.
    const leftovers = readdirSync(dirname(lab.statePath)).filter((f) => f !== 'state.json' && f !== 'state.json.d');
    expect(leftovers.length).toBeLessThanOrEqual(1);
    expect(leftovers.filter((f) => f.includes('corrupt'))).toEqual([]);
    expect(existsSync(lab.statePath)).toBe(true);
  }, 60_000);
});
