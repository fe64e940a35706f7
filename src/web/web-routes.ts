import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AdminResponse, AdminRoute } from '../admin/admin-server.js';
import type { KubeApi } from '../kube-api/kube-api.js';
import { serveClusterStream, BATCH_MS } from './cluster-stream.js';
import { serveQueryStream, type QueryRing } from './query-stream.js';
import { SSE_HEADERS } from './sse-stream.js';

/** What the web view reads of the running server. */
export interface WebContext {
  kubeApi: KubeApi;
  clusterDomain: string;
  /** The query stream (absent: the page shows none). */
  queries?: QueryRing;
}

/** The page's files (copied next to this module by `npm run build`), by the path they are served at. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/web/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/web/cluster-view.js': { file: 'cluster-view.js', type: 'text/javascript; charset=utf-8' },
  '/web/dns-names.js': { file: 'dns-names.js', type: 'text/javascript; charset=utf-8' },
  '/web/dom.js': { file: 'dom.js', type: 'text/javascript; charset=utf-8' },
  '/web/resolve-box.js': { file: 'resolve-box.js', type: 'text/javascript; charset=utf-8' },
  '/web/query-list.js': { file: 'query-list.js', type: 'text/javascript; charset=utf-8' },
  '/web/api-client.js': { file: 'api-client.js', type: 'text/javascript; charset=utf-8' },
  '/web/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

const CLIENT_DIR = new URL('./client/', import.meta.url);

/**
 * Every response of the page: its own scripts and styles only (nothing from the internet, no
 * inline script), never framed (its buttons change the cluster), never sniffed.
 */
const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The page at `/`, its assets under `/web/`, and its two event streams under `/web/v1/`. */
export function buildWebRoutes(ctx: WebContext): AdminRoute[] {
  const cache = new Map<string, Buffer>();
  const asset = (path: string): AdminResponse => {
    const a = ASSETS[path];
    let body = cache.get(path);
    if (!body) {
      try {
        body = readFileSync(fileURLToPath(new URL(a.file, CLIENT_DIR)));
      } catch {
        return { status: 500, body: JSON.stringify({ error: `the web view's ${a.file} is missing from ${fileURLToPath(CLIENT_DIR)}: run npm run build` }) };
      }
      cache.set(path, body);
    }
    return { status: 200, body, contentType: a.type, headers: PAGE_HEADERS };
  };
  return [
    ...Object.keys(ASSETS).map((path): AdminRoute => ({ method: 'GET', path, handle: () => asset(path) })),
    // Browsers ask for it whatever the page says; no icon, no 404 in the console.
    { method: 'GET', path: '/favicon.ico', handle: () => ({ status: 204, body: '' }) },
    {
      method: 'GET',
      path: '/web/v1/cluster',
      handle: async (req) => {
        const namespace = req.query.get('namespace') || 'default';
        const store = await ctx.kubeApi.whenStoreReady();
        return { status: 200, body: '', contentType: 'text/event-stream; charset=utf-8', headers: SSE_HEADERS, stream: (res) => serveClusterStream(store, namespace, ctx.clusterDomain, res) };
      },
    },
    {
      method: 'GET',
      path: '/web/v1/queries',
      handle: () => {
        const ring = ctx.queries;
        if (!ring) return { status: 404, body: JSON.stringify({ error: 'this server keeps no query stream' }) };
        return { status: 200, body: '', contentType: 'text/event-stream; charset=utf-8', headers: SSE_HEADERS, stream: (res) => serveQueryStream(ring, res, BATCH_MS) };
      },
    },
  ];
}
