// The shared Up run: loaded per project, updated by events, and whether the sessions run.
import { describe, expect, it } from 'vitest';
import type { PortsView, UpRun } from '../../../preload/api';
import { createApi } from '../../api/client';
import { createFakeBridge } from '../../dev/fakeBridge';
import { createUpRunStore } from './upRunStore';

// `progress` is main's to compute (main/up/runProgress.ts); tests that need it give it.
const run = (r: Partial<UpRun> = {}): UpRun => ({ runId: 'r1', state: 'running', startedAt: '2026-12-04T17:00:00.000Z', steps: [], progress: { finished: 0, total: r.steps?.length ?? 0, fraction: 0 }, ...r });
const ports = (running: boolean): PortsView => ({ forwardings: [], status: [], running, warnings: [] });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the shared Up run', () => {
  it('loads the project\'s latest run and asks the ports whether the sessions still run', async () => {
    const bridge = createFakeBridge({ 'up.current': () => run({ state: 'ready' }), 'ports.list': () => ports(false) });
    const store = createUpRunStore(createApi(bridge));
    store.sync('/p/shop');
    await settle();
    expect(store.getState()).toMatchObject({ projectPath: '/p/shop', run: { runId: 'r1', state: 'ready' }, sessions: 'stopped' });
    // The same project again does not reload.
    store.sync('/p/shop');
    expect(bridge.calls.map(([m]) => m)).toEqual(['up.current', 'ports.list']);
  });

  it('follows up.run events, marks the sessions running when a run becomes ready, and stopped on ports.status', async () => {
    const bridge = createFakeBridge({ 'up.current': () => null });
    const store = createUpRunStore(createApi(bridge));
    store.sync('/p/shop');
    await settle();
    bridge.emit('up.run', run());
    expect(store.getState().run?.state).toBe('running');
    store.sessionsStopped('stopped');
    expect(store.getState().ended).toBe('stopped');
    bridge.emit('up.run', run({ state: 'ready' }));
    expect(store.getState()).toMatchObject({ run: { state: 'ready' }, sessions: 'running' });
    bridge.emit('ports.status', ports(false));
    expect(store.getState().sessions).toBe('stopped');
    // A repeated "ready" of the same run does not undo a Stop.
    bridge.emit('up.run', run({ state: 'ready' }));
    expect(store.getState().sessions).toBe('stopped');
    // A late event of an older run is ignored.
    bridge.emit('up.run', run({ runId: 'r0', startedAt: '2026-12-04T16:00:00.000Z', state: 'failed' }));
    expect(store.getState().run?.runId).toBe('r1');
    // Purge after it; the next run forgets both.
    store.sessionsStopped('purged');
    expect(store.getState()).toMatchObject({ sessions: 'stopped', ended: 'purged' });
    bridge.emit('up.run', run({ runId: 'r2', startedAt: '2026-12-04T18:00:00.000Z' }));
    expect(store.getState()).toMatchObject({ run: { runId: 'r2', state: 'running' }, ended: null });
  });

  it('starts empty for another project', async () => {
    const bridge = createFakeBridge({ 'up.current': () => run({ state: 'failed' }) });
    const store = createUpRunStore(createApi(bridge));
    store.sync('/p/shop');
    await settle();
    expect(store.getState().run?.state).toBe('failed');
    bridge.handlers['up.current'] = () => null;
    store.sync('/p/other');
    expect(store.getState()).toMatchObject({ projectPath: '/p/other', run: null, sessions: 'unknown' });
    await settle();
    expect(store.getState().run).toBeNull();
  });
});
