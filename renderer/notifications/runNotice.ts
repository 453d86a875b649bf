// When an Up run ends while the user looks elsewhere, a desktop notification says so. This file
// decides (pure functions: window attention × run state × app mode × permission) and remembers
// which runs were already announced; browserNotifications.ts talks to the Web Notification API.
// In the desktop app the main process notifies (main/electron), so the page stays quiet there.
import type { AppInfo, UpRun } from '../../preload/api';
import { formatDuration } from '../panels/pipeline/pipelineView';

export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

export interface WindowAttention {
  /** The tab or window is not shown (minimised, another tab, hidden). */
  hidden: boolean;
  /** The page has the keyboard focus (the user is in this window). */
  focused: boolean;
}

export interface NotifyDecisionInput {
  state: UpRun['state'];
  attention: WindowAttention;
  /** null while the app has not said which host it runs in: then nobody in the page notifies. */
  mode: AppInfo['mode'] | null;
  permission: NotificationPermissionState;
}

/** Whether the page should show a notification for a run that has just ended in `state`. */
export function shouldNotify({ state, attention, mode, permission }: NotifyDecisionInput): boolean {
  if (mode !== 'browser') return false; // Electron: the main process notifies, once
  if (permission !== 'granted') return false;
  if (state !== 'ready' && state !== 'failed') return false; // a cancel was the user's own doing
  return attention.hidden || !attention.focused;
}

/** Whether to ask for permission now (at an Up click): only in the browser, only if not yet decided. */
export function shouldAskPermission(mode: AppInfo['mode'] | null, permission: NotificationPermissionState): boolean {
  return mode === 'browser' && permission === 'default';
}

export interface RunNotice {
  title: string;
  body: string;
}

export function runNotice(run: UpRun, projectName: string): RunNotice {
  if (run.state === 'failed') {
    const where = run.error ? `"${run.error.step}" failed: ${run.error.message}` : 'Up failed.';
    return { title: `Up failed: ${projectName}`, body: where };
  }
  const took = formatDuration(run.durationMs);
  return { title: `${projectName} is ready`, body: `Up finished${took ? ` in ${took}` : ''}. The terminal and port forwards are open.` };
}

/**
 * Follows runs as they arrive and returns a run once, when it has just ended: it must have been
 * seen running here (a page opened after the end says nothing) and not announced before.
 */
export class RunEndTracker {
  private readonly running = new Set<string>();
  private readonly announced = new Set<string>();

  /** The run if this update is its end (ready, failed or cancelled), else null. */
  update(run: UpRun): UpRun | null {
    if (run.state === 'running') {
      this.running.add(run.runId);
      return null;
    }
    if (!this.running.has(run.runId) || this.announced.has(run.runId)) return null;
    this.running.delete(run.runId);
    this.announced.add(run.runId);
    return run;
  }
}
