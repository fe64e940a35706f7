import http from 'node:http';
import https from 'node:https';
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** What a route handler returns; handlers are pure functions of the request. */
export interface AdminResponse {
  status: number;
  body: string | Buffer;
  contentType?: string;
  /** More response headers (the Kubernetes API's `Warning`). */
  headers?: Record<string, string | string[]>;
  /**
   * A streamed response (a watch): called after the head is written instead of sending `body`;
   * it owns the response until it ends it. `req` ends (`close`) when the client goes.
   */
  stream?: (res: http.ServerResponse, req: http.IncomingMessage) => void;
}

export interface AdminRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** The request body (bounded by maxBodyBytes). */
  body: Buffer;
  /** Host and port the request was sent to (for discovery's serverAddress). */
  host?: string;
  /** Captures of the route's path pattern. */
  params: string[];
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Exact path, or a pattern whose groups become `params`. */
  path: string | RegExp;
  handle(req: AdminRequest): AdminResponse | Promise<AdminResponse>;
}

export interface AdminServerOptions {
  maxBodyBytes: number;
  /** When set, every mutating request (not GET/HEAD) must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** PEM certificate and key: serve HTTPS (kubectl sends a bearer token only over TLS). */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export const DEFAULT_ADMIN_OPTIONS: AdminServerOptions = { maxBodyBytes: 1 << 20 };

/** The environment variable that may carry the admin token instead of --admin-token (keeps it out of `ps`). */
export const ADMIN_TOKEN_ENV = 'KUBE_DNS_SIM_ADMIN_TOKEN';

/** Whether an admin bind address only accepts local clients. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * Checks the admin exposure rule: a non-loopback bind needs a token. Returns an error message, or
 * undefined when the configuration is acceptable.
 */
export function checkAdminExposure(host: string, token: string | undefined): string | undefined {
  if (isLoopbackHost(host) || (token && token.length >= 16)) return undefined;
  return token
    ? `--admin-token must be at least 16 characters to expose the admin API on ${host}`
    : `the admin API on ${host} would be reachable from other machines without a token`;
}

/** Constant-time comparison of a bearer token. */
function hasToken(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `--admin HOST:PORT` or `off`; throws Error with a hint when malformed. */
export function parseAdminAddress(text: string): { host: string; port: number } | undefined {
  if (text === 'off' || text === 'none' || text === 'false') return undefined;
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!m || Number(m[2]) > 65535) throw new Error(`--admin "${text}" is not HOST:PORT or "off"`);
  return { host: m[1], port: Number(m[2]) };
}

/**
 * The admin HTTP server: a small router over pure handlers. Unknown paths → 404, wrong method → 405,
 * oversized bodies → 413; a throwing handler → 500 with a one-line message, never a stack trace.
 */
export class AdminServer {
  private server: http.Server | undefined;
  private readonly routes: AdminRoute[] = [];

  constructor(private readonly options: AdminServerOptions = DEFAULT_ADMIN_OPTIONS) {}

  addRoutes(routes: readonly AdminRoute[]): this {
    this.routes.push(...routes);
    return this;
  }

  listen(host: string, port: number): Promise<number> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.dispatch(req, res);
    const tls = this.options.tls;
    const server: http.Server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        // A later fault (an accept error such as EMFILE) must not take the process, and DNS, down.
        server.on('error', () => {});
        resolve((server.address() as import('node:net').AddressInfo).port);
      });
    });
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (r: AdminResponse) => {
      res.writeHead(r.status, { 'content-type': r.contentType ?? 'application/json; charset=utf-8', ...r.headers });
      if (r.stream) r.stream(res, req);
      else res.end(r.body);
    };
    try {
      const refusal = checkBrowserOrigin(req);
      if (refusal) return send(failure(403, 'Forbidden', refusal));
      const url = new URL(req.url ?? '/', 'http://admin.invalid');
      let pathMatched = false;
      for (const route of this.routes) {
        const params = matchPath(route.path, url.pathname);
        if (!params) continue;
        pathMatched = true;
        if (route.method !== req.method) continue;
        if (this.options.token && route.method !== 'GET' && !hasToken(req.headers.authorization, this.options.token)) {
          return send(failure(401, 'Unauthorized', `this request changes the cluster: send "Authorization: Bearer <admin token>"${this.options.tls ? ' (kubectl: --token)' : ' (kubectl sends a token only over https: serve with --admin-tls-cert and --admin-tls-key, then kubectl --server https://... --token)'}`));
        }
        const body = await readBody(req, this.options.maxBodyBytes);
        if (body === 'too-large') return send(failure(413, 'RequestEntityTooLarge', 'request body too large', { limitBytes: this.options.maxBodyBytes }));
        return send(await route.handle({ method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body, params, host: req.headers.host }));
      }
      send(pathMatched ? failure(405, 'MethodNotAllowed', 'method not allowed') : failure(404, 'NotFound', `no route ${url.pathname}`));
    } catch (err) {
      send(failure(500, 'InternalError', err instanceof Error ? err.message : String(err)));
    }
  }

  close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    return new Promise((resolve) => {
      if (!s) return resolve();
      s.closeAllConnections?.();
      s.close(() => resolve());
    });
  }
}

/**
 * Keeps web pages out: a Host that is not an address or localhost means DNS rebinding, and a body
 * that is not JSON is what a page can send cross-origin without a preflight. Returns why, or undefined.
 */
export function checkBrowserOrigin(req: Pick<http.IncomingMessage, 'headers' | 'method'>): string | undefined {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host !== '' && host !== 'localhost' && !isIP(host)) return `Host "${host}" is not an address of this server (DNS rebinding?): use http://127.0.0.1:PORT`;
  const type = req.headers['content-type'] ?? '';
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD' && hasBody && !CHANGE_CONTENT_TYPES.test(type)) return 'a request that changes the cluster must send "content-type: application/json" (or a Kubernetes patch type)';
  return undefined;
}

/** An error both as the Kubernetes API's `Status` (what kubectl reads) and with `error` (what the admin API always said). */
function failure(code: number, reason: string, message: string, extra: Record<string, unknown> = {}): AdminResponse {
  return { status: code, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, error: message, ...extra }) };
}

/** Content types a change may carry: JSON and the Kubernetes API's patch types (none of them can be sent cross-origin without a preflight). */
const CHANGE_CONTENT_TYPES = /^application\/(json|merge-patch\+json|strategic-merge-patch\+json|json-patch\+json|apply-patch\+yaml|yaml|vnd\.kubernetes\.protobuf)\b/;

function matchPath(pattern: string | RegExp, path: string): string[] | undefined {
  if (typeof pattern === 'string') return pattern === path ? [] : undefined;
  const m = pattern.exec(path);
  return m ? m.slice(1).map((x) => decodeURIComponent(x ?? '')) : undefined;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
      } else if (!over) chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
