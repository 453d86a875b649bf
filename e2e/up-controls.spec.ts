// After Up: a developer stops the dev container's sessions (the deployment keeps running), then
// purges the project from the cluster — the app asks first, naming the release and namespace, says
// what it removed, and the Deployment is gone from the cluster.
import { promises as fs } from 'node:fs';
import https from 'node:https';
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

/** The names of the Deployments in a namespace, asked of the test cluster's API server the way kubectl would. */
async function deployments(namespace: string): Promise<string[]> {
  const ca = await fs.readFile(cluster.caPath);
  const body = await new Promise<string>((resolve, reject) => {
    const req = https.get(`${cluster.server}/apis/apps/v1/namespaces/${namespace}/deployments`, { ca, headers: { authorization: `Bearer ${cluster.tokens.admin}` } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`GET deployments: HTTP ${res.statusCode}: ${data}`))));
    });
    req.on('error', reject);
  });
  return (JSON.parse(body) as { items: Array<{ metadata: { name: string } }> }).items.map((d) => d.metadata.name);
}

test('Stop ends the sessions and keeps the deployment; Purge… asks, uninstalls the release and says what it removed', async ({ page, app }) => {
  test.setTimeout(360_000);
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  await app.projectDir('cafe', { Dockerfile: 'FROM busybox\nCMD ["sleep", "3600"]\n' });
  await page.goto(app.url);

  await openTestProject(page, 'cafe');

  // Up from the header; while it runs the header offers Cancel with the step it is on.
  const header = page.getByRole('group', { name: 'Up controls' });
  await header.getByRole('button', { name: 'Up', exact: true }).click();
  await page.getByRole('dialog', { name: 'Files for the first Up' }).getByRole('button', { name: 'Create files and start Up' }).click();
  await expect(header.getByRole('button', { name: 'Cancel', exact: true })).toBeVisible();
  // The tab's title counts the finished steps while Up runs, and is plain again once it is done.
  await expect(page).toHaveTitle(/^\(\d+\/\d+\) DevSpace Desktop$/);
  await expect(page.getByRole('status', { name: 'Up status' })).toContainText('Ready', { timeout: 240_000 });
  await expect(page).toHaveTitle('DevSpace Desktop');

  // Up: the header offers Up again, Stop, and the menu.
  await expect(header.getByRole('button', { name: 'Up', exact: true })).toBeVisible();
  const stop = header.getByRole('button', { name: 'Stop', exact: true });
  await expect(stop).toBeVisible();

  // Force rebuild (from the menu) builds the image although nothing changed.
  const buildStep = page.getByRole('list', { name: 'Pipeline steps' }).locator('[data-step="build"]');
  await header.getByRole('button', { name: 'More Up actions' }).click();
  await page.getByRole('menu', { name: 'Up actions' }).getByRole('menuitem', { name: 'Force rebuild' }).click();
  await expect(buildStep).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Up status' })).toContainText('Ready', { timeout: 240_000 });
  await expect(buildStep).toHaveAttribute('data-state', 'done');
  const before = await deployments('default');
  expect(before.length).toBeGreaterThan(0);

  const nav = page.getByRole('navigation', { name: 'Project panels' });
  await nav.getByRole('button', { name: 'Terminals' }).click();
  await expect(page.getByRole('status', { name: 'Terminal status' })).toContainText('Connected to', { timeout: 60_000 });
  await nav.getByRole('button', { name: 'Ports' }).click();
  await expect(page.getByRole('status', { name: 'Forwarding status' })).toContainText('Forwards are running.');

  // Stop: sessions end, the deployment keeps running.
  await stop.click();
  await expect(page.getByRole('status', { name: 'Up result' })).toContainText('Stopped the terminals and port forwards. The deployment keeps running');
  await expect(stop).toBeHidden();
  await expect(page.getByRole('status', { name: 'Forwarding status' })).toContainText('Forwards are stopped.');
  expect(await deployments('default')).toEqual(before);
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'up-controls-stopped.png') });

  // Purge…: the question names the release and the namespace; cancelling it changes nothing.
  await header.getByRole('button', { name: 'More Up actions' }).click();
  await page.getByRole('menu', { name: 'Up actions' }).getByRole('menuitem', { name: 'Purge…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Purge the deployment' });
  await expect(confirm).toContainText('Uninstall release cafe from namespace default? The terminals and port forwards stop; the registry and its images stay.');
  await page.screenshot({ path: path.join(ARTIFACTS, 'up-controls-purge.png') });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  expect(await deployments('default')).toEqual(before);

  await header.getByRole('button', { name: 'More Up actions' }).click();
  await page.getByRole('menuitem', { name: 'Purge…' }).click();
  await confirm.getByRole('button', { name: 'Uninstall' }).click();
  await expect(page.getByRole('status', { name: 'Up result' })).toContainText(/Uninstalled release cafe from namespace default\. Removed \d+ objects?\./, { timeout: 60_000 });
  await expect(confirm).toBeHidden();
  await expect.poll(() => deployments('default'), { timeout: 30_000 }).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, 'up-controls-purged.png') });
  // The Pipeline no longer just says "Ready": the run's release is gone.
  await nav.getByRole('button', { name: 'Pipeline' }).click();
  await expect(page.getByText('Purged: the release was uninstalled from the cluster. Up deploys it again.')).toBeVisible();
});

test('after a chart change that cannot run, the Pipeline offers rolling back to the revision that still runs', async ({ page, app }) => {
  test.setTimeout(360_000);
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  const dir = await app.projectDir('bakery', { Dockerfile: 'FROM busybox\nCMD ["sleep", "3600"]\n' });
  await page.goto(app.url);
  await openTestProject(page, 'bakery');

  const header = page.getByRole('group', { name: 'Up controls' });
  const summary = page.getByRole('status', { name: 'Up status' });
  await header.getByRole('button', { name: 'Up', exact: true }).click();
  await page.getByRole('dialog', { name: 'Files for the first Up' }).getByRole('button', { name: 'Create files and start Up' }).click();
  await expect(summary).toContainText('Ready', { timeout: 240_000 });
  await expect(page.getByRole('region', { name: 'Rollback' })).toHaveCount(0);

  // A chart change that cannot run: the container now takes its environment from a ConfigMap that
  // does not exist. The rollout fails; revision 1's pod is what still runs.
  const template = path.join(dir, 'chart', 'templates', 'deployment.yaml');
  const original = await fs.readFile(template, 'utf8');
  const broken = original.replace('          {{- with .Values.env }}', '          envFrom:\n            - configMapRef:\n                name: bakery-settings\n          {{- with .Values.env }}');
  expect(broken).not.toBe(original);
  await fs.writeFile(template, broken);
  await header.getByRole('button', { name: 'Up', exact: true }).click();
  await expect(summary).toContainText('failed', { timeout: 240_000 });
  await expect(page.getByRole('list', { name: 'Pipeline steps' }).locator('[data-step="rollout"]')).toHaveAttribute('data-state', 'failed');
  const offer = page.getByRole('region', { name: 'Rollback' });
  await expect(offer).toContainText('The previous revision 1 is still running. Roll back to it?', { timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'up-controls-rollback-offer.png') });

  // A look at the Deployment panel first; the offer is still there on the way back.
  await offer.getByRole('button', { name: 'Open the Deployment panel' }).click();
  await expect(page.getByRole('main', { name: 'Deployment' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Pipeline' }).click();

  // Rolling back asks first; then the release runs revision 1's manifests as a new revision.
  await offer.getByRole('button', { name: 'Roll back to revision 1…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Roll back to revision 1' });
  await expect(confirm).toContainText('Roll back release bakery in namespace default to revision 1?');
  await confirm.getByRole('button', { name: 'Roll back', exact: true }).click();
  await expect(confirm).toBeHidden({ timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Up result' })).toContainText("Rolled back: release bakery runs revision 1's manifests again as revision 3.");
});
