// The build-log keeper: bounded per run, batched events, kept after the run (also a failed one).
import { describe, expect, it } from 'vitest';
import type { ApiEvents } from '../../preload/api';
import { BuildLogKeeper } from './buildLog';

/** A hand-driven timer: `fire()` runs what is due, as one frame passing. */
function fakeTimer() {
  const due: Array<{ fn: () => void; ms: number; live: boolean }> = [];
  return {
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms, live: true };
      due.push(t);
      return () => {
        t.live = false;
      };
    },
    armed: () => due.filter((t) => t.live).length,
    delays: () => due.map((t) => t.ms),
    fire: () => {
      for (const t of due.splice(0)) if (t.live) t.fn();
    },
  };
}

function setup(capacity?: number) {
  const events: Array<ApiEvents['up.buildLog']> = [];
  const timer = fakeTimer();
  const keeper = new BuildLogKeeper({ emit: (p) => events.push(p), setTimer: timer.setTimer, ...(capacity ? { capacity } : {}) });
  return { events, timer, keeper };
}

describe('the build log keeper', () => {
  it('has nothing before the first run', () => {
    expect(setup().keeper.latest()).toBeNull();
  });

  it('sends the lines of one frame as one event, at most one timer at a time', () => {
    const { events, timer, keeper } = setup();
    const sink = keeper.begin('r1');
    sink.line('\x1b[32mINFO\x1b[0m[0001] Retrieving image');
    sink.line('STEP 1');
    sink.line('STEP 2');
    expect(events).toEqual([]);
    expect(timer.armed()).toBe(1);
    expect(timer.delays()).toEqual([16]);
    timer.fire();
    expect(events).toEqual([{ runId: 'r1', lines: ['\x1b[32mINFO\x1b[0m[0001] Retrieving image', 'STEP 1', 'STEP 2'] }]);
    sink.line('STEP 3');
    timer.fire();
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual({ runId: 'r1', lines: ['STEP 3'] });
    timer.fire();
    expect(events).toHaveLength(2); // nothing new, no empty event
  });

  it('returns only lines already sent, so load-then-append shows each line once', () => {
    const { timer, keeper } = setup();
    const sink = keeper.begin('r1');
    sink.line('a');
    timer.fire();
    sink.line('b');
    expect(keeper.latest()?.lines).toEqual(['a']);
    timer.fire();
    expect(keeper.latest()?.lines).toEqual(['a', 'b']);
  });

  it('keeps the newest lines up to its capacity and counts the dropped ones', () => {
    const { events, timer, keeper } = setup(3);
    const sink = keeper.begin('r1');
    for (let i = 1; i <= 5; i++) {
      sink.line(`line ${i}`);
      timer.fire();
    }
    expect(keeper.latest()).toEqual({ runId: 'r1', lines: ['line 3', 'line 4', 'line 5'], dropped: 2 });
    // A burst larger than the capacity within one frame: only the newest survive, in order.
    for (let i = 6; i <= 12; i++) sink.line(`line ${i}`);
    timer.fire();
    expect(events.at(-1)).toEqual({ runId: 'r1', lines: ['line 10', 'line 11', 'line 12'] });
    expect(keeper.latest()).toEqual({ runId: 'r1', lines: ['line 10', 'line 11', 'line 12'], dropped: 9 });
  });

  it('keeps the log and the last step after the run ended (a failed build too)', () => {
    const { timer, keeper } = setup();
    const sink = keeper.begin('r1');
    sink.step({ index: 2, total: 3, instruction: 'RUN false' });
    sink.line('error building image: exit status 1');
    timer.fire();
    // The run failed; nothing clears the log until the next run begins.
    expect(keeper.latest()).toEqual({ runId: 'r1', lines: ['error building image: exit status 1'], dropped: 0, step: { index: 2, total: 3, instruction: 'RUN false' } });
    expect(keeper.latest()).toEqual(keeper.latest());
  });

  it('starts over with a new run and ignores late lines of the old one', () => {
    const { events, timer, keeper } = setup();
    const old = keeper.begin('r1');
    old.line('old 1');
    const sink = keeper.begin('r2');
    // The old run's waiting lines went out as r1 before r2 began.
    expect(events).toEqual([{ runId: 'r1', lines: ['old 1'] }]);
    old.line('old late');
    old.step({ index: 9, total: 9, instruction: 'RUN late' });
    sink.line('new 1');
    timer.fire();
    expect(events.at(-1)).toEqual({ runId: 'r2', lines: ['new 1'] });
    expect(keeper.latest()).toEqual({ runId: 'r2', lines: ['new 1'], dropped: 0 });
  });

  it('flushes the waiting lines on dispose', () => {
    const { events, timer, keeper } = setup();
    keeper.begin('r1').line('last words');
    keeper.dispose();
    expect(events).toEqual([{ runId: 'r1', lines: ['last words'] }]);
    expect(timer.armed()).toBe(0);
  });
});
