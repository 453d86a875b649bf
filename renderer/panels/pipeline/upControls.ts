// What the Up controls offer for the project's state, as plain functions: Up when idle, Cancel
// (with the running step) while a run runs, Up + Stop when the project is up; how far a run is
// (for the window title and progress bars); and when a failed run should offer a rollback.
import type { DeploymentView, UpRun } from '../../../preload/api';

/** Whether the dev container's sessions (terminals, port forwards) run, as far as the UI knows. */
export type SessionsState = 'unknown' | 'running' | 'stopped';

/** idle: nothing runs (no run, failed, cancelled, or stopped); running: Up is running; up: ready with sessions running. */
export type UpPhase = 'idle' | 'running' | 'up';

export function upPhase(run: UpRun | null, sessions: SessionsState): UpPhase {
  if (run?.state === 'running') return 'running';
  if (run?.state === 'ready' && sessions !== 'stopped') return 'up';
  return 'idle';
}

export interface HeaderControls {
  phase: UpPhase;
  /** The main button: Up, or Cancel while running. */
  primary: { kind: 'up' | 'cancel'; label: 'Up' | 'Cancel' };
  /** While running: the step(s) running now, e.g. "Build image". */
  currentStep?: string;
  /** Stop the terminals and port forwards (the deployment keeps running). */
  stop: boolean;
  /** The "More" menu: Force rebuild and Purge… (not while a run runs). */
  menu: boolean;
}

export function headerControls(run: UpRun | null, sessions: SessionsState): HeaderControls {
  const phase = upPhase(run, sessions);
  if (phase === 'running') {
    const current = run!.steps.filter((s) => s.state === 'running').map((s) => s.title);
    return { phase, primary: { kind: 'cancel', label: 'Cancel' }, currentStep: current.length ? current.join(', ') : 'Starting…', stop: false, menu: false };
  }
  return { phase, primary: { kind: 'up', label: 'Up' }, stop: phase === 'up', menu: true };
}

/** The window/tab title: "(3/8) DevSpace Desktop" while a run runs, the plain title otherwise. */
export function titleFor(baseTitle: string, run: UpRun | null): string {
  if (run?.state !== 'running') return baseTitle;
  const p = run.progress;
  return `(${p.finished}/${p.total}) ${baseTitle}`;
}

/** The id of the step a failed run failed in ('deploy', 'rollout', …). */
export function failedStepId(run: UpRun | null): string | undefined {
  if (run?.state !== 'failed') return undefined;
  return run.steps.find((s) => s.state === 'failed')?.id;
}

/** A failed deploy or rollout may have left an earlier revision running: ask deploy.status then. */
export function mayOfferRollback(run: UpRun | null): boolean {
  const id = failedStepId(run);
  return id === 'deploy' || id === 'rollout';
}

/** The revision to offer rolling back to: only after a failed deploy/rollout, and only when deploy.status names one. */
export function rollbackOfferFor(run: UpRun | null, view: Pick<DeploymentView, 'rollbackTo'> | null): number | null {
  if (!mayOfferRollback(run) || !view?.rollbackTo) return null;
  return view.rollbackTo;
}

export function purgeQuestion(release: string | undefined, namespace: string | undefined): string {
  const what = release ? `release ${release}` : "the project's release";
  const where = namespace ? ` from namespace ${namespace}` : '';
  return `Uninstall ${what}${where}? The terminals and port forwards stop; the registry and its images stay.`;
}

export function purgeResult(r: { release: string; removed: number }, namespace?: string): string {
  const where = namespace ? ` from namespace ${namespace}` : '';
  return `Uninstalled release ${r.release}${where}. Removed ${r.removed} ${r.removed === 1 ? 'object' : 'objects'}.`;
}

/** A line under the run's summary once the user stopped or purged what it started. */
export function afterRunNote(ended: 'stopped' | 'purged' | null): string | null {
  if (ended === 'stopped') return 'Stopped: the terminals and port forwards are closed; the deployment keeps running. Up starts them again.';
  if (ended === 'purged') return 'Purged: the release was uninstalled from the cluster. Up deploys it again.';
  return null;
}
