// The Ports panel: the port-mapping editor (what the user asks for, saved to config.yaml) with the
// observed state of each mapping beside it (listening, no ready pod, error …, connections, bytes),
// so a forward that does not work never looks active. Edits survive a failed save.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, PortMappingStatus, PortsView, ProjectInfo } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { useApi } from '../../state/StoreContext';
import { errorValue } from '../../state/errorValue';
import '../../styles/controls.css';
import '../../styles/projectView.css';
import { checkDraft, draftFrom, type DraftForwarding, type DraftMapping, emptyForwarding, emptyMapping, formatBytes, isDirty, statusForRow } from './mappingDraft';
import './ports.css';

export function PortsPanel({ project }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const [view, setView] = useState<PortsView | null>(null);
  const [draft, setDraft] = useState<DraftForwarding[]>([]);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'save' | 'start' | 'stop' | null>(null);

  const check = useMemo(() => checkDraft(draft), [draft]);
  const dirty = view ? isDirty(draft, view.forwardings) : false;

  // A view from the host replaces the draft only when the saved mappings changed and the user has
  // no unsaved edits (status events arrive often; rebuilding rows would steal the input focus).
  const dirtyRef = useRef(false);
  dirtyRef.current = dirty;
  const savedJson = useRef('');
  const receive = useCallback((next: PortsView, replaceDraft: boolean) => {
    setView(next);
    const json = JSON.stringify(next.forwardings);
    if (replaceDraft || (json !== savedJson.current && !dirtyRef.current)) setDraft(draftFrom(next.forwardings));
    savedJson.current = json;
  }, []);

  useEffect(() => {
    let live = true;
    setLoadError(null);
    api.ports
      .list()
      .then((v) => live && receive(v, true))
      .catch((err: unknown) => live && setLoadError(errorValue(err)));
    const off = api.on('ports.status', (v) => receive(v, false));
    return () => {
      live = false;
      off();
    };
  }, [api, project.path, receive]);

  const run = async (what: 'save' | 'start' | 'stop') => {
    setBusy(what);
    setSaveError(null);
    try {
      if (what === 'save') receive(await api.ports.save(check.forwardings), true);
      else if (what === 'start') receive(await api.ports.start(), false);
      else receive(await api.ports.stop(), false);
    } catch (err) {
      // The draft stays as it is: the user corrects it and saves again.
      setSaveError(errorValue(err));
    } finally {
      setBusy(null);
    }
  };

  const updateFw = (id: string, patch: Partial<DraftForwarding>) => setDraft((d) => d.map((f) => (f.id === id ? { ...f, ...patch } : f)));
  const updateRow = (fwId: string, rowId: string, patch: Partial<DraftMapping>) =>
    setDraft((d) => d.map((f) => (f.id === fwId ? { ...f, mappings: f.mappings.map((m) => (m.id === rowId ? { ...m, ...patch } : m)) } : f)));
  const removeRow = (fwId: string, rowId: string) => setDraft((d) => d.map((f) => (f.id === fwId ? { ...f, mappings: f.mappings.filter((m) => m.id !== rowId) } : f)));
  const addRow = (fwId: string) => setDraft((d) => d.map((f) => (f.id === fwId ? { ...f, mappings: [...f.mappings, emptyMapping()] } : f)));

  const hasErrors = Object.keys(check.errors).length > 0;
  // While editing, the warnings follow the draft; otherwise the host's (which also sees the file).
  const warnings = [...new Set(dirty || !view ? check.warnings : view.warnings)];

  return (
    <section className="card ports-panel" aria-labelledby="ports-title">
      <header className="card-header">
        <div>
          <h2 id="ports-title">Ports</h2>
          <p className="card-subtitle">Local ports forwarded to the project's pods. Saved in .devspace/config.yaml; each new connection goes to a ready pod.</p>
        </div>
        <div className="ports-actions">
          {view?.running ? (
            <button type="button" className="button" disabled={busy !== null} onClick={() => void run('stop')}>
              <Icon name="x" size={14} />
              Stop all
            </button>
          ) : (
            <button type="button" className="button" disabled={busy !== null || !view} onClick={() => void run('start')}>
              <Icon name="play" size={14} />
              Start all
            </button>
          )}
          <button type="button" className="button primary" disabled={busy !== null || !dirty || hasErrors} onClick={() => void run('save')}>
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
        </div>
      </header>
      <div className="card-body">
        {loadError ? <ErrorNotice error={loadError} title="Could not read the port mappings" /> : null}
        {saveError ? <ErrorNotice error={saveError} onDismiss={() => setSaveError(null)} /> : null}
        {warnings.map((w) => (
          <ErrorNotice key={w} tone="warn" error={{ code: 'INVALID_ARGUMENT', message: w }} />
        ))}
        {view ? (
          <p className="ports-summary" role="status" aria-label="Forwarding status">
            {view.running ? 'Forwards are running.' : 'Forwards are stopped.'} {dirty ? 'You have unsaved changes.' : ''}
          </p>
        ) : !loadError ? (
          <div className="card-loading">
            <span className="spinner" aria-hidden="true" /> Reading the port mappings…
          </div>
        ) : null}
        {draft.map((fw, fi) => (
          <div key={fw.id} className="ports-forwarding" role="group" aria-label={`Forwarding ${fi + 1}`}>
            <div className="ports-target">
              <label className="field">
                <span className="field-label">Pods with labels</span>
                <input
                  className="input"
                  value={fw.selector}
                  placeholder="app=my-app"
                  aria-label="Pod labels"
                  aria-invalid={check.errors[`${fw.id}.selector`] ? true : undefined}
                  onChange={(e) => updateFw(fw.id, { selector: e.target.value })}
                />
                <FieldError text={check.errors[`${fw.id}.selector`]} />
              </label>
              <label className="field">
                <span className="field-label">Namespace</span>
                <input className="input" value={fw.namespace} placeholder="project's namespace" aria-label="Pod namespace" onChange={(e) => updateFw(fw.id, { namespace: e.target.value })} />
              </label>
              <button type="button" className="icon-button" aria-label={`Remove forwarding ${fi + 1}`} onClick={() => setDraft((d) => d.filter((f) => f.id !== fw.id))}>
                <Icon name="trash" size={14} />
              </button>
            </div>
            <table className="ports-table">
              <thead>
                <tr>
                  <th scope="col">On</th>
                  <th scope="col">Local address</th>
                  <th scope="col">Local port</th>
                  <th scope="col" aria-label="forwards to" />
                  <th scope="col">Pod port</th>
                  <th scope="col">State</th>
                  <th scope="col">Traffic</th>
                  <th scope="col" aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {fw.mappings.map((m, mi) => (
                  <MappingRow
                    key={m.id}
                    label={`Mapping ${fi + 1}.${mi + 1}`}
                    row={m}
                    errors={check.errors}
                    observed={view ? statusForRow(m, view.forwardings, view.status) : 'unsaved'}
                    onChange={(patch) => updateRow(fw.id, m.id, patch)}
                    onRemove={() => removeRow(fw.id, m.id)}
                  />
                ))}
              </tbody>
            </table>
            <button type="button" className="button ports-add" onClick={() => addRow(fw.id)}>
              Add mapping
            </button>
          </div>
        ))}
        {view ? (
          <button type="button" className="button ports-add" onClick={() => setDraft((d) => [...d, emptyForwarding()])}>
            Add pods to forward to
          </button>
        ) : null}
      </div>
    </section>
  );
}

function FieldError({ text }: { text: string | undefined }) {
  return text ? (
    <span className="ports-field-error" role="alert">
      {text}
    </span>
  ) : null;
}

function MappingRow(props: {
  label: string;
  row: DraftMapping;
  errors: Record<string, string>;
  observed: PortMappingStatus | 'unsaved';
  onChange: (patch: Partial<DraftMapping>) => void;
  onRemove: () => void;
}) {
  const { row, errors, observed, label } = props;
  const input = (field: 'bindAddress' | 'localPort' | 'remotePort', name: string, width: string) => (
    <>
      <input
        className="input"
        style={{ width }}
        value={row[field]}
        aria-label={name}
        aria-invalid={errors[`${row.id}.${field}`] ? true : undefined}
        inputMode={field === 'bindAddress' ? 'text' : 'numeric'}
        onChange={(e) => props.onChange({ [field]: e.target.value })}
      />
      <FieldError text={errors[`${row.id}.${field}`]} />
    </>
  );
  const live = observed !== 'unsaved' ? observed : null;
  return (
    <tr aria-label={label}>
      <td>
        <input type="checkbox" className="checkbox" checked={row.enabled} aria-label="Enabled" onChange={(e) => props.onChange({ enabled: e.target.checked })} />
      </td>
      <td>{input('bindAddress', 'Local address', '8.5em')}</td>
      <td>{input('localPort', 'Local port', '5.5em')}</td>
      <td aria-hidden="true">→</td>
      <td>{input('remotePort', 'Pod port', '5.5em')}</td>
      <td>
        <StateBadge observed={observed} />
      </td>
      <td className="ports-traffic">
        {live ? (
          <>
            <span title="open connections">{live.connections} conn</span> · <span title="received from the pod">↓ {formatBytes(live.bytesIn)}</span> ·{' '}
            <span title="sent to the pod">↑ {formatBytes(live.bytesOut)}</span>
            {live.pod ? <span className="ports-pod">pod {live.pod}</span> : null}
          </>
        ) : null}
      </td>
      <td className="ports-row-actions">
        {live?.http && live.state === 'listening' ? (
          <button type="button" className="button" onClick={() => window.open(`http://localhost:${live.localPort}`, '_blank', 'noopener')}>
            Open in browser
          </button>
        ) : null}
        <button type="button" className="icon-button" aria-label={`Remove ${label.toLowerCase()}`} onClick={props.onRemove}>
          <Icon name="trash" size={14} />
        </button>
      </td>
    </tr>
  );
}

export function StateBadge({ observed }: { observed: PortMappingStatus | 'unsaved' }) {
  if (observed === 'unsaved') return <span className="badge ports-badge unsaved">Not saved</span>;
  const text = {
    listening: 'Listening',
    'no-pod': 'No ready pod',
    error: 'Error',
    stopped: 'Stopped',
    disabled: 'Disabled',
  }[observed.state];
  return (
    <span className={`ports-state ${observed.state}`}>
      <span className={`badge ports-badge ${observed.state}`} title={observed.message}>
        {observed.state === 'error' ? `Error: ${observed.message ?? 'unknown'}` : text}
      </span>
      {observed.state === 'no-pod' && observed.message ? <span className="ports-message">{observed.message}</span> : null}
    </span>
  );
}
