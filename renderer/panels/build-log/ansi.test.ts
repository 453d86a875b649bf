// The builder's colours become classed spans; everything else escape-like disappears.
import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi } from './ansi';

describe('the ANSI colour parser', () => {
  it('turns Kaniko\'s coloured level into a class and resets after it', () => {
    expect(parseAnsi('\x1b[36mINFO\x1b[0m[0001] Retrieving image manifest node:20')).toEqual([
      { text: 'INFO', className: 'ansi-fg-36' },
      { text: '[0001] Retrieving image manifest node:20', className: '' },
    ]);
  });

  it('handles bold, bright colours, combined codes and partial resets', () => {
    expect(parseAnsi('\x1b[1;91mERR\x1b[22m still red\x1b[39m plain \x1b[1mbold\x1b[m end')).toEqual([
      { text: 'ERR', className: 'ansi-fg-91 ansi-bold' },
      { text: ' still red', className: 'ansi-fg-91' },
      { text: ' plain ', className: '' },
      { text: 'bold', className: 'ansi-bold' },
      { text: ' end', className: '' },
    ]);
  });

  it('drops cursor moves, OSC titles, 256/true colours and control characters', () => {
    const line = '\x1b]0;title\x07\x1b[2K\x1b[1Gnpm \x1b[38;5;208mwarn\x1b[38;2;1;2;3m deprecated\x1b[0m done\r';
    expect(parseAnsi(line)).toEqual([{ text: 'npm warn deprecated done', className: '' }]);
    expect(stripAnsi(line)).toBe('npm warn deprecated done');
  });

  it('keeps plain lines (tabs too) as they are', () => {
    expect(parseAnsi('a\tb')).toEqual([{ text: 'a\tb', className: '' }]);
    expect(parseAnsi('')).toEqual([]);
    expect(stripAnsi('\x1b[32m✓\x1b[0m built')).toBe('✓ built');
  });
});
