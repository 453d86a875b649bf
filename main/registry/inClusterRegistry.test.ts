// The in-cluster registry against the project's test cluster: its objects (API server only), and
// end to end with the node agent, where the registry pod really runs and takes pushes through
// localhost:<hostPort>.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, StorageV1Api, type KubeConfig } from '@kubernetes/client-node';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { loadKubeconfig } from '../kube/kubeconfig';
import { CredentialStore, fileKeySecretBox } from './credentials';
import { InClusterRegistry, type Clock } from './inClusterRegistry';
import { RegistryClient } from './registryClient';
import { REGISTRY_SELECTOR } from './registryManifests';
import { PROXY_NAME, PROXY_SELECTOR } from './registryProxy';
import { ensurePullSecrets } from './pullSecrets';
import { copyImage, freePort, pushTestImage, registryUnavailable } from './testSupport/testRegistry';

/** Virtual time: sleeping moves the clock, so deadlines are reached without waiting. */
function virtualClock(): Clock {
  let t = 0;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

async function ownedObjects(kc: KubeConfig, namespace: string) {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const labelSelector = REGISTRY_SELECTOR;
  const all = [
    ...(await apps.listNamespacedDeployment({ namespace, labelSelector })).items.map((o) => ['Deployment', o] as const),
    ...(await core.listNamespacedService({ namespace, labelSelector })).items.map((o) => ['Service', o] as const),
    ...(await core.listNamespacedSecret({ namespace, labelSelector })).items.map((o) => ['Secret', o] as const),
    ...(await core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector })).items.map((o) => ['PersistentVolumeClaim', o] as const),
    ...(await apps.listNamespacedDaemonSet({ namespace, labelSelector: PROXY_SELECTOR })).items.map((o) => ['DaemonSet', o] as const),
  ];
  // Not resourceVersion: the test cluster bumps it on a no-op apply of an object with two field
  // managers (the real API server does not). generation moves with any spec change, and the
  // Secret's data is compared whole, so a changed password or a rollout still shows.
  return all.map(([kind, o]) => ({ kind, name: o.metadata!.name!, uid: o.metadata!.uid!, generation: o.metadata!.generation, data: (o as { data?: unknown }).data }));
}

describe('InClusterRegistry objects on the test cluster (no node)', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let dataDir: string;
  let store: CredentialStore;
  beforeAll(async () => {
    cluster = await startTestCluster({ node: false });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    dataDir = mkdtempSync(join(tmpdir(), 'in-cluster-registry-test-'));
    store = new CredentialStore(dataDir, fileKeySecretBox(dataDir));
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates namespace, htpasswd Secret, Deployment, Service and the proxy DaemonSet holding the hostPort; emptyDir + warning without a default StorageClass', async () => {
    const registry = new InClusterRegistry(kc, { store, wait: false, hostPort: 5123 });
    const info = await registry.ensure();
    expect(info).toMatchObject({
      namespace: 'devspace-registry',
      pushHost: 'devspace-registry.devspace-registry.svc.cluster.local:5000',
      pullHost: 'localhost:5123',
      credentials: { username: 'devspace' },
    });
    expect(info.credentials.password.length).toBeGreaterThanOrEqual(40);
    expect(info.warnings).toEqual([expect.stringContaining('no default StorageClass')]);
    expect(info.warnings[0]).toContain('do not survive a restart');

    const core = kc.makeApiClient(CoreV1Api);
    const ns = await core.readNamespace({ name: 'devspace-registry' });
    expect(ns.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'devspace-desktop', 'app.kubernetes.io/component': 'registry' });
    const secret = await core.readNamespacedSecret({ name: 'devspace-registry-auth', namespace: 'devspace-registry' });
    const htpasswd = Buffer.from(secret.data!.htpasswd!, 'base64').toString();
    const [user, hash] = htpasswd.trim().split(':') as [string, string];
    expect(user).toBe('devspace');
    expect(hash).toMatch(/^\$2[aby]\$/);
    expect(bcrypt.compareSync(info.credentials.password, hash)).toBe(true);

    const d = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'devspace-registry', namespace: 'devspace-registry' });
    const c = d.spec!.template.spec!.containers[0]!;
    expect(c.image).toBe('registry:2');
    // The registry pod holds no node port: the proxy on every node does (pulls from any node).
    expect(c.ports).toEqual([{ name: 'registry', containerPort: 5000, protocol: 'TCP' }]);
    const proxy = await kc.makeApiClient(AppsV1Api).readNamespacedDaemonSet({ name: PROXY_NAME, namespace: 'devspace-registry' });
    expect(proxy.spec!.template.spec!.containers[0]!.ports).toEqual([expect.objectContaining({ containerPort: 5000, hostPort: 5123 })]);
    expect(Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]))).toEqual({
      REGISTRY_AUTH: 'htpasswd',
      REGISTRY_AUTH_HTPASSWD_REALM: 'DevSpace Registry',
      REGISTRY_AUTH_HTPASSWD_PATH: '/auth/htpasswd',
      REGISTRY_HTTP_ADDR: ':5000',
      REGISTRY_STORAGE_DELETE_ENABLED: 'true',
    });
    expect(c.readinessProbe?.httpGet).toMatchObject({ path: '/', port: 5000 });
    expect(d.spec!.template.spec!.volumes?.find((v) => v.name === 'data')?.emptyDir).toBeDefined();
    const svc = await core.readNamespacedService({ name: 'devspace-registry', namespace: 'devspace-registry' });
    expect(svc.spec?.type).toBe('ClusterIP');
    expect(svc.spec?.ports?.[0]?.port).toBe(5000);

    expect(await store.get(registry.storeKey)).toMatchObject({ username: 'devspace', password: info.credentials.password });
    expect((await store.list()).map((l) => l.password)).not.toContain(info.credentials.password);
  });

  it('a second ensure() creates and changes nothing and reuses the password', async () => {
    const before = await ownedObjects(kc, 'devspace-registry');
    const first = (await store.get(new InClusterRegistry(kc, { store }).storeKey))!.password;
    cluster.requests.reset();
    const info = await new InClusterRegistry(kc, { store, wait: false, hostPort: 5123 }).ensure();
    expect(info.credentials.password).toBe(first);
    expect(info.warnings).toEqual([expect.stringContaining('no default StorageClass')]);
    expect(await ownedObjects(kc, 'devspace-registry')).toEqual(before);
    expect(cluster.requests.count({ verb: 'patch' })).toBe(0); // nothing differs: reads only
  });

  it('an ensure() with something to change (another node port) applies it', async () => {
    cluster.requests.reset();
    await new InClusterRegistry(kc, { store, wait: false, hostPort: 5124 }).ensure();
    expect(cluster.requests.count({ verb: 'patch' })).toBeGreaterThanOrEqual(1);
    const ds = await kc.makeApiClient(AppsV1Api).readNamespacedDaemonSet({ name: PROXY_NAME, namespace: 'devspace-registry' });
    expect(ds.spec?.template?.spec?.containers[0]?.ports?.[0]?.hostPort).toBe(5124);
    await new InClusterRegistry(kc, { store, wait: false, hostPort: 5123 }).ensure();
  });

  it('on another machine (empty credential store) takes the password from the cluster Secret', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'in-cluster-registry-other-'));
    try {
      const otherStore = new CredentialStore(otherDir, fileKeySecretBox(otherDir));
      const before = await ownedObjects(kc, 'devspace-registry');
      const info = await new InClusterRegistry(kc, { store: otherStore, wait: false, hostPort: 5123 }).ensure();
      expect(info.credentials.password).toBe((await store.get(new InClusterRegistry(kc, { store }).storeKey))!.password);
      expect(await ownedObjects(kc, 'devspace-registry')).toEqual(before);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('says what the pod is stuck on when it does not become ready by the deadline', async () => {
    const progress: string[] = [];
    const registry = new InClusterRegistry(kc, { store, hostPort: 5123, clock: virtualClock(), readyTimeoutMs: 5000, onProgress: (m) => progress.push(m) });
    await expect(registry.ensure()).rejects.toMatchObject({
      code: 'CLUSTER_ERROR',
      message: expect.stringMatching(/did not become ready within 5 s: (pod devspace-registry-\S+: (not scheduled|Pending)|no pod yet)/),
    });
    expect(progress[0]).toContain('Preparing the in-cluster registry');
    expect(progress.some((m) => m.startsWith('Waiting for the in-cluster registry'))).toBe(true);
  });

  it('remove() deletes what it created, the namespace included, and forgets the password', async () => {
    const registry = new InClusterRegistry(kc, { store });
    await registry.remove();
    expect(await ownedObjects(kc, 'devspace-registry').catch(() => [])).toEqual([]);
    const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'devspace-registry' }).catch((e: { code?: number }) => e.code);
    expect(ns === 404 || (typeof ns === 'object' && !!ns.metadata?.deletionTimestamp)).toBe(true);
    expect(await store.get(registry.storeKey)).toBeUndefined();
  });

  it('after remove(), waits for the namespace to finish deleting before setting up again', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await new InClusterRegistry(kc, { store, wait: false }).ensure();
    // An object with someone's finalizer holds the namespace in Terminating after remove().
    await core.createNamespacedConfigMap({ namespace: 'devspace-registry', body: { metadata: { name: 'hold', finalizers: ['example.com/hold'] } } });
    await new InClusterRegistry(kc, { store }).remove();
    expect((await core.readNamespace({ name: 'devspace-registry' })).metadata?.deletionTimestamp).toBeTruthy();

    const progress: string[] = [];
    let released = false;
    const clock: Clock = {
      now: () => 0,
      // Each wait is where the user's cluster would finish deleting; here the test lets go.
      sleep: async () => {
        if (released) return;
        released = true;
        const held = await core.readNamespacedConfigMap({ name: 'hold', namespace: 'devspace-registry' });
        await core.replaceNamespacedConfigMap({ name: 'hold', namespace: 'devspace-registry', body: { ...held, metadata: { ...held.metadata, finalizers: [] } } });
        for (let i = 0; i < 100; i++) {
          if ((await core.readNamespace({ name: 'devspace-registry' }).catch(() => undefined)) === undefined) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      },
    };
    const info = await new InClusterRegistry(kc, { store, wait: false, clock, onProgress: (m) => progress.push(m) }).ensure();
    expect(progress).toContain('Waiting for the previous namespace "devspace-registry" to finish deleting');
    const secret = await core.readNamespacedSecret({ name: 'devspace-registry-auth', namespace: 'devspace-registry' });
    expect(Buffer.from(secret.data!.password!, 'base64').toString()).toBe(info.credentials.password);
    await new InClusterRegistry(kc, { store }).remove();
  });

  it('uses a PVC when the cluster has a default StorageClass, and leaves a namespace it did not create', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'team-tools' } } });
    await kc.makeApiClient(StorageV1Api).createStorageClass({
      body: { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'example.com/fake' },
    });
    const registry = new InClusterRegistry(kc, { store, namespace: 'team-tools', wait: false, storageSize: '2Gi' });
    const info = await registry.ensure();
    expect(info.warnings).toEqual([]);
    expect(info.pushHost).toBe('devspace-registry.team-tools.svc.cluster.local:5000');
    const pvc = await core.readNamespacedPersistentVolumeClaim({ name: 'devspace-registry-data', namespace: 'team-tools' });
    expect(pvc.spec?.resources?.requests?.storage).toBe('2Gi');
    const d = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'devspace-registry', namespace: 'team-tools' });
    expect(d.spec!.template.spec!.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName).toBe('devspace-registry-data');

    await registry.remove();
    expect(await ownedObjects(kc, 'team-tools')).toEqual([]);
    const ns = await core.readNamespace({ name: 'team-tools' });
    expect(ns.metadata?.deletionTimestamp).toBeUndefined();
  });
});

const noRegistry = registryUnavailable();
if (noRegistry) console.warn(`in-cluster registry end-to-end test skipped: ${noRegistry}`);

describe.skipIf(!!noRegistry)('InClusterRegistry end to end on the test cluster with its node', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let dataDir: string;
  beforeAll(async () => {
    cluster = await startTestCluster();
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    dataDir = mkdtempSync(join(tmpdir(), 'in-cluster-registry-e2e-'));
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the registry, takes a push with the generated password through localhost:<hostPort>, and is gone after remove()', async () => {
    const store = new CredentialStore(dataDir, fileKeySecretBox(dataDir));
    const hostPort = await freePort();
    const progress: string[] = [];
    const registry = new InClusterRegistry(kc, { store, hostPort, readyTimeoutMs: 90_000, onProgress: (m) => progress.push(m) });
    const info = await registry.ensure();
    // The registry first, then the proxy on every node that makes localhost:<hostPort> reach it.
    expect(progress.at(-1)).toBe('The registry proxy is ready on 1 node(s)');
    expect(progress.indexOf('The in-cluster registry is ready')).toBeGreaterThan(0);
    expect(progress.indexOf('The in-cluster registry is ready')).toBeLessThan(progress.length - 1);
    expect(await registry.status()).toMatchObject({ deployed: true, ready: true, state: 'ready', hostPort, proxy: { desired: 1, ready: 1 } });

    const client = new RegistryClient(info.pullHost, { credentials: info.credentials, inCluster: { namespace: info.namespace } });
    // The pod is ready when it accepts connections; the registry process may need a moment more.
    for (let i = 0; ; i++) {
      try {
        expect(await client.checkLogin()).toMatchObject({ scheme: 'http', auth: 'basic', authenticated: true });
        break;
      } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const basic = `Basic ${Buffer.from(`${info.credentials.username}:${info.credentials.password}`).toString('base64')}`;
    const digest = await pushTestImage(`http://${info.pullHost}`, 'project/app', 'dev', { authorization: basic });
    expect(await client.manifest('project/app', 'dev')).toMatchObject({ exists: true, digest });
    expect(await client.tags('project/app')).toEqual(['dev']);

    const wrong = new RegistryClient(info.pullHost, { credentials: { username: 'devspace', password: 'guess' }, inCluster: { namespace: info.namespace } });
    await expect(wrong.ping()).rejects.toMatchObject({ problem: 'unauthorized', message: expect.stringContaining('in-cluster registry') });

    // Node pulls: a pod whose image is in the in-cluster registry runs with the pull secret, and
    // without it the node is refused (auth is on).
    const [repo, tag] = cluster.baseImage.slice(cluster.registry.length + 1).split(':') as [string, string];
    await copyImage({ baseUrl: `http://${cluster.registry}`, repository: repo }, { baseUrl: `http://${info.pullHost}`, repository: 'project/busybox', authorization: basic }, tag);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'shop' } } });
    const [secretName] = await ensurePullSecrets(kc, 'shop', [{ host: info.pullHost, ...info.credentials }]);
    const pod = (name: string, pullSecrets: { name: string }[], serviceAccountName = 'default') => ({
      metadata: { name },
      spec: { serviceAccountName, containers: [{ name: 'main', image: `${info.pullHost}/project/busybox:${tag}`, command: ['sleep', '3600'] }], imagePullSecrets: pullSecrets, terminationGracePeriodSeconds: 0 },
    });
    await core.createNamespacedPod({ namespace: 'shop', body: pod('with-secret', [{ name: secretName! }]) });
    // ensurePullSecrets put the secret on the `default` ServiceAccount too, which lends it to pods
    // that name none: the refused pod runs as an account without it.
    await core.createNamespacedServiceAccount({ namespace: 'shop', body: { metadata: { name: 'no-pull-secrets' } } });
    await core.createNamespacedPod({ namespace: 'shop', body: pod('without-secret', [], 'no-pull-secrets') });
    const stateOf = async (name: string) => {
      const p = await core.readNamespacedPod({ name, namespace: 'shop' });
      const s = p.status?.containerStatuses?.[0]?.state;
      if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return p.status.phase;
      return s?.running ? 'Running' : (s?.waiting?.reason ?? p.status?.phase ?? '');
    };
    const until = async (name: string, want: (s: string) => boolean) => {
      for (let i = 0; i < 600; i++) {
        const s = await stateOf(name);
        if (want(s)) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      return stateOf(name);
    };
    expect(await until('with-secret', (s) => s === 'Running' || /Err|BackOff/.test(s))).toBe('Running');
    expect(await until('without-secret', (s) => /ErrImagePull|ImagePullBackOff/.test(s) || s === 'Running')).toMatch(/ErrImagePull|ImagePullBackOff/);

    // Pushes come from inside the cluster through the Service name (what Kaniko is given).
    await core.createNamespacedPod({
      namespace: 'shop',
      body: {
        metadata: { name: 'push-path' },
        spec: {
          restartPolicy: 'Never',
          imagePullSecrets: [{ name: secretName! }],
          containers: [{ name: 'main', image: `${info.pullHost}/project/busybox:${tag}`, command: ['wget', '-q', '-O-', '--header', `Authorization: ${basic}`, `http://${info.pushHost}/v2/_catalog`] }],
        },
      },
    });
    expect(await until('push-path', (s) => s === 'Succeeded' || s === 'Failed' || /Err|BackOff/.test(s))).toBe('Succeeded');
    const log = await core.readNamespacedPodLog({ name: 'push-path', namespace: 'shop' });
    expect(JSON.parse(log)).toEqual({ repositories: ['project/app', 'project/busybox'] });

    // A second ensure() keeps the running registry (same pod template, same password); ready and
    // unchanged (a warm Up), it costs one round of five reads in parallel and writes nothing.
    cluster.requests.reset();
    const again = await registry.ensure();
    expect(again).toEqual(info);
    expect(cluster.requests.count()).toBe(5);
    expect(cluster.requests.count({ verb: 'get' })).toBe(5);
    expect(await client.manifest('project/app', 'dev')).toMatchObject({ exists: true });

    await registry.remove();
    expect(await ownedObjects(kc, info.namespace).catch(() => [])).toEqual([]);
    expect(await registry.status()).toMatchObject({ deployed: false, ready: false });
  }, 150_000);
});
