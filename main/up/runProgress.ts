// How far a run is, for the taskbar (Electron), the tab title (browser) and the header: finished
// steps, and a fraction that counts the running steps' own progress. Computed here once per
// update and sent with the run, so every display agrees.
import type { UpRun, UpStep, UpStepState } from '../../preload/api';

const FINISHED: ReadonlySet<UpStepState> = new Set(['done', 'skipped', 'failed', 'cancelled', 'not-run']);

const clamp01 = (n: number) => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);

export function runProgress(steps: UpStep[]): UpRun['progress'] {
  const total = steps.length;
  const finished = steps.filter((s) => FINISHED.has(s.state)).length;
  const partial = steps.filter((s) => s.state === 'running').reduce((sum, s) => sum + clamp01(s.progress ?? 0), 0);
  return { finished, total, fraction: total === 0 ? 0 : clamp01((finished + partial) / total) };
}
