import { describe, expect, it } from 'vitest';
import { LogBuffer } from './logBuffer';

describe('LogBuffer', () => {
  it('keeps the newest lines in order and counts what fell off', () => {
    const b = new LogBuffer(5);
    b.append(['a', 'b', 'c']);
    b.append(['d', 'e', 'f', 'g']);
    expect(b.toArray()).toEqual(['c', 'd', 'e', 'f', 'g']);
    expect(b.dropped).toBe(2);
    b.append([], 10);
    expect(b.dropped).toBe(12);
  });

  it('stays bounded when 100,000 lines stream in', () => {
    const b = new LogBuffer(50_000);
    for (let batch = 0; batch < 100; batch++) b.append(Array.from({ length: 1000 }, (_, i) => `line ${batch * 1000 + i}`));
    expect(b.length).toBe(50_000);
    expect(b.at(0)).toBe('line 50000');
    expect(b.at(49_999)).toBe('line 99999');
    expect(b.dropped).toBe(50_000);
  });

  it('takes only the tail of a batch larger than itself', () => {
    const b = new LogBuffer(3);
    b.append(['1', '2', '3', '4', '5', '6', '7']);
    expect(b.toArray()).toEqual(['5', '6', '7']);
    expect(b.dropped).toBe(4);
  });
});
