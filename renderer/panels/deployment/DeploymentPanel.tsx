// The Deployment panel: the project's release as the cluster has it — current revision, pods with
// why they are not ready, events, history with rollback — and the manifests the next deploy would
// apply. It refreshes when shown, every 3 s while shown, and whenever Up reports a step.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, DeploymentView, ManifestPreview, ProjectInfo } from '../../../preload/api';
import { copyText } from '../../components/copyText';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { useApi } from '../../state/StoreContext';
import { errorValue } from '../../state/errorValue';
import '../../styles/controls.css';
import '../../styles/projectView.css';
import { DeploymentOverview, ManifestList, RollbackDialog } from './DeploymentViews';
import './deployment.css';

export const REFRESH_MS = 3000;

export type Tab = 'overview' | 'manifests';

export function DeploymentPanel({ project, active }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const [view, setView] = useState<DeploymentView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tab, setTab] = useState<Tab>('overview');
  const [manifests, setManifests] = useState<ManifestPreview | null>(null);
  const [manifestsError, setManifestsError] = useState<ApiError | null>(null);
  const [manifestsBusy, setManifestsBusy] = useState(false);
  const [confirm, setConfirm] = useState<number | null>(null);
  const [rollbackBusy, setRollbackBusy] = useState(false);
  const [rollbackError, setRollbackError] = useState<ApiError | null>(null);
  const [now, setNow] = useState(() => new Date());

  // One status request at a time; a refresh asked for meanwhile runs once the current one ends.
  const inFlight = useRef(false);
  const again = useRef(false);
  const live = useRef(true);
  const refresh = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      do {
        again.current = false;
        try {
          const v = await api.deploy.status();
          if (!live.current) return;
          setView(v);
          setError(null);
        } catch (err) {
          if (live.current) setError(errorValue(err));
        }
        if (live.current) setNow(new Date());
      } while (again.current && live.current);
    } finally {
      inFlight.current = false;
    }
  }, [api]);

  const loadManifests = useCallback(async () => {
    setManifestsBusy(true);
    try {
      const m = await api.deploy.manifests();
      if (!live.current) return;
      setManifests(m);
      setManifestsError(null);
    } catch (err) {
      if (live.current) setManifestsError(errorValue(err));
    } finally {
      if (live.current) setManifestsBusy(false);
    }
  }, [api]);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  // Another project: start over.
  useEffect(() => {
    setView(null);
    setError(null);
    setManifests(null);
    setManifestsError(null);
  }, [project.path]);

  const activeRef = useRef(active);
  activeRef.current = active;
  useEffect(() => {
    if (!active) return;
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, refresh, project.path]);

  useEffect(
    () =>
      api.on('up.run', (run) => {
        // A finished Up may have deployed a new revision: the manifests are rendered again when looked at.
        if (run.state !== 'running') {
          setManifests(null);
          setManifestsError(null);
        }
        // Hidden, the panel catches up when shown again.
        if (activeRef.current) void refresh();
      }),
    [api, refresh],
  );

  useEffect(() => {
    if (active && tab === 'manifests' && !manifests && !manifestsError && !manifestsBusy) void loadManifests();
  }, [active, tab, manifests, manifestsError, manifestsBusy, loadManifests]);

  const rollBack = async (revision: number) => {
    setRollbackBusy(true);
    setRollbackError(null);
    try {
      const v = await api.deploy.rollback(revision);
      setView(v);
      setError(null);
      setConfirm(null);
    } catch (err) {
      setRollbackError(errorValue(err));
      setConfirm(null);
    } finally {
      setRollbackBusy(false);
    }
  };

  return (
    <section className="card deployment-panel" aria-labelledby="deployment-title">
      <header className="card-header">
        <div>
          <h2 id="deployment-title">Deployment</h2>
          <p className="card-subtitle">The project's Helm release in the cluster: revisions, pods and events, and what the next deploy would apply.</p>
        </div>
        <div className="deployment-actions">
          <div className="deployment-tabs" role="tablist" aria-label="Deployment views">
            <button type="button" role="tab" id="deployment-tab-overview" aria-controls="deployment-tabpanel" aria-selected={tab === 'overview'} className={`button ghost ${tab === 'overview' ? 'selected' : ''}`} onClick={() => setTab('overview')}>
              Overview
            </button>
            <button type="button" role="tab" id="deployment-tab-manifests" aria-controls="deployment-tabpanel" aria-selected={tab === 'manifests'} className={`button ghost ${tab === 'manifests' ? 'selected' : ''}`} onClick={() => setTab('manifests')}>
              Manifests
            </button>
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label={tab === 'overview' ? 'Refresh the deployment' : 'Render the manifests again'}
            disabled={tab === 'manifests' && manifestsBusy}
            onClick={() => void (tab === 'overview' ? refresh() : loadManifests())}
          >
            <Icon name="refresh" size={14} />
          </button>
        </div>
      </header>
      <div className="card-body" id="deployment-tabpanel" role="tabpanel" aria-labelledby={`deployment-tab-${tab}`}>
        {rollbackError ? <ErrorNotice error={rollbackError} title="The rollback failed" onDismiss={() => setRollbackError(null)} /> : null}
        <DeploymentBody
          tab={tab}
          view={view}
          error={error}
          manifests={manifests}
          manifestsError={manifestsError}
          manifestsBusy={manifestsBusy}
          now={now}
          busy={rollbackBusy}
          onRollback={(r) => setConfirm(r)}
          onCopy={copyText}
        />
      </div>
      {confirm !== null && view ? <RollbackDialog view={view} target={confirm} busy={rollbackBusy} onConfirm={() => void rollBack(confirm)} onCancel={() => setConfirm(null)} /> : null}
    </section>
  );
}

/** The panel's content for the selected tab: loading, the error, the empty state, the release or its manifests. */
export function DeploymentBody(p: {
  tab: Tab;
  view: DeploymentView | null;
  error: ApiError | null;
  manifests: ManifestPreview | null;
  manifestsError: ApiError | null;
  manifestsBusy: boolean;
  now: Date;
  busy: boolean;
  onRollback: (revision: number) => void;
  onCopy: (text: string) => Promise<void>;
}) {
  if (p.tab === 'manifests') {
    return (
      <>
        {p.manifestsError ? <ErrorNotice error={p.manifestsError} title="Could not render the chart" /> : null}
        {p.manifests ? (
          <ManifestList preview={p.manifests} onCopy={p.onCopy} />
        ) : p.manifestsBusy ? (
          <div className="card-loading">
            <span className="spinner" aria-hidden="true" /> Rendering the chart…
          </div>
        ) : null}
      </>
    );
  }
  return (
    <>
      {p.error ? <ErrorNotice error={p.error} title="Could not read the deployment" /> : null}
      {p.view ? (
        <DeploymentOverview view={p.view} now={p.now} busy={p.busy} onRollback={p.onRollback} />
      ) : !p.error ? (
        <div className="card-loading">
          <span className="spinner" aria-hidden="true" /> Reading the release…
        </div>
      ) : null}
    </>
  );
}
