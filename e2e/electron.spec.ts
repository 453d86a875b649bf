// The core story in the desktop window itself: Playwright drives the built Electron app
// (dist/main/electron-main.cjs). The native folder dialog cannot be clicked by a test, so the
// main process's dialog answers with the project folder instead (stubbed through Playwright's
// main-process evaluate; everything after the dialog is the real app). The first-Up story runs
// against its own test cluster, like e2e/up.spec.ts does in the browser host.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from '../scripts/electron-binary.mjs';
import { startTestCluster } from './cluster';
import { TWO_UNREACHABLE_CONTEXTS } from './support/kubeconfigs';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Found without requiring 'electron' (which would try to download it); globalSetup prints the
// same reason on the runner's output, where it is seen.
const found = electronBinary();
const executable = found.path;
const SKIP_REASON = `skipped: ${found.reason ?? ''}`;
test.skip(!executable, SKIP_REASON);


interface Machine {
  homeDir: string;
  projectDir: string;
  env: Record<string, string>;
}

async function makeMachine(o: { kubeconfig?: string; dockerfile?: string } = {}): Promise<Machine> {
  const homeDir = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-electron-home-'));
  const projectDir = path.join(homeDir, 'projects', 'my-app');
  await fs.mkdir(projectDir, { recursive: true });
  await fs.writeFile(path.join(projectDir, 'Dockerfile'), o.dockerfile ?? 'FROM busybox\n');
  const kubeconfig = path.join(homeDir, '.kube', 'config');
  await fs.mkdir(path.dirname(kubeconfig), { recursive: true });
  await fs.writeFile(kubeconfig, o.kubeconfig ?? TWO_UNREACHABLE_CONTEXTS);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, { HOME: homeDir, KUBECONFIG: kubeconfig, DEVSPACE_DESKTOP_DATA_DIR: path.join(homeDir, '.config', 'DevSpace Desktop') });
  return { homeDir, projectDir, env };
}

async function launch(machine: Machine): Promise<{ electronApp: ElectronApplication; window: Page }> {
  const electronApp = await electron.launch({
    executablePath: executable!,
    args: ['--no-sandbox', path.join(root, 'dist', 'main', 'electron-main.cjs')],
    env: machine.env,
  });
  const window = await electronApp.firstWindow();
  return { electronApp, window };
}

test('open a project with the native dialog, switch context, and find it all again after a restart', async () => {
  const machine = await makeMachine();
  let { electronApp, window } = await launch(machine);
  try {
    await expect(window.getByRole('heading', { name: 'DevSpace Desktop', level: 1 })).toBeVisible();

    // The user picks the folder in the native dialog.
    await electronApp.evaluate(({ dialog }, folder) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [folder] })) as unknown as typeof dialog.showOpenDialog;
    }, machine.projectDir);
    await window.getByRole('button', { name: 'Open project…' }).click();
    await expect(window.getByRole('heading', { name: 'my-app', level: 1 })).toBeVisible();
    // No folder browser in the desktop window: the native dialog did the picking.
    await expect(window.getByRole('dialog', { name: 'Open project folder' })).toHaveCount(0);

    const context = window.getByRole('combobox', { name: 'Context' });
    const status = window.getByRole('status', { name: 'Connection status' });
    await expect(context).toHaveValue('alpha');
    await expect(status).toContainText('https://127.0.0.1:1');
    await context.selectOption('beta');
    await expect(status).toContainText('https://127.0.0.1:2');
    await expect(status).toContainText('Is the cluster running?');

    await fs.mkdir(path.join(root, 'e2e', 'artifacts'), { recursive: true });
    await window.screenshot({ path: path.join(root, 'e2e', 'artifacts', 'electron-window.png') });

    await window.getByRole('button', { name: 'Close project' }).click();
    await expect(window.getByRole('listitem', { name: 'my-app' })).toContainText(machine.projectDir);

    // Restart the app: the recent project and its context choice are still there.
    await electronApp.close();
    ({ electronApp, window } = await launch(machine));
    await window.getByRole('listitem', { name: 'my-app' }).getByRole('button', { name: /^my-app/ }).click();
    await expect(window.getByRole('combobox', { name: 'Context' })).toHaveValue('beta');
    await expect(window.getByRole('status', { name: 'Connection status' })).toContainText('https://127.0.0.1:2');
  } finally {
    await electronApp.close();
    await fs.rm(machine.homeDir, { recursive: true, force: true });
  }
});

/** The text of the visible terminal tab (xterm's buffer, which the terminal view exposes on its host element). */
function terminalText(window: Page): Promise<string> {
  return window.evaluate(() => {
    const host = [...document.querySelectorAll('[data-terminal-id]')].find((el) => (el as HTMLElement).offsetParent !== null) as
      | (HTMLElement & { xterm?: { buffer: { active: { length: number; getLine(i: number): { translateToString(t: boolean): string } | undefined } } } })
      | undefined;
    const buf = host?.xterm?.buffer.active;
    if (!buf) return '';
    return Array.from({ length: buf.length }, (_, i) => buf.getLine(i)?.translateToString(true) ?? '').join('\n');
  });
}

test('the first Up in the desktop window: confirm the files, Ready, and a terminal in the dev container', async () => {
  test.setTimeout(420_000);
  const cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
  const machine = await makeMachine({
    kubeconfig: await fs.readFile(cluster.kubeconfigPath, 'utf8'),
    dockerfile: 'FROM busybox\nRUN echo built-in-electron > /built.txt\nCMD ["sleep", "3600"]\n',
  });
  const { electronApp, window } = await launch(machine);
  try {
    // The user picks the folder in the app's own (native) folder dialog.
    await electronApp.evaluate(({ dialog }, folder) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [folder] })) as unknown as typeof dialog.showOpenDialog;
    }, machine.projectDir);
    await window.getByRole('button', { name: 'Open project…' }).click();
    await expect(window.getByRole('heading', { name: 'my-app', level: 1 })).toBeVisible();
    await expect(window.getByRole('combobox', { name: 'Context' })).toHaveValue('test-admin');

    await window.getByRole('button', { name: 'Up', exact: true }).first().click();
    const firstUp = window.getByRole('dialog', { name: 'Files for the first Up' });
    await expect(firstUp.getByRole('list', { name: 'Files to create' })).toContainText('.devspace/config.yaml');
    await firstUp.getByRole('button', { name: 'Create files and start Up' }).click();
    await expect(firstUp).toBeHidden();

    await expect(window.getByRole('status', { name: 'Up status' })).toContainText('Ready', { timeout: 300_000 });
    const steps = window.getByRole('list', { name: 'Pipeline steps' });
    for (const id of ['build', 'deploy', 'rollout', 'ready']) await expect(steps.locator(`[data-step="${id}"]`)).toHaveAttribute('data-state', 'done');
    await fs.mkdir(path.join(root, 'e2e', 'artifacts'), { recursive: true });
    await window.screenshot({ path: path.join(root, 'e2e', 'artifacts', 'electron-up-ready.png') });

    // A terminal in the dev container answers what the build put into the image.
    await window.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Terminals' }).click();
    await expect(window.getByRole('status', { name: 'Terminal status' })).toContainText('Connected to', { timeout: 60_000 });
    await window.locator('[data-terminal-id]:visible').click();
    await window.keyboard.type('echo "in $(cat /built.txt)"');
    await window.keyboard.press('Enter');
    await expect.poll(() => terminalText(window), { timeout: 30_000 }).toContain('in built-in-electron');
  } finally {
    await electronApp.close();
    await cluster.stop();
    await fs.rm(machine.homeDir, { recursive: true, force: true });
  }
});
