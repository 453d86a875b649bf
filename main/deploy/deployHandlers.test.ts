// The deploy.* requests against the test cluster with its node: real busybox pods, real image pull
// failures, Helm 3 records; kubectl is the outside observer.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../preload/api';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import type { ProjectCluster } from '../app/projectCluster';
import { EventBus } from '../ipc/events';
import { loadKubeconfig } from '../kube/kubeconfig';
import { generateChart, writeChart } from '../project/chart/generateChart';
import type { DevspaceConfig } from '../project/config/schema';
import { createDeployHandlers, PLACEHOLDER_TAG } from './deployHandlers';
import { deploy, type DeployOptions } from './helmEngine';
import { waitForRollout } from './rollout';
import { loadChart } from '../chart';
import { ClusterObjects } from './clusterObjects';
import { TillerClient } from './tiller/tillerClient';
import { ensureTiller } from './tiller/tillerInstaller';

const KUBECTL = '/usr/bin/kubectl';
let cluster: TestCluster | undefined;
let startError = '';
let kc: KubeConfig;
let work: string;
let repository: string;

beforeAll(async () => {
  try {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.02 } });
  } catch (e) {
    startError = (e as Error).message;
    return;
  }
  kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig();
  repository = cluster.baseImage.split(':latest')[0]!;
  work = mkdtempSync(join(tmpdir(), 'deploy-handlers-test-'));
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function needsNode(): boolean {
  if (cluster) return true;
  console.log(`skipped: the test cluster with a node did not start (${startError})`);
  return false;
}

/** A project folder with a generated chart and a config naming the release. */
async function project(name: string, config: Partial<DevspaceConfig> = {}, kubeConfig: KubeConfig = kc): Promise<ProjectCluster> {
  const dir = join(work, name);
  await writeChart(dir, generateChart({ projectName: name }));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCMD ["sleep", "3600"]\n');
  return {
    project: { path: dir, name, hasDevspaceConfig: true, hasDockerfile: true, hasChart: true, selection: {} },
    kubeConfig,
    context: 'test-admin',
    namespace: 'default',
    config: { version: 'v1alpha1', devSpace: { deployments: [{ name, helm: { chartPath: './chart' } }] }, ...config },
  };
}

function handlersFor(pc: ProjectCluster) {
  return createDeployHandlers({ events: new EventBus(), resolveProjectCluster: async () => pc, log: () => {} });
}

/** The error a request fails with (the test fails when it succeeds). */
async function errorOf(call: () => unknown): Promise<any> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  throw new Error('expected the request to fail');
}

const kubectl = async (...args: string[]) => (await promisify(execFile)(KUBECTL, ['--kubeconfig', cluster!.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;

/** deploy.status until `ok` holds (pods start and fail on the node's own schedule). */
async function statusUntil(h: ReturnType<typeof handlersFor>, ok: (v: DeploymentView) => boolean, what: string, timeoutMs = 60_000): Promise<DeploymentView> {
  const end = Date.now() + timeoutMs;
  let v = await h['deploy.status']();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`deploy.status never showed ${what}; last view: ${JSON.stringify(v, null, 1)}`);
    await new Promise((r) => setTimeout(r, 500));
    v = await h['deploy.status']();
  }
  return v;
}

describe('deploy.* against the test cluster', () => {
  it('shows nothing deployed for a new project, and manifests with the next build\'s image', async () => {
    if (!needsNode()) return;
    const pc = await project('fresh');
    const h = handlersFor(pc);
    expect(await h['deploy.status']()).toEqual({ release: 'fresh', namespace: 'default', engine: 'helm3', current: null, history: [], pods: [], events: [] });
    const m = await h['deploy.manifests']();
    expect(m.release).toBe('fresh');
    const dep = m.objects.find((o) => o.kind === 'Deployment');
    expect(dep).toMatchObject({ name: 'fresh', source: 'fresh/templates/deployment.yaml' });
    // the tag Up would build: the content hash of the build context
    expect(dep!.yaml).toMatch(/image: "?localhost:5000\/fresh:devspace-[0-9a-f]{12}"?/);
    expect(dep!.yaml).toContain('devspace-pull-localhost-5000');
    expect(m.warnings).toEqual([]);
  });

  it('says nothing is deployed when the project uses Tiller and no Tiller runs', async () => {
    if (!needsNode()) return;
    const pc = await project('tillered', { devSpace: { deployments: [{ name: 'tillered', helm: { chartPath: './chart', engine: 'tiller' } }] } });
    expect(await handlersFor(pc)['deploy.status']()).toMatchObject({ release: 'tillered', engine: 'tiller', current: null, history: [], pods: [] });
  });

  it('follows a release through upgrade, a bad image, rollback, a failed upgrade and a second rollback', async () => {
    if (!needsNode()) return;
    const pc = await project('web');
    const h = handlersFor(pc);
    const chartDir = join(pc.project.path, 'chart');
    const opts = (tag: string, values: Record<string, unknown> = {}): DeployOptions => ({ kubeConfig: kc, namespace: 'default', release: 'web', image: { repository, tag }, values: { command: ['sleep', '3600'], ...values } });

    await deploy(chartDir, opts('latest'));
    const r2 = await deploy(chartDir, opts('latest', { env: { GREETING: 'two' } }));
    expect(r2.release.revision).toBe(2);
    await waitForRollout({ kubeConfig: kc, namespace: 'default', workloads: r2.workloads, timeoutMs: 60_000 });

    // two revisions, the pods running and ready
    let v = await statusUntil(h, (x) => x.pods.length === 1 && x.pods[0]!.ready === '1/1', 'one ready pod');
    expect(v.current).toMatchObject({ revision: 2, status: 'deployed', description: 'Upgrade complete', chart: 'web-0.1.0' });
    expect(v.history.map((r) => [r.revision, r.status])).toEqual([[2, 'deployed'], [1, 'superseded']]);
    expect(Date.parse(v.current!.updated)).toBeGreaterThan(Date.now() - 120_000);
    expect(v.pods[0]).toMatchObject({ phase: 'Running', ready: '1/1', restarts: 0 });
    expect(v.pods[0]!.name).toMatch(/^web-[a-z0-9]+-[a-z0-9]+$/);
    expect(v.pods[0]!.node).toBeTruthy();
    expect(v.pods[0]!.startedAt).toBeTruthy();
    expect(v.pods[0]!.problem).toBeUndefined();
    expect(v.rollbackTo).toBeUndefined();
    expect(v.events.some((e) => e.reason === 'Scheduled' && e.object === `Pod/${v.pods[0]!.name}`)).toBe(true);
    expect(v.events.some((e) => e.object === 'Deployment/web')).toBe(true);
    const times = v.events.map((e) => e.lastSeen ?? '');
    expect([...times].sort().reverse()).toEqual(times);

    // revision 3 with an image that does not exist: the new pod's problem names the image, the old pod keeps running
    await deploy(chartDir, opts('no-such-tag', { env: { GREETING: 'two' } }));
    v = await statusUntil(h, (x) => x.pods.some((p) => p.problem?.includes('ImagePullBackOff')), 'an ImagePullBackOff problem');
    const bad = v.pods.find((p) => p.problem)!;
    expect(bad.problem).toMatch(new RegExp(`cannot pull its image "${repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:no-such-tag" from localhost:\\d+ \\(ImagePullBackOff\\)`));
    expect(bad.ready).toBe('0/1');
    expect(v.pods.some((p) => p.phase === 'Running' && p.ready === '1/1')).toBe(true);
    expect(v.current).toMatchObject({ revision: 3, status: 'deployed' });
    expect(v.rollbackTo).toBe(2);
    expect(v.events.some((e) => e.type === 'Warning' && e.object === `Pod/${bad.name}`)).toBe(true);

    // roll back to 2: revision 4, deployed, the bad pod goes away
    v = await h['deploy.rollback'](2);
    expect(v.current).toMatchObject({ revision: 4, status: 'deployed', description: 'Rollback to 2' });
    expect(v.history.map((r) => r.status)).toEqual(['deployed', 'superseded', 'superseded', 'superseded']);
    v = await statusUntil(h, (x) => x.pods.length === 1 && !x.pods[0]!.problem && x.pods[0]!.ready === '1/1', 'only the good pod');
    expect(v.rollbackTo).toBeUndefined();

    // a failed upgrade (the server refuses replicas: -1): revision 5 failed, 4 still runs and is offered
    const err = await deploy(chartDir, opts('latest', { replicaCount: -1 })).catch((e) => e);
    expect(err.code).toBe('CLUSTER_ERROR');
    v = await h['deploy.status']();
    expect(v.current).toMatchObject({ revision: 5, status: 'failed' });
    expect(v.rollbackTo).toBe(4);

    // deploy.rollback(1): revision 6 deployed with revision 1's values
    v = await h['deploy.rollback'](1);
    expect(v.current).toMatchObject({ revision: 6, status: 'deployed', description: 'Rollback to 1' });
    expect(v.rollbackTo).toBeUndefined();
    if (existsSync(KUBECTL)) {
      expect((await kubectl('get', 'secret', 'sh.helm.release.v1.web.v6', '-n', 'default', '-o', 'jsonpath={.metadata.labels.status}')).trim()).toBe('deployed');
      expect((await kubectl('get', 'secret', 'sh.helm.release.v1.web.v5', '-n', 'default', '-o', 'jsonpath={.metadata.labels.status}')).trim()).toBe('failed');
      expect((await kubectl('get', 'deployment', 'web', '-n', 'default', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).trim()).toBe(`${repository}:latest`);
      // revision 1 had no GREETING; revision 2's is gone again
      expect(await kubectl('get', 'deployment', 'web', '-n', 'default', '-o', 'jsonpath={.spec.template.spec.containers[0].env}')).not.toContain('GREETING');
    } else {
      console.log(`kubectl checks skipped: ${KUBECTL} is not installed`);
    }

    // the manifests carry the image the current release runs
    const m = await h['deploy.manifests']();
    const dep = m.objects.find((o) => o.kind === 'Deployment' && o.name === 'web');
    expect(dep?.yaml).toContain(`${repository}:latest`);
    expect(m.objects.map((o) => o.kind)).toContain('Deployment');
    expect(m.warnings).toEqual([]);
  }, 180_000);

  it('refuses a revision the release does not have', async () => {
    if (!needsNode()) return;
    const pc = await project('web');
    const err = await errorOf(() => handlersFor(pc)['deploy.rollback'](99));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('99');
    expect(err.hint).toMatch(/revisions in the history: 1, 2/);
  });

  it('renders what it can of a partly broken chart, with a warning naming the template', async () => {
    if (!needsNode()) return;
    const pc = await project('broken');
    writeFileSync(join(pc.project.path, 'chart/templates/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ required "extraValue is required" .Values.extraValue }}\n');
    const m = await handlersFor(pc)['deploy.manifests']();
    expect(m.objects.map((o) => `${o.kind}/${o.name}`)).toContain('Deployment/broken');
    expect(m.objects.some((o) => o.kind === 'ConfigMap')).toBe(false);
    expect(m.warnings).toHaveLength(1);
    expect(m.warnings[0]).toMatch(/^templates\/extra\.yaml is left out: execution error at \(broken\/templates\/extra\.yaml:6:\d+\): extraValue is required$/);
  });

  it('says when the chart is missing, and uses a named placeholder without a Dockerfile', async () => {
    if (!needsNode()) return;
    const pc = await project('nochart');
    rmSync(join(pc.project.path, 'chart'), { recursive: true });
    const err = await errorOf(() => handlersFor(pc)['deploy.manifests']());
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain(join(pc.project.path, 'chart'));
    expect(err.hint).toMatch(/chartPath/);

    const noDockerfile = await project('nodockerfile');
    rmSync(join(noDockerfile.project.path, 'Dockerfile'));
    const m = await handlersFor(noDockerfile)['deploy.manifests']();
    expect(m.objects.find((o) => o.kind === 'Deployment')?.yaml).toContain(`localhost:5000/nodockerfile:${PLACEHOLDER_TAG}`);
    expect(m.warnings[0]).toMatch(/placeholder/);
  });

  it('gives the cluster errors when nothing answers, and still renders the manifests', async () => {
    if (!needsNode()) return;
    const file = join(work, 'dead-kubeconfig');
    writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: dead\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: dead\n  context: { cluster: dead, user: u }\nusers:\n- name: u\n  user: { token: x }\ncurrent-context: dead\n`);
    const dead = (await loadKubeconfig([file])).kubeConfig();
    const pc = await project('offline', {}, dead);
    const err = await errorOf(() => handlersFor(pc)['deploy.status']());
    expect(err.code).toBe('CLUSTER_UNREACHABLE');
    expect(err.hint).toBeTruthy();
    const m = await handlersFor(pc)['deploy.manifests']();
    expect(m.objects.some((o) => o.kind === 'Deployment')).toBe(true);
    expect(m.warnings[0]).toMatch(/could not be read from the cluster/);
  });

  it('reads, rolls back and renders a release deployed through Tiller', async () => {
    if (!needsNode()) return;
    const pc = await project('tweb', { devSpace: { deployments: [{ name: 'tweb', helm: { chartPath: './chart', engine: 'tiller' } }] }, tiller: { namespace: 'tiller-home' } });
    await ClusterObjects.connect(kc).request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tiller-home' } } });
    await ensureTiller({ kubeConfig: kc, tillerNamespace: 'tiller-home', projectNamespaces: ['default'] });
    const chart = await loadChart(join(pc.project.path, 'chart'));
    const tiller = await TillerClient.connect({ kubeConfig: kc, tillerNamespace: 'tiller-home' });
    try {
      const values = (greeting: string) => ({ image: { repository, tag: 'latest' }, imageRef: `${repository}:latest`, command: ['sleep', '3600'], env: { GREETING: greeting } });
      await tiller.install({ name: 'tweb', namespace: 'default', chart, values: values('one'), wait: true, timeoutSeconds: 90 });
      await tiller.upgrade({ name: 'tweb', chart, values: values('two'), wait: true, timeoutSeconds: 90 });
    } finally {
      await tiller.close();
    }
    const h = handlersFor(pc);
    let v = await statusUntil(h, (x) => x.pods.length === 1 && x.pods[0]!.ready === '1/1', 'one ready pod');
    expect(v).toMatchObject({ release: 'tweb', engine: 'tiller', current: { revision: 2, status: 'deployed', chart: 'tweb-0.1.0' } });
    expect(v.history.map((r) => [r.revision, r.status])).toEqual([[2, 'deployed'], [1, 'superseded']]);
    expect(Date.parse(v.current!.updated)).toBeGreaterThan(Date.now() - 300_000);
    expect(v.pods[0]).toMatchObject({ phase: 'Running', restarts: 0 });

    v = await h['deploy.rollback'](1);
    expect(v.current).toMatchObject({ revision: 3, status: 'deployed' });
    expect(v.history.map((r) => r.revision)).toEqual([3, 2, 1]);

    const m = await h['deploy.manifests']();
    expect(m.objects.find((o) => o.kind === 'Deployment')?.yaml).toContain(`${repository}:latest`);
  }, 180_000);
});
