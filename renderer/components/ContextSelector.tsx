// Picks the kubeconfig context; the line beneath says which cluster, user and server it means,
// and the files the contexts were read from (all of them on hover).
import { useApp, useAppStore } from '../state/StoreContext';
import '../styles/controls.css';

export function ContextSelector() {
  const store = useAppStore();
  const contexts = useApp((s) => s.cluster.contexts);
  const context = useApp((s) => s.cluster.context);
  const homeDir = useApp((s) => s.appInfo?.homeDir);
  if (!contexts) return null;

  const chosen = contexts.contexts.find((c) => c.name === context);
  const tilde = (p: string) => (homeDir && p.startsWith(homeDir + '/') ? `~${p.slice(homeDir.length)}` : p);
  const sources = contexts.sources.map(tilde);

  return (
    <div className="field">
      <label className="field-label" htmlFor="cluster-context">
        Context
      </label>
      <div className="select-wrap">
        <select
          id="cluster-context"
          className="select"
          value={context ?? ''}
          onChange={(e) => void store.getState().chooseContext(e.target.value)}
        >
          {context !== undefined && !chosen ? <option value={context}>{context} (not in kubeconfig)</option> : null}
          {contexts.contexts.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
              {c.name === contexts.currentContext ? ' (current)' : ''}
            </option>
          ))}
        </select>
      </div>
      <span className="field-details" title={chosen?.server ?? ''}>
        {chosen ? (
          <>
            Cluster <strong>{chosen.cluster}</strong> · user <strong>{chosen.user}</strong>
            {chosen.server ? <> · <span className="mono">{chosen.server}</span></> : null}
          </>
        ) : (
          'This context is not in your kubeconfig any more; pick another one.'
        )}
      </span>
      <span className="field-details" title={`Contexts read from:\n${contexts.sources.join('\n')}`}>
        From <span className="mono">{sources.join(', ')}</span>
      </span>
    </div>
  );
}
