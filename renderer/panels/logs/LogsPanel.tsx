// The Logs panel: pick a pod and container of the project, follow its log (optionally with
// timestamps, or the previous run after a restart), filter, pause, wrap, download. Lines land in a
// bounded ring buffer and are drawn by a virtualised view, at most once per animation frame.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, ApiEvents, ProjectInfo, ResultOf } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { errorValue } from '../../state/errorValue';
import { useApi } from '../../state/StoreContext';
import { LogBuffer } from './logBuffer';
import { LogView } from './LogView';
import './logs.css';

type Pods = ResultOf<'logs.pods'>;
type StreamState = ApiEvents['logs.state'];

const TAIL_LINES = 1000;

export function LogsPanel({ active }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const buffer = useMemo(() => new LogBuffer(50_000), []);
  const [version, setVersion] = useState(0);
  const [pods, setPods] = useState<Pods | null>(null);
  const [pod, setPod] = useState('');
  const [container, setContainer] = useState('');
  const [timestamps, setTimestamps] = useState(false);
  const [previous, setPrevious] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [state, setState] = useState<StreamState | null>(null);
  const stream = useRef<{ id: string | null; starting: boolean; held: Map<string, ApiEvents['logs.lines'][]>; heldState: Map<string, StreamState>; dead: Set<string> }>({
    id: null,
    starting: false,
    held: new Map(),
    heldState: new Map(),
    dead: new Set(),
  });
  const pausedRef = useRef(false);
  const pending = useRef(new LogBuffer(50_000)); // lines that arrive while paused
  const frame = useRef(0);

  const redraw = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setVersion(buffer.version);
    });
  };

  // One subscription for the panel's life; events are routed by stream id.
  useEffect(() => {
    const take = (batch: ApiEvents['logs.lines']) => {
      if (pausedRef.current) pending.current.append(batch.lines, batch.dropped ?? 0);
      else {
        buffer.append(batch.lines, batch.dropped ?? 0);
        redraw();
      }
    };
    const offLines = api.on('logs.lines', (batch) => {
      const s = stream.current;
      if (batch.streamId === s.id) return take(batch);
      if (s.starting && !s.dead.has(batch.streamId)) {
        // The reply to logs.start may come after its first lines.
        const held = s.held.get(batch.streamId) ?? [];
        if (held.length < 1000) held.push(batch);
        s.held.set(batch.streamId, held);
      }
    });
    const offState = api.on('logs.state', (st) => {
      const s = stream.current;
      if (st.streamId === s.id) setState(st);
      else if (s.starting && !s.dead.has(st.streamId)) s.heldState.set(st.streamId, st);
    });
    return () => {
      offLines();
      offState();
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
    // Deliberately keyed on what the effect is about, not on every function it calls.
  }, [api, buffer]);

  const loadPods = async () => {
    try {
      const list = await api.logs.pods();
      setPods(list);
      setError(null);
      if (!list.some((p) => p.name === pod)) {
        const pick = list.find((p) => p.phase === 'Running') ?? list[0];
        setPod(pick?.name ?? '');
        setContainer(pick?.containers[0] ?? '');
      }
    } catch (err) {
      setError(errorValue(err));
    }
  };

  const started = useRef(false);
  useEffect(() => {
    if (!active || started.current) return;
    started.current = true;
    void loadPods();
    // Deliberately keyed on what the effect is about, not on every function it calls.
  }, [active]);

  // An Up that reaches Ready has (re)deployed the pods: list them again, once the panel was opened.
  const loadPodsRef = useRef(loadPods);
  loadPodsRef.current = loadPods;
  useEffect(() => api.on('up.run', (run) => run.state === 'ready' && started.current && void loadPodsRef.current()), [api]);

  // (Re)start the stream whenever what to show changes.
  useEffect(() => {
    if (!pod || !container) return;
    let cancelled = false;
    const s = stream.current;
    buffer.clear();
    pending.current.clear();
    setVersion(buffer.version);
    setState(null);
    setError(null);
    s.starting = true;
    s.held.clear();
    s.heldState.clear();
    void api.logs
      .start({ pod, container, previous, timestamps, tailLines: TAIL_LINES, follow: true })
      .then((info) => {
        s.starting = false;
        if (cancelled) {
          s.dead.add(info.streamId);
          void api.logs.stop(info.streamId).catch(() => undefined);
          return;
        }
        s.id = info.streamId;
        for (const batch of s.held.get(info.streamId) ?? []) buffer.append(batch.lines, batch.dropped ?? 0);
        s.held.clear();
        // Until the container writes or the stream fails there is no state event: say what we wait for.
        setState(s.heldState.get(info.streamId) ?? { streamId: info.streamId, state: 'following', message: `Waiting for output from ${info.container} in pod ${info.pod}` });
        s.heldState.clear();
        redraw();
      })
      .catch((err: unknown) => {
        s.starting = false;
        if (!cancelled) setError(errorValue(err));
      });
    return () => {
      cancelled = true;
      if (s.id) {
        s.dead.add(s.id);
        void api.logs.stop(s.id).catch(() => undefined);
        s.id = null;
      }
    };
    // Deliberately keyed on what the effect is about, not on every function it calls.
  }, [api, pod, container, previous, timestamps]);

  const togglePause = () => {
    const next = !paused;
    pausedRef.current = next;
    setPaused(next);
    if (!next) {
      buffer.append(pending.current.toArray(), pending.current.dropped);
      pending.current.clear();
      redraw();
    }
  };

  const download = () => {
    const blob = new Blob([buffer.toArray().join('\n') + '\n'], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${pod}-${container}${previous ? '-previous' : ''}.log`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const current = pods?.find((p) => p.name === pod);
  // Listed, and none there: say what to do rather than "Connecting…".
  const noPods = pods !== null && pods.length === 0;

  return (
    <section className="card logs-panel" aria-labelledby="logs-title">
      <header className="card-header">
        <div>
          <h2 id="logs-title">Logs</h2>
          <p className="card-subtitle">A container&apos;s output, followed live; after a crash, the run before it.</p>
        </div>
      </header>
      <div className="card-body logs-body">
        <div className="logs-toolbar">
          <label className="logs-field">
            <span>Pod</span>
            <select
              className="select logs-pod"
              aria-label="Pod"
              title={current ? podLabel(current) : undefined}
              value={pod}
              onChange={(e) => {
                const next = pods?.find((p) => p.name === e.target.value);
                setPod(e.target.value);
                setContainer(next?.containers[0] ?? '');
              }}
            >
              {pods?.length ? null : <option value="">No pods</option>}
              {pods?.map((p) => (
                <option key={p.name} value={p.name}>
                  {podLabel(p)}
                </option>
              ))}
            </select>
          </label>
          <label className="logs-field">
            <span>Container</span>
            <select className="select" aria-label="Container" value={container} disabled={!current} onChange={(e) => setContainer(e.target.value)}>
              {current?.containers.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="icon-button" aria-label="Refresh pods" title="List the project's pods again" onClick={() => void loadPods()}>
            <Icon name="refresh" size={14} />
          </button>
        </div>
        {/* Row 1 picks what to follow (with room for long pod names); row 2 is how to look at it. */}
        <div className="logs-toolbar">
          <input className="input logs-filter" aria-label="Filter lines" placeholder="Filter lines" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <label className="checkbox">
            <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} /> Timestamps
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} /> Previous run
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap
          </label>
          <button type="button" className="button" aria-pressed={paused} disabled={!pod && !paused} onClick={togglePause}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" className="button" onClick={download} disabled={buffer.length === 0}>
            Download
          </button>
        </div>
        {error ? <ErrorNotice error={error} title="Could not show the logs" onDismiss={() => setError(null)} /> : null}
        <LogView buffer={buffer} version={version} filter={filter} wrap={wrap} emptyText={noPods ? 'No pod to show the log of.' : undefined} />
        <div className={`logs-status ${noPods ? '' : (state?.state ?? '')}`} role="status" aria-label="Log status">
          {noPods ? 'No pods of this project yet. Press Up to deploy it; the list refreshes when Up is ready.' : pods === null && error ? 'Could not list the pods.' : statusText(state, paused, pending.current.length)}
          {buffer.dropped > 0 ? ` · ${buffer.dropped.toLocaleString()} older lines not kept` : ''}
        </div>
      </div>
    </section>
  );
}

function podLabel(p: Pods[number]): string {
  return `${p.name} (${p.phase}${p.restarts ? `, ${p.restarts} restart${p.restarts === 1 ? '' : 's'}` : ''})`;
}

function statusText(state: StreamState | null, paused: boolean, waiting: number): string {
  if (paused) return `Paused · ${waiting.toLocaleString()} new lines waiting`;
  if (!state) return 'Connecting…';
  switch (state.state) {
    case 'following':
      return state.message ?? 'Following';
    case 'ended':
      return state.message ?? 'End of log';
    case 'reconnecting':
      return `Reconnecting: ${state.message ?? ''}`;
    case 'error':
      return `Error: ${state.message ?? ''}`;
  }
}
