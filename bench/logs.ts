// Log benchmark against the test cluster (`npx tsx bench/logs.ts`): a container prints 100,000
// lines; we read them through the log handler (request, line splitting, timestamp bookkeeping,
// ring batching, logs.lines events) and, as the baseline in the same run, with a bare streamed
// GET of the same log that only counts newlines. Prints time, events and peak heap; asserts nothing.
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { startTestCluster } from '../e2e/cluster';
import type { ApiEvents } from '../preload/api';
import { EventBus } from '../main/ipc/events';
import { createLogHandlers } from '../main/logs/logHandlers';
import { createDevDeployment, devConfig, projectCluster, testKubeConfig } from '../main/terminal/testSupport/devDeployment';

const LINES = 100_000;

async function bareRead(kc: KubeConfig, pod: string): Promise<{ seconds: number; lines: number }> {
  const server = kc.getCurrentCluster()!.server;
  const opts: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const t0 = performance.now();
  let lines = 0;
  await new Promise<void>((resolve, reject) => {
    https
      .get(`${server}/api/v1/namespaces/default/pods/${pod}/log?container=dev&timestamps=true`, opts, (res) => {
        res.on('data', (c: Buffer) => {
          for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
        });
        res.on('end', resolve);
      })
      .on('error', reject);
  });
  return { seconds: (performance.now() - t0) / 1000, lines };
}

async function main() {
  const cluster = await startTestCluster();
  try {
    const kc = await testKubeConfig(cluster.kubeconfigPath);
    const script = `i=0; while [ $i -lt ${LINES} ]; do echo "line $i of the benchmark log, padded to look like a real log line"; i=$((i+1)); done; while true; do sleep 1; done`;
    const pod = (await createDevDeployment(kc, cluster.baseImage, 'bench-logs', script)).metadata!.name!;
    // Wait until the container has printed everything.
    for (;;) {
      const { lines } = await bareRead(kc, pod);
      if (lines >= LINES) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const bare = await bareRead(kc, pod);

    const events = new EventBus();
    let got = 0;
    let batches = 0;
    let dropped = 0;
    let done: (() => void) | null = null;
    events.subscribe((event, payload) => {
      if (event !== 'logs.lines') return;
      const p = payload as ApiEvents['logs.lines'];
      got += p.lines.length;
      dropped += p.dropped ?? 0;
      batches++;
      if (got + dropped >= LINES) done?.();
    });
    const handlers = createLogHandlers({ events, resolveProjectCluster: async () => projectCluster(kc, devConfig('bench-logs')), log: () => {} });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 10);
    const t0 = performance.now();
    const finished = new Promise<void>((r) => (done = r));
    const info = await handlers['logs.start']({ pod, container: 'dev', follow: true });
    await finished;
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    await handlers['logs.stop'](info.streamId);
    await handlers.dispose();
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(`${LINES.toLocaleString()} log lines (follow, from the start)`);
    console.log(`  bare streamed GET (count newlines)   ${bare.lines} lines in ${bare.seconds.toFixed(2)} s = ${Math.round(bare.lines / bare.seconds).toLocaleString()} lines/s`);
    console.log(`  log handler (batched events)         ${got} lines (+${dropped} dropped) in ${seconds.toFixed(2)} s = ${Math.round(got / seconds).toLocaleString()} lines/s, ${batches} logs.lines events`);
    console.log(`  ratio (ours / bare) ${(got / seconds / (bare.lines / bare.seconds)).toFixed(2)}×; peak heap growth ${mb(heapPeak - heapBefore)} MB (heap before ${mb(heapBefore)} MB)`);
  } finally {
    await cluster.stop();
  }
}

await main();
