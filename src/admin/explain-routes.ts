import type { AdminRoute } from './admin-server.js';
import type { ClusterSnapshot } from '../runtime/cluster-snapshot.js';
import { explainName } from '../dns/explain/explain-name.js';
import { getTypeCodeByName } from '../dns/wire/code-names.js';

/** `GET /explain?name=N&type=T&namespace=NS`: the ExplainReport for the running cluster (what `explain --server` prints). */
export function buildExplainRoutes(getSnapshot: () => ClusterSnapshot): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/explain',
      handle: (req) => {
        const name = req.query.get('name') ?? '';
        const type = req.query.get('type') ?? 'A';
        const namespace = req.query.get('namespace') ?? 'default';
        const code = getTypeCodeByName(type);
        if (!name || code === undefined) return { status: 400, body: JSON.stringify({ error: !name ? 'name is required' : `unknown type ${type}` }) };
        const s = getSnapshot();
        return { status: 200, body: JSON.stringify(explainName(s.index, s.cluster.state, name, code, namespace, undefined, s.manifests.brokenFiles)) };
      },
    },
  ];
}
