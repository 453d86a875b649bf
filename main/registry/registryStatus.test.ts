// registry.status and registry.remove against the test cluster with its node: the registry
// deployed by InClusterRegistry.ensure() really runs, tags are listed through a port-forward to
// its pod, the tag a Deployment runs is marked current, and remove() leaves nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { EventBus } from '../ipc/events';
import { loadKubeconfig } from '../kube/kubeconfig';
import { makeProject } from '../ports/portsTestSupport';
import { CredentialStore, fileKeySecretBox } from './credentials';
import { InClusterRegistry } from './inClusterRegistry';
import { ensurePullSecrets, pullSecretName } from './pullSecrets';
import { RegistryClient } from './registryClient';
import { createRegistryHandlers } from './registryHandlers';
import { REGISTRY_SELECTOR } from './registryManifests';
import { PROXY_SELECTOR } from './registryProxy';
import { freePort, pushTestImage, registryUnavailable } from './testSupport/testRegistry';

const noRegistry = registryUnavailable();
if (noRegistry) console.warn(`registry.status/remove cluster test skipped: ${noRegistry}`);

describe.skipIf(!!noRegistry)('registry.status and registry.remove on the test cluster', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let dataDir: string;
  beforeAll(async () => {
    cluster = await startTestCluster();
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    dataDir = mkdtempSync(join(tmpdir(), 'registry-status-'));
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('not deployed → ready with tags (current marked) → removed with its pull secrets, idempotently', async () => {
    const project = await makeProject(cluster.kubeconfigPath, 'version: v1alpha1\n# the image\nimages:\n  default:\n    name: shop\n');
    const store = new CredentialStore(dataDir, fileKeySecretBox(dataDir));
    const handlers = createRegistryHandlers({ events: new EventBus(), resolveProjectCluster: project.resolve, log: () => {}, dataDir, homeDir: dataDir, env: {}, registryTimeoutMs: 10_000 });
    try {
      expect(await handlers['registry.status']()).toMatchObject({ kind: 'in-cluster', state: 'not-deployed', tags: [], hint: expect.stringContaining('next Up') });

      const hostPort = await freePort();
      const info = await new InClusterRegistry(kc, { store, hostPort, readyTimeoutMs: 90_000 }).ensure();
      // Two builds of the project's image, and a Deployment running the second one.
      const basic = `Basic ${Buffer.from(`${info.credentials.username}:${info.credentials.password}`).toString('base64')}`;
      const client = new RegistryClient(info.pullHost, { credentials: info.credentials });
      for (let i = 0; ; i++) {
        try {
          await client.checkLogin();
          break;
        } catch (e) {
          if (i > 100) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await pushTestImage(`http://${info.pullHost}`, 'shop', 'aaaa1111', { authorization: basic });
      await pushTestImage(`http://${info.pullHost}`, 'shop', 'bbbb2222', { authorization: basic });
      await pushTestImage(`http://${info.pullHost}`, 'other', 'cccc3333', { authorization: basic });
      const apps = kc.makeApiClient(AppsV1Api);
      await apps.createNamespacedDeployment({
        namespace: 'default',
        body: {
          metadata: { name: 'shop' },
          spec: {
            replicas: 0,
            selector: { matchLabels: { app: 'shop' } },
            template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'app', image: `${info.pullHost}/shop:bbbb2222` }] } },
          },
        },
      });
      await ensurePullSecrets(kc, 'default', [{ host: info.pullHost, ...info.credentials }]);

      const view = await handlers['registry.status']();
      expect(view).toEqual({
        kind: 'in-cluster',
        pushHost: info.pushHost,
        pullHost: `localhost:${hostPort}`,
        repository: `localhost:${hostPort}/shop`,
        state: 'ready',
        storage: 'emptyDir',
        nodes: { ready: 1, total: 1 },
        tags: [
          { tag: 'bbbb2222', current: true },
          { tag: 'aaaa1111', current: false },
        ],
        warnings: [expect.stringContaining('emptyDir')],
      });

      expect(await handlers['registry.remove']()).toBeNull();
      const core = kc.makeApiClient(CoreV1Api);
      const left = [
        ...(await apps.listNamespacedDeployment({ namespace: info.namespace, labelSelector: REGISTRY_SELECTOR })).items,
        ...(await core.listNamespacedService({ namespace: info.namespace, labelSelector: REGISTRY_SELECTOR })).items,
        ...(await core.listNamespacedSecret({ namespace: info.namespace, labelSelector: REGISTRY_SELECTOR })).items,
        ...(await core.listNamespacedPersistentVolumeClaim({ namespace: info.namespace, labelSelector: REGISTRY_SELECTOR })).items,
        ...(await apps.listNamespacedDaemonSet({ namespace: info.namespace, labelSelector: PROXY_SELECTOR })).items,
      ].filter((o) => !o.metadata?.deletionTimestamp);
      expect(left).toEqual([]);
      await expect(core.readNamespacedSecret({ name: pullSecretName(info.pullHost), namespace: 'default' })).rejects.toMatchObject({ code: 404 });
      const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
      expect((sa.imagePullSecrets ?? []).map((s) => s.name)).not.toContain(pullSecretName(info.pullHost));
      expect((await store.list()).filter((l) => l.host.includes('@'))).toEqual([]);

      // Idempotent, and the view says so.
      expect(await handlers['registry.remove']()).toBeNull();
      expect(await handlers['registry.status']()).toMatchObject({ state: 'not-deployed' });
    } finally {
      await project.cleanup();
    }
  }, 180_000);
});
