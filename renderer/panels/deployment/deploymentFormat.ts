// Small pure helpers for the Deployment panel's wording: ages like kubectl's, status tones.
import type { DeploymentRevision, DeploymentView } from '../../../preload/api';

/** kubectl's AGE column: 45s, 12m, 3h, 2d (and "" for a missing or bad time). */
export function shortAge(iso: string | undefined, now: Date): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.floor((now.getTime() - t) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

export type Tone = 'ok' | 'warn' | 'danger' | 'muted';

/** How a revision status looks: deployed green, failed red, pending amber, the rest muted. */
export function revisionTone(status: string): Tone {
  if (status === 'deployed') return 'ok';
  if (status === 'failed') return 'danger';
  if (status.startsWith('pending') || status === 'uninstalling') return 'warn';
  return 'muted';
}

export function phaseTone(phase: string, ready: string, problem: string | undefined): Tone {
  if (problem || phase === 'Failed') return 'danger';
  const [n, m] = ready.split('/');
  if (phase === 'Running' && n === m) return 'ok';
  if (phase === 'Succeeded') return 'muted';
  return 'warn';
}

/** The revisions the user may roll back to from the history table: every one but the newest. */
export function canRollBackTo(view: DeploymentView, r: DeploymentRevision): boolean {
  return !!view.current && r.revision !== view.current.revision;
}

/** The question the confirm dialog asks, naming both revisions. */
export function rollbackQuestion(view: DeploymentView, target: number): string {
  const from = view.current ? `revision ${view.current.revision}` : 'the current revision';
  return `Roll back release "${view.release}" from ${from} to revision ${target}?`;
}
