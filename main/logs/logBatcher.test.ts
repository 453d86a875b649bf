import { describe, expect, it } from 'vitest';
import { type LogBatch, LogBatcher } from './logBatcher';

describe('LogBatcher', () => {
  it('keeps the newest lines and counts the dropped ones when the ring is full', () => {
    const batches: LogBatch[] = [];
    const b = new LogBatcher((x) => batches.push(x), { capacity: 100, maxPerBatch: 1000, frameMs: 60_000 });
    for (let i = 0; i < 1000; i++) b.push(`line ${i}`);
    expect(b.pending).toBe(100);
    b.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.dropped).toBe(900);
    expect(batches[0]!.lines).toEqual(Array.from({ length: 100 }, (_, i) => `line ${900 + i}`));
    b.push('after');
    b.flush();
    expect(batches[1]).toEqual({ lines: ['after'] });
    b.dispose();
  });

  it('sends at most maxPerBatch lines per frame, in order, and drains the rest', () => {
    const batches: LogBatch[] = [];
    const b = new LogBatcher((x) => batches.push(x), { capacity: 50, maxPerBatch: 20, frameMs: 60_000 });
    for (let i = 0; i < 45; i++) b.push(String(i));
    b.flush();
    expect(batches.map((x) => x.lines.length)).toEqual([20]);
    b.drain();
    expect(batches.map((x) => x.lines.length)).toEqual([20, 20, 5]);
    expect(batches.flatMap((x) => x.lines)).toEqual(Array.from({ length: 45 }, (_, i) => String(i)));
    expect(batches.some((x) => x.dropped)).toBe(false);
    b.dispose();
  });

  it('batches lines pushed within one frame into one event', async () => {
    const batches: LogBatch[] = [];
    const b = new LogBatcher((x) => batches.push(x), { frameMs: 5 });
    for (let i = 0; i < 10; i++) b.push(String(i));
    await new Promise((r) => setTimeout(r, 50));
    expect(batches).toEqual([{ lines: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] }]);
    b.dispose();
  });
});
