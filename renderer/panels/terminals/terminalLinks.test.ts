import { describe, expect, it } from 'vitest';
import { openTerminalLink } from './terminalLinks';

describe('openTerminalLink', () => {
  it('opens http(s) links in a new browsing context without an opener', () => {
    const opened: unknown[][] = [];
    expect(openTerminalLink('https://example.com/a?b=1', (...args) => opened.push(args))).toBe(true);
    expect(openTerminalLink('http://localhost:3000/', (...args) => opened.push(args))).toBe(true);
    expect(opened).toEqual([
      ['https://example.com/a?b=1', '_blank', 'noopener,noreferrer'],
      ['http://localhost:3000/', '_blank', 'noopener,noreferrer'],
    ]);
  });

  it('refuses other protocols and text that is no URL', () => {
    const opened: unknown[][] = [];
    for (const uri of ['file:///etc/passwd', 'javascript:alert(1)', 'vscode://x', 'not a url', '']) {
      expect(openTerminalLink(uri, (...args) => opened.push(args))).toBe(false);
    }
    expect(opened).toEqual([]);
  });
});
