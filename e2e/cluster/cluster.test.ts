// The whole test cluster: API server plus the real node agent. A Deployment of the seeded busybox
// image becomes available with a real container; kubectl logs and exec go through the API
// server's proxy to the node.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { AppsV1Api, CoreV1Api, Exec, KubeConfig, Watch } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from './index';
import { eventually } from './apiserver/test-support';

const run = promisify(execFile);
const missing = ['/usr/bin/buildah', '/usr/bin/kubectl'].filter((p) => !existsSync(p));
if (missing.length) console.warn(`skipping integrated test-cluster tests: ${missing.join(', ')} not installed`);

describe.skipIf(missing.length > 0)('test cluster with its node', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let home: string;
  const kubectl = async (...args: string[]) => (await run('/usr/bin/kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args], { env: { ...process.env, HOME: home } })).stdout;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'cluster-test-home-'));
    const t0 = Date.now();
    cluster = await startTestCluster();
    console.log(`test cluster start to ready: ${Date.now() - t0} ms`);
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
  }, 120_000);
  afterAll(async () => { await cluster?.stop(); rmSync(home, { recursive: true, force: true }); });

  it('registers a Ready node and names its registry and base image', async () => {
    const node = await kc.makeApiClient(CoreV1Api).readNode({ name: 'test-node' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(cluster.registry).toMatch(/^localhost:\d+$/);
    expect(cluster.baseImage).toBe(`${cluster.registry}/library/busybox:latest`);
  });

  it('makes a Deployment of the base image available, with logs and exec through the proxy', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const t0 = Date.now();
    await apps.createNamespacedDeployment({ namespace: 'default', body: {
      metadata: { name: 'echo' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'echo' } }, template: { metadata: { labels: { app: 'echo' } }, spec: { containers: [{
        name: 'main', image: cluster.baseImage, command: ['sh', '-c', 'echo hello from echo; while true; do sleep 1; done'] }] } } },
    } });
    await eventually('echo available', async () => (await apps.readNamespacedDeployment({ name: 'echo', namespace: 'default' })).status?.availableReplicas === 1 || undefined, 60_000);
    console.log(`deployment create to available: ${Date.now() - t0} ms`);
    const pod = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default', labelSelector: 'app=echo' })).items[0];
    const name = pod.metadata!.name!;
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ name: 'main', ready: true, state: { running: {} } });

    await eventually('log line', async () => (await kubectl('logs', name)).includes('hello from echo') || undefined);
    expect(await kubectl('exec', name, '--', 'echo', 'ok')).toBe('ok\n');
    const failed = await run('/usr/bin/kubectl', ['--kubeconfig', cluster.kubeconfigPath, 'exec', name, '--', 'sh', '-c', 'exit 3'], { env: { ...process.env, HOME: home } }).catch((e) => e);
    expect(failed.code).toBe(3);

    let out = '';
    const stdout = new Writable({ write(chunk, _e, cb) { out += chunk; cb(); } });
    const status = await new Promise<any>((resolve, reject) => {
      new Exec(kc).exec('default', name, 'main', ['sh', '-c', 'echo from client-node'], stdout, null, null, false, resolve).catch(reject);
    });
    expect(status.status).toBe('Success');
    expect(out).toBe('from client-node\n');
  });

  it('drops open watches on dropStreams()', async () => {
    let ended = false;
    await new Watch(kc).watch('/api/v1/namespaces/default/pods', {}, () => {}, () => { ended = true; });
    cluster.faults.dropStreams();
    await eventually('the watch to end', () => ended || undefined);
  });
});
