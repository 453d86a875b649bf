// What the Build log panel holds, as plain code: the current run's lines (raw for the colours,
// plain for the filter and Copy, both bounded like main's keeper), and the build's progress in the
// user's words from BuildLog.step and the pipeline's "Build image" step.
import type { BuildLog, UpRun, UpStep } from '../../../preload/api';
import { LogBuffer } from '../logs/logBuffer';
import { stripAnsi } from './ansi';

export const BUILD_LOG_CAPACITY = 20_000;

export class BuildLogModel {
  readonly raw = new LogBuffer(BUILD_LOG_CAPACITY);
  readonly plain = new LogBuffer(BUILD_LOG_CAPACITY);
  runId: string | null = null;
  step: BuildLog['step'];

  get version(): number {
    return this.raw.version;
  }

  get dropped(): number {
    return this.raw.dropped;
  }

  /** The log `up.buildLog` returned: replaces whatever was shown. */
  load(log: BuildLog | null): void {
    if (!log) return;
    this.startRun(log.runId);
    this.step = log.step;
    this.add(log.lines, log.dropped);
  }

  /** A batch of `up.buildLog` lines; a batch of another run starts that run's log afresh. */
  append(batch: { runId: string; lines: string[] }): void {
    if (batch.runId !== this.runId) this.startRun(batch.runId);
    this.add(batch.lines, 0);
  }

  /** A new run began (seen first in `up.run` when its build has not printed yet): clears. */
  startRun(runId: string): void {
    if (runId === this.runId) return;
    this.runId = runId;
    this.step = undefined;
    this.raw.clear();
    this.plain.clear();
  }

  /** The shown lines as text (those matching the filter when there is one), for Copy. */
  text(filter: string): string {
    const needle = filter.toLowerCase();
    const out: string[] = [];
    for (let i = 0; i < this.plain.length; i++) {
      const l = this.plain.at(i);
      if (!needle || l.toLowerCase().includes(needle)) out.push(l);
    }
    return out.join('\n');
  }

  private add(lines: string[], skipped: number): void {
    this.raw.append(lines, skipped);
    this.plain.append(lines.map(stripAnsi), skipped);
  }
}

export interface BuildProgress {
  label: string;
  /** 0…1; null while there is no step count to show (preparing). */
  value: number | null;
  state: 'waiting' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';
}

const STEP_DETAIL = /^Step (\d+)\/(\d+): (.*)$/;

/** The Dockerfile step from the build step's detail line ("Step 3/7: RUN npm ci"). */
export function stepFromDetail(detail: string | undefined): BuildLog['step'] {
  const m = detail ? STEP_DETAIL.exec(detail) : null;
  return m ? { index: Number(m[1]), total: Number(m[2]), instruction: m[3]! } : undefined;
}

const stepText = (s: NonNullable<BuildLog['step']>) => `step ${s.index} of ${s.total}: ${s.instruction}`;
const fraction = (s: NonNullable<BuildLog['step']>) => (s.total > 0 ? (s.index - 1) / s.total : null);

/** The progress bar's label and value; null when there is nothing to say (no run, build not run). */
export function buildProgress(logStep: BuildLog['step'], build: UpStep | undefined): BuildProgress | null {
  const step = stepFromDetail(build?.detail) ?? logStep;
  if (!build) return step ? { label: `Building, ${stepText(step)}`, value: fraction(step), state: 'running' } : null;
  switch (build.state) {
    case 'pending':
      return { label: 'The build waits for the earlier steps.', value: null, state: 'waiting' };
    case 'running':
      if (step) return { label: `Building, ${stepText(step)}`, value: build.progress ?? fraction(step), state: 'running' };
      return { label: build.detail ?? 'Preparing the build', value: null, state: 'running' };
    case 'done':
      return { label: build.detail ? `Done: ${build.detail}` : 'Build done', value: 1, state: 'done' };
    case 'skipped':
      return { label: `No build needed: ${build.detail ?? 'image unchanged'}`, value: 1, state: 'skipped' };
    case 'failed':
      return { label: step ? `Failed at ${stepText(step)}` : `Failed: ${build.error?.message ?? 'the build failed'}`, value: step ? fraction(step) : null, state: 'failed' };
    case 'cancelled':
      return { label: step ? `Cancelled at ${stepText(step)}` : 'Cancelled', value: step ? fraction(step) : null, state: 'cancelled' };
    case 'not-run':
      return null;
  }
}

/** The pipeline's build step of a run. */
export const buildStepOf = (run: UpRun | null): UpStep | undefined => run?.steps.find((s) => s.id === 'build');

/** "1,234 earlier lines were dropped …", or null. */
export function droppedNote(dropped: number): string | null {
  if (dropped <= 0) return null;
  return `${dropped.toLocaleString('en-US')} earlier ${dropped === 1 ? 'line was' : 'lines were'} dropped to keep the log bounded; the newest ${BUILD_LOG_CAPACITY.toLocaleString('en-US')} are shown.`;
}
