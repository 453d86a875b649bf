// When the page announces the end of an Up run, and what it says.
import { describe, expect, it } from 'vitest';
import type { UpRun } from '../../preload/api';
import { askForRunNotifications } from './RunSignals';
import type { DesktopNotifications } from './browserNotifications';
import { RunEndTracker, runNotice, shouldAskPermission, shouldNotify, type NotificationPermissionState } from './runNotice';

// `progress` is main's to compute (main/up/runProgress.ts); tests that need it give it.
const run = (r: Partial<UpRun> = {}): UpRun => ({ runId: 'r1', state: 'running', startedAt: '2026-12-04T17:00:00.000Z', steps: [], progress: { finished: 0, total: r.steps?.length ?? 0, fraction: 0 }, ...r });

describe('whether the page notifies', () => {
  const away = { hidden: true, focused: false };
  const looking = { hidden: false, focused: true };
  const behind = { hidden: false, focused: false };

  it('notifies in the browser when a run ends ready or failed while the tab is hidden or unfocused', () => {
    for (const state of ['ready', 'failed'] as const) {
      expect(shouldNotify({ state, attention: away, mode: 'browser', permission: 'granted' })).toBe(true);
      expect(shouldNotify({ state, attention: behind, mode: 'browser', permission: 'granted' })).toBe(true);
      expect(shouldNotify({ state, attention: looking, mode: 'browser', permission: 'granted' })).toBe(false);
    }
  });

  it('stays quiet for a cancel, without permission, and in the desktop app (its main process notifies)', () => {
    expect(shouldNotify({ state: 'cancelled', attention: away, mode: 'browser', permission: 'granted' })).toBe(false);
    expect(shouldNotify({ state: 'running', attention: away, mode: 'browser', permission: 'granted' })).toBe(false);
    for (const permission of ['denied', 'default', 'unsupported'] as const) {
      expect(shouldNotify({ state: 'ready', attention: away, mode: 'browser', permission })).toBe(false);
    }
    expect(shouldNotify({ state: 'ready', attention: away, mode: 'electron', permission: 'granted' })).toBe(false);
    expect(shouldNotify({ state: 'failed', attention: away, mode: null, permission: 'granted' })).toBe(false);
  });

  it('asks for permission only in the browser and only while undecided', () => {
    expect(shouldAskPermission('browser', 'default')).toBe(true);
    expect(shouldAskPermission('browser', 'denied')).toBe(false);
    expect(shouldAskPermission('browser', 'granted')).toBe(false);
    expect(shouldAskPermission('browser', 'unsupported')).toBe(false);
    expect(shouldAskPermission('electron', 'default')).toBe(false);

    const asked: string[] = [];
    const page = (permission: NotificationPermissionState): DesktopNotifications => ({
      permission: () => permission,
      requestPermission: () => asked.push(permission),
      show: () => {},
      attention: () => ({ hidden: false, focused: true }),
    });
    askForRunNotifications('browser', page('default'));
    askForRunNotifications('browser', page('denied'));
    askForRunNotifications('electron', page('default'));
    expect(asked).toEqual(['default']);
  });
});

describe('the end of a run', () => {
  it('is reported once, and only for a run seen running here', () => {
    const t = new RunEndTracker();
    expect(t.update(run({ runId: 'old', state: 'failed' }))).toBeNull(); // ended before the page looked
    expect(t.update(run())).toBeNull();
    expect(t.update(run({ steps: [{ id: 'build', title: 'Build image', state: 'running' }] }))).toBeNull();
    expect(t.update(run({ state: 'ready' }))?.state).toBe('ready');
    expect(t.update(run({ state: 'ready' }))).toBeNull();
    expect(t.update(run({ runId: 'r2' }))).toBeNull();
    expect(t.update(run({ runId: 'r2', state: 'cancelled' }))?.state).toBe('cancelled');
  });

  it('says which project is ready, or which step failed and why', () => {
    expect(runNotice(run({ state: 'ready', durationMs: 65_000 }), 'shop')).toEqual({
      title: 'shop is ready',
      body: 'Up finished in 1 min 5 s. The terminal and port forwards are open.',
    });
    expect(runNotice(run({ state: 'failed', error: { code: 'BUILD_FAILED', message: 'RUN false failed.', step: 'Build image' } }), 'shop')).toEqual({
      title: 'Up failed: shop',
      body: '"Build image" failed: RUN false failed.',
    });
  });
});
