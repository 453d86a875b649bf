// The `app` fixture: a browser host started for one test with its own temp HOME, data dir and
// kubeconfig path, serving the built renderer. Specs read like a user's story on top of it.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import { watchClusterConfig } from '../main/app/clusterConfigWatch';
import { createHandlers } from '../main/app/handlers';
import { type BrowserHost, startBrowserHost } from '../main/host/browserHost';
import { EventBus } from '../main/ipc/events';

export interface AppHost {
  /** The tokened URL the host printed; page.goto(app.url) opens the app. */
  url: string;
  homeDir: string;
  dataDir: string;
  /** Creates homeDir/projects/<name> with the given files (relative paths → contents). */
  projectDir(name: string, files?: Record<string, string>): Promise<string>;
  /** Writes homeDir/.kube/config, which is the host's KUBECONFIG. */
  writeKubeconfig(yaml: string): Promise<string>;
  /** Stops and starts the host with the same folders (the URL changes). */
  restart(): Promise<void>;
  /** Extra environment for the host (e.g. KUBECONFIG pointing at a test cluster); applies from the next restart. */
  env: Record<string, string>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const test = base.extend<{ app: AppHost }>({
  app: async ({}, use) => {
    const homeDir = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-e2e-home-'));
    const dataDir = path.join(homeDir, '.config', 'DevSpace Desktop');
    const kubeconfig = path.join(homeDir, '.kube', 'config');
    let host: BrowserHost | null = null;
    let handlers: ReturnType<typeof createHandlers> | null = null;
    let stopWatch = () => {};
    const start = async () => {
      const events = new EventBus();
      const env = { HOME: homeDir, KUBECONFIG: kubeconfig, ...app.env };
      const log = () => {};
      handlers = createHandlers({ mode: 'browser', version: '0.0.0-e2e', homeDir, dataDir, env, now: () => new Date(), log, events });
      host = await startBrowserHost({ handlers, events, staticDir: path.join(root, 'dist', 'renderer') });
      stopWatch = watchClusterConfig({ env, homeDir, events, log }, { debounceMs: 100 });
      app.url = host.url;
    };
    const stop = async () => {
      stopWatch();
      await handlers?.dispose();
      await host?.close();
    };
    const app: AppHost = {
      url: '',
      homeDir,
      dataDir,
      env: {},
      async projectDir(name, files = {}) {
        const dir = path.join(homeDir, 'projects', name);
        await fs.mkdir(dir, { recursive: true });
        for (const [rel, content] of Object.entries(files)) {
          await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
          await fs.writeFile(path.join(dir, rel), content);
        }
        return dir;
      },
      async writeKubeconfig(yaml) {
        await fs.mkdir(path.dirname(kubeconfig), { recursive: true });
        await fs.writeFile(kubeconfig, yaml);
        return kubeconfig;
      },
      async restart() {
        await stop();
        await start();
      },
    };
    await start();
    await use(app);
    await stop();
    await fs.rm(homeDir, { recursive: true, force: true });
  },
});

export { expect };
