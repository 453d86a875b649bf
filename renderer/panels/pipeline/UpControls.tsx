// The header's Up controls: Up when idle; Cancel with the running step while Up runs; Up (again:
// rebuild and redeploy what changed) and Stop when the project is up; a menu with Force rebuild
// and Purge… (which asks first, naming the release and namespace, then says what it removed).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { ApiError, ProjectInfo } from '../../../preload/api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { askForRunNotifications } from '../../notifications/RunSignals';
import { errorValue } from '../../state/errorValue';
import { useApi, useApp } from '../../state/StoreContext';
import { createPurgeFlow } from './purgeFlow';
import { headerControls, purgeQuestion, type HeaderControls } from './upControls';
import type { UpRequestOptions } from './upRequest';
import { useUpRun } from './upRunStore';
import './upControls.css';

export function UpControls({ project, onUp }: { project: ProjectInfo; onUp: (options?: UpRequestOptions) => void }) {
  const api = useApi();
  const mode = useApp((s) => s.appInfo?.mode ?? null);
  const clusterNamespace = useApp((s) => (s.cluster.status?.state === 'connected' ? s.cluster.status.namespace : s.cluster.namespace));
  const { run, sessions, store } = useUpRun(api, project.path);
  const controls = headerControls(run, sessions);
  const [busy, setBusy] = useState<'cancel' | 'stop' | null>(null);
  const [error, setError] = useState<{ title: string; error: ApiError } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const purgeFlow = useMemo(() => createPurgeFlow(api, { purged: () => store.sessionsStopped('purged') }), [api, store]);
  const purge = useStore(purgeFlow);

  const clearNotices = () => {
    setError(null);
    setDone(null);
    purgeFlow.dismiss();
  };

  const act = async (kind: 'cancel' | 'stop', title: string, fn: () => Promise<void>) => {
    setBusy(kind);
    clearNotices();
    try {
      await fn();
    } catch (err) {
      setError({ title, error: errorValue(err) });
    } finally {
      setBusy(null);
    }
  };

  const up = (options?: UpRequestOptions) => {
    clearNotices();
    askForRunNotifications(mode);
    onUp(options);
  };

  const cancel = () =>
    act('cancel', 'Could not cancel Up', async () => {
      const r = await api.up.cancel();
      if (r) store.accept(r);
    });

  const stop = () =>
    act('stop', 'Could not stop the sessions', async () => {
      await api.up.stop();
      store.sessionsStopped('stopped');
      setDone('Stopped the terminals and port forwards. The deployment keeps running; Up starts them again.');
    });

  const shownError = error ?? purge.error;
  const shownDone = done ?? purge.result;
  return (
    <div className="up-controls" role="group" aria-label="Up controls">
      <UpControlsView
        controls={controls}
        busy={purge.step === 'checking' ? 'purge-check' : busy}
        onUp={() => up()}
        onCancel={() => void cancel()}
        onStop={() => void stop()}
        onForceRebuild={() => up({ forceRebuild: true })}
        onPurge={() => {
          clearNotices();
          void purgeFlow.ask(clusterNamespace);
        }}
      />
      {shownError || shownDone ? (
        <div className="up-notices">
          {shownError ? <ErrorNotice error={shownError.error} title={shownError.title} onDismiss={clearNotices} /> : null}
          {shownDone ? <UpResultNotice text={shownDone} onDismiss={clearNotices} /> : null}
        </div>
      ) : null}
      {purge.step === 'asking' || purge.step === 'purging' ? (
        <ConfirmDialog
          title="Purge the deployment"
          confirmLabel="Uninstall"
          danger
          busy={purge.step === 'purging'}
          onConfirm={() => void purgeFlow.confirm()}
          onCancel={() => purgeFlow.cancel()}
        >
          <p>{purgeQuestion(purge.release, purge.namespace)}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** What Stop or Purge did, until dismissed. */
export function UpResultNotice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  return (
    <div className="notice ok" role="status" aria-label="Up result">
      <Icon name="check" />
      <div className="notice-body">
        <span>{text}</span>
      </div>
      <div className="notice-actions">
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <Icon name="x" size={14} />
        </button>
      </div>
    </div>
  );
}

/** The buttons for a given state (rendered by tests for each state). */
export function UpControlsView({
  controls,
  busy,
  initiallyOpen = false,
  onUp,
  onCancel,
  onStop,
  onForceRebuild,
  onPurge,
}: {
  controls: HeaderControls;
  busy: 'cancel' | 'stop' | 'purge-check' | null;
  /** Tests render the menu open. */
  initiallyOpen?: boolean;
  onUp: () => void;
  onCancel: () => void;
  onStop: () => void;
  onForceRebuild: () => void;
  onPurge: () => void;
}) {
  const [menuOpen, setMenuOpen] = useState(initiallyOpen);
  const menuRef = useRef<HTMLDivElement>(null);

  // The menu closes on a click elsewhere or Escape, like a native one.
  useEffect(() => {
    if (!menuOpen) return;
    const onDown = (e: MouseEvent) => {
      if (menuRef.current && !menuRef.current.contains(e.target as Node)) setMenuOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenuOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [menuOpen]);

  const pick = (fn: () => void) => () => {
    setMenuOpen(false);
    fn();
  };

  return (
    <div className="up-buttons" data-phase={controls.phase}>
      {controls.primary.kind === 'cancel' ? (
        <>
          <span className="up-current-step" title={`Running: ${controls.currentStep ?? ''}`}>
            <span className="spinner" aria-hidden="true" />
            {controls.currentStep}
          </span>
          <button type="button" className="button up-button" disabled={busy === 'cancel'} onClick={onCancel} title="Stop this Up and undo what the running step created">
            <Icon name="x" />
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button primary up-button"
          onClick={onUp}
          title={controls.phase === 'up' ? 'Up again: rebuild and redeploy what changed' : 'Build, deploy and open the dev container'}
        >
          <Icon name="play" />
          Up
        </button>
      )}
      {controls.stop ? (
        <button type="button" className="button" disabled={busy === 'stop'} onClick={onStop} title="Stop the terminals and port forwards; the deployment keeps running">
          <Icon name="plugOff" />
          Stop
        </button>
      ) : null}
      {controls.menu ? (
        <div className="up-menu-wrap" ref={menuRef}>
          <button
            type="button"
            className="button up-menu-button"
            aria-label="More Up actions"
            aria-haspopup="menu"
            aria-expanded={menuOpen}
            disabled={busy === 'purge-check'}
            onClick={() => setMenuOpen((o) => !o)}
          >
            <Icon name="chevronDown" size={14} />
          </button>
          {menuOpen ? (
            <div className="up-menu" role="menu" aria-label="Up actions">
              <button type="button" role="menuitem" className="up-menu-item" aria-label="Force rebuild" onClick={pick(onForceRebuild)}>
                <Icon name="refresh" size={14} />
                <span>
                  Force rebuild
                  <small>Up, building the image even if nothing changed</small>
                </span>
              </button>
              <button type="button" role="menuitem" className="up-menu-item danger" aria-label="Purge…" onClick={pick(onPurge)}>
                <Icon name="trash" size={14} />
                <span>
                  Purge…
                  <small>Uninstall the release from the cluster</small>
                </span>
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
