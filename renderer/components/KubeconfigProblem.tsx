// Shown instead of the context and namespace selectors when there is no usable kubeconfig:
// explains what the app needs rather than offering empty dropdowns.
import type { ApiError } from '../../preload/api';
import '../styles/projectView.css';
import { ErrorNotice } from './ErrorNotice';

const TITLES: Partial<Record<ApiError['code'], string>> = {
  KUBECONFIG_MISSING: 'No kubeconfig found',
  KUBECONFIG_INVALID: 'Your kubeconfig could not be read',
  CONTEXT_MISSING: 'No cluster to connect to',
};

export function KubeconfigProblem({ error, sources }: { error: ApiError; sources?: string[] }) {
  return (
    <div className="kubeconfig-problem">
      <h3>{TITLES[error.code] ?? 'The cluster settings could not be loaded'}</h3>
      <p className="kubeconfig-explainer">
        DevSpace Desktop reaches your cluster the way kubectl does: through a context in your kubeconfig (the file named by <code>KUBECONFIG</code>, or{' '}
        <code>~/.kube/config</code>). Once it has one, pick the context and namespace here — no kubectl needed. The panel updates when the file changes, or
        press Retry.
      </p>
      <ErrorNotice error={error} tone="warn" />
      {sources && sources.length > 0 ? (
        <p className="field-details">
          Read: <span className="mono">{sources.join(', ')}</span>
        </p>
      ) : null}
    </div>
  );
}
