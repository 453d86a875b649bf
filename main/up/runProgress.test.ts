import { describe, expect, it } from 'vitest';
import type { UpStep } from '../../preload/api';
import { runProgress } from './runProgress';

const step = (id: string, extra: Partial<UpStep> = {}): UpStep => ({ id, title: id, state: 'pending', ...extra });

describe('runProgress', () => {
  it('counts finished steps and the running ones by their own progress', () => {
    const steps = [step('a', { state: 'done' }), step('b', { state: 'skipped' }), step('c', { state: 'done' }), step('d', { state: 'running', progress: 0.5 }), step('e'), step('f'), step('g'), step('h')];
    expect(runProgress(steps)).toEqual({ finished: 3, total: 8, fraction: 3.5 / 8 });
  });
  it('is 0 of 0 without steps, whole when every step ended however it ended, and clamps odd progress', () => {
    expect(runProgress([])).toEqual({ finished: 0, total: 0, fraction: 0 });
    expect(runProgress([step('a', { state: 'failed' }), step('b', { state: 'not-run' })]).fraction).toBe(1);
    expect(runProgress([step('a', { state: 'running', progress: 7 }), step('b')]).fraction).toBe(0.5);
    expect(runProgress([step('a', { state: 'running', progress: Number.NaN }), step('b')]).fraction).toBe(0);
  });
});
