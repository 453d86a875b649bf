// Terminals against the real test cluster: a TTY shell in a busybox dev container, resize, exit
// codes, and surviving dropped streams and replaced pods.
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster';
import type { ApiEvents, TerminalSessionInfo } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { EventBus } from '../ipc/events';
import { createTerminalHandlers, type TerminalHandlers } from './terminalHandlers';
import { createDevDeployment, deletePod, devConfig, projectCluster, testKubeConfig, until, waitForReadyPod } from './testSupport/devDeployment';

let cluster: TestCluster;
let kc: KubeConfig;

beforeAll(async () => {
  cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.02 } });
  kc = await testKubeConfig(cluster.kubeconfigPath);
  await createDevDeployment(kc, cluster.baseImage, 'term-app', 'while true; do sleep 1; done');
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

function harness(config = devConfig('term-app')) {
  const events = new EventBus();
  const output = new Map<string, string>();
  const states: TerminalSessionInfo[] = [];
  events.subscribe((event, payload) => {
    if (event === 'terminal.data') {
      const p = payload as ApiEvents['terminal.data'];
      output.set(p.id, (output.get(p.id) ?? '') + p.data);
    }
    if (event === 'terminal.state') states.push(payload as TerminalSessionInfo);
  });
  const handlers: TerminalHandlers = createTerminalHandlers({
    events,
    resolveProjectCluster: async () => projectCluster(kc, config),
    log: () => {},
    sessionOptions: { backoff: { initialMs: 100, maxMs: 1000 } },
  });
  const out = (id: string) => output.get(id) ?? '';
  return { handlers, out, states, output };
}

describe('terminal handlers', () => {
  it('runs a shell in the dev container: echo, then exit with its code', async () => {
    const { handlers, out, states } = harness();
    const info = await handlers['terminal.open']({ title: 'main' });
    expect(info).toMatchObject({ title: 'main', state: 'open', container: 'dev' });
    expect(info.pod).toMatch(/^term-app-/);
    await handlers['terminal.write'](info.id, 'echo hello-$((6*7))\r');
    await until(() => out(info.id).includes('hello-42'), 'hello-42');
    await handlers['terminal.write'](info.id, 'exit 3\r');
    await until(() => states.some((s) => s.id === info.id && s.state === 'exited'), 'exited');
    expect(states.find((s) => s.state === 'exited')).toMatchObject({ exitCode: 3 });
    expect((await handlers['terminal.list']())[0]).toMatchObject({ id: info.id, state: 'exited', exitCode: 3 });
    await handlers.dispose();
  });

  it('resize reaches the TTY (stty size)', async () => {
    const { handlers, out } = harness();
    const info = await handlers['terminal.open']();
    await handlers['terminal.resize'](info.id, 123, 45);
    await handlers['terminal.write'](info.id, 'stty size\r');
    await until(() => out(info.id).includes('45 123'), 'stty size 45 123');
    await handlers['terminal.resize'](info.id, 90, 30);
    await handlers['terminal.write'](info.id, 'stty size\r');
    await until(() => out(info.id).includes('30 90'), 'stty size 30 90');
    await handlers.dispose();
  });

  it('tells each open tab its session ended when the sessions are stopped (up.stop, project switch)', async () => {
    const { handlers, states } = harness();
    const info = await handlers['terminal.open']();
    expect(states.at(-1)).toMatchObject({ id: info.id, state: 'open' });
    await handlers.dispose();
    expect(states.at(-1)).toMatchObject({ id: info.id, state: 'exited', message: 'The session was stopped.' });
    expect(await handlers['terminal.list']()).toEqual([]);
  });

  it('keeps multi-byte characters whole and renames and closes tabs', async () => {
    const { handlers, out } = harness();
    const info = await handlers['terminal.open']();
    // 3000 × "ü€" crosses many WebSocket frames; a split character would show as U+FFFD.
    await handlers['terminal.write'](info.id, "i=0; while [ $i -lt 3000 ]; do printf 'ü€'; i=$((i+1)); done; echo; echo done-$((1+1))\r");
    await until(() => out(info.id).includes('done-2'), 'done-2', 60_000);
    expect(out(info.id)).toContain('ü€'.repeat(3000));
    expect(out(info.id)).not.toContain('\uFFFD');
    expect(await handlers['terminal.rename'](info.id, ' build ')).toMatchObject({ title: 'build' });
    await handlers['terminal.close'](info.id);
    expect(await handlers['terminal.list']()).toEqual([]);
    await expect(async () => handlers['terminal.write'](info.id, 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await handlers.dispose();
  });

  it('reconnects after the streams are dropped', async () => {
    const { handlers, out, states } = harness();
    const info = await handlers['terminal.open']();
    await handlers['terminal.resize'](info.id, 100, 20);
    cluster.faults.dropStreams();
    await until(() => states.some((s) => s.id === info.id && s.state === 'reconnecting'), 'reconnecting');
    expect(states.find((s) => s.state === 'reconnecting')?.message).toContain('was lost');
    await until(() => states.at(-1)?.state === 'open', 'open again');
    await handlers['terminal.write'](info.id, 'echo again-$((2*5)); stty size\r');
    await until(() => out(info.id).includes('again-10') && out(info.id).includes('20 100'), 'again-10 and the size kept');
    await handlers.dispose();
  });

  it('reconnects to the new pod when the pod is replaced, and after a container restart', async () => {
    const { handlers, out, states } = harness();
    const info = await handlers['terminal.open']();
    const oldPod = info.pod!;
    await deletePod(kc, oldPod);
    await until(() => states.some((s) => s.state === 'reconnecting'), 'reconnecting');
    const newPod = await waitForReadyPod(kc, 'term-app', 'default', oldPod);
    await until(() => states.at(-1)?.state === 'open' && states.at(-1)?.pod === newPod.metadata?.name, 'open on the new pod', 60_000);
    await handlers['terminal.write'](info.id, 'echo moved-$((3*3))\r');
    await until(() => out(info.id).includes('moved-9'), 'moved-9');

    states.length = 0;
    await cluster.faults.restartContainer('default', newPod.metadata!.name!, 'dev');
    await until(() => states.some((s) => s.state === 'reconnecting'), 'reconnecting after restart');
    expect(states.some((s) => s.state === 'exited')).toBe(false);
    await until(() => states.at(-1)?.state === 'open', 'open after restart', 60_000);
    await handlers['terminal.write'](info.id, 'echo back-$((4*4))\r');
    await until(() => out(info.id).includes('back-16'), 'back-16');
    await handlers.dispose();
  });

  it('says which pod is missing, with a hint', async () => {
    const none = harness({ version: 'v1alpha1' });
    const err1 = await Promise.resolve().then(() => none.handlers['terminal.open']()).catch((e: unknown) => e);
    expect(err1).toBeInstanceOf(AppError);
    expect(err1).toMatchObject({ code: 'NOT_FOUND' });
    expect((err1 as AppError).hint).toContain('labelSelector');

    const noPod = harness(devConfig('no-such-app'));
    const err2 = await Promise.resolve().then(() => noPod.handlers['terminal.open']()).catch((e: unknown) => e);
    expect(err2).toMatchObject({ code: 'NOT_FOUND', message: 'No pod in namespace "default" matches app=no-such-app.' });
    expect(await noPod.handlers['terminal.list']()).toEqual([]);
  });
});
