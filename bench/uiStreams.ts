// UI-side stream benchmark (issue 8): 50 MB of terminal output into xterm and 100,000 log lines
// into the log view, in Chromium against the browser host and the test cluster. It prints the
// longest animation frame and the JS heap while each stream flows, next to the same page's longest
// frame while idle (the baseline measured in this run). DESIGN's target: no frame over 100 ms.
//   npx tsx bench/uiStreams.ts
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Exec } from '@kubernetes/client-node';
import { chromium, type Page } from 'playwright-core';
import { startTestCluster } from '../e2e/cluster/index';
import { chromiumPath } from '../e2e/support/chromium';
import { createHandlers } from '../main/app/handlers';
import { startBrowserHost } from '../main/host/browserHost';
import { EventBus } from '../main/ipc/events';
import { createDevDeployment, testKubeConfig } from '../main/terminal/testSupport/devDeployment';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;

/** Starts recording frame gaps in the page; the returned function stops and reports. */
async function recordFrames(page: Page): Promise<() => Promise<{ longestMs: number; frames: number; heapMb: number }>> {
  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  await page.evaluate(`(() => {
    const f = { last: performance.now(), longest: 0, n: 0, on: true };
    window.__frames = f;
    requestAnimationFrame(function tick(t) {
      if (!f.on) return;
      f.longest = Math.max(f.longest, t - f.last);
      f.last = t;
      f.n++;
      requestAnimationFrame(tick);
    });
  })()`);
  return () =>
    page.evaluate(`(() => {
      const f = window.__frames;
      f.on = false;
      const mem = performance.memory;
      return { longestMs: f.longest, frames: f.n, heapMb: (mem ? mem.usedJSHeapSize : 0) / (1024 * 1024) };
    })()`) as Promise<{ longestMs: number; frames: number; heapMb: number }>;
}

async function main(): Promise<void> {
  const cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-bench-ui-'));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });
  const events = new EventBus();
  const env = { HOME: home, KUBECONFIG: cluster.kubeconfigPath };
  const handlers = createHandlers({ mode: 'browser', version: 'bench', homeDir: home, dataDir: path.join(home, 'data'), env, now: () => new Date(), log: () => {}, events });
  const host = await startBrowserHost({ handlers, events, staticDir: path.join(root, 'dist', 'renderer') });
  try {
    const kc = await testKubeConfig(cluster.kubeconfigPath);
    const script = 'while [ ! -f /tmp/go ]; do sleep 0.2; done; i=0; while [ $i -lt 100000 ]; do echo "log line $i with some text after it"; i=$((i+1)); done; while true; do sleep 1; done';
    const pod = await createDevDeployment(kc, cluster.baseImage, 'ui-bench', script);
    const project = path.join(home, 'ui-bench');
    await fs.mkdir(path.join(project, '.devspace'), { recursive: true });
    await fs.writeFile(path.join(project, '.devspace', 'config.yaml'), 'version: v1alpha1\ndevSpace:\n  terminal:\n    labelSelector:\n      app: ui-bench\n');
    await handlers.openProjectPath(project);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    const panels = page.getByRole('navigation', { name: 'Project panels' });

    // Baseline: the same page idle for 3 s.
    let stop = await recordFrames(page);
    await page.waitForTimeout(3000);
    const idle = await stop();

    // 50 MB of terminal output (base64 of random bytes: printable, wraps at 76 columns).
    await panels.getByRole('button', { name: 'Terminals' }).click();
    await page.getByRole('status', { name: 'Terminal status' }).getByText(/Connected to/).waitFor({ timeout: 60_000 });
    await page.locator('[data-terminal-id]:visible').click();
    const started = Date.now();
    stop = await recordFrames(page);
    await page.keyboard.type(`head -c ${Math.round((50 * MB * 3) / 4)} /dev/urandom | base64; echo TERMINAL-BENCH-DONE`);
    await page.keyboard.press('Enter');
    // Polled with evaluate (CDP), since the app's CSP forbids the eval that waitForFunction needs.
    const done = `(() => {
      const host = [...document.querySelectorAll('[data-terminal-id]')].find((el) => el.offsetParent !== null);
      const buf = host && host.xterm && host.xterm.buffer.active;
      if (!buf) return false;
      for (let i = Math.max(0, buf.length - 5); i < buf.length; i++) {
        const line = buf.getLine(i);
        if (line && line.translateToString(true) === 'TERMINAL-BENCH-DONE') return true;
      }
      return false;
    })()`;
    for (const deadline = Date.now() + 600_000; !(await page.evaluate(done)); ) {
      if (Date.now() > deadline) throw new Error('the terminal output did not finish within 10 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    const terminal = await stop();
    const terminalSeconds = (Date.now() - started) / 1000;

    // 100,000 log lines.
    await panels.getByRole('button', { name: 'Logs' }).click();
    const view = page.getByRole('log', { name: 'Log lines' });
    await view.waitFor();
    stop = await recordFrames(page);
    const logsStarted = Date.now();
    await new Exec(kc).exec('default', pod.metadata!.name!, 'dev', ['touch', '/tmp/go'], null, null, null, false);
    await page.getByText('log line 99999 with some text after it').waitFor({ timeout: 300_000 });
    const logs = await stop();
    const logsSeconds = (Date.now() - logsStarted) / 1000;

    const row = (name: string, r: { longestMs: number; frames: number; heapMb: number }, extra: string) =>
      console.log(`${name.padEnd(28)} longest frame ${r.longestMs.toFixed(0).padStart(5)} ms  (${(r.longestMs / idle.longestMs).toFixed(1)}× idle, ${(r.longestMs / 100).toFixed(2)}× the 100 ms target)  heap ${r.heapMb.toFixed(0)} MB  ${extra}`);
    console.log(`idle page (baseline)         longest frame ${idle.longestMs.toFixed(0).padStart(5)} ms  heap ${idle.heapMb.toFixed(0)} MB`);
    row('50 MB into the terminal', terminal, `${terminalSeconds.toFixed(1)} s, ${(50 / terminalSeconds).toFixed(1)} MB/s, ${terminal.frames} frames`);
    row('100,000 lines into the log', logs, `${logsSeconds.toFixed(1)} s, ${logs.frames} frames`);
  } finally {
    await browser.close();
    await handlers.dispose();
    await host.close();
    await cluster.stop();
    await fs.rm(home, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
