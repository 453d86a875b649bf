// Terminal benchmark against the test cluster (`npx tsx bench/terminal.ts`):
//  1. keystroke echo latency through the whole main-side path (terminal.write → exec WebSocket →
//     TTY echo → output decoding/coalescing → terminal.data event), against a bare client-node
//     Exec round trip measured in the same run;
//  2. 50 MB of terminal output through the same path: throughput (vs the bare Exec reading the same
//     command) and the largest gap between two terminal.data events.
// Prints figures and ratios; asserts nothing about time.
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import { startTestCluster } from '../e2e/cluster';
import type { ApiEvents } from '../preload/api';
import { EventBus } from '../main/ipc/events';
import { createTerminalHandlers } from '../main/terminal/terminalHandlers';
import { createDevDeployment, devConfig, projectCluster, testKubeConfig } from '../main/terminal/testSupport/devDeployment';

const KEYSTROKES = 300;
// Keys come 30 ms apart, like a fast typist (a burst faster than a frame is coalesced by design).
const KEY_INTERVAL_MS = 30;
const OUTPUT_BYTES = 50 * 1024 * 1024;
// `yes` lines of 64 bytes; head cuts exactly OUTPUT_BYTES.
const OUTPUT_COMMAND = ['sh', '-c', `yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ | head -c ${OUTPUT_BYTES}`];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function bareEcho(kc: KubeConfig, pod: string): Promise<number[]> {
  let received = '';
  let waiter: (() => void) | null = null;
  const stdout = new Writable({
    write(chunk: Buffer, _enc, cb) {
      received += chunk.toString('utf8');
      waiter?.();
      cb();
    },
  });
  const stdin = new PassThrough();
  const ws = await new Exec(kc).exec('default', pod, 'dev', ['cat'], stdout, null, stdin, true);
  await new Promise((r) => setTimeout(r, 300));
  const times: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const want = received.length + 1;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      waiter = () => {
        if (received.length >= want) resolve();
      };
      stdin.write('x');
    });
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, KEY_INTERVAL_MS));
  }
  ws.close();
  if (process.env.BENCH_DEBUG) console.log('bare', times.slice(0, 20).map((x) => x.toFixed(2)).join(' '), JSON.stringify(received.slice(0, 80)));
  return times;
}

async function bareOutput(kc: KubeConfig, pod: string): Promise<{ seconds: number; bytes: number }> {
  let bytes = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const stdout = new Writable({
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb();
      },
    });
    new Exec(kc)
      .exec('default', pod, 'dev', OUTPUT_COMMAND, stdout, null, new PassThrough(), true, () => resolve())
      .then((ws) => ws.on('close', () => resolve()))
      .catch(reject);
  });
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

async function main() {
  const cluster = await startTestCluster();
  try {
    const kc = await testKubeConfig(cluster.kubeconfigPath);
    const pod = (await createDevDeployment(kc, cluster.baseImage, 'bench-term', 'while true; do sleep 1; done')).metadata!.name!;
    const events = new EventBus();
    let lastEvent = 0;
    let maxGap = 0;
    let eventCount = 0;
    const received = new Map<string, number>();
    let waiter: (() => void) | null = null;
    events.subscribe((event, payload) => {
      if (event !== 'terminal.data') return;
      const p = payload as ApiEvents['terminal.data'];
      const now = performance.now();
      if (lastEvent) maxGap = Math.max(maxGap, now - lastEvent);
      lastEvent = now;
      eventCount++;
      received.set(p.id, (received.get(p.id) ?? 0) + p.data.length);
      waiter?.();
    });
    const handlers = createTerminalHandlers({ events, resolveProjectCluster: async () => projectCluster(kc, devConfig('bench-term')), log: () => {} });

    // 1. Echo latency: `cat` on a TTY, so the line discipline echoes each key.
    const bare = await bareEcho(kc, pod);
    const t = await handlers['terminal.open']({ command: ['cat'] });
    await new Promise((r) => setTimeout(r, 300));
    const ours: number[] = [];
    for (let i = 0; i < KEYSTROKES; i++) {
      const want = (received.get(t.id) ?? 0) + 1;
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        waiter = () => {
          if ((received.get(t.id) ?? 0) >= want) resolve();
        };
        void handlers['terminal.write'](t.id, 'x');
      });
      ours.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, KEY_INTERVAL_MS));
    }
    waiter = null;
    await handlers['terminal.close'](t.id);
    console.log(`keystroke echo (${KEYSTROKES} keys ${KEY_INTERVAL_MS} ms apart, cat on a TTY)`);
    console.log(`  bare client-node Exec   p50 ${ms(pct(bare, 50))}  p99 ${ms(pct(bare, 99))}`);
    console.log(`  terminal handlers       p50 ${ms(pct(ours, 50))}  p99 ${ms(pct(ours, 99))}`);
    console.log(`  ratio (ours / bare)     p50 ${(pct(ours, 50) / pct(bare, 50)).toFixed(2)}×  p99 ${(pct(ours, 99) / pct(bare, 99)).toFixed(2)}×`);

    // 2. 50 MB of output.
    const bareOut = await bareOutput(kc, pod);
    const exited = new Promise<void>((resolve) =>
      events.subscribe((event, payload) => {
        if (event === 'terminal.state' && (payload as ApiEvents['terminal.state']).state === 'exited') resolve();
      }),
    );
    eventCount = 0;
    maxGap = 0;
    lastEvent = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
    const t0 = performance.now();
    const big = await handlers['terminal.open']({ command: OUTPUT_COMMAND });
    await exited;
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const chars = received.get(big.id) ?? 0;
    const mb = (n: number) => n / 1024 / 1024;
    console.log(`50 MB of output (yes | head -c ${OUTPUT_BYTES}, TTY)`);
    console.log(`  bare client-node Exec   ${mb(bareOut.bytes).toFixed(1)} MB in ${bareOut.seconds.toFixed(2)} s = ${(mb(bareOut.bytes) / bareOut.seconds).toFixed(1)} MB/s`);
    console.log(`  terminal handlers       ${mb(chars).toFixed(1)} MB (chars) in ${seconds.toFixed(2)} s = ${(mb(chars) / seconds).toFixed(1)} MB/s, ${eventCount} events (${(eventCount / seconds).toFixed(0)}/s), largest gap between events ${ms(maxGap)}`);
    console.log(`  throughput ratio (ours / bare) ${(mb(chars) / seconds / (mb(bareOut.bytes) / bareOut.seconds)).toFixed(2)}×; heap growth peak ${mb(heapPeak - heapBefore).toFixed(1)} MB`);
    await handlers.dispose();
  } finally {
    await cluster.stop();
  }
}

await main();
