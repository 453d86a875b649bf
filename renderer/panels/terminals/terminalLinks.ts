// Links in terminal output (WebLinksAddon) open in the user's browser: through window.open, which
// the Electron adapter turns into shell.openExternal and the browser host into a new tab. Only
// http(s) — a terminal can print anything, and a click must not start another protocol handler.
export type OpenWindow = (url: string, target: string, features: string) => unknown;

export function openTerminalLink(uri: string, open: OpenWindow = (u, t, f) => window.open(u, t, f)): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  open(url.href, '_blank', 'noopener,noreferrer');
  return true;
}
