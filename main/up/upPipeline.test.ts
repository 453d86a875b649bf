// Up end to end on the test cluster: a bare fixture project (a Dockerfile, nothing else) goes to
// "ready" through the in-cluster registry, Kaniko, the generated chart and a real rollout; a second
// Up with nothing changed skips build and deploy; a cancel during the build leaves no build pod.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { cannotRunNode } from '../../e2e/cluster/node/node-test-harness';
import type { ProjectInfo, UpRun } from '../../preload/api';
import { resolveProjectCluster } from '../app/projectCluster';
import { buildSelector } from '../build/kaniko/buildPod';
import { EventBus } from '../ipc/events';
import { loadKubeconfig } from '../kube/kubeconfig';
import { freePort } from '../registry/testSupport/testRegistry';
import { createUpHandlers, type UpHandlers } from './upHandlers';

const skip = cannotRunNode();
if (skip) console.log(`skipping the Up pipeline tests: ${skip}`);

const NS = 'up-e2e';

describe.skipIf(!!skip)('Up on the test cluster', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let dir: string;
  let dataDir: string;
  let handlers: UpHandlers;
  const events = new EventBus();
  const runs: UpRun[] = [];
  const appLog: string[] = [];
  let portsStarted = 0;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    dir = mkdtempSync(join(tmpdir(), 'up-fixture-'));
    dataDir = mkdtempSync(join(tmpdir(), 'up-data-'));
    events.subscribe((event, payload) => {
      if (event === 'up.run') runs.push(payload as UpRun);
    });
    const project: ProjectInfo = { path: dir, name: basename(dir), hasDevspaceConfig: false, hasDockerfile: true, hasChart: false, selection: { context: 'test-admin', namespace: NS } };
    handlers = createUpHandlers({
      events,
      resolveProjectCluster: () => resolveProjectCluster(project, project.selection, () => loadKubeconfig([cluster.kubeconfigPath])),
      log: (l) => appLog.push(l),
      dataDir,
      startPorts: async () => {
        portsStarted++;
        return null;
      },
      registryHostPort: await freePort(),
    });
  }, 120_000);
  afterAll(async () => {
    await handlers?.dispose();
    await cluster?.stop();
    for (const d of [dir, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  /** Resolves with the run's last event once it is no longer running. */
  const finished = (runId: string) =>
    new Promise<UpRun>((resolve) => {
      const check = () => {
        const last = runs.filter((r) => r.runId === runId).at(-1);
        if (last && last.state !== 'running') {
          unsubscribe();
          resolve(last);
        }
      };
      const unsubscribe = events.subscribe(() => check());
      check();
    });
  const states = (run: UpRun) => Object.fromEntries(run.steps.map((s) => [s.id, s.state]));
  const buildPods = async () => (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NS, labelSelector: buildSelector(dir) })).items;

  it('takes a bare project (Dockerfile only) to ready: config, chart, registry, Kaniko build, deploy, rollout, ports', async () => {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${cluster.baseImage}\nRUN echo v1 > /version.txt\nCMD ["sleep", "3600"]\n`);
    await expect(handlers['up.start']()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' }); // not confirmed yet
    expect((await handlers['up.preview']()).files.map((f) => f.path)).toContain('.devspace/config.yaml');
    const started = await handlers['up.start']({ acceptGenerated: true });
    expect(started.state).toBe('running');
    await expect(handlers['up.start']()).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    const run = await finished(started.runId);
    if (run.state !== 'ready') throw new Error(`Up did not get ready: ${JSON.stringify(run, null, 2)}\n${appLog.slice(-30).join('\n')}`);

    expect(states(run)).toEqual({ project: 'done', connect: 'done', namespace: 'done', registry: 'done', build: 'done', deploy: 'done', rollout: 'done', ports: 'done', ready: 'done' });
    for (const s of run.steps) expect(s.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.steps.find((s) => s.id === 'namespace')?.detail).toBe(`created namespace "${NS}"`);
    expect(existsSync(join(dir, '.devspace', 'config.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'chart', 'Chart.yaml'))).toBe(true);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('RUN echo v1'); // the user's file untouched
    expect(portsStarted).toBe(1);
    expect(handlers['up.current']()).toEqual(run);

    // The dev container runs the image Up built, pulled from the in-cluster registry.
    const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NS, labelSelector: 'devspace.sh/component=dev' })).items;
    const running = pods.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
    expect(running).toHaveLength(1);
    expect(running[0]!.spec?.containers[0]?.image).toMatch(/^localhost:\d+\/up-fixture-[a-z0-9-]+:devspace-[0-9a-f]{12}$/);
    expect(await buildPods()).toEqual([]);
  }, 600_000);

  it('a second Up with nothing changed skips the build ("image unchanged") and the deploy', async () => {
    const deploymentsBefore = (await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: NS })).items.map((d) => [d.metadata?.name, d.metadata?.generation]);
    cluster.requests.reset();
    const started = await handlers['up.start']();
    const run = await finished(started.runId);
    if (run.state !== 'ready') throw new Error(`Up did not get ready: ${JSON.stringify(run, null, 2)}`);
    expect(states(run)).toEqual({ connect: 'done', namespace: 'done', registry: 'done', build: 'skipped', deploy: 'skipped', rollout: 'done', ports: 'done', ready: 'done' });
    expect(run.steps.find((s) => s.id === 'build')?.detail).toMatch(/^image unchanged /);
    expect(run.steps.find((s) => s.id === 'deploy')?.detail).toMatch(/unchanged/);
    const deploymentsAfter = (await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: NS })).items.map((d) => [d.metadata?.name, d.metadata?.generation]);
    expect(deploymentsAfter).toEqual(deploymentsBefore);
    expect(portsStarted).toBe(2);
    // "Is the image there?" went to the registry pod through a port-forward: the nodes' localhost:<hostPort>
    // is not reachable from a developer's machine on a real cluster.
    expect(cluster.requests.count({ verb: 'create', pathPrefix: '/api/v1/namespaces/devspace-registry/pods/' })).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('a broken Dockerfile fails "Build image" with its step and message; the previous pod keeps running', async () => {
    const devPods = async () =>
      (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NS, labelSelector: 'devspace.sh/component=dev' })).items
        .filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp)
        .map((p) => [p.metadata?.name, p.spec?.containers[0]?.image]);
    const before = await devPods();
    expect(before).toHaveLength(1);
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${cluster.baseImage}\nRUN echo broken && false\nCMD ["sleep", "3600"]\n`);
    const started = await handlers['up.start']();
    const run = await finished(started.runId);
    expect(run.state).toBe('failed');
    expect(run.error).toMatchObject({ step: 'Build image', code: 'BUILD_FAILED' });
    expect(run.error?.message).toContain('Step 2/3');
    expect(states(run)).toMatchObject({ registry: 'done', build: 'failed', deploy: 'not-run', rollout: 'not-run', ports: 'not-run', ready: 'not-run' });
    expect(await devPods()).toEqual(before);
    expect(await buildPods()).toEqual([]);
  }, 300_000);

  it('cancel during the build stops the run and leaves no build pod', async () => {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${cluster.baseImage}\nRUN echo v2 > /version.txt && sleep 120\nCMD ["sleep", "3600"]\n`);
    const started = await handlers['up.start']();
    // Wait (by the cluster's own state, not a clock) until the build pod exists.
    for (;;) {
      if ((await buildPods()).length > 0) break;
      const last = runs.filter((r) => r.runId === started.runId).at(-1);
      if (last && last.state !== 'running') throw new Error(`Up ended before the build pod appeared: ${JSON.stringify(last, null, 2)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const cancelled = await handlers['up.cancel']();
    expect(cancelled?.state).toBe('cancelled');
    expect(cancelled?.error).toBeUndefined();
    expect(states(cancelled as UpRun)).toMatchObject({ build: 'cancelled', deploy: 'not-run', rollout: 'not-run', ports: 'not-run', ready: 'not-run' });
    // The builder deleted its pod; the node finalises the deletion.
    for (;;) {
      if ((await buildPods()).length === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(portsStarted).toBe(2);
  }, 300_000);

  it('a rollout that fails marks the new revision failed and the previous one deployed again, as helm --wait does', async () => {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${cluster.baseImage}\nRUN echo v3 > /version.txt\nCMD ["sh", "-c", "echo starting v3; exit 4"]\n`);
    const started = await handlers['up.start']();
    const run = await finished(started.runId);
    expect(run.state).toBe('failed');
    expect(states(run)).toMatchObject({ build: 'done', deploy: 'done', rollout: 'failed', ports: 'not-run' });
    const [, release, revision] = /release "([^"]+)" revision (\d+)/.exec(run.steps.find((s) => s.id === 'deploy')?.detail ?? '') ?? [];
    expect(Number(revision)).toBe(2);
    const records = (await kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: NS, labelSelector: `name=${release},owner=helm` })).items;
    const statusOf = Object.fromEntries(records.map((r) => [r.metadata?.labels?.version, r.metadata?.labels?.status]));
    expect(statusOf).toEqual({ 1: 'deployed', 2: 'failed' });
  }, 300_000);

  it('a deploy the cluster refuses is undone: the release rolls back to the revision that ran before', async () => {
    const configPath = join(dir, '.devspace', 'config.yaml');
    const original = readFileSync(configPath, 'utf8');
    writeFileSync(configPath, original.replace(/chartPath: chart\n/, 'chartPath: chart\n      values:\n        replicaCount: -1\n'));
    try {
      const started = await handlers['up.start']();
      const run = await finished(started.runId);
      expect(run.state).toBe('failed');
      expect(run.error?.step).toBe('Deploy');
      expect(states(run)).toMatchObject({ deploy: 'failed', rollout: 'not-run' });
      const records = (await kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: NS, labelSelector: 'owner=helm' })).items;
      const statusOf = Object.fromEntries(records.map((r) => [r.metadata?.labels?.version, r.metadata?.labels?.status]));
      // 3 is the refused upgrade, 4 the rollback to 1 (what ran before) that undid it.
      expect(statusOf).toEqual({ 1: 'superseded', 2: 'failed', 3: 'failed', 4: 'deployed' });
      expect(appLog.join('\n')).toContain('back to revision 1 after the failed deploy');
    } finally {
      writeFileSync(configPath, original);
    }
  }, 300_000);
});
