import { describe, expect, it } from 'vitest';
import { compareTimestamps } from './logStream';

describe('compareTimestamps', () => {
  it('orders RFC 3339 times to the nanosecond, whatever fraction Go trimmed', () => {
    expect(compareTimestamps('2026-12-04T16:42:13Z', '2026-12-04T16:42:13.1Z')).toBe(-1);
    expect(compareTimestamps('2026-12-04T16:42:13.5Z', '2026-12-04T16:42:13.123456789Z')).toBe(1);
    expect(compareTimestamps('2026-12-04T16:42:13.120Z', '2026-12-04T16:42:13.12Z')).toBe(0);
    expect(compareTimestamps('2026-12-04T16:42:13.000000001Z', '2026-12-04T16:42:13Z')).toBe(1);
  });
});
