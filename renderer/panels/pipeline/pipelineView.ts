// What the Pipeline panel shows for an Up run, as plain functions: the step states in the user's
// words, durations, and what the main button does (Up / Cancel / Up again).
import type { UpRun, UpStep, UpStepState } from '../../../preload/api';

export const STEP_STATE_LABEL: Record<UpStepState, string> = {
  pending: 'Waiting',
  running: 'Running',
  done: 'Done',
  skipped: 'Skipped',
  failed: 'Failed',
  cancelled: 'Cancelled',
  'not-run': 'Not run',
};

/** "0.4 s", "12 s", "2 min 5 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export type PipelineAction = { kind: 'up'; label: string } | { kind: 'cancel'; label: string };

/** The main button: Cancel while a run is running, otherwise Up (named "Up again" after a run). */
export function actionFor(run: UpRun | null): PipelineAction {
  if (run?.state === 'running') return { kind: 'cancel', label: 'Cancel' };
  return { kind: 'up', label: run ? 'Up again' : 'Up' };
}

/** One line for the run as a whole. */
export function runSummary(run: UpRun | null): string {
  if (!run) return 'Press Up to build, deploy and open the project in the cluster.';
  const took = formatDuration(run.durationMs);
  switch (run.state) {
    case 'running': {
      const current = run.steps.filter((s) => s.state === 'running').map((s) => s.title);
      return current.length ? `Running: ${current.join(', ')}` : 'Starting…';
    }
    case 'ready':
      return `Ready${took ? ` in ${took}` : ''}.`;
    case 'cancelled':
      return 'Cancelled; what the running step created was removed.';
    case 'failed':
      // The message and hint are in the alert below and on the step itself: the summary only says where.
      return run.error ? `"${run.error.step}" failed${took ? ` after ${took}` : ''}.` : 'Up failed.';
  }
}

/** The run with an update applied, ignoring events of older runs that arrive late. */
export function mergeRun(current: UpRun | null, next: UpRun): UpRun {
  if (!current || current.runId === next.runId) return next;
  return Date.parse(next.startedAt) >= Date.parse(current.startedAt) ? next : current;
}

export function stepLine(step: UpStep): string {
  return [step.title, STEP_STATE_LABEL[step.state], step.detail, formatDuration(step.durationMs)].filter(Boolean).join(' · ');
}
