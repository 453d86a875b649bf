// Locks down every web contents the app creates: no navigation away from our origin, no new
// windows (links open in the user's browser), no permission prompts, no webviews.
import { app, session, shell } from 'electron';
import { APP_ORIGIN } from './protocol';

export function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://') || url.startsWith('http://localhost') || url.startsWith('http://127.0.0.1')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
