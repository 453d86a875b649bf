// UI-side stream benchmark (issue 8): 50 MB of terminal output into xterm and 100,000 log lines
// into the log view, in Chromium against the browser host and the test cluster. It prints the
// longest and 95th-percentile animation frame, the frames over 100 ms and the JS heap while each
// stream flows, next to the same page while idle (the baseline measured in this run). DESIGN's
// target: no frame over 100 ms.
//   npx tsx bench/uiStreams.ts
//   BENCH_BASELINE_RENDERER_DIR=/tmp/old BENCH_ROUNDS=3 npx tsx bench/uiStreams.ts
//       also floods the terminal in turns on another renderer build (say, before a change:
//       `npx vite build -c renderer/vite.config.ts --outDir /tmp/old`) and prints the ratios
//   BENCH_RENDERER_DIR=… (the build under test; default dist/renderer), BENCH_CPU_PROFILE=file,
//   BENCH_TRACE=file (a Chromium trace of the main run's terminal flood)
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
type Frames = { longestMs: number; p95Ms: number; over100: number; frames: number; heapMb: number };

async function recordFrames(page: Page): Promise<() => Promise<Frames>> {
  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  await page.evaluate(`(() => {
    const f = { last: performance.now(), longest: 0, n: 0, on: true, gaps: [] };
    window.__frames = f;
    requestAnimationFrame(function tick(t) {
      if (!f.on) return;
      f.longest = Math.max(f.longest, t - f.last);
      f.gaps.push(t - f.last);
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
      const gaps = f.gaps.sort((a, b) => a - b);
      const p95 = gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.95))] : 0;
      const over100 = gaps.filter((g) => g > 100).length;
      return { longestMs: f.longest, p95Ms: p95, over100, frames: f.n, heapMb: (mem ? mem.usedJSHeapSize : 0) / (1024 * 1024) };
    })()`) as Promise<Frames>;
}

interface TerminalFlood {
  frames: Frames;
  seconds: number;
  /** Round trips of polls through the page during the flood, sorted. */
  answers: number[];
  pacing: { writes: number; chars: number; skippedChars: number; skips: number; largestWrite: number; renderer: string } | null;
}

function floodLine(r: TerminalFlood): string {
  const a = r.answers;
  const pace = r.pacing
    ? `; ${r.pacing.renderer} renderer, ${r.pacing.writes} writes to xterm (${(r.pacing.chars / r.pacing.writes / 1024).toFixed(0)} KB average, ${(r.pacing.largestWrite / 1024).toFixed(0)} KB largest), ${(r.pacing.skippedChars / MB).toFixed(1)} MB skipped in ${r.pacing.skips} step(s)`
    : '';
  return (
    `longest frame ${r.frames.longestMs.toFixed(0).padStart(4)} ms, p95 frame ${r.frames.p95Ms.toFixed(0)} ms, ${r.frames.over100} frames over 100 ms, heap ${r.frames.heapMb.toFixed(0)} MB, ` +
    `${r.seconds.toFixed(1)} s (${(50 / r.seconds).toFixed(1)} MB/s, ${r.frames.frames} frames), page answers p50 ${a[Math.floor(a.length / 2)]!.toFixed(0)} ms / max ${a.at(-1)!.toFixed(0)} ms${pace}`
  );
}

/** 50 MB of terminal output (base64 of random bytes: printable, wraps at 76 columns) in `page`'s terminal. */
async function terminalFlood(page: Page, record: { cpuProfile?: string; trace?: string } = {}): Promise<TerminalFlood> {
  await page.getByRole('navigation', { name: 'Project panels' }).getByRole('button', { name: 'Terminals' }).click();
  await page.getByRole('status', { name: 'Terminal status' }).getByText(/Connected to/).waitFor({ timeout: 60_000 });
  await page.locator('[data-terminal-id]:visible').click();
  // record.cpuProfile: where to write the page's CPU profile while the output flows.
  const profiler = record.cpuProfile ? await page.context().newCDPSession(page) : null;
  await profiler?.send('Profiler.enable');
  await profiler?.send('Profiler.start');
  // record.trace: a Chromium trace of the flood (long tasks: their CPU time vs wall time).
  const tracing = record.trace ? page.context().browser() : null;
  await tracing?.startTracing(page, { path: record.trace, categories: ['devtools.timeline', 'v8', 'blink', 'toplevel', 'disabled-by-default-devtools.timeline'] });
  const started = Date.now();
  const stop = await recordFrames(page);
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
  // Each poll is a round trip through the page's main thread: how long the page takes to answer
  // while the flood is drawn is what a keystroke would wait.
  const answers: number[] = [];
  for (const deadline = Date.now() + 600_000; ; ) {
    const t0 = performance.now();
    const finished = await page.evaluate(done);
    answers.push(performance.now() - t0);
    if (finished) break;
    if (Date.now() > deadline) throw new Error('the terminal output did not finish within 10 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  answers.sort((a, b) => a - b);
  const frames = await stop();
  const seconds = (Date.now() - started) / 1000;
  await tracing?.stopTracing();
  // What the pacer did (renderer/panels/terminals/outputPacer.ts), when the build has one.
  const pacing = (await page.evaluate(`(() => {
    const host = [...document.querySelectorAll('[data-terminal-id]')].find((el) => el.offsetParent !== null);
    return host && host.pacer ? { ...host.pacer.stats, renderer: host.dataset.renderer } : null;
  })()`)) as TerminalFlood['pacing'];
  if (profiler && record.cpuProfile) {
    const { profile } = await profiler.send('Profiler.stop');
    await fs.writeFile(record.cpuProfile, JSON.stringify(profile));
    await profiler.detach();
  }
  return { frames, seconds, answers, pacing };
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
  // BENCH_RENDERER_DIR: a renderer built elsewhere (e.g. `npx vite build -c renderer/vite.config.ts
  // --outDir /tmp/r`), so two builds can be compared without touching dist/.
  const staticDir = process.env.BENCH_RENDERER_DIR ?? path.join(root, 'dist', 'renderer');
  const host = await startBrowserHost({ handlers, events, staticDir });
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

    // With BENCH_BASELINE_RENDERER_DIR (another build of the renderer, e.g. before a change), the
    // terminal flood first runs in turns on that build and on this one, in fresh pages against the
    // same cluster and shell, and prints this build's figures as ratios of the baseline's.
    const baselineDir = process.env.BENCH_BASELINE_RENDERER_DIR;
    if (baselineDir) {
      const baselineHost = await startBrowserHost({ handlers, events, staticDir: baselineDir });
      const runs: Record<'baseline' | 'current', TerminalFlood[]> = { baseline: [], current: [] };
      try {
        for (let round = 0; round < Number(process.env.BENCH_ROUNDS ?? 2); round++) {
          for (const [name, url] of [['baseline', baselineHost.url], ['current', host.url]] as const) {
            const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
            await p.goto(url);
            const r = await terminalFlood(p);
            runs[name].push(r);
            console.log(`${`${name} build, round ${round + 1}`.padEnd(28)} ${floodLine(r)}`);
            await p.close();
          }
        }
      } finally {
        await baselineHost.close();
      }
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)]!;
      const pick = (rs: TerminalFlood[], f: (r: TerminalFlood) => number) => median(rs.map(f));
      const cmp = (label: string, f: (r: TerminalFlood) => number, unit: string) => {
        const base = pick(runs.baseline, f);
        const cur = pick(runs.current, f);
        const ratio = base > 0 ? `${(cur / base).toFixed(2)}× the baseline` : 'baseline is 0';
        console.log(`${label.padEnd(28)} baseline ${base.toFixed(1)} ${unit} → this build ${cur.toFixed(1)} ${unit} (${ratio})`);
      };
      console.log('medians over the rounds:');
      cmp('  longest frame', (r) => r.frames.longestMs, 'ms');
      cmp('  p95 frame', (r) => r.frames.p95Ms, 'ms');
      cmp('  frames over 100 ms', (r) => r.frames.over100, '');
      cmp('  heap', (r) => r.frames.heapMb, 'MB');
      cmp('  throughput', (r) => 50 / r.seconds, 'MB/s');
      cmp('  page answer, max', (r) => r.answers.at(-1)!, 'ms');
    }

    // 50 MB of terminal output (base64 of random bytes: printable, wraps at 76 columns).
    await panels.getByRole('button', { name: 'Terminals' }).click();
    const flood = await terminalFlood(page, { cpuProfile: process.env.BENCH_CPU_PROFILE, trace: process.env.BENCH_TRACE });
    const terminal = flood.frames;

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

    const row = (name: string, r: Frames, extra: string) =>
      console.log(
        `${name.padEnd(28)} longest frame ${r.longestMs.toFixed(0).padStart(5)} ms  (${(r.longestMs / idle.longestMs).toFixed(1)}× idle, ${(r.longestMs / 100).toFixed(2)}× the 100 ms target)  p95 frame ${r.p95Ms.toFixed(0)} ms (${(r.p95Ms / idle.p95Ms).toFixed(1)}× idle)  heap ${r.heapMb.toFixed(0)} MB (${(r.heapMb / idle.heapMb).toFixed(1)}× idle)  ${extra}`,
      );
    console.log(`idle page (baseline)         longest frame ${idle.longestMs.toFixed(0).padStart(5)} ms  p95 frame ${idle.p95Ms.toFixed(0)} ms  ${idle.over100} frames over 100 ms  heap ${idle.heapMb.toFixed(0)} MB`);
    console.log(`${'50 MB into the terminal'.padEnd(28)} ${floodLine(flood)}`);
    console.log(`${''.padEnd(28)} longest frame ${(terminal.longestMs / idle.longestMs).toFixed(1)}× idle, ${(terminal.longestMs / 100).toFixed(2)}× the 100 ms target; p95 frame ${(terminal.p95Ms / idle.p95Ms).toFixed(1)}× idle; heap ${(terminal.heapMb / idle.heapMb).toFixed(1)}× idle`);
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
