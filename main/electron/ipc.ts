// The contract over Electron IPC: one invoke channel checked against our own window's frame,
// and batched events pushed to the window.
import { type BrowserWindow, ipcMain } from 'electron';
import { type ApiHandlers, dispatch } from '../ipc/dispatch';
import type { EventBus } from '../ipc/events';
import { EventBatcher } from '../host/eventBatcher';
import { APP_ORIGIN } from './protocol';

export const INVOKE_CHANNEL = 'devspace:invoke';
export const EVENT_CHANNEL = 'devspace:events';

export function registerIpc(o: { handlers: ApiHandlers; events: EventBus; getWindow: () => BrowserWindow | null; log: (l: string) => void }): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, args: unknown) => {
    const win = o.getWindow();
    const frameUrl = event.senderFrame?.url ?? '';
    if (!win || event.sender !== win.webContents || !frameUrl.startsWith(`${APP_ORIGIN}/`)) {
      o.log(`refused IPC ${String(method)} from ${frameUrl || 'an unknown frame'}`);
      return { ok: false, error: { code: 'PERMISSION_DENIED', message: 'This window may not talk to DevSpace Desktop.' } };
    }
    return dispatch(o.handlers, method, args, o.log);
  });
  const batcher = new EventBatcher((events) => {
    const win = o.getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, events);
  });
  o.events.subscribe((event, payload) => batcher.push(event, payload));
}
