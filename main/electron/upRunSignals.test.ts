// The desktop app's Up signals (taskbar progress, native notifications) against a stand-in window
// and notifier: no Electron needed.
import { describe, expect, it } from 'vitest';
import type { UpRun, UpStep } from '../../preload/api';
import { runProgress } from '../up/runProgress';
import { createUpRunSignals, runEndNotice, type SignalWindow } from './upRunSignals';

const step = (id: string, s: Partial<UpStep> = {}): UpStep => ({ id, title: id, state: 'pending', ...s });
const run = (r: Partial<UpRun> = {}): UpRun => {
  const base = { runId: 'r1', state: 'running' as const, startedAt: '2026-12-04T17:00:00.000Z', steps: [] as UpStep[], ...r };
  return { ...base, progress: r.progress ?? runProgress(base.steps) };
};

function fakeWindow(o: { visible?: boolean; focused?: boolean; minimized?: boolean } = {}) {
  const calls: string[] = [];
  const state = { visible: o.visible ?? true, focused: o.focused ?? true, minimized: o.minimized ?? false };
  const win: SignalWindow = {
    isDestroyed: () => false,
    isVisible: () => state.visible,
    isMinimized: () => state.minimized,
    isFocused: () => state.focused,
    setProgressBar: (p, opts) => calls.push(`progress ${p}${opts ? ` ${opts.mode}` : ''}`),
    show: () => calls.push('show'),
    restore: () => calls.push('restore'),
    focus: () => calls.push('focus'),
  };
  return { win, calls, state };
}

function setup(win: SignalWindow | null) {
  const notices: Array<{ title: string; body: string; onClick: () => void }> = [];
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const signals = createUpRunSignals({
    window: () => win,
    notify: (n) => notices.push(n),
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { cleared: boolean }).cleared = true;
    },
    errorBarMs: 3000,
  });
  signals.onEvent('project.changed', { path: '/p/shop', name: 'shop', hasChart: true, hasDockerfile: true, hasDevspaceConfig: true, selection: {} });
  return { signals, notices, timers };
}

const steps = (states: UpStep['state'][]) => states.map((s, i) => step(`s${i}`, { state: s }));

describe('Up on the taskbar', () => {
  it('shows the finished share of the steps while running, and clears the bar when ready', () => {
    const { win, calls } = fakeWindow();
    const { signals } = setup(win);
    signals.onEvent('up.run', run({ steps: steps(['done', 'skipped', 'running', 'pending']) }));
    signals.onEvent('up.run', run({ steps: [...steps(['done', 'done', 'done']), step('x', { state: 'running', progress: 0.5 })] }));
    signals.onEvent('up.run', run({ state: 'ready', steps: steps(['done', 'done', 'done', 'done']) }));
    expect(calls).toEqual(['progress 0.5 normal', 'progress 0.875 normal', 'progress -1']);
  });

  it('turns red after a failure, then clears after a while (or at the next run)', () => {
    const { win, calls } = fakeWindow();
    const { signals, timers } = setup(win);
    signals.onEvent('up.run', run());
    signals.onEvent('up.run', run({ state: 'failed' }));
    expect(calls).toEqual(['progress 0 normal', 'progress 1 error']);
    expect(timers.map((t) => t.ms)).toEqual([3000]);
    timers[0]!.fn();
    expect(calls.at(-1)).toBe('progress -1');

    signals.onEvent('up.run', run({ runId: 'r2' }));
    signals.onEvent('up.run', run({ runId: 'r2', state: 'failed' }));
    signals.onEvent('up.run', run({ runId: 'r3' }));
    expect(timers[1]!.cleared).toBe(true);
    expect(calls.at(-1)).toBe('progress 0 normal');
  });
});

describe('native notifications', () => {
  it('announce the end of a run when the window is not focused, once; a click brings the window back', () => {
    const { win, calls } = fakeWindow({ focused: false, minimized: true });
    const { signals, notices } = setup(win);
    signals.onEvent('up.run', run());
    signals.onEvent('up.run', run({ state: 'ready', durationMs: 42_000 }));
    signals.onEvent('up.run', run({ state: 'ready', durationMs: 42_000 }));
    expect(notices.map(({ title, body }) => ({ title, body }))).toEqual([{ title: 'shop is ready', body: 'Up finished in 42 s. The terminal and port forwards are open.' }]);
    calls.length = 0;
    notices[0]!.onClick();
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });

  it('stay quiet while the user looks at the window, for a cancel, and for a run that ended before', () => {
    const looking = fakeWindow();
    const a = setup(looking.win);
    a.signals.onEvent('up.run', run());
    a.signals.onEvent('up.run', run({ state: 'failed' }));
    expect(a.notices).toEqual([]);

    const away = fakeWindow({ visible: false });
    const b = setup(away.win);
    b.signals.onEvent('up.run', run({ runId: 'before', state: 'failed' }));
    b.signals.onEvent('up.run', run());
    b.signals.onEvent('up.run', run({ state: 'cancelled' }));
    b.signals.onEvent('up.run', run({ runId: 'r2' }));
    b.signals.onEvent('up.run', run({ runId: 'r2', state: 'failed', error: { code: 'CLUSTER_ERROR', message: 'The rollout timed out.', step: 'Rollout' } }));
    expect(b.notices.map((n) => `${n.title}: ${n.body}`)).toEqual(['Up failed: shop: "Rollout" failed: The rollout timed out.']);
  });

  it('work without a window (closed on macOS) and say which project', () => {
    const { signals, notices } = setup(null);
    signals.onEvent('up.run', run());
    signals.onEvent('up.run', run({ state: 'ready' }));
    expect(notices).toEqual([]);
    expect(runEndNotice(run({ state: 'ready', durationMs: 125_000 }), undefined)).toEqual({ title: 'The project is ready', body: 'Up finished in 2 min 5 s. The terminal and port forwards are open.' });
    expect(runEndNotice(run({ state: 'cancelled' }), 'shop')).toBeNull();
  });
});
