import http from 'node:http';
import https from 'node:https';

/** How to reach one Kubernetes API server: its URL and a GET that carries the credentials. */
export interface KubeConnection {
  /** The server's URL as configured (for logs), without a trailing slash. */
  readonly server: string;
  /** Where the connection came from, for logs: `--endpoint`, or `kubeconfig PATH context NAME`. */
  readonly source: string;
  /**
   * Starts `GET <server><pathAndQuery>` and resolves with the response, whatever its status;
   * rejects when no response comes (refused, reset, TLS, timeout). `abort` ends it at any time.
   */
  get(pathAndQuery: string, abort: AbortSignal, idleTimeoutMs: number): Promise<http.IncomingMessage>;
}

/** Request options the credentials are written into (headers, TLS material, an agent). */
export type RequestOptions = https.RequestOptions;

/** The environment variable that may carry `--token` (keeps it out of `ps`). */
export const KUBE_TOKEN_ENV = 'KUBE_DNS_SIM_KUBE_TOKEN';

/**
 * A connection whose credentials `applyCredentials` writes into each request's options (called per
 * request: a kubeconfig's exec plugin or token file may hand out a new token at any time).
 */
export function newKubeConnection(server: string, source: string, applyCredentials: (opts: RequestOptions) => Promise<void>): KubeConnection {
  const base = server.replace(/\/+$/, '');
  const isHttps = base.startsWith('https:');
  return {
    server: base,
    source,
    async get(pathAndQuery, abort, idleTimeoutMs) {
      const opts: RequestOptions = { headers: {} };
      await applyCredentials(opts);
      return new Promise((resolve, reject) => {
        // The server's URL may have a path (a proxy in front of the API): append, do not resolve.
        const url = new URL(base + pathAndQuery);
        const req = (isHttps ? https : http).request(url, {
          ...opts,
          method: 'GET',
          headers: { ...opts.headers, accept: 'application/json', 'user-agent': 'kube-dns-sim' },
          signal: abort,
        });
        req.setTimeout(idleTimeoutMs, () => req.destroy(new Error(`no data for ${Math.round(idleTimeoutMs / 1000)} s`)));
        req.once('response', resolve);
        req.once('error', reject);
        req.end();
      });
    },
  };
}

/**
 * `--endpoint URL` (CoreDNS's `endpoint`): http or https, with a bearer token when given. An https
 * server is checked against the system's CAs (and NODE_EXTRA_CA_CERTS); anything more (client
 * certificates, a private CA, exec plugins) is what `--kubeconfig` is for.
 */
export function newEndpointConnection(endpoint: string, token: string | undefined): KubeConnection {
  const agent = endpoint.startsWith('https:') ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  return newKubeConnection(endpoint, '--endpoint', async (opts) => {
    opts.agent = agent;
    if (token) opts.headers = { ...opts.headers, authorization: `Bearer ${token}` };
  });
}

/** Checks an `--endpoint` value; returns why it is unusable, or undefined. */
export function checkEndpointUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--endpoint "${text}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `--endpoint "${text}" is not an http:// or https:// URL`;
  if (url.search || url.hash) return `--endpoint "${text}" has a query or fragment`;
  return undefined;
}
