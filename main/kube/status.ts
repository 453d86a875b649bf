// What the Cluster panel shows: is the chosen context's cluster reachable (and which version it
// runs), and which namespaces the user may pick. Failures are values that say which failure it was.
import { CoreV1Api, VersionApi } from '@kubernetes/client-node';
import type { ClusterStatus, NamespaceList } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { makeApiClient } from './apiClient';
import { describeClusterError } from './clusterErrors';
import type { LoadedKubeconfig } from './kubeconfig';

export { describeClusterError } from './clusterErrors';

/** A status check must come back quickly even when the server silently drops packets. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** GET /version through the context's client (default: the current context). */
export async function clusterStatus(
  kc: LoadedKubeconfig,
  context?: string,
  namespace?: string,
  opts: { timeoutMs?: number } = {},
): Promise<ClusterStatus> {
  const name = context ?? kc.currentContext;
  const info = kc.contexts.find((c) => c.name === name);
  const server = info?.server;
  const failed = (err: unknown): ClusterStatus => ({
    state: 'error',
    ...(name ? { context: name } : {}),
    ...(server ? { server } : {}),
    error: describeClusterError(err, server),
  });
  try {
    const version = await makeApiClient(kc.kubeConfig(name), VersionApi, { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS }).getCode();
    return {
      state: 'connected',
      context: name!,
      server: server!,
      version: typeof version.gitVersion === 'string' && version.gitVersion ? version.gitVersion : 'unknown version',
      namespace: namespace || info?.namespace || 'default',
    };
  } catch (err) {
    return failed(err);
  }
}

/** Sorted namespace names; when RBAC forbids listing them, the context's own namespace and canList false. */
export async function listNamespaces(kc: LoadedKubeconfig, context: string, opts: { timeoutMs?: number } = {}): Promise<NamespaceList> {
  const info = kc.contexts.find((c) => c.name === context);
  try {
    const list = await makeApiClient(kc.kubeConfig(context), CoreV1Api, { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS }).listNamespace();
    const names = (list.items ?? []).map((ns) => ns.metadata?.name).filter((n): n is string => typeof n === 'string' && n !== '');
    return { namespaces: names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), canList: true };
  } catch (err) {
    const error = describeClusterError(err, info?.server);
    if (error.code === 'CLUSTER_FORBIDDEN') return { namespaces: info?.namespace ? [info.namespace] : [], canList: false };
    throw new AppError(error.code, error.message, error.hint, { cause: err });
  }
}
