// The project's latest Up run and whether its sessions run, shared by the header's Up controls,
// the Pipeline panel and the run signals (title, notifications): one subscription to `up.run`
// per api, so every view shows the same run.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError, DevspaceApi, UpRun } from '../../../preload/api';
import { errorValue } from '../../state/errorValue';
import { mergeRun } from './pipelineView';
import type { SessionsState } from './upControls';

export interface UpRunState {
  /** The project the run belongs to; another project starts empty. */
  projectPath: string | null;
  run: UpRun | null;
  sessions: SessionsState;
  /** What the user did to the ready run since: Stop (sessions closed) or Purge (release uninstalled). */
  ended: 'stopped' | 'purged' | null;
  /** Why the latest run could not be loaded. */
  loadError: ApiError | null;
}

export interface UpRunStore extends StoreApi<UpRunState> {
  /** Shows `projectPath`'s run: loads it (once per project) from up.current. */
  sync(projectPath: string): void;
  /** A run returned by a request (start/cancel), merged like an event. */
  accept(run: UpRun): void;
  /** Up.stop or up.purge ended the sessions. */
  sessionsStopped(by: 'stopped' | 'purged'): void;
}

const stores = new WeakMap<DevspaceApi, UpRunStore>();

/** The one store for this api (created on first use, living as long as the api). */
export function upRunStoreFor(api: DevspaceApi): UpRunStore {
  let store = stores.get(api);
  if (!store) {
    store = createUpRunStore(api);
    stores.set(api, store);
  }
  return store;
}

export function createUpRunStore(api: DevspaceApi): UpRunStore {
  const base = createStore<UpRunState>()(() => ({ projectPath: null, run: null, sessions: 'unknown', ended: null, loadError: null }));
  let loadSeq = 0;

  const accept = (next: UpRun) =>
    base.setState((s) => {
      const run = mergeRun(s.run, next);
      if (run !== next) return s;
      // A run that has just become ready started the ports and terminals again.
      const becameReady = next.state === 'ready' && !(s.run?.runId === next.runId && s.run.state === 'ready');
      const another = s.run?.runId !== next.runId;
      return { run, ...(becameReady ? { sessions: 'running' as const } : {}), ...(another ? { ended: null } : {}) };
    });

  api.on('up.run', accept);
  // Port status arrives often (traffic counters): only a change of `running` matters here.
  api.on('ports.status', (view) => {
    const sessions = view.running ? 'running' : 'stopped';
    if (base.getState().sessions !== sessions) base.setState({ sessions });
  });

  return {
    ...base,
    sync(projectPath) {
      if (base.getState().projectPath === projectPath) return;
      const seq = ++loadSeq;
      base.setState({ projectPath, run: null, sessions: 'unknown', ended: null, loadError: null });
      void (async () => {
        try {
          const run = await api.up.current();
          if (seq !== loadSeq || !run) return;
          accept(run);
          // After a reload the run may say ready while the user has stopped the sessions since.
          if (run.state === 'ready') {
            const ports = await api.ports.list().catch(() => null);
            if (seq === loadSeq && ports && base.getState().run?.runId === run.runId) base.setState({ sessions: ports.running ? 'running' : 'stopped' });
          }
        } catch (err) {
          if (seq === loadSeq) base.setState({ loadError: errorValue(err) });
        }
      })();
    },
    accept,
    sessionsStopped(by) {
      base.setState({ sessions: 'stopped', ended: by });
    },
  };
}

/** The shared run state of `projectPath` for a component. */
export function useUpRun(api: DevspaceApi, projectPath: string): UpRunState & { store: UpRunStore } {
  const store = upRunStoreFor(api);
  useEffect(() => store.sync(projectPath), [store, projectPath]);
  const state = useStore(store);
  // Until the effect has run, an earlier project's run must not show.
  if (state.projectPath !== projectPath) return { projectPath, run: null, sessions: 'unknown', ended: null, loadError: null, store };
  return { ...state, store };
}
