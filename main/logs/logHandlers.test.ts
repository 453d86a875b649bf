// Container logs against the real test cluster: follow, resume after dropped streams without
// repeating lines, follow across container restarts, the previous run after a crash, pod listing.
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster';
import type { ApiEvents } from '../../preload/api';
import { EventBus } from '../ipc/events';
import type { DevspaceConfig } from '../project/config/schema';
import { createDevDeployment, deletePod, projectCluster, testKubeConfig, until, waitForReadyPod } from '../terminal/testSupport/devDeployment';
import { createLogHandlers } from './logHandlers';

let cluster: TestCluster;
let kc: KubeConfig;
let counterPod: string;
let crashPod: string;
let silentPod: string;

const config: DevspaceConfig = {
  version: 'v1alpha1',
  devSpace: {
    terminal: { labelSelector: { app: 'log-counter' } },
    ports: [
      { labelSelector: { app: 'log-crash' }, portMappings: [{ localPort: 18080, remotePort: 8080 }] },
      { labelSelector: { app: 'log-silent' }, portMappings: [{ localPort: 18081, remotePort: 8080 }] },
    ],
  },
};

beforeAll(async () => {
  cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.02 } });
  kc = await testKubeConfig(cluster.kubeconfigPath);
  counterPod = (await createDevDeployment(kc, cluster.baseImage, 'log-counter', 'i=0; while true; do echo line-$i; i=$((i+1)); sleep 0.1; done')).metadata!.name!;
  crashPod = (await createDevDeployment(kc, cluster.baseImage, 'log-crash', 'echo started; sleep 1; echo crashing; exit 2')).metadata!.name!;
  silentPod = (await createDevDeployment(kc, cluster.baseImage, 'log-silent', 'while [ ! -f /tmp/go ]; do sleep 0.2; done; echo finally')).metadata!.name!;
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

function harness() {
  const events = new EventBus();
  const lines = new Map<string, string[]>();
  const states: ApiEvents['logs.state'][] = [];
  const dropped = new Map<string, number>();
  events.subscribe((event, payload) => {
    if (event === 'logs.lines') {
      const p = payload as ApiEvents['logs.lines'];
      lines.set(p.streamId, [...(lines.get(p.streamId) ?? []), ...p.lines]);
      if (p.dropped) dropped.set(p.streamId, (dropped.get(p.streamId) ?? 0) + p.dropped);
    }
    if (event === 'logs.state') states.push(payload as ApiEvents['logs.state']);
  });
  const handlers = createLogHandlers({
    events,
    resolveProjectCluster: async () => projectCluster(kc, config),
    log: () => {},
    streamOptions: { backoff: { initialMs: 100, maxMs: 1000 } },
  });
  return { handlers, lines: (id: string) => lines.get(id) ?? [], states, dropped };
}

const numbers = (ls: string[]) => ls.map((l) => Number(/line-(\d+)$/.exec(l)?.[1] ?? NaN));

describe('log handlers', () => {
  it('lists the project pods with containers, phase and restarts', async () => {
    const { handlers } = harness();
    const pods = await handlers['logs.pods']();
    expect(pods.find((p) => p.name === counterPod)).toEqual({ name: counterPod, containers: ['dev'], phase: 'Running', restarts: 0 });
    expect(pods.some((p) => p.name === crashPod)).toBe(true);
  });

  it('follows the dev container and resumes after dropped streams without repeating or losing lines', async () => {
    const { handlers, lines, states } = harness();
    const info = await handlers['logs.start']({ timestamps: false, tailLines: 5 });
    expect(info).toEqual({ streamId: info.streamId, pod: counterPod, container: 'dev' });
    await until(() => lines(info.streamId).length >= 10, '10 lines');
    // tailLines: it started at most 5 lines back, without timestamps.
    expect(lines(info.streamId)[0]).toMatch(/^line-\d+$/);
    cluster.faults.dropStreams();
    await until(() => states.some((s) => s.streamId === info.streamId && s.state === 'reconnecting'), 'reconnecting');
    const before = lines(info.streamId).length;
    await until(() => lines(info.streamId).length >= before + 10, '10 more lines after the drop');
    expect(states.at(-1)).toMatchObject({ streamId: info.streamId, state: 'following' });
    const n = numbers(lines(info.streamId));
    // Contiguous: each line is the previous one + 1 (no repeats, no gap at the drop).
    expect(n.every((v, i) => i === 0 || v === n[i - 1]! + 1)).toBe(true);
    await handlers['logs.stop'](info.streamId);
    await handlers.dispose();
  });

  it('shows timestamps when asked', async () => {
    const { handlers, lines } = harness();
    const info = await handlers['logs.start']({ pod: counterPod, timestamps: true, tailLines: 2 });
    await until(() => lines(info.streamId).length >= 2, '2 lines');
    expect(lines(info.streamId)[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line-\d+$/);
    await handlers.dispose();
  });

  it('follows a crashing container across restarts and reads the previous run', async () => {
    const { handlers, lines, states } = harness();
    const info = await handlers['logs.start']({ pod: crashPod, tailLines: 100 });
    // Two runs of the container: "started" twice with the crash between them.
    await until(() => lines(info.streamId).filter((l) => l === 'started').length >= 2, 'two runs', 60_000);
    expect(lines(info.streamId)).toContain('crashing');
    expect(states.some((s) => s.streamId === info.streamId && s.state === 'reconnecting')).toBe(true);

    const prev = await handlers['logs.start']({ pod: crashPod, previous: true });
    await until(() => states.some((s) => s.streamId === prev.streamId && s.state === 'ended'), 'previous ended');
    expect(lines(prev.streamId)).toEqual(['started', 'crashing']);
    await handlers.dispose();
  });

  it('starts following a container that has written nothing yet', async () => {
    const { handlers, lines } = harness();
    // The server answers a followed log only with its first line; starting must not wait for it.
    const info = await handlers['logs.start']({ pod: silentPod });
    expect(lines(info.streamId)).toEqual([]);
    await new Exec(kc).exec('default', silentPod, 'dev', ['touch', '/tmp/go'], null, null, null, false);
    await until(() => lines(info.streamId).includes('finally'), 'the first line');
    await handlers.dispose();
  });

  it('says why a previous run cannot be read', async () => {
    const { handlers } = harness();
    await expect(handlers['logs.start']({ pod: counterPod, previous: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('previous terminated container "dev"'),
    });
    await expect(handlers['logs.start']({ pod: 'no-such-pod' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('follows the replacement when the pod is deleted (last test: it replaces the counter pod)', async () => {
    const { handlers, lines, states } = harness();
    const info = await handlers['logs.start']({ tailLines: 1 });
    await until(() => lines(info.streamId).length >= 3, '3 lines');
    await deletePod(kc, counterPod);
    const next = (await waitForReadyPod(kc, 'log-counter', 'default', counterPod)).metadata!.name!;
    // The new pod's counter starts again at 0.
    await until(() => lines(info.streamId).includes('line-0'), 'the new pod\'s first line', 60_000);
    expect(states.some((s) => s.streamId === info.streamId && s.message?.includes(`switching to ${next}`))).toBe(true);
    expect(states.filter((s) => s.streamId === info.streamId).at(-1)).toMatchObject({ state: 'following', message: `Following dev in pod ${next}` });
    await handlers.dispose();
  });
});
