// The Registry panel: where this project's images go (in-cluster or external), whether that
// registry is ready, this project's tags with the one the cluster runs marked, and the user's
// registry logins (the app's, encrypted, and the read-only ones from docker's config). A login is
// checked against the registry before it is saved; a rejected one keeps what the user typed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ProjectInfo, RegistryLogin, RegistryView } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { useApi } from '../../state/StoreContext';
import { errorValue } from '../../state/errorValue';
import '../../styles/controls.css';
import '../../styles/projectView.css';
import { EMPTY_LOGIN, type LoginDraft, loginProblem, nodesLine, registryTitle, STATE_LABELS, stateTone, storageLine } from './registryView';
import './registry.css';

export function RegistryPanel({ project, active }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const [view, setView] = useState<RegistryView | null>(null);
  const [viewError, setViewError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [logins, setLogins] = useState<RegistryLogin[] | null>(null);
  const [loginsError, setLoginsError] = useState<ApiError | null>(null);
  const [draft, setDraft] = useState<LoginDraft>(EMPTY_LOGIN);
  const [loginError, setLoginError] = useState<ApiError | null>(null);
  const [loginBusy, setLoginBusy] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removeBusy, setRemoveBusy] = useState(false);
  const [removeError, setRemoveError] = useState<ApiError | null>(null);

  const refresh = useCallback(() => {
    let live = true;
    setLoading(true);
    api.registry
      .status()
      .then((v) => {
        if (!live) return;
        setView(v);
        setViewError(null);
      })
      .catch((err: unknown) => live && setViewError(errorValue(err)))
      .finally(() => live && setLoading(false));
    api.registry
      .logins()
      .then((l) => {
        if (!live) return;
        setLogins(l);
        setLoginsError(null);
      })
      .catch((err: unknown) => live && setLoginsError(errorValue(err)));
    return () => {
      live = false;
    };
  }, [api]);
  const activeRef = useRef(active);
  activeRef.current = active;
  useEffect(() => (active ? refresh() : undefined), [active, refresh, project.path]);

  const login = async () => {
    setLoginBusy(true);
    setLoginError(null);
    try {
      await api.registry.login({ host: draft.host.trim(), username: draft.username.trim(), password: draft.password, ...(draft.insecure ? { insecure: true } : {}) });
      setDraft(EMPTY_LOGIN);
      setLogins(await api.registry.logins());
      if (activeRef.current) refresh();
    } catch (err) {
      // What the user typed stays, so they fix the one wrong field.
      setLoginError(errorValue(err));
    } finally {
      setLoginBusy(false);
    }
  };

  const logout = async (host: string) => {
    setLoginsError(null);
    try {
      setLogins(await api.registry.logout(host));
    } catch (err) {
      setLoginsError(errorValue(err));
    }
  };

  const remove = async () => {
    setRemoveBusy(true);
    setRemoveError(null);
    try {
      await api.registry.remove();
      setConfirmRemove(false);
      refresh();
    } catch (err) {
      setRemoveError(errorValue(err));
    } finally {
      setRemoveBusy(false);
    }
  };

  return (
    <div className="registry-panel">
      <RegistryStatusCard view={view} error={viewError} loading={loading} onRefresh={refresh} onRemove={() => setConfirmRemove(true)} />
      <LoginsCard
        logins={logins}
        error={loginsError}
        draft={draft}
        loginError={loginError}
        busy={loginBusy}
        onDraft={(patch) => setDraft((d) => ({ ...d, ...patch }))}
        onLogin={() => void login()}
        onLogout={(host) => void logout(host)}
      />
      {confirmRemove && view ? (
        <RemoveRegistryDialog
          view={view}
          busy={removeBusy}
          error={removeError}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirmRemove(false);
            setRemoveError(null);
          }}
        />
      ) : null}
    </div>
  );
}

export function RegistryStatusCard(props: { view: RegistryView | null; error: ApiError | null; loading: boolean; onRefresh: () => void; onRemove: () => void }) {
  const { view } = props;
  const storage = view ? storageLine(view) : null;
  const nodes = view ? nodesLine(view) : null;
  return (
    <section className="card" aria-labelledby="registry-title">
      <header className="card-header">
        <div>
          <h2 id="registry-title">Registry</h2>
          <p className="card-subtitle">{view ? registryTitle(view) : 'Where Up pushes this project\'s image and the cluster pulls it from.'}</p>
        </div>
        <div className="registry-actions">
          {view ? (
            <span className={`badge registry-state ${stateTone(view.state)}`} data-state={view.state}>
              {STATE_LABELS[view.state]}
            </span>
          ) : null}
          <button type="button" className="button" disabled={props.loading} onClick={props.onRefresh}>
            <Icon name="refresh" size={14} />
            {props.loading ? 'Checking…' : 'Refresh'}
          </button>
          {view?.kind === 'in-cluster' && view.state !== 'not-deployed' ? (
            <button type="button" className="button danger" onClick={props.onRemove}>
              <Icon name="trash" size={14} />
              Remove registry
            </button>
          ) : null}
        </div>
      </header>
      <div className="card-body registry-body">
        {props.error ? <ErrorNotice error={props.error} title="Could not check the registry" /> : null}
        {!view && !props.error ? (
          <div className="card-loading">
            <span className="spinner" aria-hidden="true" /> Checking the registry…
          </div>
        ) : null}
        {view ? (
          <>
            {view.message ? <ErrorNotice tone={view.state === 'not-deployed' ? 'info' : view.state === 'starting' ? 'warn' : 'error'} error={{ code: 'REGISTRY_ERROR', message: view.message, ...(view.hint ? { hint: view.hint } : {}) }} /> : null}
            {view.warnings.map((w) => (
              <ErrorNotice key={w} tone="warn" error={{ code: 'INVALID_ARGUMENT', message: w }} />
            ))}
            <dl className="registry-facts">
              <dt>Repository</dt>
              <dd>
                <code>{view.repository}</code>
              </dd>
              <dt>Push to</dt>
              <dd>
                <code>{view.pushHost}</code>
              </dd>
              <dt>Nodes pull from</dt>
              <dd>
                <code>{view.pullHost}</code>
              </dd>
              {nodes ? (
                <>
                  <dt>Nodes that can pull</dt>
                  <dd>{nodes}</dd>
                </>
              ) : null}
              {storage ? (
                <>
                  <dt>Storage</dt>
                  <dd>{storage}</dd>
                </>
              ) : null}
            </dl>
            <h3 className="registry-subtitle">Tags of this project</h3>
            {view.tags.length ? (
              <ul className="registry-tags" aria-label="Tags">
                {view.tags.map((t) => (
                  <li key={t.tag} className={t.current ? 'current' : undefined}>
                    <code>{t.tag}</code>
                    {t.current ? <span className="badge">Running in the cluster</span> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="registry-empty">{view.state === 'ready' ? 'No images of this project yet: Up builds and pushes one.' : view.state === 'not-deployed' ? 'Tags show once Up has deployed the registry and pushed an image.' : 'Tags show once the registry can be reached.'}</p>
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}

export function LoginsCard(props: {
  logins: RegistryLogin[] | null;
  error: ApiError | null;
  draft: LoginDraft;
  loginError: ApiError | null;
  busy: boolean;
  onDraft: (patch: Partial<LoginDraft>) => void;
  onLogin: () => void;
  onLogout: (host: string) => void;
}) {
  const { draft, onDraft } = props;
  const missing = loginProblem(draft);
  return (
    <section className="card" aria-labelledby="registry-logins-title">
      <header className="card-header">
        <div>
          <h2 id="registry-logins-title">Logins</h2>
          <p className="card-subtitle">Registry logins the app uses for builds and pull secrets. Saved encrypted on this computer, never in the project.</p>
        </div>
      </header>
      <div className="card-body registry-body">
        {props.error ? <ErrorNotice error={props.error} /> : null}
        {props.logins === null && !props.error ? <p className="registry-empty">Reading logins…</p> : null}
        {props.logins?.length === 0 ? <p className="registry-empty">No logins yet.</p> : null}
        {props.logins?.length ? (
          <table className="registry-logins" aria-label="Saved logins">
            <thead>
              <tr>
                <th scope="col">Registry</th>
                <th scope="col">User</th>
                <th scope="col">Password</th>
                <th scope="col">From</th>
                <th scope="col" aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {props.logins.map((l) => (
                <tr key={`${l.source}:${l.host}`} data-host={l.host}>
                  <td>
                    <code>{l.host}</code>
                  </td>
                  <td>{l.username}</td>
                  <td>
                    <code>{l.passwordMask}</code>
                  </td>
                  <td>{l.source === 'app' ? 'This app' : l.helper ? `Docker (${l.helper})` : 'Docker config'}</td>
                  <td>
                    {l.source === 'app' ? (
                      <button type="button" className="button ghost" aria-label={`Log out of ${l.host}`} onClick={() => props.onLogout(l.host)}>
                        Log out
                      </button>
                    ) : (
                      <span className="registry-readonly" title={`Remove it with "docker logout ${l.host}"`}>
                        read-only
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <form
          className="registry-login-form"
          aria-label="Log in to a registry"
          onSubmit={(e) => {
            e.preventDefault();
            if (!missing && !props.busy) props.onLogin();
          }}
        >
          <h3 className="registry-subtitle">Log in to a registry</h3>
          <div className="registry-login-fields">
            <label className="field">
              <span className="field-label">Host</span>
              <input className="input" name="host" value={draft.host} placeholder="ghcr.io" autoComplete="off" onChange={(e) => onDraft({ host: e.target.value })} />
            </label>
            <label className="field">
              <span className="field-label">User</span>
              <input className="input" name="username" value={draft.username} autoComplete="username" onChange={(e) => onDraft({ username: e.target.value })} />
            </label>
            <label className="field">
              <span className="field-label">Password or token</span>
              <input className="input" name="password" type="password" value={draft.password} autoComplete="current-password" onChange={(e) => onDraft({ password: e.target.value })} />
            </label>
          </div>
          <div className="registry-login-actions">
            <label className="checkbox">
              <input type="checkbox" checked={draft.insecure} onChange={(e) => onDraft({ insecure: e.target.checked })} />
              Insecure (plain HTTP or an untrusted certificate)
            </label>
            <button type="submit" className="button primary" disabled={!!missing || props.busy}>
              {props.busy ? 'Checking…' : 'Log in'}
            </button>
          </div>
          {props.loginError ? <ErrorNotice error={props.loginError} title="Login failed" /> : null}
        </form>
      </div>
    </section>
  );
}

function RemoveRegistryDialog(props: { view: RegistryView; busy: boolean; error: ApiError | null; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="registry-dialog"
      aria-labelledby="registry-remove-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="registry-remove-title">Remove the in-cluster registry?</h2>
      <p>
        This deletes the registry, its storage and every image in it ({props.view.tags.length ? `${props.view.tags.length} tag${props.view.tags.length > 1 ? 's' : ''} of this project, and those of other projects` : 'of every project'}), its password and the pull secrets made for it. Pods already running keep their image; the next Up deploys a new registry and
        builds the image again.
      </p>
      {props.error ? <ErrorNotice error={props.error} /> : null}
      <footer className="registry-dialog-footer">
        <button type="button" className="button danger" disabled={props.busy} onClick={props.onConfirm}>
          {props.busy ? 'Removing…' : 'Remove registry'}
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </footer>
    </dialog>
  );
}
