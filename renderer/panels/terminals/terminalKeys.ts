// The terminal's own shortcuts, decided from the key event alone. Everything else goes to the shell:
// plain Ctrl+C stays an interrupt, Ctrl+V a literal ^V. Copy and paste follow the platform's
// terminals: Ctrl+Shift+C / Ctrl+Shift+V on Linux and Windows, Cmd+C / Cmd+V on macOS (where Ctrl
// is the shell's).
export type TerminalShortcut = 'find' | 'copy' | 'paste';

export interface ShortcutKey {
  type: string;
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function terminalShortcut(e: ShortcutKey, mac: boolean): TerminalShortcut | null {
  if (e.type !== 'keydown' || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (mac) {
    if (!e.metaKey || e.ctrlKey || e.shiftKey) return null;
    if (key === 'f') return 'find';
    if (key === 'c') return 'copy';
    if (key === 'v') return 'paste';
    return null;
  }
  if (!e.ctrlKey || e.metaKey) return null;
  if (key === 'f') return 'find'; // Ctrl+F and Ctrl+Shift+F
  if (!e.shiftKey) return null;
  if (key === 'c') return 'copy';
  if (key === 'v') return 'paste';
  return null;
}

export function isMacPlatform(nav: { platform?: string; userAgent?: string }): boolean {
  return /Mac|iPhone|iPad/.test(nav.platform || nav.userAgent || '');
}
