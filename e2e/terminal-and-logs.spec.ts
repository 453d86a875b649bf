// A developer lives in the dev container: they open a terminal into it, run commands, resize the
// window, keep working when the container restarts, and read its logs — in the real UI, against
// the test cluster with a real busybox pod.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import type { Page } from '@playwright/test';
import { startTestCluster, type TestCluster } from './cluster';
import { expect, test } from './fixtures';
import { createDevDeployment, testKubeConfig } from '../main/terminal/testSupport/devDeployment';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

let cluster: TestCluster;
let kc: KubeConfig;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.02 } });
  kc = await testKubeConfig(cluster.kubeconfigPath);
  await createDevDeployment(kc, cluster.baseImage, 'web-dev', 'i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.3; done');
});

test.afterAll(async () => {
  await cluster?.stop();
});

const CONFIG = `version: v1alpha1
devSpace:
  terminal:
    labelSelector:
      app: web-dev
  ports:
  - labelSelector:
      app: web-dev
    portMappings:
    - localPort: 18090
      remotePort: 8080
`;

/** The text of the selected terminal's buffer (xterm keeps it; the WebGL renderer draws no DOM text). */
async function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = [...document.querySelectorAll('[data-terminal-id]')].find((el) => (el as HTMLElement).offsetParent !== null) as
      | (HTMLElement & { xterm?: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } })
      | undefined;
    const buf = host?.xterm?.buffer.active;
    if (!buf) return '';
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  });
}

async function terminalSize(page: Page): Promise<{ cols: number; rows: number }> {
  return page.evaluate(() => {
    const host = [...document.querySelectorAll('[data-terminal-id]')].find((el) => (el as HTMLElement).offsetParent !== null) as HTMLElement & { xterm: { cols: number; rows: number } };
    return { cols: host.xterm.cols, rows: host.xterm.rows };
  });
}

async function type(page: Page, text: string) {
  await page.locator('[data-terminal-id]:visible').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

test('a terminal into the dev container that survives a restart, and its logs', async ({ page, app }) => {
  test.setTimeout(180_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  await app.projectDir('web', { '.devspace/config.yaml': CONFIG, Dockerfile: 'FROM busybox\n' });
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(app.url);

  // Open the project and use the test cluster's admin context.
  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  await dialog.getByRole('option', { name: 'projects', exact: true }).click();
  await dialog.getByRole('option', { name: 'web', exact: true }).click();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'web', level: 1 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Context' })).toHaveValue('test-admin');
  await expect(page.getByRole('status', { name: 'Connection status' })).toContainText(cluster.server);

  // Terminals: the first visit opens a shell in the dev container.
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Terminals' }).click();
  const status = page.getByRole('status', { name: 'Terminal status' });
  await expect(status).toContainText(/Connected to web-dev-\S+ · dev/);
  const pod = /Connected to (\S+)/.exec((await status.textContent()) ?? '')![1]!;
  await type(page, 'echo hello-$((6*7))');
  await expect.poll(() => terminalText(page)).toContain('hello-42');

  // The TTY follows the window: stty size reports what xterm fitted to the panel.
  const before = await terminalSize(page);
  await page.setViewportSize({ width: 1000, height: 640 });
  await expect.poll(async () => (await terminalSize(page)).cols).toBeLessThan(before.cols);
  const size = await terminalSize(page);
  expect(size.rows).toBeLessThan(before.rows);
  await type(page, 'stty size');
  await expect.poll(() => terminalText(page)).toContain(`${size.rows} ${size.cols}`);

  // The container is killed and restarted: the tab says so, reconnects, and works again with
  // the earlier output still in its scrollback.
  await cluster.faults.restartContainer('default', pod, 'dev');
  await expect(status).toContainText('Reconnecting');
  await expect(status).toContainText('Connected to', { timeout: 60_000 });
  await type(page, 'echo back-$((2*21))');
  await expect.poll(() => terminalText(page)).toContain('back-42');
  expect(await terminalText(page)).toContain('hello-42');
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'terminal.png') });

  // Ctrl+F finds text in the scrollback and selects it.
  await page.locator('[data-terminal-id]:visible').click();
  await page.keyboard.press('Control+f');
  const find = page.getByRole('textbox', { name: 'Find in terminal' });
  await find.fill('hello-42');
  await find.press('Enter');
  await expect(page.getByText('No match')).toHaveCount(0);
  expect(await page.evaluate(() => (document.querySelector('[data-terminal-id]') as HTMLElement & { xterm: { getSelection(): string } }).xterm.getSelection())).toBe('hello-42');
  await find.fill('no-such-text-anywhere');
  await find.press('Enter');
  await expect(page.getByText('No match')).toBeVisible();
  await find.press('Escape');
  await expect(find).toHaveCount(0);

  // A second tab, renamed by double-click, then closed.
  await page.getByRole('button', { name: 'New terminal' }).click();
  await expect(page.getByRole('tab', { name: 'Terminal 2' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Terminal 2' }).dblclick();
  await page.getByRole('textbox', { name: 'Terminal name' }).fill('tests');
  await page.getByRole('textbox', { name: 'Terminal name' }).press('Enter');
  await expect(page.getByRole('tab', { name: 'tests' })).toBeVisible();
  await page.getByRole('button', { name: 'Close tests' }).click();
  await expect(page.getByRole('tab')).toHaveCount(1);

  // Logs of the dev container.
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Logs' }).click();
  await expect(page.getByRole('combobox', { name: 'Pod' })).toHaveValue(pod);
  await expect(page.getByRole('log', { name: 'Log lines' })).toContainText(/tick-\d+/);
  await expect(page.getByRole('status', { name: 'Log status' })).toContainText(`Following dev in pod ${pod}`);
  // The previous run (before the restart) is there too.
  await page.getByRole('checkbox', { name: 'Previous run' }).check();
  await expect(page.getByRole('status', { name: 'Log status' })).toContainText('End of the previous run');
  await expect(page.getByRole('log', { name: 'Log lines' })).toContainText('tick-0');
  await page.getByRole('checkbox', { name: 'Previous run' }).uncheck();
  await expect(page.getByRole('log', { name: 'Log lines' })).toContainText(/tick-\d+/);
  // Download what the viewer holds.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe(`${pod}-dev.log`);
  expect(await fs.readFile(await download.path(), 'utf8')).toMatch(/^tick-\d+$/m);
  await page.getByRole('textbox', { name: 'Filter lines' }).fill('tick-1');
  await expect(page.getByRole('log', { name: 'Log lines' })).toContainText('tick-1');
  await expect(page.getByRole('log', { name: 'Log lines' })).not.toContainText('tick-2');
  await page.screenshot({ path: path.join(ARTIFACTS, 'logs.png') });

  // xterm runs under the app's CSP (style-src 'self'): its own <style> elements are blocked (the
  // only errors Chromium logs), and their rules reach the page as constructed stylesheets instead —
  // the rows get the theme's colour and the font size xterm computed.
  expect(problems.filter((p) => !/^Applying inline style violates the following Content Security Policy directive 'style-src 'self''/.test(p))).toEqual([]);
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Terminals' }).click();
  const rows = page.locator('[data-terminal-id]:visible .xterm-rows, [data-terminal-id]:visible canvas').first();
  await expect(rows).toBeVisible();
  const look = await page.evaluate(() => {
    const rowsEl = document.querySelector('[data-terminal-id] .xterm-rows');
    const viewport = document.querySelector('[data-terminal-id] .xterm-viewport, [data-terminal-id] .xterm-scrollable-element');
    return { color: rowsEl ? getComputedStyle(rowsEl).color : null, fontSize: rowsEl ? getComputedStyle(rowsEl).fontSize : null, adopted: document.adoptedStyleSheets.length, viewport: !!viewport };
  });
  // The DOM renderer (no WebGL in headless Chromium) has rows whose style comes only from xterm's CSS.
  if (look.color !== null) expect(look).toMatchObject({ color: 'rgb(227, 230, 238)', fontSize: '13px' });
  expect(look.adopted).toBeGreaterThan(0);
});

test('find, copy and paste in a terminal, and Ctrl+C stops a flood of output', async ({ page, app }) => {
  test.setTimeout(120_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  await app.projectDir('shell', { '.devspace/config.yaml': CONFIG });
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  await dialog.getByRole('option', { name: 'projects', exact: true }).click();
  await dialog.getByRole('option', { name: 'shell', exact: true }).click();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Terminals' }).click();
  await expect(page.getByRole('status', { name: 'Terminal status' })).toContainText('Connected to');
  // Headless Chromium draws WebGL in software (SwiftShader): the DOM renderer is the faster choice.
  await expect(page.locator('[data-terminal-id]:visible')).toHaveAttribute('data-renderer', 'dom');

  // The command line says found-$((6*7)); only the output has the word itself.
  await type(page, 'echo found-$((6*7))-Word');
  await expect.poll(() => terminalText(page)).toContain('found-42-Word');

  // Ctrl+F: the find bar counts matches; "Aa" makes the search case-sensitive.
  await page.keyboard.press('Control+f');
  const find = page.getByRole('textbox', { name: 'Find in terminal' });
  await expect(find).toBeFocused();
  await find.fill('found-42-word');
  const results = page.getByRole('status', { name: 'Search results' });
  await expect(results).toHaveText('1 of 1');
  await page.getByRole('button', { name: 'Match case' }).click();
  await expect(results).toHaveText('No match');
  await page.getByRole('button', { name: 'Match case' }).click();
  await expect(results).toHaveText('1 of 1');
  await find.press('Enter');
  await expect(results).toHaveText('1 of 1');
  // Esc gives the keyboard back to the shell, with the match still selected.
  await find.press('Escape');
  await expect(find).toHaveCount(0);
  expect(await page.evaluate(() => (document.querySelector('[data-terminal-id]') as HTMLElement & { xterm: { getSelection(): string } }).xterm.getSelection())).toBe('found-42-Word');

  // Ctrl+Shift+C copies the selection to the system clipboard.
  await page.keyboard.press('Control+Shift+C');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('found-42-Word');

  // Ctrl+Shift+V pastes into the shell (Chromium's own paste on the key press: it works without the
  // clipboard-read permission too, which is how it works in Electron).
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((3*5))'));
  await page.locator('[data-terminal-id]:visible').click();
  await page.keyboard.press('Control+Shift+V');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toContain('pasted-15');
  // As a bracketed paste where the program asks for one (cat -v shows the markers).
  await type(page, "printf '\\033[?2004h'; cat -v");
  await expect
    .poll(() => page.evaluate(() => (document.querySelector('[data-terminal-id]') as HTMLElement & { xterm: { modes: { bracketedPasteMode: boolean } } }).xterm.modes.bracketedPasteMode))
    .toBe(true);
  await page.evaluate(() => navigator.clipboard.writeText('bracketed'));
  await page.keyboard.press('Control+Shift+V');
  await page.keyboard.press('Enter');
  await expect.poll(() => terminalText(page)).toContain('^[[200~bracketed^[[201~');
  await page.keyboard.press('Control+c');

  // A flood of output: the page keeps up, plain Ctrl+C reaches the shell and stops it.
  await type(page, 'yes flood-line');
  await expect.poll(() => terminalText(page)).toContain('flood-line\nflood-line');
  await page.keyboard.press('Control+c');
  await type(page, 'echo calm-$((2+2))');
  await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(/^calm-4$/m);
});

test('100,000 log lines stream into the viewer, which keeps the newest 50,000', async ({ page, app }) => {
  test.setTimeout(180_000);
  // The container starts printing only when told to (a file appears), so the lines really stream
  // into an open viewer rather than arriving as a tail.
  const pod = await createDevDeployment(kc, cluster.baseImage, 'flood', 'while [ ! -f /tmp/go ]; do sleep 0.2; done; i=0; while [ $i -lt 100000 ]; do echo "flood line $i"; i=$((i+1)); done; while true; do sleep 1; done');
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  await app.projectDir('flood', { '.devspace/config.yaml': CONFIG.replaceAll('web-dev', 'flood') });
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open project…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open project folder' });
  await dialog.getByRole('option', { name: 'projects', exact: true }).click();
  await dialog.getByRole('option', { name: 'flood', exact: true }).click();
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Logs' }).click();
  const status = page.getByRole('status', { name: 'Log status' });
  // A container that has written nothing yet: the viewer says what it waits for.
  await expect(status).toContainText(`Waiting for output from dev in pod ${pod.metadata!.name}`);

  const view = page.getByRole('log', { name: 'Log lines' });
  await expect(view).toHaveAttribute('data-line-count', '0');
  await new Exec(kc).exec('default', pod.metadata!.name!, 'dev', ['touch', '/tmp/go'], null, null, null, false);
  await expect(view).toContainText('flood line 99999', { timeout: 120_000 });
  // Bounded: the newest 50,000 lines, and the status says the older ones were let go.
  await expect(view).toHaveAttribute('data-line-count', '50000');
  await expect(status).toContainText('50,000 older lines not kept');
  // Only the rows in sight are in the DOM.
  expect(await view.locator('.log-row').count()).toBeLessThan(200);
  await view.evaluate((el) => (el.scrollTop = 0));
  await expect(view.locator('.log-row').first()).toHaveText('flood line 50000');
  // Filtering 50,000 lines down to one.
  await page.getByRole('textbox', { name: 'Filter lines' }).fill('flood line 99998');
  await expect(view.locator('.log-row')).toHaveCount(1);
  await expect(view).toHaveAttribute('data-line-count', '1');
});
