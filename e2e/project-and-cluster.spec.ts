// A user's first minutes with DevSpace Desktop in a browser: open a project through the folder
// browser, find it again in recent projects, pick a cluster context, and get clear messages when
// a folder is gone, a cluster does not answer or there is no kubeconfig at all.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { TWO_UNREACHABLE_CONTEXTS } from './support/kubeconfigs';

const ARTIFACTS = path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts');

async function openThroughFolderBrowser(page: Page, folders: string[]) {
  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  await expect(dialog).toBeVisible();
  for (const folder of folders) await dialog.getByRole('option', { name: folder, exact: true }).click();
  await expect(dialog.getByRole('navigation', { name: 'Folder path' }).getByRole('button', { name: folders.at(-1), exact: true })).toHaveAttribute('aria-current', 'location');
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(dialog).toBeHidden();
}

function connectionStatus(page: Page) {
  return page.getByRole('status', { name: 'Connection status' });
}

test('open a project through the folder browser, find it in recents, remove it', async ({ page, app }) => {
  const myApp = await app.projectDir('my-app', { Dockerfile: 'FROM busybox\n', 'src/index.js': 'console.log(1)\n' });
  await app.projectDir('other-service');
  await fs.mkdir(path.join(app.homeDir, '.secrets'));

  // Anything the page logs as an error (a script failure, a CSP violation) fails the story.
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });

  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'DevSpace Desktop', level: 1 })).toBeVisible();
  await expect(page.getByText('No recent projects yet')).toBeVisible();

  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  // It starts in the home folder.
  await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveValue(app.homeDir);

  // A mistyped path says what is wrong and keeps the text to correct it.
  await dialog.getByRole('textbox', { name: 'Path' }).fill('~/projcts');
  await dialog.getByRole('textbox', { name: 'Path' }).press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('does not exist');
  await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveValue('~/projcts');

  // Hidden folders only when asked for.
  await expect(dialog.getByRole('option', { name: '.secrets' })).toHaveCount(0);
  await dialog.getByRole('checkbox', { name: 'Show hidden' }).check();
  await expect(dialog.getByRole('option', { name: '.secrets' })).toBeVisible();
  await dialog.getByRole('checkbox', { name: 'Show hidden' }).uncheck();
  await expect(dialog.getByRole('option', { name: '.secrets' })).toHaveCount(0);

  // Home → projects by keyboard: the only folder in home is highlighted, Enter goes in.
  const list = dialog.getByRole('listbox');
  await list.focus();
  await list.press('Enter');
  await expect(dialog.getByRole('alert')).toBeHidden();
  await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveValue(path.join(app.homeDir, 'projects'));
  await list.press('ArrowDown');
  await list.press('Enter');
  await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveValue(path.join(app.homeDir, 'projects', 'other-service'));
  await dialog.getByRole('button', { name: 'Up one level' }).click();

  // …then my-app with the mouse; its files are shown but cannot be chosen.
  await dialog.getByRole('option', { name: 'my-app', exact: true }).click();
  await expect(dialog.getByRole('option', { name: 'Dockerfile' })).toHaveAttribute('aria-disabled', 'true');
  await expect(dialog.getByText('Looks like a project')).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveValue(myApp);
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'folder-browser.png') });
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();

  // The project view.
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'my-app', level: 1 })).toBeVisible();
  await expect(page.getByText(myApp, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Up', exact: true })).toBeEnabled();

  // The app still has it open after a reload; going back shows it in recent projects.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'my-app', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Close project' }).click();
  const recents = page.getByRole('list', { name: 'Recent projects' });
  await expect(recents.getByRole('listitem')).toHaveCount(1);
  await expect(recents.getByRole('listitem', { name: 'my-app' })).toContainText(myApp);

  // Clicking it opens it again.
  await recents.getByRole('button', { name: /^my-app/ }).click();
  await expect(page.getByRole('heading', { name: 'my-app', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Close project' }).click();

  await page.getByRole('button', { name: 'Remove my-app from recent projects' }).click();
  await expect(page.getByText('No recent projects yet')).toBeVisible();
  expect(pageErrors).toEqual([]);
  // The removal is saved: a restarted app does not list it either.
  await app.restart();
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'DevSpace Desktop', level: 1 })).toBeVisible();
  await expect(page.getByText('No recent projects yet')).toBeVisible();
});

test('a recent project whose folder was deleted says so and can be removed', async ({ page, app }) => {
  const oldApp = await app.projectDir('old-app', { 'main.go': 'package main\n' });
  await page.goto(app.url);
  await openThroughFolderBrowser(page, ['projects', 'old-app']);
  await expect(page.getByRole('heading', { name: 'old-app', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Close project' }).click();

  // The folder goes away while the welcome screen is showing it.
  await fs.rm(oldApp, { recursive: true });
  const entry = page.getByRole('listitem', { name: 'old-app' });
  await entry.getByRole('button', { name: /^old-app/ }).click();

  const problem = page.getByRole('alert');
  await expect(problem).toContainText('Could not open old-app');
  await expect(problem).toContainText(`${oldApp} does not exist.`);
  await expect(page.getByRole('heading', { name: 'DevSpace Desktop', level: 1 })).toBeVisible();
  // The entry now shows why, greyed, and can no longer be opened.
  await expect(entry).toContainText('Folder no longer exists');
  await expect(entry.getByRole('button', { name: /^old-app/ })).toHaveCount(0);
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'welcome-folder-gone.png') });

  // A restarted app marks it too, and removing it leaves nothing.
  await app.restart();
  await page.goto(app.url);
  await expect(entry).toContainText('Folder no longer exists');
  await entry.getByRole('button', { name: 'Remove old-app from recent projects' }).click();
  await expect(page.getByText('No recent projects yet')).toBeVisible();
});

test('switching between unreachable contexts shows why, and the choice is remembered', async ({ page, app }) => {
  await app.writeKubeconfig(TWO_UNREACHABLE_CONTEXTS);
  await app.projectDir('my-app', { Dockerfile: 'FROM busybox\n' });
  await page.goto(app.url);
  await openThroughFolderBrowser(page, ['projects', 'my-app']);

  const context = page.getByRole('combobox', { name: 'Context' });
  await expect(context).toHaveValue('alpha');
  // The kubeconfig file the contexts came from is named.
  await expect(page.getByText('~/.kube/config', { exact: true })).toBeVisible();
  await expect(connectionStatus(page)).toContainText('https://127.0.0.1:1');
  await expect(connectionStatus(page)).toContainText('connection refused');
  await expect(connectionStatus(page)).toContainText('Is the cluster running?');

  await context.selectOption('beta');
  await expect(connectionStatus(page)).toContainText('https://127.0.0.1:2');
  await expect(connectionStatus(page)).toContainText('connection refused');
  await expect(connectionStatus(page)).toContainText('Is the cluster running?');
  // Namespaces cannot be listed from a cluster that does not answer: the namespace is typed.
  await expect(page.getByRole('textbox', { name: 'Namespace' })).toHaveValue('default');

  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.setViewportSize({ width: 1200, height: 760 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'main-window.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(ARTIFACTS, 'main-window-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Retry checks again and still explains.
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(connectionStatus(page)).toContainText('https://127.0.0.1:2');

  // A reload keeps the choice…
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Context' })).toHaveValue('beta');
  await expect(connectionStatus(page)).toContainText('https://127.0.0.1:2');

  // …and so does restarting the app, opening the project from recents.
  await app.restart();
  // The page of the stopped app says it lost the connection.
  await expect(page.getByRole('alert').filter({ hasText: 'Lost the connection to DevSpace Desktop' })).toBeVisible();
  await page.goto(app.url);
  await page.getByRole('listitem', { name: 'my-app' }).getByRole('button', { name: /^my-app/ }).click();
  await expect(page.getByRole('combobox', { name: 'Context' })).toHaveValue('beta');
  await expect(connectionStatus(page)).toContainText('https://127.0.0.1:2');
});

test('without a kubeconfig the cluster panel explains what it needs', async ({ page, app }) => {
  await app.projectDir('my-app');
  await page.goto(app.url);
  await openThroughFolderBrowser(page, ['projects', 'my-app']);

  await expect(page.getByRole('heading', { name: 'No kubeconfig found' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('No kubeconfig found');
  await expect(page.getByRole('alert')).toContainText('KUBECONFIG');
  await expect(page.getByRole('combobox', { name: 'Context' })).toHaveCount(0);

  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'no-kubeconfig.png') });

  // Once a kubeconfig exists, Retry picks it up.
  await app.writeKubeconfig(TWO_UNREACHABLE_CONTEXTS);
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('combobox', { name: 'Context' })).toHaveValue('alpha');
  await expect(connectionStatus(page)).toContainText('https://127.0.0.1:1');
});
