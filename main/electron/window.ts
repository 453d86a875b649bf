// The one app window: secure web preferences, size and position remembered between runs.
import { BrowserWindow, screen } from 'electron';
import { createAppStateStore } from '../app/appState';
import { APP_ORIGIN } from './protocol';

export async function createMainWindow(o: { dataDir: string; preload: string; log: (l: string) => void }): Promise<BrowserWindow> {
  const store = createAppStateStore(o.dataDir, o.log);
  const saved = (await store.read()).window;
  const bounds = saved && visibleOnSomeDisplay(saved) ? saved : { width: 1280, height: 820 };
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'DevSpace Desktop',
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: o.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let timer: NodeJS.Timeout | null = null;
  const remember = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      if (win.isDestroyed()) return;
      const b = win.getNormalBounds();
      void store.update((s) => ({ ...s, window: { ...b, ...(win.isMaximized() ? { maximized: true } : {}) } }));
    }, 300);
  };
  win.on('resize', remember);
  win.on('move', remember);
  win.on('maximize', remember);
  win.on('unmaximize', remember);

  await win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

function visibleOnSomeDisplay(b: { x?: number; y?: number; width: number; height: number }): boolean {
  if (b.x === undefined || b.y === undefined) return true;
  return screen.getAllDisplays().some(({ workArea: a }) => b.x! < a.x + a.width && b.x! + b.width > a.x && b.y! < a.y + a.height && b.y! + b.height > a.y);
}
