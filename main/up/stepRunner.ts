// Runs the steps of a pipeline (Up) as a dependency graph: a step starts as soon as the steps it
// needs are done, so independent ones (registry and Tiller readiness alongside the build) run in
// parallel. Every step reports start, progress, outcome and duration. A failure or a cancel stops
// the steps still running and undoes what the unfinished steps created, newest first.
import type { ApiError } from '../../preload/api';
import { AppError, toApiError } from '../ipc/errors';

export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled' | 'not-run';

export interface StepReport {
  id: string;
  title: string;
  state: StepState;
  /** One line on what the step is doing or did ("Step 3/7: RUN npm ci", "skipped: image unchanged"). */
  detail?: string;
  /** 0..1 where the step can tell. */
  progress?: number;
  startedAt?: string;
  durationMs?: number;
  error?: ApiError;
}

export interface StepContext<S> {
  signal: AbortSignal;
  shared: S;
  progress(detail: string, fraction?: number): void;
  /** Registers an undo action, run only if this step fails or the pipeline is cancelled before it finishes. */
  onUndo(action: () => Promise<void> | void): void;
}

export interface StepOutcome {
  skipped?: boolean;
  detail?: string;
}

export interface StepDefinition<S> {
  id: string;
  title: string;
  needs?: string[];
  run(ctx: StepContext<S>): Promise<StepOutcome | void>;
}

export interface PipelineResult {
  ok: boolean;
  cancelled: boolean;
  steps: StepReport[];
  /** The first failure, named after its step. */
  error?: ApiError & { step: string };
}

export interface RunOptions<S> {
  shared: S;
  signal?: AbortSignal;
  now?: () => number;
  onUpdate?: (report: StepReport) => void;
  log?: (line: string) => void;
}

export async function runPipeline<S>(steps: StepDefinition<S>[], options: RunOptions<S>): Promise<PipelineResult> {
  checkGraph(steps);
  const now = options.now ?? (() => Date.now());
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(new AppError('CANCELLED', 'Cancelled.'));
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const reports = new Map<string, StepReport>(steps.map((s) => [s.id, { id: s.id, title: s.title, state: 'pending' }]));
  const undo: Array<{ step: string; action: () => Promise<void> | void }> = [];
  const running = new Map<string, Promise<void>>();
  let firstError: PipelineResult['error'];

  const update = (id: string, change: Partial<StepReport>) => {
    const next = { ...(reports.get(id) as StepReport), ...change };
    reports.set(id, next);
    options.onUpdate?.(next);
  };

  const start = (step: StepDefinition<S>) => {
    const began = now();
    update(step.id, { state: 'running', startedAt: new Date(began).toISOString() });
    const ctx: StepContext<S> = {
      signal: stop.signal,
      shared: options.shared,
      progress: (detail, fraction) => {
        if (reports.get(step.id)?.state === 'running') update(step.id, { detail, ...(fraction === undefined ? {} : { progress: fraction }) });
      },
      onUndo: (action) => undo.push({ step: step.id, action }),
    };
    const promise = (async () => {
      try {
        if (stop.signal.aborted) throw stop.signal.reason;
        const outcome = (await step.run(ctx)) ?? {};
        if (stop.signal.aborted && !outcome.skipped) throw stop.signal.reason;
        update(step.id, {
          state: outcome.skipped ? 'skipped' : 'done',
          durationMs: now() - began,
          ...(outcome.detail ? { detail: outcome.detail } : {}),
          ...(outcome.skipped ? {} : { progress: 1 }),
        });
        // A finished step's creations are now the user's deployment: never undo them.
        for (let i = undo.length - 1; i >= 0; i--) if (undo[i]?.step === step.id) undo.splice(i, 1);
      } catch (err) {
        const cancelled = stop.signal.aborted && (err === stop.signal.reason || (err instanceof AppError && err.code === 'CANCELLED'));
        const apiError = cancelled ? { code: 'CANCELLED' as const, message: 'Cancelled.' } : toApiError(err, options.log);
        update(step.id, { state: cancelled ? 'cancelled' : 'failed', durationMs: now() - began, error: apiError });
        if (!cancelled && !firstError) {
          firstError = { ...apiError, step: step.title };
          stop.abort(new AppError('CANCELLED', `Stopped because "${step.title}" failed.`));
        }
      } finally {
        running.delete(step.id);
      }
    })();
    running.set(step.id, promise);
  };

  const ready = (s: StepDefinition<S>) =>
    reports.get(s.id)?.state === 'pending' && (s.needs ?? []).every((n) => ['done', 'skipped'].includes(reports.get(n)?.state ?? ''));

  for (;;) {
    if (!stop.signal.aborted) for (const s of steps) if (ready(s)) start(s);
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  for (const s of steps) if (reports.get(s.id)?.state === 'pending') update(s.id, { state: 'not-run' });

  // Undo newest first, each independently: one failing undo must not keep the others from running.
  for (const { step, action } of undo.reverse()) {
    try {
      await action();
    } catch (err) {
      options.log?.(`undo of "${step}" failed: ${(err as Error).message}`);
    }
  }
  options.signal?.removeEventListener('abort', onOuterAbort);
  const cancelled = !firstError && stop.signal.aborted;
  return {
    ok: !firstError && !cancelled,
    cancelled,
    steps: steps.map((s) => reports.get(s.id) as StepReport),
    ...(firstError ? { error: firstError } : {}),
  };
}

function checkGraph<S>(steps: StepDefinition<S>[]): void {
  const ids = new Set<string>();
  for (const s of steps) {
    if (ids.has(s.id)) throw new Error(`step "${s.id}" is defined twice`);
    ids.add(s.id);
  }
  for (const s of steps) for (const n of s.needs ?? []) if (!ids.has(n)) throw new Error(`step "${s.id}" needs unknown step "${n}"`);
  const visiting = new Set<string>();
  const done = new Set<string>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const visit = (id: string) => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw new Error(`steps form a cycle through "${id}"`);
    visiting.add(id);
    for (const n of byId.get(id)?.needs ?? []) visit(n);
    visiting.delete(id);
    done.add(id);
  };
  for (const s of steps) visit(s.id);
}
