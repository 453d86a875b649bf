import { describe, expect, it } from 'vitest';
import { searchSummary } from './TerminalSearchBar';

describe('searchSummary', () => {
  it('says where the active match is, that there is none, or that there are too many to number', () => {
    expect(searchSummary('', { resultIndex: 0, resultCount: 3 })).toBe('');
    expect(searchSummary('x', null)).toBe('');
    expect(searchSummary('x', { resultIndex: 2, resultCount: 12 })).toBe('3 of 12');
    expect(searchSummary('x', { resultIndex: -1, resultCount: 0 })).toBe('No match');
    expect(searchSummary('x', { resultIndex: -1, resultCount: 1000 })).toBe('1000+ matches');
  });
});
