// The Tiller engine against the real test cluster: the installer deploys Tiller namespace-scoped
// (its pod runs the node's Tiller stand-in), and a chart goes through Tiller's gRPC API over a
// port-forward: install, upgrade, history, rollback, uninstall, and Tiller's version check.
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../../e2e/cluster';
import { loadChart, type LoadedChart } from '../../chart';
import { decodeRelease } from './hapi';
import { TillerClient, TillerError } from './tillerClient';
import { ensureTiller, waitForTiller } from './tillerInstaller';

const TILLER_NS = 'tiller-system';
const APP_NS = 'tiller-app';
const skip = process.getuid?.() !== 0 ? 'the test node needs root (buildah chroot, network namespaces)' : undefined;
if (skip) console.log(`skipping Tiller engine tests: ${skip}`);

describe.skipIf(!!skip)('Tiller engine on the test cluster', { timeout: 120_000 }, () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let chart: LoadedChart;
  let client: TillerClient;
  let clusterBindingsBefore: string[];

  const release = async (key: string) => core.readNamespacedConfigMap({ name: key, namespace: TILLER_NS });
  const deploymentEnv = async (name: string) => {
    const d = await apps.readNamespacedDeployment({ name, namespace: APP_NS });
    return Object.fromEntries((d.spec!.template.spec!.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
  };
  const gone = async (f: () => Promise<unknown>) => f().then(() => false, (e: { code?: number }) => e.code === 404);

  beforeAll(async () => {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.02 } });
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    for (const name of [TILLER_NS, APP_NS, 'tiller-broken']) await core.createNamespace({ body: { metadata: { name } } });
    clusterBindingsBefore = (await kc.makeApiClient(RbacAuthorizationV1Api).listClusterRoleBinding()).items.map((b) => b.metadata!.name!);
    chart = await loadChart(join(import.meta.dirname, 'testdata/web'));
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
  });

  it('installs Tiller with namespace-scoped RBAC only, and it becomes ready', async () => {
    const lines: string[] = [];
    const r = await ensureTiller({ kubeConfig: kc, tillerNamespace: TILLER_NS, projectNamespaces: [APP_NS], log: (l) => lines.push(l) });
    expect(r.installed).toBe(true);
    expect(r.pod).toMatch(/^tiller-deploy-/);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    expect((await rbac.listClusterRoleBinding()).items.map((b) => b.metadata!.name!)).toEqual(clusterBindingsBefore);
    for (const ns of [TILLER_NS, APP_NS]) {
      const b = await rbac.readNamespacedRoleBinding({ name: 'tiller-binding', namespace: ns });
      expect(b.roleRef).toMatchObject({ kind: 'Role', name: 'tiller-manager' });
      expect(b.subjects).toEqual([expect.objectContaining({ kind: 'ServiceAccount', name: 'tiller', namespace: TILLER_NS })]);
    }
    const d = await apps.readNamespacedDeployment({ name: 'tiller-deploy', namespace: TILLER_NS });
    expect(d.metadata!.labels).toMatchObject({ app: 'helm', name: 'tiller' });
    const c = d.spec!.template.spec!.containers[0]!;
    expect(c).toMatchObject({ name: 'tiller', image: 'ghcr.io/helm/tiller:v2.17.0' });
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'TILLER_NAMESPACE', value: TILLER_NS }, { name: 'TILLER_HISTORY_MAX', value: '10' }]));
    expect(d.spec!.template.spec!.serviceAccountName).toBe('tiller');
    await core.readNamespacedService({ name: 'tiller-deploy', namespace: TILLER_NS });
    // Found, not installed again.
    expect(await ensureTiller({ kubeConfig: kc, tillerNamespace: TILLER_NS, projectNamespaces: [APP_NS] })).toEqual({ installed: false, pod: r.pod });
  });

  it('reaches Tiller through the API server and learns its version', async () => {
    client = await TillerClient.connect({ kubeConfig: kc, tillerNamespace: TILLER_NS });
    expect(client.serverVersion).toBe('v2.17.0');
  });

  it('installs a chart: objects exist and the release is stored as ConfigMap v1 DEPLOYED', async () => {
    const r = await client.install({ name: 'web', namespace: APP_NS, chart, values: { image: cluster.baseImage }, wait: true, timeoutSeconds: 90 });
    expect(r).toMatchObject({ name: 'web', namespace: APP_NS, version: 1, info: { status: { code: 'DEPLOYED' } } });
    expect(r.manifest).toContain('# Source: web/templates/deployment.yaml');
    expect(await deploymentEnv('web')).toMatchObject({ MESSAGE: 'hello', README: 'Test chart for main/deploy/tiller (sent to Tiller as a chart file).' });
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: APP_NS });
    expect(d.spec!.template.spec!.containers[0]!.image).toBe(cluster.baseImage);
    expect((await core.readNamespacedService({ name: 'web', namespace: APP_NS })).spec!.ports![0]!.targetPort).toBe(8080);
    // wait: Tiller answered once the Deployment's pod (a real busybox container) was ready.
    const pods = (await core.listNamespacedPod({ namespace: APP_NS, labelSelector: 'app=web' })).items;
    expect(pods.map((p) => [p.status?.phase, p.status?.conditions?.find((c) => c.type === 'Ready')?.status])).toEqual([['Running', 'True']]);

    const cm = await release('web.v1');
    expect(cm.metadata!.labels).toMatchObject({ NAME: 'web', OWNER: 'TILLER', STATUS: 'DEPLOYED', VERSION: '1' });
    const raw = Buffer.from(cm.data!.release!, 'base64');
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    const stored = decodeRelease(gunzipSync(raw));
    expect(stored).toMatchObject({ name: 'web', version: 1, namespace: APP_NS, chart: { metadata: { name: 'web', version: '0.1.0' } } });
    expect(stored.config.raw).toContain(cluster.baseImage);
  });

  it('refuses a second install under the same name', async () => {
    const err = await client.install({ name: 'web', namespace: APP_NS, chart }).catch((e) => e);
    expect(err).toBeInstanceOf(TillerError);
    expect(err.code).toBe('ALREADY_EXISTS');
    expect(err.tillerMessage).toMatch(/^a release named web already exists/);
  });

  it('upgrades with a changed value to v2, superseding v1 and deleting what the chart no longer has', async () => {
    const r = await client.upgrade({ name: 'web', chart, values: { image: cluster.baseImage, message: 'second', service: false } });
    expect(r).toMatchObject({ version: 2, info: { status: { code: 'DEPLOYED' } } });
    expect((await deploymentEnv('web')).MESSAGE).toBe('second');
    expect(await gone(() => core.readNamespacedService({ name: 'web', namespace: APP_NS }))).toBe(true);
    expect((await release('web.v1')).metadata!.labels).toMatchObject({ STATUS: 'SUPERSEDED' });
    expect((await release('web.v2')).metadata!.labels).toMatchObject({ STATUS: 'DEPLOYED', VERSION: '2' });
  });

  it('shows both versions in the history, newest first, and lists the release', async () => {
    const h = await client.history('web');
    expect(h.map((r) => [r.version, r.info.status.code])).toEqual([[2, 'DEPLOYED'], [1, 'SUPERSEDED']]);
    expect((await client.list()).map((r) => [r.name, r.version])).toEqual([['web', 2]]);
    expect((await client.content('web', 1)).config.raw).not.toContain('second');
  });

  it('rolls back to v1 as v3', async () => {
    const r = await client.rollback('web', 1);
    expect(r).toMatchObject({ version: 3, info: { status: { code: 'DEPLOYED' }, description: 'Rollback to 1' } });
    expect((await deploymentEnv('web')).MESSAGE).toBe('hello');
    expect(await gone(() => core.readNamespacedService({ name: 'web', namespace: APP_NS }))).toBe(false);
    expect((await client.status('web')).status).toBe('DEPLOYED');
    expect((await client.history('web')).map((r) => r.info.status.code)).toEqual(['DEPLOYED', 'SUPERSEDED', 'SUPERSEDED']);
  });

  it('keeps working after the API server drops every stream (a new tunnel per connection)', async () => {
    cluster.faults.dropStreams();
    expect((await client.status('web')).status).toBe('DEPLOYED');
  });

  it('reaches the new Tiller pod when the old one is replaced', async () => {
    const before = await waitForTiller({ kubeConfig: kc, tillerNamespace: TILLER_NS });
    await core.deleteNamespacedPod({ name: before, namespace: TILLER_NS, gracePeriodSeconds: 0 });
    const after = await waitForTiller({ kubeConfig: kc, tillerNamespace: TILLER_NS });
    expect(after).not.toBe(before);
    expect((await client.status('web')).status).toBe('DEPLOYED');
    // The release records live in ConfigMaps, so the new Tiller knows the whole history.
    expect((await client.history('web')).map((r) => r.version)).toEqual([3, 2, 1]);
  });

  it('gets Tiller\'s incompatible-version error for a client Tiller does not accept', async () => {
    client.useClientVersion('v2.18.0');
    try {
      const err = await client.status('web').catch((e) => e);
      expect(err).toBeInstanceOf(TillerError);
      expect(err.tillerMessage).toBe('incompatible versions client[v2.18.0] server[v2.17.0]');
      expect(err.grpcCode).toBe(2); // UNKNOWN: Tiller returns a plain Go error
      const none = await client.list().catch((e) => e);
      expect(none.tillerMessage).toBe('incompatible versions client[v2.18.0] server[v2.17.0]');
      // An older minor version of the same major is accepted (^2.16.x admits 2.17.0).
      client.useClientVersion('v2.16.0');
      expect((await client.status('web')).status).toBe('DEPLOYED');
    } finally {
      client.useClientVersion(client.serverVersion);
    }
  });

  it('uninstalls: objects are deleted, the release is kept as DELETED, and purge forgets it', async () => {
    const r = await client.uninstall('web');
    expect(r.info.status.code).toBe('DELETED');
    expect(await gone(() => apps.readNamespacedDeployment({ name: 'web', namespace: APP_NS }))).toBe(true);
    expect(await gone(() => core.readNamespacedService({ name: 'web', namespace: APP_NS }))).toBe(true);
    expect((await release('web.v3')).metadata!.labels).toMatchObject({ STATUS: 'DELETED' });
    expect((await client.status('web')).status).toBe('DELETED');
    await client.uninstall('web', { purge: true });
    const err = await client.status('web').catch((e) => e);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.tillerMessage).toBe('release: "web" not found');
    const left = await core.listNamespacedConfigMap({ namespace: TILLER_NS, labelSelector: 'OWNER=TILLER' });
    expect(left.items).toEqual([]);
  });

  it('explains why Tiller does not become ready (an image that cannot be pulled)', async () => {
    const err = await ensureTiller({ kubeConfig: kc, tillerNamespace: 'tiller-broken', projectNamespaces: [], image: 'localhost:1/nowhere/tiller:v2.17.0', readyTimeoutMs: 20_000 }).catch((e) => e);
    expect(err.code).toBe('CLUSTER_ERROR');
    expect(err.message).toMatch(/^Tiller did not become ready in namespace "tiller-broken": container tiller is waiting: (ErrImagePull|ImagePullBackOff) \(/);
    expect(err.hint).toContain('describe pod -l app=helm,name=tiller');
  });
});
