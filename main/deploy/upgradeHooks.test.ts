// Upgrade hooks on the test cluster (with its node, for a Pod hook that really runs): pre-upgrade
// hooks by weight before the objects, post-upgrade after them; install runs none of them;
// `hook-succeeded` deletes, the default `before-hook-creation` replaces the old hook on the next
// upgrade, `hook-failed` deletes a failed hook, whose failure fails the revision.
// helmEngine.test.ts covers install hooks and rollout.test.ts pre-install Pods.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { cannotRunNode } from '../../e2e/cluster/node/node-test-harness';
import { loadKubeconfig } from '../kube/kubeconfig';
import { generateChart, writeChart } from '../project/chart/generateChart';
import { ClusterObjects } from './clusterObjects';
import { deploy, type DeployOptions } from './helmEngine';

const skip = cannotRunNode();
if (skip) console.log(`skipping the upgrade hook tests: ${skip}`);

describe.skipIf(!!skip)('upgrade hooks', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let api: ClusterObjects;
  let work: string;
  let chartDir: string;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.02 } });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig();
    api = ClusterObjects.connect(kc);
    work = mkdtempSync(join(tmpdir(), 'upgrade-hooks-'));
    await writeChart(work, generateChart({ projectName: 'hk' }));
    chartDir = join(work, 'chart');
    const cm = (name: string, event: string, weight: number, policy?: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${name}\n  annotations:\n    "helm.sh/hook": ${event}\n    "helm.sh/hook-weight": "${weight}"\n${policy ? `    "helm.sh/hook-delete-policy": ${policy}\n` : ''}data:\n  revision: "{{ .Release.Revision }}"\n`;
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-check
  annotations:
    "helm.sh/hook": post-upgrade
    "helm.sh/hook-weight": "5"
    "helm.sh/hook-delete-policy": before-hook-creation,hook-failed
spec:
  restartPolicy: Never
  containers:
    - name: check
      image: ${cluster.baseImage}
      command: ["sh", "-c", "echo checking; exit {{ .Values.checkExit }}"]
`;
    // a plain object of the release (no controller updates it after the apply), to order hooks against
    writeFileSync(join(chartDir, 'templates/plain.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-plain\ndata:\n  count: "{{ .Values.n }}"\n');
    writeFileSync(join(chartDir, 'templates/hooks.yaml'), [cm('pre-b', 'pre-upgrade', 2), cm('pre-a', 'pre-upgrade', -3, 'hook-succeeded'), cm('post', 'post-upgrade', 0), pod].join('---\n'));
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function opts(values: Record<string, unknown>, messages: string[] = []): DeployOptions {
    const [repo] = cluster.baseImage.split(':latest');
    return {
      kubeConfig: kc, namespace: 'default', release: 'up', image: { repository: repo!, tag: 'latest' }, hookTimeoutMs: 60_000,
      values: { command: ['sleep', '3600'], ...values },
      onProgress: (p) => p.step === 'hooks' && messages.push(p.message),
    };
  }
  const get = (kind: string, name: string, apiVersion = 'v1') => api.get({ apiVersion, kind, namespace: 'default', name }) as Promise<any>;
  const record = async (v: number) => {
    const s = (await get('Secret', `sh.helm.release.v1.up.v${v}`)) as any;
    return JSON.parse(gunzipSync(Buffer.from(Buffer.from(s.data.release, 'base64').toString(), 'base64')).toString());
  };

  it('an install runs no upgrade hooks, but stores them with the release', async () => {
    const messages: string[] = [];
    const r = await deploy(chartDir, opts({ checkExit: 0 }, messages));
    expect(r.release).toMatchObject({ revision: 1, status: 'deployed' });
    expect(messages).toEqual([]);
    for (const n of ['up-pre-a', 'up-pre-b', 'up-post']) expect(await get('ConfigMap', n)).toBeUndefined();
    expect(await get('Pod', 'up-check')).toBeUndefined();
    expect((await record(1)).hooks.map((h: any) => `${h.name}:${h.events.join(',')}:${h.weight ?? 0}`).sort()).toEqual([
      'up-check:post-upgrade:5', 'up-post:post-upgrade:0', 'up-pre-a:pre-upgrade:-3', 'up-pre-b:pre-upgrade:2',
    ]);
  }, 60_000);

  it('an upgrade runs pre-upgrade hooks by weight before the objects, post-upgrade ones after, and deletes hook-succeeded ones', async () => {
    const messages: string[] = [];
    const r = await deploy(chartDir, opts({ checkExit: 0, n: 2 }, messages));
    expect(r.release).toMatchObject({ revision: 2, status: 'deployed' });
    expect(messages).toEqual([
      'upgrade hook ConfigMap "up-pre-a": start', 'upgrade hook ConfigMap "up-pre-a": succeeded',
      'upgrade hook ConfigMap "up-pre-b": start', 'upgrade hook ConfigMap "up-pre-b": succeeded',
      'upgrade hook ConfigMap "up-post": start', 'upgrade hook ConfigMap "up-post": succeeded',
      'upgrade hook Pod "up-check": start', 'upgrade hook Pod "up-check": succeeded',
    ]);
    expect(await get('ConfigMap', 'up-pre-a')).toBeUndefined(); // hook-succeeded
    const preB = await get('ConfigMap', 'up-pre-b');
    const post = await get('ConfigMap', 'up-post');
    const plain = await get('ConfigMap', 'up-plain');
    expect(preB.data.revision).toBe('2');
    expect(plain.data).toEqual({ count: '2' });
    // the resourceVersion is global and grows: pre-upgrade hook < the upgraded object < post-upgrade hook
    expect(Number(preB.metadata.resourceVersion)).toBeLessThan(Number(plain.metadata.resourceVersion));
    expect(Number(plain.metadata.resourceVersion)).toBeLessThan(Number(post.metadata.resourceVersion));
    expect((await get('Pod', 'up-check')).status.phase).toBe('Succeeded'); // hook-failed keeps a succeeded hook
    expect((await record(2)).hooks.map((h: any) => `${h.name}:${h.last_run.phase}`).sort()).toEqual(['up-check:Succeeded', 'up-post:Succeeded', 'up-pre-a:Succeeded', 'up-pre-b:Succeeded']);
  }, 90_000);

  it('the next upgrade replaces before-hook-creation hooks (new objects); a failing hook-failed Pod is deleted and fails the revision', async () => {
    const preB = await get('ConfigMap', 'up-pre-b');
    const r = await deploy(chartDir, opts({ checkExit: 0, n: 3 }));
    expect(r.release.revision).toBe(3);
    const preB3 = await get('ConfigMap', 'up-pre-b');
    expect(preB3.metadata.uid).not.toBe(preB.metadata.uid);
    expect(preB3.data.revision).toBe('3');

    const err = await deploy(chartDir, opts({ checkExit: 9, n: 4 })).catch((e) => e);
    expect(err.code).toBe('CLUSTER_ERROR');
    expect(err.message).toBe('post-upgrade hook Pod "up-check" in namespace "default" failed: pod up-check failed');
    expect(await get('Pod', 'up-check')).toBeUndefined(); // hook-failed
    const rec4 = await record(4);
    expect(rec4.info.status).toBe('failed');
    expect(rec4.hooks.find((h: any) => h.name === 'up-check').last_run.phase).toBe('Failed');
    expect((await record(3)).info.status).toBe('deployed');
  }, 120_000);
});
