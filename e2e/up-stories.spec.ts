// A user's day with one project, in the browser host against the test cluster. Their project is a
// Dockerfile that serves a page with busybox httpd on the port it EXPOSEs:
//   1. the first Up (they accept the generated chart and config) → Ready, the page answers on
//      the forwarded localhost port, and a command typed in the terminal tab runs in the dev container;
//   2. they change the page and press Up: a new image is built and deployed, and the same
//      localhost port now serves the new page from the new pod;
//   3. Up with nothing changed skips the build and the deploy;
//   4. a broken Dockerfile fails the build step, says which Dockerfile step failed and why, keeps
//      the log, deploys nothing, leaves no build pod, and the old pod keeps serving;
//   5. a slow build is cancelled while it runs: no build pod remains, the old pod keeps serving.
// kubectl (the real binary) is the independent witness of what is left in the cluster.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { freePort, httpGet } from '../main/ports/portsTestSupport';
import { startTestCluster, type TestCluster } from './cluster';
import { expect, test } from './fixtures';
import { openTestProject } from './support/openProject';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const KUBECTL = '/usr/bin/kubectl';
// Every build pod of the app carries these labels (main/build/kaniko/buildPod.ts); this cluster
// runs only this project, so they select exactly its build pods.
const BUILD_PODS = 'app.kubernetes.io/managed-by=devspace-desktop,devspace.sh/build';
const NAMESPACE = 'default'; // the test-admin context's namespace

let cluster: TestCluster;
let kubectlHome: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
  kubectlHome = await fs.mkdtemp(path.join(os.tmpdir(), 'up-stories-kubectl-'));
});

test.afterAll(async () => {
  await cluster?.stop();
  if (kubectlHome) await fs.rm(kubectlHome, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<string> {
  const r = await promisify(execFile)(KUBECTL, ['--kubeconfig', cluster.kubeconfigPath, '--cache-dir', path.join(kubectlHome, 'cache'), ...args], {
    env: { ...process.env, HOME: kubectlHome },
  });
  return r.stdout;
}

/** The names of build pods in the namespace, as kubectl lists them (terminating ones included). */
async function buildPods(): Promise<string[]> {
  return (await kubectl('get', 'pods', '-n', NAMESPACE, '-l', BUILD_PODS, '-o', 'name')).split('\n').filter(Boolean);
}

/** What the forwarded localhost port answers right now (an error's message when nothing answers). */
async function page_(port: number): Promise<string> {
  try {
    const r = await httpGet(port);
    return `${r.status} ${r.body.toString()}`;
  } catch (err) {
    return `no answer: ${(err as Error).message}`;
  }
}

function step(page: Page, id: string) {
  return page.getByRole('list', { name: 'Pipeline steps' }).locator(`[data-step="${id}"]`);
}

function panel(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name });
}

function dockerfile(port: number, extra = ''): string {
  return `FROM busybox\nCOPY www /www\n${extra}EXPOSE ${port}\nCMD ["httpd", "-f", "-p", "${port}", "-h", "/www"]\n`;
}

/** The visible terminal tab's xterm buffer, as text. */
function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = [...document.querySelectorAll('[data-terminal-id]')].find((el) => (el as HTMLElement).offsetParent !== null) as
      | (HTMLElement & { xterm?: { buffer: { active: { length: number; getLine(i: number): { translateToString(t: boolean): string } | undefined } } } })
      | undefined;
    const buf = host?.xterm?.buffer.active;
    if (!buf) return '';
    return Array.from({ length: buf.length }, (_, i) => buf.getLine(i)?.translateToString(true) ?? '').join('\n');
  });
}

async function shot(page: Page, name: string): Promise<void> {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `story-${name}.png`) });
}

/** Runs one story and prints how long it took (timings are reported, never asserted). */
async function story<T>(title: string, body: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const r = await test.step(title, body);
  console.log(`up-stories: "${title}" passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

test('a day with one project: first Up, a change, an unchanged Up, a broken build, a cancelled build', async ({ page, app }) => {
  test.setTimeout(1_200_000);
  // The app's port inside the pod, and so (as the first Up maps it) on localhost: a port nothing
  // on this shared machine uses right now.
  const port = await freePort();
  await app.writeKubeconfig(await fs.readFile(cluster.kubeconfigPath, 'utf8'));
  const dir = await app.projectDir('site', {
    Dockerfile: dockerfile(port),
    'www/index.html': '<h1>site v1</h1>\n',
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const summary = page.getByRole('status', { name: 'Up status' });
  const up = page.getByRole('button', { name: 'Up', exact: true }).first();
  const pipeline = page.getByRole('region', { name: 'Pipeline' });

  const firstTag = await story('1. first Up: Ready, the page answers on the forwarded port, and the terminal tab runs what they type', async () => {
    await page.goto(app.url);
    await openTestProject(page, 'site');

    await up.click();
    const firstUp = page.getByRole('dialog', { name: 'Files for the first Up' });
    const config = firstUp.locator('[data-path=".devspace/config.yaml"]');
    await config.locator('summary').click();
    // The port came from the Dockerfile's EXPOSE: forwarded to the same port on localhost.
    await expect(config.locator('pre')).toContainText(`localPort: ${port}`);
    await expect(config.locator('pre')).toContainText(`remotePort: ${port}`);
    await expect(firstUp.locator('[data-path="Dockerfile"]')).toHaveCount(0);
    await firstUp.getByRole('button', { name: 'Create files and start Up' }).click();
    await expect(firstUp).toBeHidden();

    await expect(summary).toContainText('Ready', { timeout: 300_000 });
    for (const id of ['build', 'deploy', 'rollout', 'ports', 'ready']) await expect(step(page, id)).toHaveAttribute('data-state', 'done');
    const detail = (await step(page, 'build').locator('.pipeline-detail').textContent()) ?? '';
    const tag = /^built site:(\S+)$/.exec(detail)?.[1];
    expect(tag, `build step detail: ${detail}`).toBeTruthy();

    // The Ports panel shows the mapping listening on localhost.
    await panel(page, 'Ports').click();
    const row = page.getByRole('region', { name: 'Ports' }).last().getByRole('row', { name: 'Mapping 1.1' });
    await expect(row.getByRole('textbox', { name: 'Local port' })).toHaveValue(String(port));
    await expect(row.getByText('Listening', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => page_(port), { timeout: 60_000 }).toBe('200 <h1>site v1</h1>\n');
    await shot(page, '1-ready-ports');

    // They type in the terminal tab: a shell in the dev container, which serves the built page.
    await panel(page, 'Terminals').click();
    await expect(page.getByRole('status', { name: 'Terminal status' })).toContainText('Connected to', { timeout: 60_000 });
    await page.locator('[data-terminal-id]:visible').click();
    await page.keyboard.type('echo "typed-$((6*7))"; cat /www/index.html');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toMatch(/typed-42\n(.*\n)*<h1>site v1<\/h1>/);
    await shot(page, '1-ready-terminal');
    await panel(page, 'Pipeline').click();
    await shot(page, '1-ready');
    return tag!;
  });

  const secondTag = await story('2. a changed page: rebuilt, redeployed, served on the same localhost port', async () => {
    await fs.writeFile(path.join(dir, 'www', 'index.html'), '<h1>site v2</h1>\n');
    await up.click();
    // The new run starts (the summary leaves the previous "Ready"), then ends Ready again.
    await expect(summary).not.toContainText('Ready');
    await expect(summary).toContainText('Ready', { timeout: 300_000 });
    await expect(step(page, 'build')).toHaveAttribute('data-state', 'done');
    const detail = (await step(page, 'build').locator('.pipeline-detail').textContent()) ?? '';
    const tag = /^built site:(\S+)$/.exec(detail)?.[1];
    expect(tag, `build step detail: ${detail}`).toBeTruthy();
    expect(tag).not.toBe(firstTag);
    await expect(step(page, 'deploy')).toHaveAttribute('data-state', 'done');
    await expect(step(page, 'deploy')).toContainText('revision 2');
    // The forward was not restarted by hand: the new pod answers on the same port.
    await expect.poll(() => page_(port), { timeout: 60_000 }).toBe('200 <h1>site v2</h1>\n');
    await shot(page, '2-rebuilt');
    return tag!;
  });

  await story('3. Up with nothing changed skips the build and the deploy', async () => {
    await up.click();
    // A warm Up can be quick: the new run shows as the build step skipped (the last one built).
    await expect(step(page, 'build')).toHaveAttribute('data-state', 'skipped', { timeout: 180_000 });
    await expect(summary).toContainText('Ready', { timeout: 180_000 });
    await expect(step(page, 'build')).toContainText(`image unchanged (site:${secondTag})`);
    await expect(step(page, 'deploy')).toHaveAttribute('data-state', 'skipped');
    expect(await page_(port)).toBe('200 <h1>site v2</h1>\n');
    await shot(page, '3-unchanged');
  });

  await story('4. a broken Dockerfile fails the build, deploys nothing, and v2 keeps serving', async () => {
    await fs.writeFile(path.join(dir, 'Dockerfile'), dockerfile(port, 'RUN echo "checking the $((1+1)) pages" && exit 3\n'));
    await up.click();
    await expect(summary).toContainText('"Build image" failed', { timeout: 300_000 });
    const build = step(page, 'build');
    await expect(build).toHaveAttribute('data-state', 'failed');
    // The error names the Dockerfile step and what went wrong in it.
    const error = build.locator('.pipeline-error');
    await expect(error).toContainText('Step 3/5 (RUN echo "checking the $((1+1)) pages" && exit 3) failed');
    await expect(error).toContainText('exit status 3');
    await expect(pipeline.getByRole('alert')).toContainText('Fix that step of the Dockerfile');
    for (const id of ['deploy', 'rollout', 'ports', 'ready']) await expect(step(page, id)).toHaveAttribute('data-state', 'not-run');
    await shot(page, '4-build-failed');

    // The build log kept the failing run's output, the failure included.
    await panel(page, 'Build log').click();
    const lines = page.getByRole('log', { name: 'Build log lines' });
    // (the step's own output: the shell worked out "2", so this is not the instruction echoed)
    await expect(lines).toContainText('checking the 2 pages');
    await expect(lines).toContainText('error building image');
    await shot(page, '4-build-log');
    await panel(page, 'Pipeline').click();

    await expect.poll(buildPods, { timeout: 60_000 }).toEqual([]);
    expect(await page_(port)).toBe('200 <h1>site v2</h1>\n');
  });

  await story('5. a slow build is cancelled while it runs: no build pod is left, v2 keeps serving', async () => {
    await fs.writeFile(path.join(dir, 'Dockerfile'), dockerfile(port, 'RUN sleep 45\n'));
    await up.click();
    const build = step(page, 'build');
    // The user watches the slow step run (kubectl sees its build pod), then clicks Cancel.
    await expect(build).toContainText('RUN sleep 45', { timeout: 240_000 });
    await expect(build).toHaveAttribute('data-state', 'running');
    const during = await buildPods();
    expect(during).toHaveLength(1);
    await shot(page, '5-slow-build');
    // While Up runs, the header's Up button is Cancel (so is the Pipeline panel's).
    await expect(pipeline.getByRole('button', { name: 'Cancel', exact: true })).toBeVisible();
    await page.getByRole('banner').getByRole('button', { name: 'Cancel', exact: true }).click();

    await expect(summary).toContainText('Cancelled', { timeout: 60_000 });
    await expect(build).toHaveAttribute('data-state', 'cancelled');
    await expect(step(page, 'deploy')).toHaveAttribute('data-state', 'not-run');
    await expect.poll(buildPods, { timeout: 60_000 }).toEqual([]);
    expect(await page_(port)).toBe('200 <h1>site v2</h1>\n');
    await shot(page, '5-cancelled');
  });

  expect(pageErrors).toEqual([]);
});
