// Rollout waiting against the test cluster with its node agent: pods really run busybox from the
// cluster's registry, so "available", ImagePullBackOff and CrashLoopBackOff are the node's own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { loadKubeconfig } from '../kube/kubeconfig';
import { generateChart, writeChart } from '../project/chart/generateChart';
import { deploy } from './helmEngine';
import { waitForRollout, type RolloutEvent } from './rollout';
import { ClusterObjects } from './clusterObjects';

let cluster: TestCluster | undefined;
let startError = '';
let kc: KubeConfig;
let work: string;
let chartDir: string;

beforeAll(async () => {
  try {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.02 } });
  } catch (e) {
    startError = (e as Error).message;
    return;
  }
  kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig();
  work = mkdtempSync(join(tmpdir(), 'rollout-test-'));
  await writeChart(work, generateChart({ projectName: 'app' }));
  chartDir = join(work, 'chart');
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function deployAndWait(release: string, tag: string, command: string[], events: RolloutEvent[] = []) {
  const [repository] = cluster!.baseImage.split(':latest');
  const r = await deploy(chartDir, { kubeConfig: kc, namespace: 'default', release, image: { repository: repository!, tag }, values: { command } });
  return waitForRollout({ kubeConfig: kc, namespace: 'default', workloads: r.workloads, timeoutMs: 60_000, onEvent: (e) => events.push(e) });
}

function needsNode(): boolean {
  if (cluster) return true;
  console.log(`skipped: the test cluster with a node did not start (${startError})`);
  return false;
}

describe('rollout against a test cluster with a node', () => {
  it('waits until the deployment is available and streams pod state and events', async () => {
    if (!needsNode()) return;
    const events: RolloutEvent[] = [];
    const r = await deployAndWait('good', 'latest', ['sleep', '3600'], events);
    expect(r.messages).toEqual(['deployment "good-app" successfully rolled out']);
    expect(events.some((e) => e.type === 'status' && e.message.startsWith('Waiting for deployment "good-app" rollout to finish'))).toBe(true);
    expect(events.some((e) => e.type === 'pod' && e.pod.ready)).toBe(true);
    expect(events.some((e) => e.type === 'event' && e.reason === 'Scheduled')).toBe(true);
  }, 90_000);

  it('a deployment that has rolled out already costs one GET: no discovery, no watches (the warm Up)', async () => {
    if (!needsNode()) return;
    const [repository] = cluster!.baseImage.split(':latest');
    // 'good' from the test above: the same chart and values, so nothing is applied
    const r = await deploy(chartDir, { kubeConfig: kc, namespace: 'default', release: 'good', image: { repository: repository!, tag: 'latest' }, values: { command: ['sleep', '3600'] } });
    expect(r.changed).toBe(false);
    const events: RolloutEvent[] = [];
    cluster!.requests.reset();
    const w = await waitForRollout({ kubeConfig: kc, namespace: 'default', workloads: r.workloads, timeoutMs: 60_000, onEvent: (e) => events.push(e) });
    expect(cluster!.requests.count()).toBe(1);
    expect(cluster!.requests.count({ verb: 'get', pathPrefix: '/apis/apps/v1/namespaces/default/deployments/good-app' })).toBe(1);
    expect(w.messages).toEqual(['deployment "good-app" successfully rolled out']);
    expect(events).toEqual([{ type: 'status', workload: r.workloads[0], message: 'deployment "good-app" successfully rolled out', done: true }]);
  }, 90_000);

  it('explains an image that cannot be pulled: which image, which registry', async () => {
    if (!needsNode()) return;
    const err = await deployAndWait('badimage', 'no-such-tag', ['sleep', '3600']).catch((e) => e);
    expect(err.code).toBe('CLUSTER_ERROR');
    expect(err.message).toMatch(/The container "dev" of pod badimage-app-[a-z0-9-]+ cannot pull its image ".*\/library\/busybox:no-such-tag" from localhost:\d+ \(ImagePullBackOff\)/);
    expect(err.hint).toMatch(/localhost:\d+/);
  }, 90_000);

  it('explains a crash loop with the exit code and the last log line', async () => {
    if (!needsNode()) return;
    const err = await deployAndWait('crash', 'latest', ['sh', '-c', 'echo starting; echo boom-last-line; exit 3']).catch((e) => e);
    // caught at the first restart ("crashed") or once the node backs off (CrashLoopBackOff)
    expect(err.message).toMatch(/The container "dev" of pod crash-app-[a-z0-9-]+ (keeps crashing \(CrashLoopBackOff|crashed: it exited with code 3)/);
    expect(err.message).toContain('exited with code 3');
    expect(err.message).toMatch(/Last log lines:\n(.*\n)*boom-last-line$/);
    expect(err.hint).toMatch(/sleep/);
  }, 90_000);

  it('waits for hook Pods: a succeeding one lets the install go on, a failing one fails the release', async () => {
    if (!needsNode()) return;
    const dir = mkdtempSync(join(work, 'hooks-'));
    await writeChart(dir, generateChart({ projectName: 'hooked' }));
    const hookPod = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-delete-policy": hook-succeeded
spec:
  restartPolicy: Never
  containers:
    - name: migrate
      image: ${cluster!.baseImage}
      command: ["sh", "-c", "echo migrating; exit {{ .Values.hookExit }}"]
`;
    writeFileSync(join(dir, 'chart/templates/migrate.yaml'), hookPod);
    const api = ClusterObjects.connect(kc);
    const messages: string[] = [];
    const ok = await deploy(join(dir, 'chart'), { kubeConfig: kc, namespace: 'default', release: 'hk-ok', values: { hookExit: 0, command: ['sleep', '3600'] }, hookTimeoutMs: 60_000, onProgress: (p) => p.step === 'hooks' && messages.push(p.message) });
    expect(ok.release.status).toBe('deployed');
    expect(messages).toEqual(['install hook Pod "hk-ok-migrate": start', 'install hook Pod "hk-ok-migrate": succeeded']);
    const err = await deploy(join(dir, 'chart'), { kubeConfig: kc, namespace: 'default', release: 'hk-bad', values: { hookExit: 4 }, hookTimeoutMs: 60_000 }).catch((e) => e);
    expect(err.message).toBe('pre-install hook Pod "hk-bad-migrate" in namespace "default" failed: pod hk-bad-migrate failed');
    const rec = await api.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'sh.helm.release.v1.hk-bad.v1' });
    const json = JSON.parse(gunzipSync(Buffer.from(Buffer.from((rec as any).data.release, 'base64').toString(), 'base64')).toString());
    expect(json.info.status).toBe('failed');
    expect(json.hooks[0].last_run.phase).toBe('Failed');
    expect(await api.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'hk-bad-hooked' })).toBeUndefined();
  }, 120_000);

  it('explains a pod that cannot be scheduled when the time is up, with the scheduler’s message', async () => {
    if (!needsNode()) return;
    const dir = mkdtempSync(join(work, 'pending-'));
    await writeChart(dir, generateChart({ projectName: 'pending' }));
    // a node selector no node matches
    writeFileSync(join(dir, 'chart/templates/deployment.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    matchLabels: { app: {{ .Release.Name }} }
  template:
    metadata:
      labels: { app: {{ .Release.Name }} }
    spec:
      nodeSelector: { disktype: ssd }
      containers:
        - name: dev
          image: ${cluster!.baseImage}
          command: ["sleep", "3600"]
`);
    const r = await deploy(join(dir, 'chart'), { kubeConfig: kc, namespace: 'default', release: 'pend' });
    const err = await waitForRollout({ kubeConfig: kc, namespace: 'default', workloads: r.workloads, timeoutMs: 3000 }).catch((e) => e);
    expect(err.message).toMatch(/^Deployment "pend" in namespace "default" did not become ready within 3 s\. Pod pend-[a-z0-9-]+ cannot be scheduled onto a node: \S/);
    expect(err.hint).toMatch(/node selector/);
  }, 60_000);
});
