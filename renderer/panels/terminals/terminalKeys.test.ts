import { describe, expect, it } from 'vitest';
import { isMacPlatform, type ShortcutKey, terminalShortcut } from './terminalKeys';

const key = (k: string, mods: Partial<ShortcutKey> = {}): ShortcutKey => ({ type: 'keydown', key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('terminalShortcut', () => {
  it('Linux/Windows: Ctrl+Shift+C/V copy and paste, Ctrl+F finds; plain Ctrl+C and Ctrl+V go to the shell', () => {
    expect(terminalShortcut(key('C', { ctrlKey: true, shiftKey: true }), false)).toBe('copy');
    expect(terminalShortcut(key('V', { ctrlKey: true, shiftKey: true }), false)).toBe('paste');
    expect(terminalShortcut(key('f', { ctrlKey: true }), false)).toBe('find');
    expect(terminalShortcut(key('F', { ctrlKey: true, shiftKey: true }), false)).toBe('find');
    expect(terminalShortcut(key('c', { ctrlKey: true }), false)).toBeNull();
    expect(terminalShortcut(key('v', { ctrlKey: true }), false)).toBeNull();
    expect(terminalShortcut(key('c', { metaKey: true }), false)).toBeNull();
    expect(terminalShortcut(key('c'), false)).toBeNull();
  });

  it('macOS: Cmd+C/V/F; Ctrl+C stays an interrupt', () => {
    expect(terminalShortcut(key('c', { metaKey: true }), true)).toBe('copy');
    expect(terminalShortcut(key('v', { metaKey: true }), true)).toBe('paste');
    expect(terminalShortcut(key('f', { metaKey: true }), true)).toBe('find');
    expect(terminalShortcut(key('c', { ctrlKey: true }), true)).toBeNull();
    expect(terminalShortcut(key('C', { ctrlKey: true, shiftKey: true }), true)).toBeNull();
  });

  it('ignores key-up, keypress and Alt combinations', () => {
    expect(terminalShortcut({ ...key('C', { ctrlKey: true, shiftKey: true }), type: 'keyup' }, false)).toBeNull();
    expect(terminalShortcut({ ...key('c', { metaKey: true }), type: 'keypress' }, true)).toBeNull();
    expect(terminalShortcut(key('f', { ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it('knows macOS from the navigator', () => {
    expect(isMacPlatform({ platform: 'MacIntel' })).toBe(true);
    expect(isMacPlatform({ platform: 'Linux x86_64' })).toBe(false);
    expect(isMacPlatform({ platform: '', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)' })).toBe(true);
    expect(isMacPlatform({ platform: 'Win32' })).toBe(false);
  });
});
