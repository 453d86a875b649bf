// Port-forward benchmark against the test cluster (`npx tsx bench/ports.ts`):
//  1. throughput of a large download through our forward (local port → WebSocket → pod) against a
//     bare WebSocket port-forward client reading the same file in the same run (target ≥ 0.8×);
//  2. 100 concurrent connections through the forward: errors and wall time.
// Prints figures; it asserts nothing about time.
import net from 'node:net';
import { startTestCluster } from '../e2e/cluster';
import { EventBus } from '../main/ipc/events';
import { createPortHandlers } from '../main/ports/portHandlers';
import { openPortForwardSocket } from '../main/ports/podTunnel';
import { clientKubeConfig, createHttpdDeployment, eventually, freePort, httpGet, makeProject, readyPods } from '../main/ports/portsTestSupport';

const MIB = Number(process.env.BENCH_PORTS_MIB ?? 64);
const ROUNDS = Number(process.env.BENCH_PORTS_ROUNDS ?? 5);

async function main() {
  const cluster = await startTestCluster();
  try {
    const kc = clientKubeConfig(cluster.kubeconfigPath);
    await createHttpdDeployment(kc, { name: 'bench', image: cluster.baseImage, labels: { app: 'bench' }, bigMiB: MIB });
    const [pod] = await eventually('a ready bench pod', () => readyPods(kc, 'app=bench').then((p) => (p.length ? p : null)), 180_000);
    const localPort = await freePort();
    const project = await makeProject(
      cluster.kubeconfigPath,
      `version: v1alpha1\ndevSpace:\n  ports:\n  - labelSelector:\n      app: bench\n    portMappings:\n    - localPort: ${localPort}\n      remotePort: 8080\n`,
    );
    const handlers = createPortHandlers({ events: new EventBus(), resolveProjectCluster: project.resolve, log: () => {} });
    await handlers['ports.start']();

    const size = MIB << 20;
    // Both sides send the same request and count the bytes that come back, so the difference is
    // the forward's own cost (local socket + our WebSocket handling), not HTTP parsing.
    const viaForward = async () => {
      const t0 = performance.now();
      const sock = net.connect(localPort, '127.0.0.1');
      let n = 0;
      sock.on('data', (c: Buffer) => (n += c.length));
      sock.write('GET /big HTTP/1.0\r\nHost: x\r\n\r\n');
      await new Promise((r) => sock.once('close', r));
      const ms = performance.now() - t0;
      if (n < size) throw new Error(`forward: ${n} of ${size} bytes`);
      return ms;
    };
    // The reference: the same request written straight into a port-forward WebSocket, bytes
    // counted as they arrive (no local socket, no HTTP parsing).
    const bare = async () => {
      const t0 = performance.now();
      const { ws, early, release } = await openPortForwardSocket({ kubeConfig: kc, namespace: 'default', pod: pod!, remotePort: 8080 });
      release();
      let n = -2; // the port header
      const count = (m: Buffer) => {
        if (m[0] === 0) n += m.length - 1;
      };
      early.forEach(count);
      ws.on('message', count);
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /big HTTP/1.0\r\nHost: x\r\n\r\n')]));
      await new Promise((r) => ws.once('close', r));
      const ms = performance.now() - t0;
      if (n < size) throw new Error(`bare: ${n} of ${size} bytes`);
      return ms;
    };

    await viaForward(); // warm up both paths (TLS session, page cache in the pod)
    await bare();
    const ours: number[] = [];
    const ref: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      ref.push(await bare());
      ours.push(await viaForward());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const mbps = (ms: number) => size / (1 << 20) / (ms / 1000);
    const oursMbps = mbps(median(ours));
    const refMbps = mbps(median(ref));
    console.log(`download ${MIB} MiB, median of ${ROUNDS}:`);
    console.log(`  bare WebSocket client: ${refMbps.toFixed(1)} MiB/s (${median(ref).toFixed(0)} ms)`);
    console.log(`  our forward:           ${oursMbps.toFixed(1)} MiB/s (${median(ours).toFixed(0)} ms)`);
    console.log(`  ratio ours/bare:       ${(oursMbps / refMbps).toFixed(2)} (target ≥ 0.80)`);

    // Backpressure: a local reader that stops reading. How much does the forward pull from the
    // pod meanwhile? (Bounded by socket and WebSocket buffers; without backpressure: everything.)
    {
      const sock = net.connect(localPort, '127.0.0.1');
      sock.once('data', () => sock.pause());
      sock.write('GET /big HTTP/1.0\r\nHost: x\r\n\r\n');
      const before = (await handlers['ports.list']()).status[0]!.bytesIn;
      await new Promise((r) => setTimeout(r, 2000));
      const pulled = (await handlers['ports.list']()).status[0]!.bytesIn - before;
      console.log(`paused reader: ${(pulled / (1 << 20)).toFixed(1)} MiB of ${MIB} MiB pulled from the pod in 2 s`);
      sock.destroy();
    }

    // 100 small requests at once, through the forward and (baseline) as 100 bare WebSockets.
    const bareSmall = async () => {
      const { ws, early, release } = await openPortForwardSocket({ kubeConfig: kc, namespace: 'default', pod: pod!, remotePort: 8080 });
      release();
      let text = '';
      const keep = (m: Buffer) => (m[0] === 0 ? (text += m.subarray(1).toString('latin1')) : undefined);
      early.forEach(keep);
      ws.on('message', keep);
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET / HTTP/1.0\r\nHost: x\r\n\r\n')]));
      await new Promise((r) => ws.once('close', r));
      if (!text.includes('200 OK')) throw new Error('bare: no 200');
    };
    // Alternating rounds, so both see the same machine load; the ratio is of the medians.
    const walls: Record<string, number[]> = { 'bare WebSockets': [], 'our forward': [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, one] of [
        ['bare WebSockets', bareSmall],
        ['our forward', () => httpGet(localPort).then((r) => { if (r.status !== 200) throw new Error(`status ${r.status}`); })],
      ] as const) {
        const t0 = performance.now();
        const results = await Promise.allSettled(Array.from({ length: 100 }, () => one()));
        const ms = performance.now() - t0;
        walls[name]!.push(ms);
        const errors = results.filter((r) => r.status === 'rejected');
        console.log(`100 concurrent connections, ${name}: ${errors.length} errors, ${ms.toFixed(0)} ms wall time`);
        if (errors[0]?.status === 'rejected') console.log(`  first error: ${String(errors[0].reason)}`);
      }
    }
    const bareMs = median(walls['bare WebSockets']!);
    const oursMs = median(walls['our forward']!);
    console.log(`100 concurrent connections, median of ${ROUNDS}: bare ${bareMs.toFixed(0)} ms, ours ${oursMs.toFixed(0)} ms, ratio bare/ours (speed) ${(bareMs / oursMs).toFixed(2)}`);

    await handlers.dispose();
    await project.cleanup();
  } finally {
    await cluster.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
