import { describe, expect, it } from 'vitest';
import { relativeTime } from './relativeTime';

describe('relativeTime', () => {
  const now = new Date('2026-06-15T12:00:00Z');

  it('words the time since a project was last opened', () => {
    expect(relativeTime('2026-06-15T11:59:30Z', now)).toBe('just now');
    expect(relativeTime('2026-06-15T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-06-15T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-06-14T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2026-05-01T12:00:00Z', now)).toBe('last month');
  });

  it('shows nothing for a date it cannot read', () => {
    expect(relativeTime('not a date', now)).toBe('');
  });
});
