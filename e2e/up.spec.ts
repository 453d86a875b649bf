// The product in one click: a developer opens a project that has only a Dockerfile, clicks Up,
// reviews the files the first Up will create (config and chart, not their Dockerfile), confirms,
// watches the steps complete, types in a terminal in the new dev container; then clicks Up again
// with nothing changed and sees the build and the deploy skipped.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
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

function step(page: Page, id: string) {
  return page.getByRole('list', { name: 'Pipeline steps' }).locator(`[data-step="${id}"]`);
}

test('Up takes a bare project to a running dev container; a second Up skips what did not change', async ({ page, app }) => {
  test.setTimeout(300_000);
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  const dir = await app.projectDir('shop', {
    Dockerfile: 'FROM busybox\nRUN echo built-by-up > /built.txt\nCMD ["sleep", "3600"]\n',
  });
  await page.goto(app.url);

  await openTestProject(page, 'shop');

  // Up: first the files it will create, for the user to confirm; nothing is written before that.
  await page.getByRole('button', { name: 'Up', exact: true }).first().click();
  const firstUp = page.getByRole('dialog', { name: 'Files for the first Up' });
  const files = firstUp.getByRole('list', { name: 'Files to create' });
  await expect(files).toContainText('chart/Chart.yaml');
  await expect(files).toContainText('.devspace/config.yaml');
  await expect(files.locator('[data-path="Dockerfile"]')).toHaveCount(0);
  await firstUp.locator('[data-path=".devspace/config.yaml"] summary').click();
  await expect(firstUp.locator('[data-path=".devspace/config.yaml"] pre')).toContainText('version: v1alpha1');
  await page.screenshot({ path: path.join(ARTIFACTS, 'up-first-files.png') });
  for (const f of ['.devspace/config.yaml', 'chart']) await expect(fs.access(path.join(dir, f))).rejects.toThrow();
  await firstUp.getByRole('button', { name: 'Create files and start Up' }).click();
  await expect(firstUp).toBeHidden();

  // The pipeline shows every step finishing, then Ready.
  const summary = page.getByRole('status', { name: 'Up status' });
  await expect(summary).toContainText('Ready', { timeout: 240_000 });
  for (const id of ['connect', 'namespace', 'registry', 'build', 'deploy', 'rollout', 'ports', 'ready']) {
    await expect(step(page, id)).toHaveAttribute('data-state', 'done');
  }
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'up-ready.png') });

  // The build log kept what the in-cluster build printed, step by step.
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Build log' }).click();
  await expect(page.getByRole('log', { name: 'Build log lines' })).toContainText('RUN echo built-by-up');
  await page.screenshot({ path: path.join(ARTIFACTS, 'up-build-log.png') });

  // The first Up wrote the project's config and a chart, and left the Dockerfile alone.
  expect(await fs.readFile(path.join(dir, '.devspace', 'config.yaml'), 'utf8')).toContain('version: v1alpha1');
  expect(await fs.stat(path.join(dir, 'chart', 'Chart.yaml'))).toBeTruthy();
  expect(await fs.readFile(path.join(dir, 'Dockerfile'), 'utf8')).toContain('built-by-up');

  // A terminal in the dev container sees what the build put into the image.
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Terminals' }).click();
  await expect(page.getByRole('status', { name: 'Terminal status' })).toContainText('Connected to', { timeout: 60_000 });
  await page.locator('[data-terminal-id]:visible').click();
  await page.keyboard.type('cat /built.txt');
  await page.keyboard.press('Enter');
  await expect
    .poll(() =>
      page.evaluate(() => {
        const host = [...document.querySelectorAll('[data-terminal-id]')].find((el) => (el as HTMLElement).offsetParent !== null) as
          | (HTMLElement & { xterm?: { buffer: { active: { length: number; getLine(i: number): { translateToString(t: boolean): string } | undefined } } } })
          | undefined;
        const buf = host?.xterm?.buffer.active;
        if (!buf) return '';
        return Array.from({ length: buf.length }, (_, i) => buf.getLine(i)?.translateToString(true) ?? '').join('\n');
      }),
    )
    .toContain('built-by-up');

  // Up again with nothing changed: no build, no redeploy, ready again.
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Pipeline' }).click();
  await page.getByRole('button', { name: 'Up', exact: true }).first().click();
  await expect(summary).toContainText('Ready', { timeout: 120_000 });
  await expect(step(page, 'build')).toHaveAttribute('data-state', 'skipped');
  await expect(step(page, 'deploy')).toHaveAttribute('data-state', 'skipped');
});
