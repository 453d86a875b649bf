import { describe, expect, it } from 'vitest';
import { TerminalOutput } from './terminalOutput';

describe('TerminalOutput', () => {
  it('never splits a multi-byte character, whatever the chunking', () => {
    const text = 'añ€😀z'.repeat(50);
    const bytes = Buffer.from(text, 'utf8');
    for (const step of [1, 2, 3, 5, 7]) {
      const events: string[] = [];
      const out = new TerminalOutput((d) => events.push(d), { now: () => 0, setTimer: () => 1, clearTimer: () => {} });
      for (let i = 0; i < bytes.length; i += step) {
        out.push(bytes.subarray(i, i + step));
        out.flush(); // one event per chunk: each must be whole characters
      }
      expect(events.join('')).toBe(text);
      expect(events.every((e) => !e.includes('\uFFFD'))).toBe(true);
    }
  });

  it('sends the first output at once, then at most one event per frame', () => {
    const events: string[] = [];
    const timers: Array<{ fn: () => void; ms: number }> = [];
    let t = 1000;
    const out = new TerminalOutput((d) => events.push(d), { now: () => t, setTimer: (fn, ms) => timers.push({ fn, ms }), clearTimer: () => {} });
    out.push(Buffer.from('a')); // a keystroke echo after a quiet frame: no waiting
    expect(events).toEqual(['a']);
    t += 4;
    for (let i = 0; i < 100; i++) out.push(Buffer.from(`${i};`));
    expect(events).toHaveLength(1);
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(12); // the rest of the frame
    t += 12;
    timers[0]!.fn();
    expect(events).toEqual(['a', Array.from({ length: 100 }, (_, i) => `${i};`).join('')]);
  });

  it('does not glue the bytes of a dropped stream to the next one', () => {
    const events: string[] = [];
    const out = new TerminalOutput((d) => events.push(d), { setTimer: () => 1, clearTimer: () => {} });
    out.push(Buffer.from([0xe2, 0x82])); // first two bytes of €
    out.resetDecoder();
    out.push(Buffer.from('ok'));
    out.flush();
    expect(events.join('')).toBe('\uFFFDok');
  });
});
