// The registry proxy DaemonSet: its manifest, its objects on the test cluster (API server only),
// and end to end with the node agent: the registry Deployment switched from holding the hostPort to
// not holding it, the proxy on the node taking the port over, pushes and node pulls through
// localhost:<hostPort> going through the proxy to the registry Service, a taken port explained.
import { createConnection } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { loadKubeconfig } from '../kube/kubeconfig';
import { APPLY, applyParams } from './clusterApply';
import { ensurePullSecrets } from './pullSecrets';
import { CredentialStore, fileKeySecretBox } from './credentials';
import { InClusterRegistry } from './inClusterRegistry';
import { authSecretManifest, deploymentManifest, REGISTRY_NAME, REGISTRY_PORT, serviceManifest, type RegistryManifestParams } from './registryManifests';
import {
  DEFAULT_PROXY_IMAGE,
  ensureRegistryProxy,
  PROXY_NAME,
  PROXY_SELECTOR,
  registryProxyManifest,
  registryProxyStatus,
  removeRegistryProxy,
} from './registryProxy';
import { copyImage, freePort, pushTestImage, registryUnavailable } from './testSupport/testRegistry';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeOf = async (p: Promise<unknown>) => p.then(() => 200, (e: { code?: number }) => e.code);

describe('registry proxy manifests', () => {
  it('a DaemonSet on every node holding the hostPort and forwarding to the registry Service', () => {
    const ds = registryProxyManifest({ namespace: 'devspace-registry', hostPort: 5123 });
    expect(ds.metadata).toMatchObject({ name: PROXY_NAME, namespace: 'devspace-registry', labels: { 'app.kubernetes.io/managed-by': 'devspace-desktop', 'app.kubernetes.io/name': PROXY_NAME } });
    const spec = ds.spec!.template.spec!;
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
    const [c] = spec.containers;
    expect(c!.image).toBe(DEFAULT_PROXY_IMAGE);
    expect(c!.args).toEqual(['TCP-LISTEN:5000,fork,reuseaddr', 'TCP:devspace-registry.devspace-registry.svc.cluster.local:5000']);
    expect(c!.ports).toEqual([{ name: 'registry', containerPort: 5000, hostPort: 5123, protocol: 'TCP' }]);
    expect(c!.readinessProbe?.httpGet).toMatchObject({ path: '/', port: 5000 }); // through the Service to the registry, not only socat listening
    expect(ds.spec!.selector.matchLabels).toEqual(Object.fromEntries(Object.entries(ds.spec!.template.metadata!.labels!).filter(([k]) => k in ds.spec!.selector.matchLabels!)));
    // Not selected as "the registry pods" (the tunnel and ensure()'s wait list those by REGISTRY_SELECTOR).
    expect(ds.spec!.template.metadata!.labels!['app.kubernetes.io/component']).toBe('registry-proxy');
    expect(registryProxyManifest({ namespace: 'x', hostPort: 5000, image: 'mirror.local/socat:1' }).spec!.template.spec!.containers[0]!.image).toBe('mirror.local/socat:1');
  });
});

describe('registry proxy objects on the test cluster (no node)', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  beforeAll(async () => {
    cluster = await startTestCluster({ node: false });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'reg' } } });
  }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  it('creates the DaemonSet, a second ensure writes nothing, a changed port updates it, remove deletes it', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const first = await ensureRegistryProxy(kc, { namespace: 'reg', hostPort: 5123, wait: false });
    expect(first).toMatchObject({ deployed: true, hostPort: 5123, image: DEFAULT_PROXY_IMAGE, desired: 0, applied: true });
    const ds = await apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace: 'reg' });
    expect(ds.metadata?.managedFields?.map((m) => m.manager)).toContain('devspace-desktop');

    cluster.requests.reset();
    expect(await ensureRegistryProxy(kc, { namespace: 'reg', hostPort: 5123, wait: false })).toMatchObject({ applied: false, hostPort: 5123 });
    expect(cluster.requests.count()).toBe(1);
    expect(cluster.requests.count({ verb: 'create' })).toBe(0);
    expect(cluster.requests.count({ verb: 'patch' })).toBe(0);
    expect(cluster.requests.count({ verb: 'update' })).toBe(0);
    expect((await apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace: 'reg' })).metadata?.generation).toBe(1);

    cluster.requests.reset();
    await ensureRegistryProxy(kc, { namespace: 'reg', hostPort: 5124, wait: false });
    expect(cluster.requests.count({ verb: 'patch' })).toBe(1);
    const updated = await apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace: 'reg' });
    expect(updated.metadata?.generation).toBe(2);
    expect(updated.spec?.template.spec?.containers[0]?.ports?.[0]?.hostPort).toBe(5124);

    await removeRegistryProxy(kc, 'reg');
    expect(await codeOf(apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace: 'reg' }))).toBe(404);
    expect(await registryProxyStatus(kc, 'reg')).toEqual({ deployed: false, desired: 0, ready: 0, updated: 0, current: false, nodes: [] });
    await removeRegistryProxy(kc, 'reg'); // nothing there: not an error
  });
});

const noRegistry = registryUnavailable();
if (noRegistry) console.warn(`registry proxy end-to-end test skipped: ${noRegistry}`);

describe.skipIf(!!noRegistry)('registry proxy end to end on the test cluster with its node', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  beforeAll(async () => {
    cluster = await startTestCluster();
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  }, 120_000);
  afterAll(async () => { await cluster?.stop(); });

  const until = async <T>(what: string, f: () => Promise<T | undefined>, tries = 900): Promise<T> => {
    for (let i = 0; i < tries; i++) {
      const v = await f().catch(() => undefined);
      if (v !== undefined) return v;
      await sleep(100);
    }
    throw new Error(`gave up waiting for ${what}`);
  };

  it('switches the registry from its own hostPort to the proxy; pushes and node pulls go through localhost:<hostPort>; remove ends it', async () => {
    const ns = 'devspace-registry';
    const hostPort = await freePort();
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const password = 'proxy-test-password';
    const params: RegistryManifestParams = { namespace: ns, image: 'registry:2', hostPort, username: 'devspace', password, htpasswd: `devspace:${bcrypt.hashSync(password, 4)}\n`, storageSize: '1Gi' };
    const basic = `Basic ${Buffer.from(`devspace:${password}`).toString('base64')}`;
    const deploymentReady = async () => {
      const d = await apps.readNamespacedDeployment({ name: REGISTRY_NAME, namespace: ns });
      const s = d.status;
      return (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && s?.availableReplicas === 1 && s.updatedReplicas === 1 && s.replicas === 1 ? d : undefined;
    };

    // The registry as an app from before the proxy deployed it: it holds the hostPort itself.
    await core.patchNamespacedSecret({ name: 'devspace-registry-auth', namespace: ns, body: authSecretManifest(params), ...applyParams }, APPLY);
    await core.patchNamespacedService({ name: REGISTRY_NAME, namespace: ns, body: serviceManifest(params), ...applyParams }, APPLY);
    const before = deploymentManifest(params);
    before.spec!.template.spec!.containers[0]!.ports = [{ name: 'registry', containerPort: REGISTRY_PORT, hostPort, protocol: 'TCP' }];
    await apps.patchNamespacedDeployment({ name: REGISTRY_NAME, namespace: ns, body: before, ...applyParams }, APPLY);
    await until('the registry with hostPort', deploymentReady);

    // Up's ensure() switches it over, in the order the proxy needs: the Deployment lets go of the
    // port (Recreate ends the old pod), then the proxy on the node takes it. The password is kept.
    const dataDir = mkdtempSync(join(tmpdir(), 'registry-proxy-'));
    const store = new CredentialStore(dataDir, fileKeySecretBox(dataDir));
    const progress: string[] = [];
    const info = await new InClusterRegistry(kc, { store, namespace: ns, hostPort, readyTimeoutMs: 120_000, onProgress: (m) => progress.push(m) }).ensure();
    rmSync(dataDir, { recursive: true, force: true });
    expect(info).toMatchObject({ pullHost: `localhost:${hostPort}`, credentials: { username: 'devspace', password } });
    const status = await registryProxyStatus(kc, ns);
    expect(status).toMatchObject({ deployed: true, desired: 1, ready: 1, updated: 1, current: true, hostPort });
    expect(status.nodes).toEqual([{ node: 'test-node', pod: expect.stringMatching(new RegExp(`^${PROXY_NAME}-`)), ready: true, state: 'ready' }]);
    expect(progress.at(-1)).toBe('The registry proxy is ready on 1 node(s)');
    await until('the registry without hostPort', deploymentReady);
    const registryPods = (await core.listNamespacedPod({ namespace: ns, labelSelector: `app.kubernetes.io/name=${REGISTRY_NAME}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
    expect(registryPods.flatMap((p) => p.spec!.containers.flatMap((c) => c.ports ?? [])).some((p) => p.hostPort)).toBe(false);

    // A push through localhost:<hostPort>: node → proxy pod → registry Service → registry pod.
    const pullHost = `localhost:${hostPort}`;
    const digest = await until('a push through the proxy', async () => pushTestImage(`http://${pullHost}`, 'project/app', 'dev', { authorization: basic }));
    const manifest = await fetch(`http://${pullHost}/v2/project/app/manifests/dev`, { headers: { authorization: basic, accept: 'application/vnd.oci.image.manifest.v1+json' } });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(digest);

    // A node pull of localhost:<hostPort>/…: a pod of an image pushed there starts.
    const [repo, tag] = cluster.baseImage.slice(cluster.registry.length + 1).split(':') as [string, string];
    await copyImage({ baseUrl: `http://${cluster.registry}`, repository: repo }, { baseUrl: `http://${pullHost}`, repository: 'project/busybox', authorization: basic }, tag);
    await core.createNamespace({ body: { metadata: { name: 'shop' } } });
    const [secretName] = await ensurePullSecrets(kc, 'shop', [{ host: pullHost, username: 'devspace', password }]);
    await core.createNamespacedPod({
      namespace: 'shop',
      body: { metadata: { name: 'app' }, spec: { imagePullSecrets: [{ name: secretName! }], terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: `${pullHost}/project/busybox:${tag}`, command: ['sleep', '3600'] }] } },
    });
    const state = await until('the app pod running or failing', async () => {
      const p = await core.readNamespacedPod({ name: 'app', namespace: 'shop' });
      const s = p.status?.containerStatuses?.[0]?.state;
      if (s?.running) return 'Running';
      return /Err|BackOff/.test(s?.waiting?.reason ?? '') ? s!.waiting!.reason : undefined;
    });
    expect(state).toBe('Running');

    // Idempotent: a second ensure creates and changes nothing; ready and unchanged (a warm Up) it is one GET.
    cluster.requests.reset();
    const again = await ensureRegistryProxy(kc, { namespace: ns, hostPort });
    expect(again).toMatchObject({ desired: 1, ready: 1, applied: false });
    expect(cluster.requests.count()).toBe(1);
    expect(cluster.requests.count({ verb: 'get' })).toBe(1);
    expect(cluster.requests.count({ verb: 'create' })).toBe(0);
    expect(cluster.requests.count({ verb: 'patch' })).toBe(0);
    expect(cluster.requests.count({ verb: 'update' })).toBe(0);

    // remove: the DaemonSet and its pod go, and with them localhost:<hostPort> (the registry no longer holds it).
    await removeRegistryProxy(kc, ns);
    expect(await codeOf(apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace: ns }))).toBe(404);
    await until('the proxy pods gone', async () => ((await core.listNamespacedPod({ namespace: ns, labelSelector: PROXY_SELECTOR })).items.length === 0 ? true : undefined));
    const refused = await until('localhost:<hostPort> closed', () => new Promise<boolean | undefined>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port: hostPort });
      s.once('connect', () => { s.destroy(); resolve(undefined); });
      s.once('error', () => resolve(true));
    }));
    expect(refused).toBe(true);
    expect((await registryProxyStatus(kc, ns)).deployed).toBe(false);
  }, 240_000);

  it('explains a hostPort taken on a node: which node, which pod holds it', async () => {
    const ns = 'squat';
    const hostPort = await freePort();
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: 'squatter' }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: cluster.baseImage, command: ['sleep', '3600'], ports: [{ containerPort: 5000, hostPort }] }] } },
    });
    await until('the squatter bound', async () => (await core.readNamespacedPod({ name: 'squatter', namespace: ns })).spec?.nodeName);
    const err = await ensureRegistryProxy(kc, { namespace: ns, hostPort, readyTimeoutMs: 4000, pollMs: 200 }).then(() => undefined, (e: Error & { hint?: string }) => e);
    expect(err?.message).toContain(`not ready on every node`);
    expect(err?.message).toContain(`test-node: port ${hostPort} is taken on this node by pod ${ns}/squatter`);
    expect(err?.message).toContain("didn't have free ports for the requested pod ports");
    expect(err?.hint).toBe(`Port ${hostPort} is taken on node "test-node". Free it or pick another port under Settings → In-cluster registry.`);
    await removeRegistryProxy(kc, ns);
  }, 60_000);
});
