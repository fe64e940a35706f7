/**
 * The Kubernetes API's URL grammar, parsed. Pure.
 * `/api`, `/api/v1`, `/apis`, `/apis/<g>`, `/apis/<g>/<v>`, then under a group version:
 * `<resource>[/<name>[/<sub>]]` and `namespaces/<ns>/<resource>[/<name>[/<sub>]]`.
 */

export type ApiPath =
  | { type: 'core-versions' }
  | { type: 'group-list' }
  | { type: 'group'; group: string }
  | { type: 'resource-list'; group: string; version: string }
  | { type: 'resource'; group: string; version: string; resource: string; namespace?: string; name?: string; subresource?: string };

/** The parsed path; undefined when it is not one of the API's forms. */
export function parseApiPath(path: string): ApiPath | undefined {
  const segs = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'core-versions' };
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { type: 'group-list' };
    if (segs.length === 2) return { type: 'group', group: segs[1] };
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else return undefined;
  if (rest.length === 0) return { type: 'resource-list', group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    if (rest.length > 5) return undefined;
    return { type: 'resource', group, version, namespace: rest[1], resource: rest[2], ...(rest[3] !== undefined ? { name: rest[3] } : {}), ...(rest[4] !== undefined ? { subresource: rest[4] } : {}) };
  }
  if (rest.length > 3) return undefined;
  return { type: 'resource', group, version, resource: rest[0], ...(rest[1] !== undefined ? { name: rest[1] } : {}), ...(rest[2] !== undefined ? { subresource: rest[2] } : {}) };
}
