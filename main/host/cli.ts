// `npm start -- --web`: runs the app in the browser host. Prints the tokened URL on a line of its
// own, opens it in the default browser, and stops cleanly on Ctrl-C / SIGTERM.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchClusterConfig } from '../app/clusterConfigWatch';
import { createHandlers } from '../app/handlers';
import { appDataDir } from '../app/paths';
import { EventBus } from '../ipc/events';
import { startBrowserHost } from './browserHost';
import { USAGE, UsageError, parseStartFlags } from './cliArgs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  let flags;
  try {
    flags = parseStartFlags(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) console.error(`devspace-desktop: ${err.message}`);
      console.error(USAGE);
      process.exit(err.message ? 2 : 0);
    }
    throw err;
  }
  const homeDir = process.env.HOME || os.homedir();
  const env = process.env as Record<string, string | undefined>;
  const events = new EventBus();
  const log = (line: string) => console.error(`[devspace] ${line}`);
  const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const handlers = createHandlers({
    mode: 'browser',
    version: pkg.version,
    homeDir,
    dataDir: appDataDir(env, homeDir),
    env,
    now: () => new Date(),
    log,
    events,
  });
  const staticDir = path.join(root, 'dist', 'renderer');
  await fs.access(path.join(staticDir, 'index.html')).catch(() => {
    console.error(`devspace-desktop: the UI is not built (${staticDir} is missing); run "npm run build" or use "npm start".`);
    process.exit(1);
  });

  let host;
  try {
    host = await startBrowserHost({ handlers, events, staticDir, port: flags.port, log });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`devspace-desktop: port ${flags.port} on 127.0.0.1 is already in use; pick another with --port, or leave it out for a free one.`);
      process.exit(1);
    }
    throw err;
  }
  if (flags.project) await handlers.openProjectPath(path.resolve(flags.project)).catch((e) => log(`could not open ${flags.project}: ${e.message}`));

  const stopWatch = watchClusterConfig({ env, homeDir, events, log });

  console.log('DevSpace Desktop is running in your browser at:');
  console.log(host.url);
  console.log('Press Ctrl-C to stop.');
  if (flags.open) openInBrowser(host.url, log);

  const stop = async () => {
    stopWatch();
    await handlers.dispose();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function openInBrowser(url: string, log: (line: string) => void): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log('no display found; open the URL above in a browser');
    return;
  }
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => log(`could not start a browser (${cmd}); open the URL above yourself`));
  child.unref();
}

main().catch((err) => {
  console.error(`devspace-desktop: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
