// Changes go through the server's Kubernetes API, with its rules: JSON bodies, and the admin token when the server has one.

const TOKEN_KEY = 'kube-dns-sim-token';

/** The token dialog: resolves with the token typed, or undefined when cancelled. */
export function askToken() {
  const dialog = document.getElementById('token-dialog');
  const input = document.getElementById('token-input');
  input.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
  return new Promise((resolve) => {
    const done = (value) => {
      dialog.close();
      document.getElementById('token-ok').onclick = null;
      document.getElementById('token-cancel').onclick = null;
      if (value !== undefined) sessionStorage.setItem(TOKEN_KEY, value);
      resolve(value);
    };
    document.getElementById('token-ok').onclick = (e) => {
      e.preventDefault();
      done(input.value.trim());
    };
    document.getElementById('token-cancel').onclick = () => done(undefined);
    dialog.showModal();
    input.focus();
  });
}

/** One request; a 401 asks for the token and tries once more. Resolves with { ok, status, message }. */
export async function request(method, path, body, contentType = 'application/json') {
  for (let attempt = 0; ; attempt++) {
    const headers = { accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.status === 401 && attempt === 0 && (await askToken()) !== undefined) continue;
    return { ok: res.ok, status: res.status, message: json?.message ?? json?.error ?? `${res.status} ${res.statusText}`, body: json };
  }
}

const WORKLOAD_PATH = { StatefulSet: 'statefulsets', ReplicaSet: 'replicasets', Deployment: 'deployments' };

/** `kubectl delete pod NAME`. */
export const deletePod = (ns, name) => request('DELETE', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`);

/** `kubectl scale KIND NAME --replicas N`: a merge patch of the scale subresource. */
export const scaleWorkload = (ns, kind, name, replicas) =>
  request('PATCH', `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/${WORKLOAD_PATH[kind]}/${encodeURIComponent(name)}/scale`, { spec: { replicas } }, 'application/merge-patch+json');

/** `kube-dns-sim readiness pod NAME true|false|probe` (ready null: follow the probe). */
export const setReadiness = (ns, name, ready) => request('PUT', `/sim/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/readiness`, { ready });
