// Whether the chosen cluster answers: green with server and version, or red with the error
// and its hint beneath it.
import { describeClusterStatus } from '../state/clusterStatusView';
import { useApp } from '../state/StoreContext';
import '../styles/projectView.css';

export function ConnectionStatus() {
  const status = useApp((s) => s.cluster.status);
  const checking = useApp((s) => s.cluster.checking);
  const view = describeClusterStatus(status, checking);
  return (
    <div className={`cluster-status ${view.tone}`} role="status" aria-label="Connection status" data-error-code={view.code}>
      {view.tone === 'checking' ? <span className="spinner" aria-hidden="true" /> : <span className="status-dot" aria-hidden="true" />}
      <div className="status-text">
        <span className="status-title">{view.title}</span>
        {view.hint ? <span className="status-hint">{view.hint}</span> : null}
      </div>
    </div>
  );
}
