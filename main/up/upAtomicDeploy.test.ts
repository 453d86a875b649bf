// Up's deploy and rollout steps on the test cluster, for what upPipeline.test.ts does not show:
// a first install the cluster refuses, or one cancelled half way, is removed (nothing of the
// release is left); `devSpace.deployments[0].helm.rolloutTimeout` (seconds) bounds the rollout
// wait, whose failure explains a failing readiness probe in the probe's own words.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { cannotRunNode } from '../../e2e/cluster/node/node-test-harness';
import type { ProjectInfo, UpRun } from '../../preload/api';
import { resolveProjectCluster } from '../app/projectCluster';
import { EventBus } from '../ipc/events';
import { loadKubeconfig } from '../kube/kubeconfig';
import { generateChart, writeChart } from '../project/chart/generateChart';
import { freePort } from '../registry/testSupport/testRegistry';
import { createUpHandlers, type UpHandlers } from './upHandlers';

const skip = cannotRunNode();
if (skip) console.log(`skipping the atomic deploy / rollout timeout Up tests: ${skip}`);

const NS = 'up-atomic';
const RELEASE = 'probe';

/** The project's config: the user's values and rollout timeout under the deployment. */
function configText(values: string, rolloutTimeout?: number): string {
  return [
    '# a user comment',
    'version: v1alpha1',
    'devSpace:',
    '  deployments:',
    `  - name: ${RELEASE}`,
    '    helm:',
    '      chartPath: chart',
    ...(rolloutTimeout ? [`      rolloutTimeout: ${rolloutTimeout}`] : []),
    '      values:',
    ...values.split('\n').map((l) => `        ${l}`),
    'images:',
    '  default:',
    `    name: ${RELEASE}`,
    '',
  ].join('\n');
}

describe.skipIf(!!skip)('Up deploys atomically and honours helm.rolloutTimeout', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let dir: string;
  let dataDir: string;
  let handlers: UpHandlers;
  const events = new EventBus();
  const runs: UpRun[] = [];
  const appLog: string[] = [];
  let onRun: ((run: UpRun) => void) | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    dir = mkdtempSync(join(tmpdir(), 'up-atomic-'));
    dataDir = mkdtempSync(join(tmpdir(), 'up-atomic-data-'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${cluster.baseImage}\nCMD ["sleep", "3600"]\n`);
    // The project's own chart: the generated one with a readiness probe that never passes.
    await writeChart(dir, generateChart({ projectName: RELEASE }));
    const deploymentFile = join(dir, 'chart', 'templates', 'deployment.yaml');
    const withProbe = readFileSync(deploymentFile, 'utf8').replace(
      /(\n\s+imagePullPolicy: .*\n)/,
      '$1          readinessProbe:\n            exec: { command: ["sh", "-c", "test -f /tmp/never-there"] }\n            periodSeconds: 1\n            failureThreshold: 1\n',
    );
    expect(withProbe).toContain('readinessProbe:');
    writeFileSync(deploymentFile, withProbe);
    await mkdir(join(dir, '.devspace'), { recursive: true });
    events.subscribe((event, payload) => {
      if (event !== 'up.run') return;
      runs.push(payload as UpRun);
      onRun?.(payload as UpRun);
    });
    const project: ProjectInfo = { path: dir, name: basename(dir), hasDevspaceConfig: true, hasDockerfile: true, hasChart: true, selection: { context: 'test-admin', namespace: NS } };
    handlers = createUpHandlers({
      events,
      resolveProjectCluster: () => resolveProjectCluster(project, project.selection, () => loadKubeconfig([cluster.kubeconfigPath])),
      log: (l) => appLog.push(l),
      dataDir,
      startPorts: async () => null,
      registryHostPort: await freePort(),
    });
  }, 120_000);
  afterAll(async () => {
    await handlers?.dispose();
    await cluster?.stop();
    for (const d of [dir, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

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
  const records = async () => (await kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: NS, labelSelector: `owner=helm,name=${RELEASE}` })).items;
  const deployments = async () => (await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: NS })).items.map((d) => d.metadata?.name);

  it('a first install the cluster refuses fails "Deploy" naming the object and field, and leaves no release behind', async () => {
    writeFileSync(join(dir, '.devspace', 'config.yaml'), configText('replicaCount: -1'));
    const run = await finished((await handlers['up.start']()).runId);
    expect(run.state).toBe('failed');
    expect(states(run)).toMatchObject({ build: 'done', deploy: 'failed', rollout: 'not-run', ports: 'not-run' });
    // The in-cluster registry was made ready while the build hashed its context: both ran at once.
    expect(runs.filter((r) => r.runId === run.runId).some((r) => states(r).registry === 'running' && states(r).build === 'running')).toBe(true);
    expect(run.error).toMatchObject({ step: 'Deploy', code: 'CLUSTER_ERROR' });
    expect(run.error?.message).toContain(`Deployment "${RELEASE}" in namespace "${NS}"`);
    expect(run.error?.message).toContain('spec.replicas');
    expect(run.error?.hint).toBeTruthy();
    expect(await records()).toEqual([]);
    expect(await deployments()).toEqual([]);
    expect(appLog.join('\n')).toContain(`removed the half-installed release "${RELEASE}"`);
  }, 600_000);

  it('cancel while the first install is being applied removes the half-installed release', async () => {
    writeFileSync(join(dir, '.devspace', 'config.yaml'), configText('replicaCount: 1'));
    // Slow every API call down once the deploy step runs, so the cancel lands inside it.
    onRun = (r) => {
      if (r.steps.find((s) => s.id === 'deploy')?.state === 'running') {
        cluster.faults.setLatency(1500);
        onRun = undefined;
      }
    };
    const started = await handlers['up.start']();
    try {
      // Wait (by the cluster's state) until the release has its first record, then cancel.
      for (;;) {
        if ((await records()).length > 0) break;
        const last = runs.filter((r) => r.runId === started.runId).at(-1);
        if (last && last.state !== 'running') throw new Error(`Up ended before the deploy recorded the release: ${JSON.stringify(last, null, 2)}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      const cancelled = await handlers['up.cancel']();
      expect(cancelled?.state).toBe('cancelled');
      expect(states(cancelled as UpRun)).toMatchObject({ deploy: 'cancelled', rollout: 'not-run', ports: 'not-run' });
    } finally {
      onRun = undefined;
      cluster.faults.setLatency(0);
    }
    expect(await records()).toEqual([]);
    expect(await deployments()).toEqual([]);
    expect(appLog.join('\n')).toContain(`removed the half-installed release "${RELEASE}"`);
  }, 600_000);

  it('helm.rolloutTimeout bounds the rollout wait; the failure explains the failing readiness probe', async () => {
    writeFileSync(join(dir, '.devspace', 'config.yaml'), configText('replicaCount: 1', 10));
    const run = await finished((await handlers['up.start']()).runId);
    expect(run.state).toBe('failed');
    expect(states(run)).toMatchObject({ deploy: 'done', rollout: 'failed', ports: 'not-run' });
    expect(run.error?.step).toBe('Rollout');
    expect(run.error?.message).toMatch(new RegExp(`Deployment "${RELEASE}" in namespace "${NS}" did not become ready within 10 s\\. The container "dev" of pod ${RELEASE}-[a-z0-9-]+ runs but is not ready: Readiness probe failed`));
    expect(run.error?.hint).toMatch(/readiness probe/i);
    // As helm --wait records it: the revision that did not roll out is failed.
    const statusOf = Object.fromEntries((await records()).map((r) => [r.metadata?.labels?.version, r.metadata?.labels?.status]));
    expect(statusOf).toEqual({ 1: 'failed' });
  }, 600_000);
});
