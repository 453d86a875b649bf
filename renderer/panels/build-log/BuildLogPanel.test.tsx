// What the Build log panel shows (rendered to HTML, no browser needed) and how its lines follow runs.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DevspaceApi, UpRun, UpStep } from '../../../preload/api';
import { createAppStore } from '../../state/appStore';
import { StoreProvider } from '../../state/StoreContext';
import { BuildLogBody, BuildLogPanel } from './BuildLogPanel';
import { BuildLogModel, buildProgress, droppedNote, stepFromDetail } from './buildLogModel';

const buildStep = (s: Partial<UpStep>): UpStep => ({ id: 'build', title: 'Build image', state: 'running', ...s });
const run = (steps: UpStep[], runId = 'r1'): UpRun => ({ runId, state: 'running', startedAt: '2026-12-04T17:00:00.000Z', steps, progress: { finished: 0, total: steps.length, fraction: 0 } });
const noop = () => {};

describe('the build log model', () => {
  it('loads the kept log, appends its run\'s batches, and starts over with a new run', () => {
    const m = new BuildLogModel();
    m.load({ runId: 'r1', lines: ['\x1b[36mINFO\x1b[0m one'], dropped: 5, step: { index: 1, total: 2, instruction: 'FROM node:20' } });
    m.append({ runId: 'r1', lines: ['two'] });
    expect(m.raw.toArray()).toEqual(['\x1b[36mINFO\x1b[0m one', 'two']);
    expect(m.text('')).toBe('INFO one\ntwo');
    expect(m.text('ONE')).toBe('INFO one');
    expect(m.dropped).toBe(5);
    m.append({ runId: 'r2', lines: ['fresh'] });
    expect(m.raw.toArray()).toEqual(['fresh']);
    expect(m.dropped).toBe(0);
    expect(m.step).toBeUndefined();
  });

  it('says where the build is from the pipeline\'s build step or the kept step', () => {
    expect(stepFromDetail('Step 3/7: RUN npm ci')).toEqual({ index: 3, total: 7, instruction: 'RUN npm ci' });
    expect(stepFromDetail('Hashing the build context')).toBeUndefined();
    expect(buildProgress(undefined, undefined)).toBeNull();
    expect(buildProgress(undefined, buildStep({ detail: 'Step 3/4: RUN npm ci', progress: 0.5 }))).toEqual({ label: 'Building, step 3 of 4: RUN npm ci', value: 0.5, state: 'running' });
    expect(buildProgress(undefined, buildStep({ detail: 'Waiting for the registry' }))).toEqual({ label: 'Waiting for the registry', value: null, state: 'running' });
    expect(buildProgress({ index: 2, total: 4, instruction: 'RUN false' }, buildStep({ state: 'failed', detail: 'x' }))).toEqual({ label: 'Failed at step 2 of 4: RUN false', value: 0.25, state: 'failed' });
    expect(buildProgress(undefined, buildStep({ state: 'skipped', detail: 'image unchanged (app:abc)' }))?.label).toBe('No build needed: image unchanged (app:abc)');
    expect(buildProgress({ index: 2, total: 4, instruction: 'COPY . .' }, undefined)?.value).toBe(0.25);
  });

  it('notes dropped lines', () => {
    expect(droppedNote(0)).toBeNull();
    expect(droppedNote(1234)).toBe('1,234 earlier lines were dropped to keep the log bounded; the newest 20,000 are shown.');
  });
});

describe('the build log panel', () => {
  it('shows the empty state before any Up', () => {
    const api = { up: { buildLog: async () => null, current: async () => null }, on: () => noop } as unknown as DevspaceApi;
    const html = renderToStaticMarkup(
      <StoreProvider store={createAppStore(api)} api={api}>
        <BuildLogPanel project={{ path: '/p', name: 'p', hasDevspaceConfig: true, hasDockerfile: true, hasChart: true, selection: {} }} active />
      </StoreProvider>,
    );
    expect(html).toContain('No build yet. Press Up');
  });

  it('shows coloured lines, the step progress and the dropped note', () => {
    const m = new BuildLogModel();
    m.load({ runId: 'r1', lines: ['\x1b[1;31merror\x1b[0m: RUN false', 'plain <tag>'], dropped: 3 });
    const html = renderToStaticMarkup(
      <BuildLogBody model={m} version={0} run={run([buildStep({ state: 'failed', detail: 'Step 2/3: RUN false' })])} filter="" onFilter={noop} onCopy={noop} />,
    );
    expect(html).toContain('<span class="ansi-fg-31 ansi-bold">error</span>: RUN false');
    expect(html).toContain('plain &lt;tag&gt;');
    expect(html).toContain('Failed at step 2 of 3: RUN false');
    expect(html).toContain('3 earlier lines were dropped');
    expect(html).toContain('data-line-count="2"');
    expect(html).not.toContain('No build yet');
  });

  it('filters on the text the user sees', () => {
    const m = new BuildLogModel();
    m.load({ runId: 'r1', lines: ['\x1b[32mok\x1b[0m step', 'other'], dropped: 0 });
    const html = renderToStaticMarkup(<BuildLogBody model={m} version={0} run={null} filter="ok step" onFilter={noop} onCopy={noop} />);
    expect(html).toContain('data-line-count="1"');
    expect(html).not.toContain('other');
  });
});
