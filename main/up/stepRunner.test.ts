import { describe, expect, it } from 'vitest';
import { AppError } from '../ipc/errors';
import { type StepDefinition, runPipeline } from './stepRunner';

type Log = string[];

/** A step that records when it starts/ends and waits for a gate the test opens. */
function gated(id: string, log: Log, needs: string[] = []) {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const step: StepDefinition<Log> = {
    id,
    title: `Step ${id}`,
    needs,
    run: async ({ signal, onUndo }) => {
      log.push(`start ${id}`);
      onUndo(() => void log.push(`undo ${id}`));
      await Promise.race([gate, new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))]);
      log.push(`end ${id}`);
    },
  };
  return { step, open };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the pipeline step runner', () => {
  it('runs independent steps in parallel and dependent ones after their needs', async () => {
    const log: Log = [];
    const build = gated('build', log);
    const registry = gated('registry', log);
    const deploy = gated('deploy', log, ['build', 'registry']);
    const run = runPipeline([build.step, registry.step, deploy.step], { shared: log });
    await tick();
    expect(log).toEqual(['start build', 'start registry']);
    build.open();
    await tick();
    expect(log).not.toContain('start deploy');
    registry.open();
    await tick();
    await tick();
    expect(log).toContain('start deploy');
    deploy.open();
    const result = await run;
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    expect(log.filter((l) => l.startsWith('undo'))).toEqual([]);
  });

  it('reports start, progress, outcome and duration for each step', async () => {
    let t = 1000;
    const updates: string[] = [];
    const result = await runPipeline<null>(
      [
        {
          id: 'build',
          title: 'Build image',
          run: async ({ progress }) => {
            progress('Step 1/2', 0.5);
            t += 250;
            return { detail: 'built app:abc' };
          },
        },
        { id: 'push', title: 'Push image', needs: ['build'], run: async () => ({ skipped: true, detail: 'registry already has app:abc' }) },
      ],
      { shared: null, now: () => t, onUpdate: (r) => updates.push(`${r.id}:${r.state}:${r.detail ?? ''}`) },
    );
    expect(updates).toEqual(['build:running:', 'build:running:Step 1/2', 'build:done:built app:abc', 'push:running:', 'push:skipped:registry already has app:abc']);
    expect(result.steps[0]).toMatchObject({ state: 'done', durationMs: 250, progress: 1 });
    expect(result.steps[1]).toMatchObject({ state: 'skipped', durationMs: 0 });
  });

  it('on failure names the step, stops the others and undoes what unfinished steps created', async () => {
    const log: Log = [];
    const registry = gated('registry', log);
    const failing: StepDefinition<Log> = {
      id: 'build',
      title: 'Build image',
      run: async ({ onUndo }) => {
        onUndo(() => void log.push('undo build (delete build pod)'));
        await tick();
        throw new AppError('CLUSTER_ERROR', 'RUN npm ci failed', 'Fix the Dockerfile');
      },
    };
    const deploy = gated('deploy', log, ['build', 'registry']);
    const result = await runPipeline([failing, registry.step, deploy.step], { shared: log });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({ code: 'CLUSTER_ERROR', message: 'RUN npm ci failed', hint: 'Fix the Dockerfile', step: 'Build image' });
    expect(result.steps.map((s) => s.state)).toEqual(['failed', 'cancelled', 'not-run']);
    expect(log).toEqual(['start registry', 'undo registry', 'undo build (delete build pod)']);
  });

  it('keeps what finished steps created when a later step fails', async () => {
    const log: Log = [];
    const build = gated('build', log);
    build.open();
    const deploy: StepDefinition<Log> = { id: 'deploy', title: 'Deploy', needs: ['build'], run: async () => { throw new Error('boom'); } };
    const result = await runPipeline([build.step, deploy], { shared: log, log: () => {} });
    expect(result.error).toMatchObject({ code: 'INTERNAL', step: 'Deploy' });
    expect(log).not.toContain('undo build');
  });

  it('cancel stops the running step and undoes it', async () => {
    const log: Log = [];
    const build = gated('build', log);
    const push = gated('push', log, ['build']);
    const controller = new AbortController();
    const run = runPipeline([build.step, push.step], { shared: log, signal: controller.signal });
    await tick();
    controller.abort();
    const result = await run;
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(result.error).toBeUndefined();
    expect(result.steps.map((s) => s.state)).toEqual(['cancelled', 'not-run']);
    expect(log).toEqual(['start build', 'undo build']);
  });

  it('an undo that fails does not stop the other undos', async () => {
    const log: string[] = [];
    const result = await runPipeline<null>(
      [
        {
          id: 'a',
          title: 'A',
          run: async ({ onUndo }) => {
            onUndo(() => void log.push('undo 1'));
            onUndo(() => {
              throw new Error('cannot delete');
            });
            throw new Error('failed');
          },
        },
      ],
      { shared: null, log: (l) => log.push(l) },
    );
    expect(result.ok).toBe(false);
    expect(log).toContain('undo 1');
    expect(log.some((l) => l.includes('cannot delete'))).toBe(true);
  });

  it('rejects graphs with unknown needs or cycles', async () => {
    const noop = async () => {};
    await expect(runPipeline([{ id: 'a', title: 'A', needs: ['b'], run: noop }], { shared: null })).rejects.toThrow('unknown step "b"');
    await expect(
      runPipeline(
        [
          { id: 'a', title: 'A', needs: ['b'], run: noop },
          { id: 'b', title: 'B', needs: ['a'], run: noop },
        ],
        { shared: null },
      ),
    ).rejects.toThrow('cycle');
  });
});
