import { describe, expect, it } from 'vitest';
import { EventBatcher } from './eventBatcher';

describe('EventBatcher', () => {
  it('sends the first event at once and coalesces the rest of the interval into one message', async () => {
    let t = 1000;
    const sent: string[][] = [];
    const b = new EventBatcher((events) => sent.push(events.map(([e]) => e)), 16, 100, () => t);
    b.push('terminal.data', 'a');
    expect(sent).toEqual([['terminal.data']]);
    t += 2;
    b.push('terminal.data', 'b');
    b.push('logs.lines', 'c');
    expect(sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toEqual([['terminal.data'], ['terminal.data', 'logs.lines']]);
    t += 100;
    b.push('up.run', 'd');
    expect(sent.at(-1)).toEqual(['up.run']);
    b.dispose();
  });

  it('keeps at most maxQueued events of a page that stopped reading', async () => {
    const t = 1000;
    const sent: number[] = [];
    const b = new EventBatcher((events) => sent.push(events.length), 16, 5, () => t);
    b.push('x', 0); // goes out at once
    for (let i = 0; i < 20; i++) b.push('x', i);
    b.drain();
    expect(sent).toEqual([1, 5]);
    b.dispose();
  });
});
