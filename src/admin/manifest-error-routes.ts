import type { AdminRoute } from './admin-server.js';
import type { BrokenFile } from '../manifest/broken-file.js';

/**
 * `GET /sim/v1/manifest-errors`: the watched files whose current text has errors, each with its
 * findings and the objects it keeps serving from its last good version (`kept`), those another file
 * now defines (`shadowed`); `{"items":[]}` when every file applies. Cleared as soon as a file is fixed.
 */
export function buildManifestErrorRoutes(getBrokenFiles: () => readonly BrokenFile[]): AdminRoute[] {
  return [{ method: 'GET', path: '/sim/v1/manifest-errors', handle: () => ({ status: 200, body: JSON.stringify({ items: getBrokenFiles() }) }) }];
}
