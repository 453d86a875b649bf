// A developer clicks Up on a project with only a Dockerfile, then opens the Deployment panel: the
// release's first revision is deployed, its pod runs, and the Manifests tab shows the Deployment
// the chart rendered, with the image Up built.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestCluster, type TestCluster } from './cluster';
import { expect, test } from './fixtures';
import { openTestProject } from './support/openProject';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
let cluster: TestCluster;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
});

test.afterAll(async () => {
  await cluster?.stop();
});

test('after Up, the Deployment panel shows revision 1 deployed, its running pod and the rendered manifests', async ({ page, app }) => {
  test.setTimeout(300_000);
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  await app.projectDir('kiosk', { Dockerfile: 'FROM busybox\nCMD ["sleep", "3600"]\n' });
  await page.goto(app.url);

  await openTestProject(page, 'kiosk');

  // Before any Up the panel says there is nothing yet.
  const panels = page.getByRole('navigation', { name: 'Project panels' });
  await panels.getByRole('button', { name: 'Deployment' }).click();
  // the panel's host (the sidebar's region) holds the card
  const deployment = page.getByRole('region', { name: 'Deployment' }).first();
  await expect(deployment.getByRole('status', { name: 'Release status' })).toContainText('Nothing deployed yet — click Up');

  await page.getByRole('button', { name: 'Up', exact: true }).first().click();
  const firstUp = page.getByRole('dialog', { name: 'Files for the first Up' });
  await firstUp.getByRole('button', { name: 'Create files and start Up' }).click();
  await expect(firstUp).toBeHidden();
  await panels.getByRole('button', { name: 'Pipeline' }).click();
  await expect(page.getByRole('status', { name: 'Up status' })).toContainText('Ready', { timeout: 240_000 });

  await panels.getByRole('button', { name: 'Deployment' }).click();
  const status = deployment.getByRole('status', { name: 'Release status' });
  await expect(status).toContainText('Revision 1');
  await expect(status).toContainText('deployed');
  await expect(deployment).toContainText('Releasekiosk');
  const pods = deployment.getByRole('table', { name: 'Pods' });
  await expect(pods.getByRole('row').filter({ hasText: /^kiosk-/ }).first()).toContainText('Running');
  await expect(pods).toContainText('1/1');
  await expect(deployment.getByRole('table', { name: 'Revisions' }).getByRole('row', { name: 'Revision 1' })).toContainText('deployed');
  await expect(deployment.getByRole('list', { name: 'Events' })).toContainText('Scheduled');
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'deployment.png') });

  // The manifests the chart renders, the Deployment with the image Up built.
  await deployment.getByRole('tab', { name: 'Manifests' }).click();
  const objects = deployment.getByRole('list', { name: 'Rendered objects' });
  const dep = objects.getByRole('listitem', { name: 'Deployment kiosk' });
  await expect(dep).toContainText('Deployment');
  await dep.locator('summary').click();
  await expect(dep.locator('pre')).toContainText(/image: "?localhost:\d+\/kiosk:devspace-[0-9a-f]{12}"?/);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await dep.getByRole('button', { name: 'Copy Deployment kiosk' }).click();
  await expect(dep.getByRole('button', { name: 'Copy Deployment kiosk' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'deployment-manifests.png') });
});
