// Tells every window when the kubeconfig files change on disk (a new context from a cloud CLI,
// a refreshed token), so the cluster panel updates without a restart.
import type { KubeContexts } from '../../preload/api';
import { kubeconfigPaths, loadKubeconfig } from '../kube/kubeconfig';
import { watchKubeconfig } from '../kube/watchKubeconfig';
import type { AppContext } from './context';

export function watchClusterConfig(ctx: Pick<AppContext, 'env' | 'homeDir' | 'events' | 'log'>, options?: { debounceMs?: number }): () => void {
  // Watch the configured paths, not only the files that exist now, so a kubeconfig created
  // later is noticed too.
  const paths = kubeconfigPaths(ctx.env, ctx.homeDir);
  return watchKubeconfig(
    paths,
    async () => {
      try {
        const config = await loadKubeconfig(paths, { homeDir: ctx.homeDir });
        const contexts: KubeContexts = {
          sources: config.sources,
          ...(config.currentContext ? { currentContext: config.currentContext } : {}),
          contexts: config.contexts,
        };
        ctx.events.emit('cluster.contextsChanged', contexts);
      } catch (err) {
        // The panel shows the problem on its next status check; no event carries a broken config.
        ctx.log(`kubeconfig changed but could not be read: ${(err as Error).message}`);
      }
    },
    options,
  );
}
