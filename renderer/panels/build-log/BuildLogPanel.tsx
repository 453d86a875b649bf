// The Build log panel: the image build's own output for the current Up run, live and in colour,
// with a filter, Copy, the Dockerfile step as a progress bar, and a note when early lines were
// dropped. The log is kept in main, so opening the panel late or after a failed build still
// shows it.
import { useEffect, useRef, useState } from 'react';
import type { ApiError, ProjectInfo, UpRun } from '../../../preload/api';
import { copyText } from '../../components/copyText';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { useApi } from '../../state/StoreContext';
import { errorValue } from '../../state/errorValue';
import '../../styles/controls.css';
import '../../styles/projectView.css';
import '../logs/logs.css';
import { mergeRun } from '../pipeline/pipelineView';
import { BuildLogLines } from './BuildLogLines';
import { BuildLogModel, buildProgress, buildStepOf, droppedNote } from './buildLogModel';
import './build-log.css';

export function BuildLogPanel({ project }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const model = useRef(new BuildLogModel());
  const [version, setVersion] = useState(0);
  const [run, setRun] = useState<UpRun | null>(null);
  const [filter, setFilter] = useState('');
  const [copied, setCopied] = useState<string | null>(null);
  const [requestError, setRequestError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    // Events that arrive before the loaded log are already in it (main returns only lines it has
    // pushed, and replies and events travel in order), so they are skipped until it is loaded.
    let loaded = false;
    const m = new BuildLogModel();
    model.current = m;
    const redraw = () => setVersion((v) => v + 1);
    setRun(null);
    redraw();
    const offLines = api.on('up.buildLog', (batch) => {
      if (!loaded) return;
      m.append(batch);
      redraw();
    });
    let latestRun: UpRun | null = null;
    const showRun = (r: UpRun) => {
      const next = mergeRun(latestRun, r);
      latestRun = next;
      // A new run clears the old build's lines even when its own build prints nothing (skipped).
      if (next === r && loaded && r.runId !== m.runId) m.startRun(r.runId);
      setRun(next);
      redraw();
    };
    const offRun = api.on('up.run', showRun);
    Promise.all([api.up.buildLog(), api.up.current()])
      .then(([log, current]) => {
        if (!live) return;
        m.load(log);
        if (current) showRun(current);
      })
      .catch((err: unknown) => live && setRequestError(errorValue(err)))
      .finally(() => {
        loaded = true;
        if (live) redraw();
      });
    return () => {
      live = false;
      offLines();
      offRun();
    };
  }, [api, project.path]);

  // "Copied" is a moment's confirmation, then the line count again.
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  const m = model.current;
  const copy = async () => {
    try {
      await copyText(m.text(filter));
      setCopied(filter ? 'Copied the matching lines.' : 'Copied the build log.');
    } catch (err) {
      setRequestError({ code: 'INTERNAL', message: `Could not copy the build log: ${errorValue(err).message}`, hint: 'Narrow it with the filter and select the lines with the mouse, then press Ctrl+C (⌘C on macOS).' });
    }
  };
  // A run's events are about that run only; an older run's steps say nothing about this log.
  const sameRun = run && (m.runId === null || run.runId === m.runId) ? run : null;

  return (
    <BuildLogBody
      model={m}
      version={version}
      run={sameRun}
      filter={filter}
      onFilter={setFilter}
      onCopy={() => void copy()}
      status={copied}
      error={requestError}
      onDismissError={() => setRequestError(null)}
    />
  );
}

/** The panel's content from its state (separate so it renders without a window or api). */
export function BuildLogBody(props: {
  model: BuildLogModel;
  version: number;
  run: UpRun | null;
  filter: string;
  onFilter: (filter: string) => void;
  onCopy: () => void;
  status?: string | null;
  error?: ApiError | null;
  onDismissError?: () => void;
}) {
  const { model, version, run, filter } = props;
  const progress = buildProgress(model.step, buildStepOf(run));
  const dropped = droppedNote(model.dropped);
  const empty = model.runId === null && !run;

  return (
    <section className={`card build-log-panel${empty ? ' empty' : ' logs-panel'}`} aria-labelledby="build-log-title">
      <header className="card-header">
        <div>
          <h2 id="build-log-title">Build log</h2>
          <p className="card-subtitle">The image build&apos;s output for the current Up run.</p>
        </div>
      </header>
      <div className="card-body logs-body">
        {props.error ? <ErrorNotice error={props.error} {...(props.onDismissError ? { onDismiss: props.onDismissError } : {})} /> : null}
        {empty ? (
          <p className="build-log-empty" role="status">
            No build yet. Press Up: the image build&apos;s output appears here as it runs, and stays after a failed build.
          </p>
        ) : (
          <>
            {progress ? (
              <div className={`build-log-progress state-${progress.state}`} role="status" aria-label="Build progress">
                <span className="build-log-progress-label">{progress.label}</span>
                {progress.value === null ? <progress max={1} /> : <progress max={1} value={progress.value} />}
              </div>
            ) : null}
            <div className="logs-toolbar">
              <input className="input logs-filter" aria-label="Filter lines" placeholder="Filter lines" value={filter} onChange={(e) => props.onFilter(e.target.value)} />
              <button type="button" className="button" onClick={props.onCopy} disabled={model.raw.length === 0}>
                <Icon name="file" size={14} />
                Copy
              </button>
            </div>
            {dropped ? (
              <p className="build-log-dropped" role="note">
                {dropped}
              </p>
            ) : null}
            <BuildLogLines raw={model.raw} plain={model.plain} version={version + model.version} filter={filter} />
            <p className="logs-status" role="status" aria-live="polite">
              {props.status ?? `${model.raw.length.toLocaleString('en-US')} lines`}
            </p>
          </>
        )}
      </div>
    </section>
  );
}
