// The in-cluster registry on a cluster of two nodes: the registry pod runs on one node, and a pod
// on the OTHER node pulls `localhost:<hostPort>/…` through the registry proxy DaemonSet pod on its
// own node (which forwards to the registry Service). Each test-cluster node has its own
// "localhost" (test-node 127.0.0.1, test-node-2 127.0.0.2: e2e/cluster/README.md), so a pull on
// test-node-2 can only have gone through test-node-2's hostPort, i.e. its proxy pod.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { cannotRunNode } from '../../e2e/cluster/node/node-test-harness';
import { loadKubeconfig } from '../kube/kubeconfig';
import { CredentialStore, fileKeySecretBox } from './credentials';
import { InClusterRegistry } from './inClusterRegistry';
import { ensurePullSecrets } from './pullSecrets';
import { RegistryClient } from './registryClient';
import { REGISTRY_SELECTOR } from './registryManifests';
import { PROXY_NAME, PROXY_SELECTOR } from './registryProxy';
import { copyImage, freePort, registryUnavailable } from './testSupport/testRegistry';

const missing = registryUnavailable() ?? cannotRunNode();
if (missing) console.log(`in-cluster registry multi-node test skipped: ${missing}`);

async function poll<T>(what: () => Promise<T | undefined>, tries = 900, ms = 100): Promise<T | undefined> {
  for (let i = 0; i < tries; i++) {
    const v = await what();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, ms));
  }
  return undefined;
}

describe.skipIf(!!missing)('InClusterRegistry on a two-node test cluster', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let dataDir: string;
  let logTail: string[] = [];
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 2, log: (l) => { logTail.push(l); if (logTail.length > 400) logTail = logTail.slice(-200); } });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    dataDir = mkdtempSync(join(tmpdir(), 'in-cluster-registry-multinode-'));
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has two Ready nodes with their own addresses and pod subnets', async () => {
    expect(cluster.nodes.map((n) => [n.name, n.address])).toEqual([['test-node', '127.0.0.1'], ['test-node-2', '127.0.0.2']]);
    expect(new Set(cluster.nodes.map((n) => n.podSubnet)).size).toBe(2);
    const nodes = (await kc.makeApiClient(CoreV1Api).listNode()).items;
    expect(nodes.map((n) => n.metadata!.name).sort()).toEqual(['test-node', 'test-node-2']);
    for (const n of nodes) {
      expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toBe(cluster.nodes.find((x) => x.name === n.metadata!.name)!.address);
    }
  });

  it('a pod on the node without the registry pulls localhost:<hostPort>/… through its own node\'s proxy pod; remove() takes both proxy pods away', async () => {
    const store = new CredentialStore(dataDir, fileKeySecretBox(dataDir));
    const hostPort = await freePort();
    const progress: string[] = [];
    const registry = new InClusterRegistry(kc, { store, hostPort, readyTimeoutMs: 120_000, onProgress: (m) => progress.push(m) });
    const info = await registry.ensure();
    expect(progress.at(-1)).toBe('The registry proxy is ready on 2 node(s)');
    expect(await registry.status()).toMatchObject({ deployed: true, ready: true, state: 'ready', hostPort, proxy: { desired: 2, ready: 2 } });

    const core = kc.makeApiClient(CoreV1Api);
    const proxyPods = (await core.listNamespacedPod({ namespace: info.namespace, labelSelector: PROXY_SELECTOR })).items;
    expect(proxyPods.map((p) => p.spec?.nodeName).sort()).toEqual(['test-node', 'test-node-2']);
    const registryPods = (await core.listNamespacedPod({ namespace: info.namespace, labelSelector: REGISTRY_SELECTOR })).items.filter((p) => !p.metadata?.deletionTimestamp);
    expect(registryPods).toHaveLength(1);
    const registryNode = registryPods[0]!.spec!.nodeName!;
    const other = cluster.nodes.find((n) => n.name !== registryNode)!;
    expect(other).toBeDefined();

    // Push through node 1's localhost:<hostPort> (this machine's 127.0.0.1: test-node's proxy pod).
    const basic = `Basic ${Buffer.from(`${info.credentials.username}:${info.credentials.password}`).toString('base64')}`;
    const client = new RegistryClient(info.pullHost, { credentials: info.credentials, inCluster: { namespace: info.namespace } });
    const loggedIn = await poll(async () => client.checkLogin().then((r) => r, () => undefined), 100);
    expect(loggedIn).toMatchObject({ authenticated: true });
    const [repo, tag] = cluster.baseImage.slice(cluster.registry.length + 1).split(':') as [string, string];
    await copyImage({ baseUrl: `http://${cluster.registry}`, repository: repo }, { baseUrl: `http://${info.pullHost}`, repository: 'project/busybox', authorization: basic }, tag);

    // The other node's localhost:<hostPort> answers too (its own address): only its proxy pod
    // holds that port there, and nothing of the registry itself runs on that node.
    const onOther = (await core.listNamespacedPod({ namespace: info.namespace })).items.filter((p) => p.spec?.nodeName === other.name && !p.metadata?.deletionTimestamp);
    expect(onOther.map((p) => p.metadata?.labels?.['app.kubernetes.io/name'])).toEqual([PROXY_NAME]);
    const v2 = await fetch(`http://${other.address}:${hostPort}/v2/`, { headers: { authorization: basic } });
    expect(v2.status).toBe(200);

    // A pod pinned to the other node runs the image from localhost:<hostPort> with the pull secret.
    await core.createNamespace({ body: { metadata: { name: 'shop' } } });
    const [secretName] = await ensurePullSecrets(kc, 'shop', [{ host: info.pullHost, ...info.credentials }]);
    const image = `${info.pullHost}/project/busybox:${tag}`;
    await core.createNamespacedPod({
      namespace: 'shop',
      body: {
        metadata: { name: 'far-away' },
        spec: {
          nodeName: other.name,
          imagePullSecrets: [{ name: secretName! }],
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'main', image, imagePullPolicy: 'Always', command: ['sleep', '3600'] }],
        },
      },
    });
    const stateOf = (p: V1Pod) => {
      const s = p.status?.containerStatuses?.[0]?.state;
      return s?.running ? 'Running' : (s?.waiting?.reason ?? p.status?.phase ?? '');
    };
    const final = await poll(async () => {
      const p = await core.readNamespacedPod({ name: 'far-away', namespace: 'shop' });
      const s = stateOf(p);
      return s === 'Running' || /Err|BackOff/.test(s) ? p : undefined;
    });
    const events = (await core.listNamespacedEvent({ namespace: 'shop' })).items.map((e) => `${e.reason}: ${e.message}`);
    expect(final && stateOf(final), `events: ${events.join('\n')}\nlog: ${logTail.slice(-40).join('\n')}`).toBe('Running');
    expect(final!.spec?.nodeName).toBe(other.name);
    expect(final!.status?.hostIP).toBe(other.address);
    expect(events.some((e) => e.startsWith(`Pulled: Successfully pulled image "${image}"`))).toBe(true);

    await registry.remove();
    const apps = kc.makeApiClient(AppsV1Api);
    expect((await apps.listNamespacedDaemonSet({ namespace: info.namespace }).catch(() => ({ items: [] }))).items).toEqual([]);
    const gone = await poll(async () => {
      const left = (await core.listPodForAllNamespaces({ labelSelector: PROXY_SELECTOR })).items;
      return left.length === 0 ? true : undefined;
    });
    expect(gone).toBe(true);
    expect(await registry.status()).toMatchObject({ deployed: false, ready: false });
  }, 240_000);
});
