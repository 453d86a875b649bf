// The Cluster panel: which kubeconfig context and namespace the project uses, and whether that
// cluster answers. Changing either is saved with the project (cluster.select).
import { useApp, useAppStore } from '../state/StoreContext';
import '../styles/projectView.css';
import { ConnectionStatus } from './ConnectionStatus';
import { ContextSelector } from './ContextSelector';
import { Icon } from './Icon';
import { KubeconfigProblem } from './KubeconfigProblem';
import { NamespaceSelector } from './NamespaceSelector';

export function ClusterPanel() {
  const store = useAppStore();
  const cluster = useApp((s) => s.cluster);
  const busy = cluster.checking || cluster.loadingContexts;

  let body;
  if (cluster.contextsError) {
    body = <KubeconfigProblem error={cluster.contextsError} />;
  } else if (!cluster.contexts) {
    body = (
      <div className="card-loading">
        <span className="spinner" aria-hidden="true" /> Reading your kubeconfig…
      </div>
    );
  } else if (cluster.contexts.contexts.length === 0) {
    body = (
      <KubeconfigProblem
        error={{
          code: 'CONTEXT_MISSING',
          message: 'Your kubeconfig has no contexts.',
          hint: "Add one with 'kubectl config set-context', or get a kubeconfig from your cluster's provider.",
        }}
        sources={cluster.contexts.sources}
      />
    );
  } else {
    body = (
      <>
        <div className="cluster-fields">
          <ContextSelector />
          <NamespaceSelector />
        </div>
        <ConnectionStatus />
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="cluster-title">
      <header className="card-header">
        <div>
          <h2 id="cluster-title">Cluster</h2>
          <p className="card-subtitle">Where this project is built and deployed. Your choice is saved with the project.</p>
        </div>
        <button type="button" className="button" disabled={busy} onClick={() => void store.getState().retryCluster()}>
          <Icon name="refresh" size={14} />
          Retry
        </button>
      </header>
      <div className="card-body">{body}</div>
    </section>
  );
}
