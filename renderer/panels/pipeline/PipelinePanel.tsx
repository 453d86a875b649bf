// The Pipeline panel: the Up button (Cancel while a run is running) and the run as a timeline,
// each step with its state, detail line and duration; a failure shows its step, message and hint.
// Up asks first what a first Up would write; when files are needed, the user reviews and confirms them.
// After a failed deploy or rollout it offers rolling back to the revision that still runs.
import { useEffect, useState } from 'react';
import type { ApiError, FirstUpPreview, ProjectInfo, UpStep } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { askForRunNotifications } from '../../notifications/RunSignals';
import { useApi, useApp } from '../../state/StoreContext';
import { errorValue } from '../../state/errorValue';
import '../../styles/controls.css';
import '../../styles/projectView.css';
import { FirstUpDialog } from './FirstUpDialog';
import { actionFor, formatDuration, runSummary, STEP_STATE_LABEL } from './pipelineView';
import './pipeline.css';
import { RollbackOffer } from './RollbackOffer';
import { afterRunNote } from './upControls';
import { onUpRequest, takeUpRequest, type UpRequestOptions } from './upRequest';
import { useUpRun } from './upRunStore';

export function PipelinePanel({ project }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const mode = useApp((s) => s.appInfo?.mode ?? null);
  // The run is shared with the header's Up controls (one subscription to up.run).
  const { run, ended, loadError, store } = useUpRun(api, project.path);
  const note = afterRunNote(ended);
  const [requestError, setRequestError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [firstUp, setFirstUp] = useState<FirstUpPreview | null>(null);

  useEffect(() => setFirstUp(null), [project.path]);

  const action = actionFor(run);
  const send = async (kind: 'up' | 'confirmed-up' | 'cancel', options: UpRequestOptions = {}) => {
    setBusy(true);
    setRequestError(null);
    try {
      if (kind === 'confirmed-up') setFirstUp(null); // a failure shows in the panel, not behind the dialog
      if (kind === 'up') {
        const preview = await api.up.preview();
        if (preview.needed) {
          setFirstUp(preview);
          return;
        }
      }
      const r =
        kind === 'cancel'
          ? await api.up.cancel()
          : await api.up.start(kind === 'confirmed-up' ? { acceptGenerated: true } : options.forceRebuild ? { forceRebuild: true } : undefined);
      if (r) store.accept(r);
    } catch (err) {
      setRequestError(errorValue(err));
    } finally {
      setBusy(false);
    }
  };
  const press = () => {
    if (action.kind === 'up') askForRunNotifications(mode);
    void send(action.kind === 'up' ? 'up' : 'cancel');
  };

  // The header's Up button asks through upRequest; a request never cancels a running Up.
  useEffect(() => {
    const check = () => {
      const request = takeUpRequest();
      if (request) void send('up', request);
    };
    check();
    return onUpRequest(check);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- send only closes over stable setters, the api and the shared store
  }, [api, store]);

  const shownError = requestError ?? loadError;
  return (
    <section className="card pipeline-panel" aria-labelledby="pipeline-title">
      <header className="card-header">
        <div>
          <h2 id="pipeline-title">Pipeline</h2>
          <p className="card-subtitle">Build, deploy and connect: each step of Up with what it did and how long it took.</p>
        </div>
        <button type="button" className={`button ${action.kind === 'up' ? 'primary' : ''}`} disabled={busy} onClick={press}>
          <Icon name={action.kind === 'up' ? 'play' : 'x'} size={14} />
          {action.label}
        </button>
      </header>
      <div className="card-body">
        {firstUp ? <FirstUpDialog preview={firstUp} busy={busy} onConfirm={() => void send('confirmed-up')} onCancel={() => setFirstUp(null)} /> : null}
        {shownError ? <ErrorNotice error={shownError} onDismiss={requestError ? () => setRequestError(null) : undefined} /> : null}
        <p className="pipeline-summary" role="status" aria-label="Up status">
          {runSummary(run)}
        </p>
        {note ? <p className="pipeline-after-run">{note}</p> : null}
        {run?.state === 'failed' && run.error ? <ErrorNotice error={run.error} title={`"${run.error.step}" failed`} /> : null}
        <RollbackOffer run={run} />
        {run ? <StepList steps={run.steps} /> : null}
      </div>
    </section>
  );
}

export function StepList({ steps }: { steps: UpStep[] }) {
  return (
    <ol className="pipeline-steps" aria-label="Pipeline steps">
      {steps.map((s) => (
        <li key={s.id} className={`pipeline-step state-${s.state}`} data-step={s.id} data-state={s.state}>
          <span className="pipeline-marker" aria-hidden="true">
            {s.state === 'running' ? <span className="spinner" /> : s.state === 'done' ? <Icon name="check" size={12} /> : null}
          </span>
          <span className="pipeline-title">{s.title}</span>
          <span className={`badge ${s.state === 'done' || s.state === 'running' ? '' : 'muted'}`}>{STEP_STATE_LABEL[s.state]}</span>
          <span className="pipeline-duration">{formatDuration(s.durationMs)}</span>
          {s.detail ? <span className="pipeline-detail">{s.detail}</span> : null}
          {s.state === 'running' && s.progress !== undefined ? <progress className="pipeline-progress" max={1} value={s.progress} /> : null}
          {s.error && s.state === 'failed' ? <span className="pipeline-error">{s.error.message}</span> : null}
        </li>
      ))}
    </ol>
  );
}
