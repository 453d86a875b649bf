// The Pipeline panel: the Up button (Cancel while a run is running) and the run as a timeline,
// each step with its state, detail line and duration; a failure shows its step, message and hint.
// Up asks first what a first Up would write; when files are needed, the user reviews and confirms them.
import { useEffect, useState } from 'react';
import type { ApiError, FirstUpPreview, ProjectInfo, UpRun, UpStep } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { useApi } from '../../state/StoreContext';
import { errorValue } from '../../state/errorValue';
import '../../styles/controls.css';
import '../../styles/projectView.css';
import { FirstUpDialog } from './FirstUpDialog';
import { actionFor, formatDuration, mergeRun, runSummary, STEP_STATE_LABEL } from './pipelineView';
import './pipeline.css';
import { onUpRequest, takeUpRequest } from './upRequest';

export function PipelinePanel({ project }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const [run, setRun] = useState<UpRun | null>(null);
  const [requestError, setRequestError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [firstUp, setFirstUp] = useState<FirstUpPreview | null>(null);

  useEffect(() => {
    let live = true;
    setRun(null);
    setFirstUp(null);
    api.up
      .current()
      .then((r) => live && r && setRun((cur) => mergeRun(cur, r)))
      .catch((err: unknown) => live && setRequestError(errorValue(err)));
    const off = api.on('up.run', (r) => setRun((cur) => mergeRun(cur, r)));
    return () => {
      live = false;
      off();
    };
  }, [api, project.path]);

  const action = actionFor(run);
  const send = async (kind: 'up' | 'confirmed-up' | 'cancel') => {
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
      const r = kind === 'cancel' ? await api.up.cancel() : await api.up.start(kind === 'confirmed-up' ? { acceptGenerated: true } : undefined);
      if (r) setRun((cur) => mergeRun(cur, r));
    } catch (err) {
      setRequestError(errorValue(err));
    } finally {
      setBusy(false);
    }
  };
  const press = () => send(action.kind === 'up' ? 'up' : 'cancel');

  // The header's Up button asks through upRequest; a request never cancels a running Up.
  useEffect(() => {
    const check = () => {
      if (takeUpRequest()) void send('up');
    };
    check();
    return onUpRequest(check);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- send only closes over stable setters and api
  }, [api]);

  return (
    <section className="card pipeline-panel" aria-labelledby="pipeline-title">
      <header className="card-header">
        <div>
          <h2 id="pipeline-title">Pipeline</h2>
          <p className="card-subtitle">Build, deploy and connect: each step of Up with what it did and how long it took.</p>
        </div>
        <button type="button" className={`button ${action.kind === 'up' ? 'primary' : ''}`} disabled={busy} onClick={() => void press()}>
          <Icon name={action.kind === 'up' ? 'play' : 'x'} size={14} />
          {action.label}
        </button>
      </header>
      <div className="card-body">
        {firstUp ? <FirstUpDialog preview={firstUp} busy={busy} onConfirm={() => void send('confirmed-up')} onCancel={() => setFirstUp(null)} /> : null}
        {requestError ? <ErrorNotice error={requestError} onDismiss={() => setRequestError(null)} /> : null}
        <p className="pipeline-summary" role="status" aria-label="Up status">
          {runSummary(run)}
        </p>
        {run?.state === 'failed' && run.error ? <ErrorNotice error={run.error} title={`"${run.error.step}" failed`} /> : null}
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
