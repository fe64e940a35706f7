import { newKubeConnection, type KubeConnection } from './kube-connection.js';

/** A kubeconfig that cannot be used: missing, malformed, or without the asked context. */
export class KubeconfigError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/**
 * `--kubeconfig PATH [--context NAME]` (CoreDNS's `kubeconfig KUBECONFIG [CONTEXT]`): the server of
 * the context (the file's current-context without NAME) and its credentials, as kubectl reads them:
 * client certificates, tokens and token files, basic auth, exec plugins, proxy-url, CA data or
 * file, insecure-skip-tls-verify, tls-server-name. @kubernetes/client-node's KubeConfig parses the
 * file and writes the credentials into each request; it is imported here only, so `serve -f` does
 * not load it.
 */
export async function loadKubeconfigConnection(path: string, context: string | undefined): Promise<KubeConnection> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new KubeconfigError(
      e.code === 'ENOENT' ? `--kubeconfig ${path}: no such file` : `--kubeconfig ${path} cannot be read: ${e.message.split('\n')[0]}`,
      e.code === 'ENOENT' ? 'name a kubeconfig file, e.g. --kubeconfig ~/.kube/config (kind and kwokctl write their contexts there)' : 'check it with kubectl --kubeconfig PATH config view',
    );
  }
  const names = kc.getContexts().map((c) => c.name);
  const name = context ?? kc.getCurrentContext();
  if (!name) throw new KubeconfigError(`--kubeconfig ${path} has no current-context`, `name one with --context (contexts: ${names.join(', ') || 'none'})`);
  if (!kc.getContextObject(name)) throw new KubeconfigError(`--kubeconfig ${path} has no context "${name}"`, `contexts in the file: ${names.join(', ') || 'none'}`);
  kc.setCurrentContext(name);
  const cluster = kc.getCurrentCluster();
  if (!cluster || !cluster.server) throw new KubeconfigError(`context "${name}" of ${path} names no cluster with a server`, 'check it with kubectl config view --minify --context NAME');
  if (!/^https?:\/\//.test(cluster.server)) throw new KubeconfigError(`context "${name}": server "${cluster.server}" is not an http:// or https:// URL`, 'fix clusters[].cluster.server in the kubeconfig');
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    // client-node refuses a plain-http server unless insecure-skip-tls-verify is set, although there
    // is no TLS to verify; kubectl accepts it, so this does too.
    kc.loadFromOptions({
      clusters: kc.getClusters().map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
      contexts: kc.getContexts(),
      users: kc.getUsers(),
      currentContext: name,
    });
  }
  return newKubeConnection(cluster.server, `kubeconfig ${path} context ${name}`, (opts) => kc.applyToHTTPSOptions(opts));
}
