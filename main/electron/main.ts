// The Electron adapter's entry: the only place (with the rest of this folder) that imports
// 'electron'. It wires the plain-Node app (createHandlers) to one secure window.
import path from 'node:path';
import { BrowserWindow, Notification, app, dialog, safeStorage } from 'electron';
import { type SecretBox, fileKeySecretBox, safeStorageSecretBox } from '../registry/credentials';
import { watchClusterConfig } from '../app/clusterConfigWatch';
import { createHandlers } from '../app/handlers';
import { appDataDir } from '../app/paths';
import { EventBus } from '../ipc/events';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { registerAppProtocol, registerAppScheme } from './protocol';
import { hardenSessions } from './security';
import { createUpRunSignals } from './upRunSignals';
import { createMainWindow } from './window';

registerAppScheme();

const env = process.env as Record<string, string | undefined>;
const homeDir = app.getPath('home');
const dataDir = appDataDir(env, homeDir);
app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the window; it receives our argv through 'second-instance'.
  app.quit();
} else {
  const events = new EventBus();
  const log = (line: string) => console.error(`[devspace] ${line}`);
  let window: BrowserWindow | null = null;
  let disposed = false;

  const handlers = createHandlers({
    mode: 'electron',
    version: app.getVersion(),
    homeDir,
    dataDir,
    env,
    now: () => new Date(),
    log,
    events,
    secretBox: keychainOrKeyFile(dataDir),
    pickFolder: async () => {
      const options = { title: 'Open project', properties: ['openDirectory' as const, 'createDirectory' as const] };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });

  const projectArg = (argv: string[]) => {
    const i = argv.indexOf('--project');
    return i >= 0 ? argv[i + 1] : undefined;
  };

  app.on('second-instance', (_e, argv) => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    const project = projectArg(argv);
    if (project) handlers.openProjectPath(path.resolve(project)).catch((err) => log(`could not open ${project}: ${err.message}`));
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.whenReady().then(async () => {
    const rendererDir = path.join(__dirname, '..', 'renderer');
    registerAppProtocol(rendererDir);
    hardenSessions();
    const open = async () => {
      window = await createMainWindow({ dataDir, preload: path.join(__dirname, '..', 'preload', 'preload.cjs'), log });
      window.on('closed', () => {
        window = null;
      });
    };
    registerIpc({ handlers, events, getWindow: () => window, log });
    // Up's progress on the taskbar/dock and a notification when a run ends while the user is elsewhere.
    const signals = createUpRunSignals({
      window: () => window,
      notify: ({ title, body, onClick }) => {
        if (!Notification.isSupported()) return;
        const n = new Notification({ title, body });
        n.on('click', onClick);
        n.show();
      },
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    });
    const stopSignals = events.subscribe((event, payload) => signals.onEvent(event, payload));
    buildMenu({ send: (command) => events.emit('menu.command', { command }) });
    await open();
    app.on('activate', () => {
      if (!window) void open();
    });
    const project = projectArg(process.argv);
    if (project) await handlers.openProjectPath(path.resolve(project)).catch((err) => log(`could not open ${project}: ${err.message}`));

    const stopWatch = watchClusterConfig({ env, homeDir, events, log });
    app.on('will-quit', (event) => {
      stopWatch();
      stopSignals();
      signals.dispose();
      // Close port listeners and streams before the process goes; quit again once done.
      if (!disposed) {
        event.preventDefault();
        disposed = true;
        void handlers.dispose().finally(() => app.quit());
      }
    });
  });
}

/**
 * The system keychain (safeStorage) where it really protects data; else the key-file box that
 * browser mode uses (Linux without a Secret Service keyring reports 'basic_text'). Chosen on first
 * use, which is after 'ready' — safeStorage cannot answer before.
 */
function keychainOrKeyFile(dataDir: string): SecretBox {
  let chosen: SecretBox | undefined;
  const box = () => {
    if (!chosen) {
      const keychain = safeStorageSecretBox(safeStorage);
      chosen = keychain.available() ? keychain : fileKeySecretBox(dataDir);
    }
    return chosen;
  };
  return { available: () => box().available(), encrypt: (plain) => box().encrypt(plain), decrypt: (data) => box().decrypt(data) };
}
