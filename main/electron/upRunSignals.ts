// The desktop app's signals for an Up run outside the page: the taskbar/dock progress bar while
// Up runs (red briefly after a failure, then cleared) and a native notification when a run ends
// while the window is hidden or not focused (clicking it brings the window back). Plain logic over
// a window and a notifier passed in, so it is tested without Electron; main.ts wires the real ones.
// The renderer stays quiet in Electron mode (AppInfo.mode), so each run is announced once.
import type { ApiEventName, ProjectInfo, UpRun } from '../../preload/api';

/** The part of a BrowserWindow this needs. */
export interface SignalWindow {
  isDestroyed(): boolean;
  isVisible(): boolean;
  isMinimized(): boolean;
  isFocused(): boolean;
  setProgressBar(progress: number, options?: { mode: 'none' | 'normal' | 'indeterminate' | 'error' | 'paused' }): void;
  show(): void;
  restore(): void;
  focus(): void;
}

export interface SignalDeps {
  window: () => SignalWindow | null;
  /** Shows a native notification; `onClick` runs when the user clicks it. */
  notify: (n: { title: string; body: string; onClick: () => void }) => void;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  /** How long the red "failed" bar stays before it is cleared. */
  errorBarMs?: number;
}

export interface UpRunSignals {
  /** Feed it every event of the app's EventBus (it uses 'up.run' and 'project.changed'). */
  onEvent(event: ApiEventName, payload: unknown): void;
  dispose(): void;
}

/** Whether the user is looking elsewhere: the window is hidden, minimised or not focused. */
export function windowUnattended(win: SignalWindow): boolean {
  return !win.isVisible() || win.isMinimized() || !win.isFocused();
}

export function runEndNotice(run: UpRun, projectName: string | undefined): { title: string; body: string } | null {
  const name = projectName ?? 'The project';
  if (run.state === 'ready') {
    const took = run.durationMs !== undefined ? ` in ${seconds(run.durationMs)}` : '';
    return { title: `${name} is ready`, body: `Up finished${took}. The terminal and port forwards are open.` };
  }
  if (run.state === 'failed') {
    return { title: `Up failed: ${name}`, body: run.error ? `"${run.error.step}" failed: ${run.error.message}` : 'Up failed.' };
  }
  return null; // cancelled: the user did it
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function createUpRunSignals(deps: SignalDeps): UpRunSignals {
  const errorBarMs = deps.errorBarMs ?? 4000;
  const seenRunning = new Set<string>();
  const announced = new Set<string>();
  let projectName: string | undefined;
  let errorTimer: unknown = null;

  const win = () => {
    const w = deps.window();
    return w && !w.isDestroyed() ? w : null;
  };
  const clearErrorTimer = () => {
    if (errorTimer !== null) deps.clearTimer(errorTimer);
    errorTimer = null;
  };

  const onRun = (run: UpRun) => {
    const w = win();
    if (run.state === 'running') {
      seenRunning.add(run.runId);
      clearErrorTimer();
      w?.setProgressBar(run.progress.fraction, { mode: 'normal' });
      return;
    }
    // Only the end of a run seen running here, once (its last event may be repeated).
    if (!seenRunning.has(run.runId) || announced.has(run.runId)) return;
    seenRunning.delete(run.runId);
    announced.add(run.runId);
    clearErrorTimer();
    if (run.state === 'failed') {
      w?.setProgressBar(1, { mode: 'error' });
      errorTimer = deps.setTimer(() => {
        errorTimer = null;
        win()?.setProgressBar(-1);
      }, errorBarMs);
    } else {
      w?.setProgressBar(-1);
    }
    const notice = runEndNotice(run, projectName);
    if (notice && w && windowUnattended(w)) {
      deps.notify({
        ...notice,
        onClick: () => {
          const target = win();
          if (!target) return;
          if (target.isMinimized()) target.restore();
          target.show();
          target.focus();
        },
      });
    }
  };

  return {
    onEvent(event, payload) {
      if (event === 'up.run') onRun(payload as UpRun);
      else if (event === 'project.changed') projectName = (payload as ProjectInfo | null)?.name;
    },
    dispose() {
      clearErrorTimer();
      win()?.setProgressBar(-1);
    },
  };
}
