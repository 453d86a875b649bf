// The Web Notification API behind a small interface, so the page's notification logic is tested
// with a stand-in. Permission is asked at most once, at a click (browsers require a gesture).
import type { NotificationPermissionState, RunNotice, WindowAttention } from './runNotice';

export interface DesktopNotifications {
  permission(): NotificationPermissionState;
  /** Asks the user (only while undecided). */
  requestPermission(): void;
  show(notice: RunNotice): void;
  attention(): WindowAttention;
}

/** The page's own notifications (the browser host). */
export function browserNotifications(win: Window = window): DesktopNotifications {
  const Api = (win as Window & { Notification?: typeof Notification }).Notification;
  return {
    permission: () => (Api ? Api.permission : 'unsupported'),
    requestPermission() {
      if (Api?.permission === 'default') void Api.requestPermission().catch(() => undefined);
    },
    show({ title, body }) {
      if (!Api || Api.permission !== 'granted') return;
      const n = new Api(title, { body, tag: 'devspace-up', icon: './favicon.svg' });
      n.onclick = () => {
        win.focus();
        n.close();
      };
    },
    attention: () => ({ hidden: win.document.visibilityState === 'hidden', focused: win.document.hasFocus() }),
  };
}
