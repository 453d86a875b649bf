// Picks the namespace. A list when the user may list namespaces; otherwise (RBAC, or the cluster
// is not answering) a field to type one, committed with Enter or by leaving the field.
import { useState } from 'react';
import { useApp, useAppStore } from '../state/StoreContext';
import '../styles/controls.css';

export function NamespaceSelector() {
  const context = useApp((s) => s.cluster.context);
  const namespace = useApp((s) => s.cluster.namespace);
  const namespaces = useApp((s) => s.cluster.namespaces);
  const namespacesError = useApp((s) => s.cluster.namespacesError);

  const listable = namespaces?.canList === true;
  const typed = (namespaces && !namespaces.canList) || namespacesError !== null;

  return (
    <div className="field">
      <label className="field-label" htmlFor="cluster-namespace">
        Namespace
      </label>
      {listable ? (
        <NamespaceList namespace={namespace} names={namespaces.namespaces} />
      ) : typed ? (
        // Keyed so the field shows the saved namespace again after a context switch.
        <NamespaceField key={`${context}/${namespace}`} namespace={namespace ?? ''} />
      ) : (
        <div className="select-wrap">
          <select id="cluster-namespace" className="select" disabled value={namespace ?? ''}>
            <option value={namespace ?? ''}>{namespace ?? ''}</option>
          </select>
        </div>
      )}
      <span className="field-details">
        {listable
          ? `${namespaces.namespaces.length} namespace${namespaces.namespaces.length === 1 ? '' : 's'} in this cluster`
          : namespaces && !namespaces.canList
            ? 'You may not list namespaces here: type the one to use.'
            : namespacesError
              ? 'Namespaces could not be listed: type the one to use.'
              : 'Loading namespaces…'}
      </span>
    </div>
  );
}

function NamespaceList({ namespace, names }: { namespace: string | undefined; names: string[] }) {
  const store = useAppStore();
  return (
    <div className="select-wrap">
      <select id="cluster-namespace" className="select" value={namespace ?? ''} onChange={(e) => void store.getState().chooseNamespace(e.target.value)}>
        {namespace !== undefined && !names.includes(namespace) ? <option value={namespace}>{namespace} (not found)</option> : null}
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}

function NamespaceField({ namespace }: { namespace: string }) {
  const store = useAppStore();
  const [text, setText] = useState(namespace);
  const commit = () => void store.getState().chooseNamespace(text);
  return (
    <input
      id="cluster-namespace"
      className="input mono"
      value={text}
      spellCheck={false}
      autoComplete="off"
      placeholder="e.g. default"
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}
