// What the Pipeline panel says about a run (rendered to HTML, no browser needed).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { UpRun, UpStep } from '../../../preload/api';
import { FirstUpDialog } from './FirstUpDialog';
import { StepList } from './PipelinePanel';
import { actionFor, formatDuration, mergeRun, runSummary } from './pipelineView';

const step = (id: string, s: Partial<UpStep> = {}): UpStep => ({ id, title: id, state: 'pending', ...s });
// `progress` is main's to compute (main/up/runProgress.ts); tests that need it give it.
const run = (r: Partial<UpRun> = {}): UpRun => ({ runId: 'r1', state: 'running', startedAt: '2026-12-04T17:00:00.000Z', steps: [], progress: { finished: 0, total: r.steps?.length ?? 0, fraction: 0 }, ...r });

describe('the pipeline view', () => {
  it('shows each step with its state in the user\'s words, detail line and duration', () => {
    const html = renderToStaticMarkup(
      <StepList
        steps={[
          step('build', { title: 'Build image', state: 'skipped', detail: 'image unchanged (app:devspace-0123456789ab)', durationMs: 420 }),
          step('deploy', { title: 'Deploy', state: 'failed', durationMs: 12_400, error: { code: 'CLUSTER_ERROR', message: 'The server refused Deployment "app".' } }),
          step('rollout', { title: 'Rollout', state: 'not-run' }),
        ]}
      />,
    );
    const text = html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|').replaceAll('&quot;', '"');
    expect(text).toBe('|Build image|Skipped|0.4 s|image unchanged (app:devspace-0123456789ab)|Deploy|Failed|12 s|The server refused Deployment "app".|Rollout|Not run|');
    expect(html).toContain('data-state="failed"');
  });

  it('makes the main button Cancel while running and Up otherwise', () => {
    expect(actionFor(null)).toEqual({ kind: 'up', label: 'Up' });
    expect(actionFor(run())).toEqual({ kind: 'cancel', label: 'Cancel' });
    expect(actionFor(run({ state: 'ready' }))).toEqual({ kind: 'up', label: 'Up again' });
    expect(actionFor(run({ state: 'failed' }))).toEqual({ kind: 'up', label: 'Up again' });
  });

  it('sums the run up: running steps, ready time, the failing step', () => {
    expect(runSummary(run({ steps: [step('a', { title: 'Registry ready', state: 'running' }), step('b', { title: 'Build image', state: 'running' })] }))).toBe('Running: Registry ready, Build image');
    expect(runSummary(run({ state: 'ready', durationMs: 65_000 }))).toBe('Ready in 1 min 5 s.');
    expect(runSummary(run({ state: 'failed', durationMs: 10_000, error: { code: 'BUILD_FAILED', message: 'Step 2/3 (RUN false) failed.', step: 'Build image' } }))).toBe('"Build image" failed after 10 s.');
  });

  it('ignores a late event of an older run', () => {
    const newer = run({ runId: 'r2', startedAt: '2026-12-04T17:05:00.000Z' });
    const older = run({ runId: 'r1', state: 'ready' });
    expect(mergeRun(newer, older)).toBe(newer);
    expect(mergeRun(older, newer)).toBe(newer);
    const update = run({ runId: 'r2', startedAt: newer.startedAt, state: 'ready' });
    expect(mergeRun(newer, update)).toBe(update);
  });

  it('formats durations', () => {
    expect(formatDuration(undefined)).toBe('');
    expect(formatDuration(0)).toBe('0.0 s');
    expect(formatDuration(9_940)).toBe('9.9 s');
    expect(formatDuration(59_400)).toBe('59 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('lists the first Up\'s files with their reasons and contents, the warnings and the two choices', () => {
    const html = renderToStaticMarkup(
      <FirstUpDialog
        preview={{ needed: true, files: [{ path: 'Dockerfile', content: 'FROM node:22\n', reason: 'no Dockerfile: generated for a Node.js project (npm)' }], warnings: ['No port found in the project.'] }}
        busy={false}
        onConfirm={() => {}}
        onCancel={() => {}}
      />,
    );
    expect(html).toContain('aria-labelledby="first-up-title"');
    const text = html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|');
    expect(text).toContain('|Files for the first Up|');
    expect(text).toContain('|No port found in the project.|');
    expect(text).toContain('|Dockerfile|no Dockerfile: generated for a Node.js project (npm)|FROM node:22\n|');
    expect(text).toContain('|Create files and start Up|Cancel|');
  });

  it('says a reason shared by several files (a generated chart) once, on the first of them', () => {
    const chart = 'no chart/ folder: a generated Helm chart';
    const html = renderToStaticMarkup(
      <FirstUpDialog
        preview={{
          needed: true,
          files: [
            { path: 'chart/Chart.yaml', content: 'a', reason: chart },
            { path: 'chart/values.yaml', content: 'b', reason: chart },
            { path: '.devspace/config.yaml', content: 'c', reason: 'no .devspace/config.yaml' },
          ],
          warnings: [],
        }}
        busy={false}
        onConfirm={() => {}}
        onCancel={() => {}}
      />,
    );
    const text = html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|');
    expect(text.split(chart)).toHaveLength(2);
    expect(text).toContain(`|chart/Chart.yaml|${chart}|a|chart/values.yaml|b|.devspace/config.yaml|no .devspace/config.yaml|c|`);
  });
});
