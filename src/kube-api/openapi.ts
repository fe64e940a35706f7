import { createHash } from 'node:crypto';
import { API_GROUPS, API_RESOURCES, toGroupVersionPath, type ApiResource } from './api-resources.js';
import { SERVED_KUBERNETES_VERSION } from './discovery.js';

/**
 * OpenAPI v3 documents: one per group version, listing each served path with its operations and
 * their `x-kubernetes-group-version-kind`, and each kind's schema name. What clients read there:
 * - kubectl `apply`/`create` look for the `fieldValidation` query parameter on a kind's PATCH
 *   operation; finding it, they leave validation to the server (fieldValidation=Strict), which runs
 *   the Kubernetes definitions the manifest validator uses (src/manifest/schema-check.ts).
 * - kubectl `apply` builds its strategic merge patch from the OpenAPI schema only when the PATCH
 *   operation lists `application/strategic-merge-patch+json`; the documents leave it out (the schemas
 *   here carry no fields), so kubectl uses its compiled-in Go types, whose patch keys are exact. The
 *   server accepts strategic merge patches all the same.
 */

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

const QUERY = (name: string, type = 'string') => ({ name, in: 'query', schema: { type, uniqueItems: true } });
const PATH = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', uniqueItems: true } });

/** `io.k8s.api.core.v1.Pod`: the definition name of a kind. */
export function toDefinitionName(r: Pick<ApiResource, 'group' | 'version' | 'kind'>): string {
  const pkg = r.group === '' ? 'core' : r.group.replace(/\.k8s\.io$/, '');
  return `io.k8s.api.${pkg}.${r.version}.${r.kind}`;
}

function gvk(r: ApiResource, kind = r.kind, group = r.group, version = r.version) {
  return { group, version, kind };
}

function buildPaths(r: ApiResource): Record<string, unknown> {
  const base = toGroupVersionPath(r.group, r.version);
  const ref = { $ref: `#/components/schemas/${toDefinitionName(r)}` };
  const body = (types: readonly string[]) => ({ content: Object.fromEntries(types.map((t) => [t, { schema: ref }])), required: true });
  const ok = { 200: { description: 'OK', content: { 'application/json': { schema: ref } } } };
  const op = (action: string, id: string, params: unknown[], extra: Record<string, unknown> = {}) => ({
    operationId: `${action}${id}`,
    parameters: params,
    responses: ok,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk(r),
    ...extra,
  });
  const id = `${r.group === '' ? 'Core' : r.group.split('.')[0][0].toUpperCase() + r.group.split('.')[0].slice(1)}${r.version[0].toUpperCase()}${r.version.slice(1)}${r.namespaced ? 'Namespaced' : ''}${r.kind}`;
  const write = [QUERY('dryRun'), QUERY('fieldManager'), QUERY('fieldValidation')];
  const ns = r.namespaced ? [PATH('namespace')] : [];
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}` : `${base}/${r.resource}`;
  const item = `${collection}/{name}`;
  const paths: Record<string, unknown> = {
    [collection]: {
      get: op('list', id, [...ns, QUERY('labelSelector'), QUERY('fieldSelector'), QUERY('limit', 'integer'), QUERY('resourceVersion'), QUERY('watch', 'boolean')]),
      ...(r.writable ? { post: op('post', id, [...ns, ...write], { requestBody: body(['*/*']) }) } : {}),
    },
    [item]: {
      get: op('get', id, [...ns, PATH('name')]),
      ...(r.writable
        ? {
            put: op('put', id, [...ns, PATH('name'), ...write], { requestBody: body(['*/*']) }),
            patch: op('patch', id, [...ns, PATH('name'), ...write, QUERY('force', 'boolean')], { requestBody: body(PATCH_TYPES) }),
          }
        : {}),
      delete: op('delete', id, [...ns, PATH('name'), QUERY('gracePeriodSeconds', 'integer'), QUERY('propagationPolicy')]),
    },
  };
  if (r.subresources.includes('scale')) {
    const scaleRef = { $ref: '#/components/schemas/io.k8s.api.autoscaling.v1.Scale' };
    paths[`${item}/scale`] = {
      get: { operationId: `read${id}Scale`, parameters: [...ns, PATH('name')], responses: { 200: { description: 'OK', content: { 'application/json': { schema: scaleRef } } } }, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk(r, 'Scale', 'autoscaling', 'v1') },
      patch: { operationId: `patch${id}Scale`, parameters: [...ns, PATH('name'), ...write], requestBody: { content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: scaleRef }])) }, responses: { 200: { description: 'OK' } }, 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk(r, 'Scale', 'autoscaling', 'v1') },
    };
  }
  return paths;
}

/** The OpenAPI v3 document of a group version (`api/v1`, `apis/apps/v1`); undefined when not served. */
export function buildOpenApiDocument(group: string, version: string): Record<string, unknown> | undefined {
  const rs = API_RESOURCES.filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  const schemas: Record<string, unknown> = {};
  let paths: Record<string, unknown> = {};
  for (const r of rs) {
    paths = { ...paths, ...buildPaths(r) };
    schemas[toDefinitionName(r)] = {
      type: 'object',
      description: `${r.kind}, validated by the server against the Kubernetes definitions (kube-dns-sim).`,
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': [gvk(r)],
    };
    if (r.subresources.includes('scale')) schemas['io.k8s.api.autoscaling.v1.Scale'] = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }] };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: SERVED_KUBERNETES_VERSION.gitVersion }, paths, components: { schemas } };
}

/** Every served group version's document path (`api/v1`, `apis/apps/v1`). */
export function listOpenApiGroupVersions(): { path: string; group: string; version: string }[] {
  return [{ path: 'api/v1', group: '', version: 'v1' }, ...API_GROUPS.map((g) => ({ path: `apis/${g.name}/${g.version}`, group: g.name, version: g.version }))];
}

/** `/openapi/v3`: where each group version's document is, with a content hash as the apiserver gives. */
export function buildOpenApiIndex(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const gv of listOpenApiGroupVersions()) {
    const hash = createHash('sha512').update(JSON.stringify(buildOpenApiDocument(gv.group, gv.version))).digest('hex').slice(0, 128).toUpperCase();
    paths[gv.path] = { serverRelativeURL: `/openapi/v3/${gv.path}?hash=${hash}` };
  }
  return { paths };
}
