// Synthetic clusters for `npm run bench`, written as ordinary manifests (one file per namespace).
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The benchmark's cluster sizes. `shape` per namespace: `headless` StatefulSets of `replicas` pods,
 * each behind its headless Service (named port, SRV), and `clusterIP` Services without endpoints.
 */
export const CLUSTERS = [
  { name: 'seed-lab', seed: true, podCidr: '10.244.0.0/16' },
  { name: '1k-services', namespaces: 10, headless: 10, replicas: 10, clusterIP: 90, podCidr: '10.244.0.0/16' },
  { name: '10k-services-100k-pods', namespaces: 100, headless: 10, replicas: 100, clusterIP: 90, podCidr: '10.128.0.0/10' },
];

/** Writes the manifests of `cluster` under `dir` (emptied first); returns the directory. */
export function writeCluster(cluster, dir, repoRoot) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (cluster.seed) {
    cpSync(join(repoRoot, 'manifests'), dir, { recursive: true });
    return dir;
  }
  for (let n = 0; n < cluster.namespaces; n++) {
    const ns = `team-${n}`;
    const docs = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`];
    for (let h = 0; h < cluster.headless; h++) {
      docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: db-${h}\n  namespace: ${ns}\nspec:\n  clusterIP: None\n  selector:\n    app: db-${h}\n  ports:\n    - name: pg\n      port: 5432\n`);
      docs.push(`apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db-${h}\n  namespace: ${ns}\nspec:\n  replicas: ${cluster.replicas}\n  serviceName: db-${h}\n  selector:\n    matchLabels:\n      app: db-${h}\n  template:\n    metadata:\n      labels:\n        app: db-${h}\n    spec:\n      containers:\n        - name: pg\n          image: postgres\n          ports:\n            - containerPort: 5432\n`);
    }
    for (let c = 0; c < cluster.clusterIP; c++) {
      docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: api-${c}\n  namespace: ${ns}\nspec:\n  selector:\n    app: api-${c}\n  ports:\n    - name: http\n      port: 80\n`);
    }
    writeFileSync(join(dir, `${ns}.yaml`), docs.join('---\n'));
  }
  return dir;
}
