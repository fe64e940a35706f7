import { createHash } from 'node:crypto';
import { API_GROUPS, API_RESOURCES, toApiVersion, type ApiResource } from './api-resources.js';

/**
 * The Kubernetes API's discovery documents (the legacy, unaggregated format: clients that ask for
 * aggregated discovery fall back to it when the answer is plain `application/json`). Pure.
 */

/** The Kubernetes release whose API the simulator serves (kubectl warns past one minor of skew). */
export const SERVED_KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0+kube-dns-sim' } as const;

/** `/version`: the apiserver's version.Info, plus the simulator's own name and the SOA serial. */
export function buildVersionInfo(serial: number, packageVersion: string): Record<string, unknown> {
  return {
    ...SERVED_KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'kube-dns-sim',
    platform: `${process.platform}/${process.arch}`,
    name: 'kube-dns-sim',
    version: packageVersion,
    serial,
  };
}

/** `/api`: the core group's versions. */
export function buildCoreVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function toGroup(g: { name: string; version: string }): Record<string, unknown> {
  const gv = { groupVersion: `${g.name}/${g.version}`, version: g.version };
  return { name: g.name, versions: [gv], preferredVersion: gv };
}

/** `/apis`: every named group. */
export function buildGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: API_GROUPS.map(toGroup) };
}

/** `/apis/<group>`: one group; undefined when not served. */
export function buildGroup(name: string): Record<string, unknown> | undefined {
  const g = API_GROUPS.find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...toGroup(g) } : undefined;
}

/** A hash like the apiserver's storageVersionHash: stable per group/version/kind. */
function storageVersionHash(r: ApiResource): string {
  return createHash('sha256').update(`${toApiVersion(r)}/${r.kind}`).digest('base64').slice(0, 11);
}

/** `/api/v1`, `/apis/<group>/<version>`: the resources (and subresources) of a group version; undefined when not served. */
export function buildResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const rs = API_RESOURCES.filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of rs) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs],
      ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
      ...(r.categories.length ? { categories: [...r.categories] } : {}),
      storageVersionHash: storageVersionHash(r),
    });
    for (const sub of r.subresources) {
      resources.push(sub === 'scale'
        ? { name: `${r.resource}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }
        : { name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
