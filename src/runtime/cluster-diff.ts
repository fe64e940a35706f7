import type { ClusterState, PersistentVolumeClaim, Pod, Service } from '../cluster/types.js';

/**
 * What changed between two cluster states, one short line each, in kubectl's nouns:
 * `pod default/web-1 deleted`, `pod default/web-1 created: 10.244.3.4 (Pending)`, `service default/api: 10.96.12.7`.
 */
export function diffClusterStates(before: ClusterState, after: ClusterState): string[] {
  const lines: string[] = [];
  // A pod whose address changed is a new pod under the same name (a StatefulSet's replacement).
  const replaced = (a: Pod, b: Pod) => a.ips.join(',') !== b.ips.join(',');
  diffByKey(before.pods, after.pods, (p) => `pod ${key(p)}`, describePod, lines, (a, b) => {
    if (replaced(a, b)) return `deleted\npod ${key(b)} created: ${describePod(b)}`;
    if (a.terminating !== b.terminating) return b.terminating ? 'terminating' : 'no longer terminating';
    if (a.phase !== b.phase || a.ready !== b.ready) return `${b.phase}${b.ready ? ', ready' : ', not ready'}`;
    return undefined;
  });
  diffByKey(before.services, after.services, (s) => `service ${key(s)}`, describeService, lines, (a, b) => (describeService(a) !== describeService(b) ? describeService(b) : undefined), ': ');
  diffByKey(before.persistentVolumeClaims, after.persistentVolumeClaims, (c) => `persistentvolumeclaim ${key(c)}`, describeClaim, lines, () => undefined);
  return lines;
}

const key = (o: { namespace: string; name: string }) => `${o.namespace}/${o.name}`;

function describePod(p: Pod): string {
  return `${p.ips.join(',') || '<no ip>'} (${p.terminating ? 'Terminating' : p.phase}${p.ready ? ', ready' : ''})`;
}

function describeService(s: Service): string {
  return s.type === 'ExternalName' ? `ExternalName ${s.externalName}` : s.headless ? 'headless' : s.clusterIPs.join(',');
}

function describeClaim(c: PersistentVolumeClaim): string {
  return `${c.phase} ${c.volumeName}`;
}

function diffByKey<T extends { namespace: string; name: string }>(
  before: readonly T[],
  after: readonly T[],
  label: (o: T) => string,
  describe: (o: T) => string,
  out: string[],
  change: (a: T, b: T) => string | undefined,
  changeSep = ' ',
): void {
  const old = new Map(before.map((o) => [key(o), o]));
  const now = new Map(after.map((o) => [key(o), o]));
  for (const [k, o] of old) if (!now.has(k)) out.push(`${label(o)} deleted`);
  for (const [k, o] of now) {
    const prev = old.get(k);
    if (!prev) out.push(`${label(o)} created: ${describe(o)}`);
    else {
      const c = change(prev, o);
      if (c) out.push(...`${label(o)}${changeSep}${c}`.split('\n'));
    }
  }
}
