// Measures how long the node agent takes from startNodeAgent() to a registered Ready node, with a
// cold seed cache (images built from busybox-static) and a warm one, and startTestCluster() as a
// whole. Prints figures, asserts nothing. Run: npx tsx e2e/cluster/node/measure-start.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../apiserver/server';
import { startTestCluster } from '../index';
import { startNodeAgent } from './index';

async function agentStart(cacheDir: string): Promise<number> {
  const api = await startApiServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'node-measure-'));
  const t0 = performance.now();
  const agent = await startNodeAgent({ apiServer: api.url, token: api.tokens.node, ca: api.caPem, nodeName: 'test-node', dataDir, cacheDir });
  const ms = performance.now() - t0;
  await agent.stop();
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return ms;
}

async function main(): Promise<void> {
  const cache = mkdtempSync(join(tmpdir(), 'node-measure-cache-'));
  const cold = await agentStart(cache);
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) warm.push(await agentStart(cache));
  rmSync(cache, { recursive: true, force: true });
  const whole: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const c = await startTestCluster();
    whole.push(performance.now() - t0);
    await c.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`node agent start, cold seed cache: ${cold.toFixed(0)} ms`);
  console.log(`node agent start, warm seed cache (median of 3): ${median(warm).toFixed(0)} ms  (cold/warm = ${(cold / median(warm)).toFixed(1)}x)`);
  console.log(`startTestCluster() to Ready node (median of 3): ${median(whole).toFixed(0)} ms  (target 10000 ms; ratio ${(median(whole) / 10_000).toFixed(2)})`);
}

void main();
