// A user forwards their app's port to localhost: they open the project, pick the test cluster's
// context, add a mapping in the Ports panel, save it (config.yaml keeps their comments), start
// the forwards and open the page from this machine.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startTestCluster, type TestCluster } from './cluster';
import { expect, test } from './fixtures';
import { clientKubeConfig, createHttpdDeployment, eventually, freePort, httpGet, readyPods } from '../main/ports/portsTestSupport';

const ARTIFACTS = path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts');

const CONFIG = `# The shop: ports are edited in DevSpace Desktop.
version: v1alpha1
devSpace:
  # the site, for the browser
  ports:
  - labelSelector:
      app: shop
    portMappings: []
`;

let cluster: TestCluster;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startTestCluster();
  const kc = clientKubeConfig(cluster.kubeconfigPath);
  await createHttpdDeployment(kc, { name: 'shop', image: cluster.baseImage, labels: { app: 'shop' } });
  await eventually('a ready shop pod', async () => (await readyPods(kc, 'app=shop')).length === 1, 180_000);
});

test.afterAll(async () => {
  await cluster?.stop();
});

async function openThroughFolderBrowser(page: Page, folders: string[]) {
  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  for (const folder of folders) await dialog.getByRole('option', { name: folder, exact: true }).click();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog).toBeHidden();
}

test('add a port mapping in the editor, save it, start it and open the app on localhost', async ({ page, app }) => {
  test.setTimeout(120_000);
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  const dir = await app.projectDir('shop', { '.devspace/config.yaml': CONFIG });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(app.url);
  await openThroughFolderBrowser(page, ['projects', 'shop']);
  await page.getByRole('combobox', { name: 'Context' }).selectOption('test-admin');
  await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Connected');

  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Ports' }).click();
  const panel = page.getByRole('region', { name: 'Ports' }).last();
  const forwarding = panel.getByRole('group', { name: 'Forwarding 1' });
  await expect(forwarding.getByRole('textbox', { name: 'Pod labels' })).toHaveValue('app=shop');

  // A mistyped port is pointed out before saving, and Save waits for a fix.
  await forwarding.getByRole('button', { name: 'Add mapping' }).click();
  const row = forwarding.getByRole('row', { name: 'Mapping 1.1' });
  await row.getByRole('textbox', { name: 'Local port' }).fill('70000');
  await row.getByRole('textbox', { name: 'Pod port' }).fill('8080');
  await expect(row.getByRole('alert')).toHaveText('Use a port from 1 to 65535');
  await expect(panel.getByRole('button', { name: 'Save' })).toBeDisabled();

  const localPort = await freePort();
  await row.getByRole('textbox', { name: 'Local port' }).fill(String(localPort));
  await expect(row.getByRole('alert')).toHaveCount(0);
  await expect(row.getByText('Not saved')).toBeVisible();

  // A save that fails says why with its hint, and keeps what the user typed.
  const configFile = path.join(dir, '.devspace', 'config.yaml');
  await fs.rename(configFile, `${configFile}.away`);
  await panel.getByRole('button', { name: 'Save' }).click();
  const failure = panel.getByRole('alert').filter({ hasText: 'does not exist yet' });
  await expect(failure).toContainText('Click Up once to create it.');
  await expect(row.getByRole('textbox', { name: 'Local port' })).toHaveValue(String(localPort));
  await fs.rename(`${configFile}.away`, configFile);

  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByText('Stopped', { exact: true })).toBeVisible();
  await expect(failure).toHaveCount(0);

  // The file has the mapping, and the user's comments are still there.
  const text = await fs.readFile(path.join(dir, '.devspace', 'config.yaml'), 'utf8');
  expect(text).toContain('# The shop: ports are edited in DevSpace Desktop.');
  expect(text).toContain('# the site, for the browser');
  expect(text).toContain(`localPort: ${localPort}`);
  expect(text).toContain('remotePort: 8080');

  await panel.getByRole('button', { name: 'Start all' }).click();
  await expect(row.getByText('Listening', { exact: true })).toBeVisible();

  const res = await httpGet(localPort);
  expect(res.status).toBe(200);
  expect(res.body.toString()).toMatch(/^served by shop-/);
  // What the forward saw: the pod, traffic, and an HTTP answer, so it offers the browser.
  const pod = res.body.toString().trim().replace('served by ', '');
  await expect(row).toContainText(`pod ${pod}`);
  await expect(row.getByRole('button', { name: 'Open in browser' })).toBeVisible();
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'ports-panel.png') });
  // In a 1024×700 window the listening row (traffic, pod, Open in browser) still fits its box.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(row.getByRole('button', { name: 'Open in browser' })).toBeInViewport();
  expect(await forwarding.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'ports-panel-1024.png') });
  if (size) await page.setViewportSize(size);

  await panel.getByRole('button', { name: 'Stop all' }).click();
  await expect(row.getByText('Stopped', { exact: true })).toBeVisible();
  await expect(httpGet(localPort)).rejects.toThrow(/ECONNREFUSED/);
  expect(pageErrors).toEqual([]);
});
