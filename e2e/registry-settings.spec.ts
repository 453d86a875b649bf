// A user moves their project to an external registry: in Settings they pick the local Docker
// daemon and an external registry, save (config.yaml keeps their comment), then log in to that
// registry in the Registry panel — a wrong password is refused with what they typed kept, the
// right one shows up masked, and the panel lists the registry as ready.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startTestCluster, type TestCluster } from './cluster';
import { expect, test } from './fixtures';
import { registryUnavailable, startTestRegistry, type TestRegistry } from '../main/registry/testSupport/testRegistry';

const ARTIFACTS = path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts');
const USER = 'dev';
const PASSWORD = 'right-Password-4711';

const CONFIG = `# The shop: built and deployed by DevSpace Desktop.
version: v1alpha1
devSpace:
  deployments:
  - name: shop
    helm:
      chartPath: ./chart
images:
  # the image Up builds
  default:
    name: shop
`;

const noRegistry = registryUnavailable();
// Printed on the runner's output too, not only in the report's annotations.
if (noRegistry) console.log(`e2e/registry-settings.spec.ts skipped: ${noRegistry}`);
let cluster: TestCluster;
let registry: TestRegistry;

test.beforeAll(async () => {
  if (noRegistry) return;
  // The API server alone is enough: the project's cluster is asked, nothing needs to run.
  cluster = await startTestCluster({ node: false });
  registry = await startTestRegistry({ htpasswd: { username: USER, password: PASSWORD } });
});

test.afterAll(async () => {
  await registry?.stop();
  await cluster?.stop();
});

async function openThroughFolderBrowser(page: Page, folders: string[]) {
  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  for (const folder of folders) await dialog.getByRole('option', { name: folder, exact: true }).click();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog).toBeHidden();
}

test('switch to Docker and an external registry in Settings, then log in to it in the Registry panel', async ({ page, app }) => {
  test.skip(!!noRegistry, `skipped: ${noRegistry}`);
  test.setTimeout(90_000);
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  const dir = await app.projectDir('shop', { '.devspace/config.yaml': CONFIG });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto(app.url);
  await openThroughFolderBrowser(page, ['projects', 'shop']);
  await page.getByRole('combobox', { name: 'Context' }).selectOption('test-admin');
  const nav = page.getByRole('navigation', { name: 'Project panels' });

  // Settings: Docker builder and an external registry; a URL with a scheme is pointed out first.
  await nav.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('region', { name: 'Settings' }).last();
  await expect(settings.getByRole('radio', { name: /Kaniko in the cluster/ })).toBeChecked();
  // The in-cluster registry's own settings: a bad port is pointed out beside its field; a good one
  // is kept (and saved) while another registry is chosen.
  const port = settings.getByRole('textbox', { name: 'Port on every node' });
  await expect(port).toHaveAttribute('placeholder', '5000');
  await port.fill('99999');
  await expect(settings.getByRole('alert')).toContainText('A port number from 1 to 65535');
  await port.fill('5001');
  await expect(settings.getByText('nodes pull it as localhost:5001')).toBeVisible();
  await settings.getByRole('radio', { name: /Local Docker daemon/ }).check();
  await settings.getByRole('radio', { name: /External registry/ }).check();
  const url = settings.getByRole('textbox', { name: 'Registry URL' });
  await url.fill(`http://${registry.host}/team`);
  await expect(settings.getByRole('alert')).toContainText('Leave out "http://"');
  await expect(settings.getByRole('button', { name: 'Save' })).toBeDisabled();
  await url.fill(`${registry.host}/team`);
  await settings.getByRole('checkbox', { name: /Insecure/ }).check();
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved to .devspace/config.yaml');
  await page.screenshot({ path: path.join(ARTIFACTS, 'settings.png') });

  const written = await fs.readFile(path.join(dir, '.devspace', 'config.yaml'), 'utf8');
  expect(written).toContain('# The shop: built and deployed by DevSpace Desktop.');
  expect(written).toContain('  # the image Up builds\n');
  expect(written).toContain('    build:\n      engine: docker\n');
  expect(written).toContain('    registry: default\n');
  expect(written).toContain(`registries:\n  default:\n    url: ${registry.host}/team\n    insecure: true\n`);
  expect(written).toContain('internalRegistry:\n  port: 5001\n');
  expect(written).not.toContain(PASSWORD);

  // Registry panel: the external registry needs a login.
  await nav.getByRole('button', { name: 'Registry' }).click();
  const panel = page.getByRole('region', { name: 'Registry', exact: true }).first();
  await expect(panel.getByText(`External registry ${registry.host}`)).toBeVisible();
  await expect(panel.locator('[data-state]').first()).toHaveAttribute('data-state', 'unauthorized');
  await expect(panel.getByText(`${registry.host}/team/shop`)).toBeVisible();

  const form = panel.getByRole('form', { name: 'Log in to a registry' });
  await form.getByRole('textbox', { name: 'Host' }).fill(registry.host);
  await form.getByRole('textbox', { name: 'User' }).fill(USER);
  await form.getByLabel('Password or token').fill('wrong-password');
  await form.getByRole('button', { name: 'Log in' }).click();
  const failure = form.getByRole('alert');
  await expect(failure).toContainText('wrong user name or password');
  await expect(failure).toHaveAttribute('data-error-code', 'REGISTRY_UNAUTHORIZED');
  await expect(form.getByRole('textbox', { name: 'Host' })).toHaveValue(registry.host);
  await expect(form.getByRole('textbox', { name: 'User' })).toHaveValue(USER);
  await expect(panel.getByRole('table', { name: 'Saved logins' })).toHaveCount(0);

  await form.getByLabel('Password or token').fill(PASSWORD);
  await form.getByRole('button', { name: 'Log in' }).click();
  const row = panel.getByRole('table', { name: 'Saved logins' }).locator(`tr[data-host="${registry.host}"]`);
  await expect(row).toContainText(USER);
  await expect(row).toContainText('ri••••11');
  await expect(row).toContainText('This app');
  await expect(row).not.toContainText(PASSWORD);
  await expect(form.getByRole('alert')).toHaveCount(0);
  await expect(form.getByRole('textbox', { name: 'Host' })).toHaveValue('');
  // With the login the registry answers: ready, and no image of this project yet.
  await expect(panel.locator('[data-state]').first()).toHaveAttribute('data-state', 'ready');
  await expect(panel.getByText('No images of this project yet')).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'registry.png') });

  // Nothing the app wrote holds the password in plain text.
  for (const folder of [app.dataDir, dir]) {
    for (const entry of await fs.readdir(folder, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const bytes = await fs.readFile(path.join(entry.parentPath, entry.name));
      expect(bytes.includes(Buffer.from(PASSWORD)), path.join(entry.parentPath, entry.name)).toBe(false);
    }
  }
  expect(pageErrors).toEqual([]);
});
