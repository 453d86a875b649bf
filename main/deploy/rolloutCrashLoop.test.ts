// A dev container that is already in CrashLoopBackOff when the rollout wait begins (the node has
// backed off after several crashes): the explanation names CrashLoopBackOff itself, the exit code
// and the crashed run's last log line (read with previous=true). rollout.test.ts covers the first
// crash during the wait, which is caught before the node backs off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { cannotRunNode } from '../../e2e/cluster/node/node-test-harness';
import { loadKubeconfig } from '../kube/kubeconfig';
import { generateChart, writeChart } from '../project/chart/generateChart';
import { deploy } from './helmEngine';
import { waitForRollout } from './rollout';

const skip = cannotRunNode();
if (skip) console.log(`skipping the CrashLoopBackOff rollout test: ${skip}`);

describe.skipIf(!!skip)('rollout of a container already in CrashLoopBackOff', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let work: string;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.02 } });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig();
    work = mkdtempSync(join(tmpdir(), 'crashloop-test-'));
    await writeChart(work, generateChart({ projectName: 'loop' }));
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('says "keeps crashing (CrashLoopBackOff …)" with the exit code and the last log line', async () => {
    const [repository] = cluster.baseImage.split(':latest');
    const r = await deploy(join(work, 'chart'), {
      kubeConfig: kc, namespace: 'default', release: 'cl', image: { repository: repository!, tag: 'latest' },
      values: { command: ['sh', '-c', 'echo starting; echo crash-last-line; exit 7'] },
    });
    // Wait, by the pod's own status (no clock), until the node reports the back-off.
    const core = kc.makeApiClient(CoreV1Api);
    for (;;) {
      const pods = (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app.kubernetes.io/instance=cl' })).items;
      if (pods.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff')) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const err = await waitForRollout({ kubeConfig: kc, namespace: 'default', workloads: r.workloads, timeoutMs: 60_000 }).catch((e) => e);
    expect(err.code).toBe('CLUSTER_ERROR');
    expect(err.message).toMatch(/The container "dev" of pod cl-loop-[a-z0-9-]+ keeps crashing \(CrashLoopBackOff, \d+ restarts\)/);
    expect(err.message).toContain('exited with code 7');
    expect(err.message).toMatch(/Last log lines:\n(.*\n)*crash-last-line$/);
  }, 120_000);
});
