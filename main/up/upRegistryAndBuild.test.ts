// Up's registry and build promises, told as one user's story on the test cluster (issues #5, #6):
// a build pod a crashed run left behind is removed by the next Up; an in-cluster registry whose
// node proxy cannot start yet (the node port is taken) makes Up wait, not fail; the image is built by Kaniko,
// pushed with the generated password and pulled by the node with the generated pull secret, which
// the Deployment names and the namespace's default ServiceAccount carries; a second Up creates
// nothing; build args and the target stage reach the executor; a failed build keeps its log; and
// no file the app wrote, no log line and no pushed event holds the registry's password.
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { cannotRunNode } from '../../e2e/cluster/node/node-test-harness';
import type { ProjectInfo, UpRun } from '../../preload/api';
import { resolveProjectCluster } from '../app/projectCluster';
import { buildPodManifest, buildSelector } from '../build/kaniko/buildPod';
import { EventBus } from '../ipc/events';
import { loadKubeconfig } from '../kube/kubeconfig';
import { pullSecretName } from '../registry/pullSecrets';
import { AUTH_SECRET_NAME, REGISTRY_SELECTOR } from '../registry/registryManifests';
import { PROXY_NAME, PROXY_SELECTOR } from '../registry/registryProxy';
import { freePort } from '../registry/testSupport/testRegistry';
import { createUpHandlers, type UpHandlers } from './upHandlers';

const skip = cannotRunNode();
if (skip) console.log(`skipping the Up registry and build story: ${skip}`);

const NS = 'up-story';
const REGISTRY_NS = 'devspace-registry';

/** Two stages: without a target Kaniko builds the last one (prod); the dev stage prints its build arg. */
const DOCKERFILE = (base: string, devRun = 'echo "greeting=$GREETING stage=dev" > /info.txt') => [
  `FROM ${base} AS dev`,
  'ARG GREETING=unset',
  `RUN ${devRun}`,
  'CMD ["sh", "-c", "cat /info.txt; sleep 3600"]',
  '',
  `FROM ${base} AS prod`,
  'RUN echo "stage=prod" > /info.txt',
  'CMD ["sh", "-c", "cat /info.txt; sleep 3600"]',
  '',
].join('\n');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every regular file under `dir`, with its bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}

describe.skipIf(!!skip)('Up with the in-cluster registry and Kaniko, on the test cluster', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let dir: string;
  let dataDir: string;
  let hostPort: number;
  let handlers: UpHandlers;
  const events = new EventBus();
  const runs: UpRun[] = [];
  const appLog: string[] = [];
  const buildLogEvents: string[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    core = kc.makeApiClient(CoreV1Api);
    dir = mkdtempSync(join(tmpdir(), 'up-story-'));
    dataDir = mkdtempSync(join(tmpdir(), 'up-story-data-'));
    hostPort = await freePort();
    events.subscribe((event, payload) => {
      if (event === 'up.run') runs.push(payload as UpRun);
      if (event === 'up.buildLog') buildLogEvents.push(...(payload as { lines: string[] }).lines);
    });
    const project: ProjectInfo = { path: dir, name: basename(dir), hasDevspaceConfig: false, hasDockerfile: true, hasChart: false, selection: { context: 'test-admin', namespace: NS } };
    handlers = createUpHandlers({
      events,
      resolveProjectCluster: () => resolveProjectCluster(project, project.selection, () => loadKubeconfig([cluster.kubeconfigPath])),
      log: (l) => appLog.push(l),
      dataDir,
      // Port forwards are the ports module's business (tested there); Up only has to start them.
      startPorts: async () => null,
      registryHostPort: hostPort,
    });
  }, 120_000);
  afterAll(async () => {
    await handlers?.dispose();
    await cluster?.stop();
    for (const d of [dir, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  const eventsOf = (runId: string) => runs.filter((r) => r.runId === runId);
  /** Resolves with the run's last event once it is no longer running. */
  const finished = (runId: string) =>
    new Promise<UpRun>((resolve) => {
      const check = () => {
        const last = eventsOf(runId).at(-1);
        if (last && last.state !== 'running') {
          unsubscribe();
          resolve(last);
        }
      };
      const unsubscribe = events.subscribe(() => check());
      check();
    });
  const upReady = async (opts?: { acceptGenerated?: boolean }) => {
    const run = await finished((await handlers['up.start'](opts)).runId);
    if (run.state !== 'ready') throw new Error(`Up did not get ready: ${JSON.stringify(run, null, 2)}\n${appLog.slice(-30).join('\n')}`);
    return run;
  };
  const buildPods = async () => (await core.listNamespacedPod({ namespace: NS, labelSelector: buildSelector(dir) })).items;
  const noBuildPodsLeft = async () => {
    while ((await buildPods()).length > 0) await sleep(200);
  };
  const registryPod = async () =>
    (await core.listNamespacedPod({ namespace: REGISTRY_NS, labelSelector: REGISTRY_SELECTOR })).items.find((p) => !p.metadata?.deletionTimestamp);
  const registryPassword = async () => Buffer.from((await core.readNamespacedSecret({ name: AUTH_SECRET_NAME, namespace: REGISTRY_NS })).data!.password!, 'base64').toString();
  const devPod = async (): Promise<V1Pod | undefined> =>
    (await core.listNamespacedPod({ namespace: NS, labelSelector: 'devspace.sh/component=dev' })).items.find((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  /** What the dev container printed first (its CMD cats /info.txt). */
  const devPodSays = async () => {
    const pod = await devPod();
    if (!pod) throw new Error('no running dev pod');
    let text = '';
    // A container's first log line may lag a moment behind its Running status.
    for (let i = 0; i < 50 && !text; i++) {
      if (i) await sleep(200);
      text = await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: NS });
    }
    return text.trim();
  };

  it('removes a crashed run\'s build pod, waits for a registry that cannot start yet, then builds, pushes and the node pulls with the pull secret', async () => {
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE(cluster.baseImage));
    await core.createNamespace({ body: { metadata: { name: NS } } });
    // A build pod an app that crashed mid-build left behind (same labels as the builder's own).
    const leftover = await core.createNamespacedPod({ namespace: NS, body: buildPodManifest({ namespace: NS, projectId: dir, buildHash: '0123456789abcdef', executorImage: 'gcr.io/kaniko-project/executor:debug' }) });
    // Something else holds the registry's node port, so its pod cannot be scheduled for now.
    const blocker = await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'holds-the-port' }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'hold', image: cluster.baseImage, command: ['sleep', '3600'], ports: [{ containerPort: hostPort, hostPort }] }] } },
    });
    while (!(await core.readNamespacedPod({ name: blocker.metadata!.name!, namespace: 'default' })).spec?.nodeName) await sleep(100);

    const started = await handlers['up.start']({ acceptGenerated: true });
    // Wait (on what the app reports, not a clock) until Up says what the registry waits for.
    for (const until = Date.now() + 120_000; ; ) {
      const last = eventsOf(started.runId).at(-1);
      if (last && last.state !== 'running') throw new Error(`Up ended while the registry proxy could not be scheduled: ${JSON.stringify(last, null, 2)}`);
      const registryStep = last?.steps.find((s) => s.id === 'registry');
      if (Date.now() > until) throw new Error(`Up never said what the registry waits for; its registry step: ${JSON.stringify(registryStep)}`);
      if (registryStep?.state === 'running' && new RegExp(`registry proxy: 0/1 node\\(s\\) ready; .*port ${hostPort} is taken on this node by pod default/holds-the-port`).test(registryStep.detail ?? '')) break;
      await sleep(100);
    }
    // The registry itself no longer needs the node port (the proxy on each node holds it): it runs.
    expect((await registryPod())?.status?.phase).toBe('Running');
    const pending = (await core.listNamespacedPod({ namespace: REGISTRY_NS, labelSelector: PROXY_SELECTOR })).items[0];
    expect(pending?.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(eventsOf(started.runId).at(-1)?.state).toBe('running');

    await core.deleteNamespacedPod({ name: 'holds-the-port', namespace: 'default', gracePeriodSeconds: 0 });
    const run = await finished(started.runId);
    if (run.state !== 'ready') throw new Error(`Up did not get ready once the port was free: ${JSON.stringify(run, null, 2)}\n${appLog.slice(-30).join('\n')}`);
    // No StorageClass in the test cluster: the registry keeps images in an emptyDir, and Up says so.
    expect(run.steps.find((s) => s.id === 'registry')?.detail).toMatch(new RegExp(`^in-cluster registry localhost:${hostPort} \\(.*no default StorageClass.*do not survive a restart`));

    // The crashed run's pod was removed by this Up's build step (it would otherwise sleep for hours).
    expect(appLog).toContain(`removed leftover build pods: ${leftover.metadata!.name}`);
    await noBuildPodsLeft();

    // Without a target Kaniko built the last stage; the node pulled it from the in-cluster
    // registry (auth on) with the generated pull secret, which the Deployment names.
    expect(await devPodSays()).toBe('stage=prod');
    const secret = pullSecretName(`localhost:${hostPort}`);
    const pod = (await devPod())!;
    expect(pod.spec?.containers[0]?.image).toMatch(new RegExp(`^localhost:${hostPort}/up-story-[a-z0-9-]+:devspace-[0-9a-f]{12}$`));
    expect(pod.spec?.imagePullSecrets).toEqual([{ name: secret }]);
    const deployments = (await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: NS })).items;
    expect(deployments.map((d) => d.spec?.template.spec?.imagePullSecrets)).toEqual([[{ name: secret }]]);
    // …and the namespace's default ServiceAccount carries it too, for charts that do not use `pullSecrets`.
    expect((await core.readNamespacedServiceAccount({ name: 'default', namespace: NS })).imagePullSecrets).toEqual([{ name: secret }]);
    const pullSecret = await core.readNamespacedSecret({ name: secret, namespace: NS });
    expect(pullSecret.type).toBe('kubernetes.io/dockerconfigjson');
    const auths = JSON.parse(Buffer.from(pullSecret.data!['.dockerconfigjson']!, 'base64').toString()).auths;
    expect(auths[`localhost:${hostPort}`]).toMatchObject({ username: 'devspace', password: await registryPassword() });
  }, 600_000);

  it('a second Up with nothing changed creates nothing in the cluster (only port-forwards to ask the registry)', async () => {
    const regPod = (await registryPod())!.metadata!.name!;
    cluster.requests.reset();
    const run = await upReady();
    expect(Object.fromEntries(run.steps.map((s) => [s.id, s.state]))).toMatchObject({ registry: 'done', build: 'skipped', deploy: 'skipped' });
    const creates = cluster.requests.count({ verb: 'create' });
    const portForwards = cluster.requests.count({ verb: 'create', pathPrefix: `/api/v1/namespaces/${REGISTRY_NS}/pods/${regPod}/portforward` });
    expect(portForwards).toBeGreaterThanOrEqual(1); // "is the image there?" goes through the registry pod
    expect(creates).toBe(portForwards);
    expect(cluster.requests.count({ verb: 'update' })).toBe(0);
    expect(cluster.requests.count({ verb: 'delete' })).toBe(0);
  }, 300_000);

  it('build args and the target stage from .devspace/config.yaml reach the executor', async () => {
    const configPath = join(dir, '.devspace', 'config.yaml');
    const doc = parseDocument(readFileSync(configPath, 'utf8'));
    const imageKey = Object.keys((doc.toJS() as { images: Record<string, unknown> }).images)[0]!;
    doc.setIn(['images', imageKey, 'build', 'options'], { target: 'dev', buildArgs: { GREETING: 'hello-from-config' } });
    writeFileSync(configPath, doc.toString());
    const run = await upReady();
    expect(run.steps.find((s) => s.id === 'build')?.state).toBe('done');
    expect(await devPodSays()).toBe('greeting=hello-from-config stage=dev');
  }, 300_000);

  it('a failed build keeps its log: the failing step\'s output and Kaniko\'s error stay readable after the run', async () => {
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE(cluster.baseImage, 'echo "about to fail in dev" && exit 3'));
    const run = await finished((await handlers['up.start']()).runId);
    expect(run.state).toBe('failed');
    expect(run.error).toMatchObject({ step: 'Build image', code: 'BUILD_FAILED' });
    expect(run.error?.message).toMatch(/^Step 3\/\d+ \(RUN echo "about to fail in dev" && exit 3\) failed: /);
    // The keeper hands out lines once their batch (one per animation frame) has gone out.
    const buildLog = async () => await handlers['up.buildLog']();
    for (let i = 0; i < 100 && !(await buildLog())?.lines.some((l) => l.includes('error building image')); i++) await sleep(20);
    const log = await buildLog();
    expect(log?.runId).toBe(run.runId);
    expect(log?.lines).toContain('about to fail in dev');
    expect(log?.lines.some((l) => l.includes('error building image'))).toBe(true);
    expect(log?.step).toMatchObject({ index: 3, instruction: 'RUN echo "about to fail in dev" && exit 3' });
    await noBuildPodsLeft();
    // What ran before keeps running.
    expect(await devPodSays()).toBe('greeting=hello-from-config stage=dev');
  }, 300_000);

  it('no file the app wrote, no log line and no event holds the registry password (nor config.yaml)', async () => {
    const password = await registryPassword();
    expect(password.length).toBeGreaterThanOrEqual(40);
    const forms = [password, Buffer.from(password).toString('base64'), Buffer.from(`devspace:${password}`).toString('base64')];
    const files = [...filesUnder(dir), ...filesUnder(dataDir)];
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([join(dir, '.devspace', 'config.yaml'), join(dataDir, 'credentials.json.enc')]));
    for (const f of files) for (const s of forms) expect(f.bytes.includes(s), `${f.path} holds the password`).toBe(false);
    expect(readFileSync(join(dir, '.devspace', 'config.yaml'), 'utf8')).not.toMatch(/password/i);
    const said = [...appLog, ...buildLogEvents, JSON.stringify(runs)].join('\n');
    for (const s of forms) expect(said.includes(s)).toBe(false);
    // It is kept on this machine only encrypted (credentials.json.enc, its key in credentials.key).
    expect(existsSync(join(dataDir, 'credentials.key'))).toBe(true);
  });

  it('a pod of a chart without imagePullSecrets pulls the image through the default ServiceAccount', async () => {
    const image = (await devPod())!.spec!.containers[0]!.image!;
    const created = await core.createNamespacedPod({
      namespace: NS,
      body: { metadata: { name: 'no-pull-secrets' }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image, command: ['sleep', '3600'] }] } },
    });
    // The ServiceAccount admission copies the account's imagePullSecrets into a pod that has none.
    expect(created.spec?.imagePullSecrets).toEqual([{ name: pullSecretName(`localhost:${hostPort}`) }]);
    for (;;) {
      const p = await core.readNamespacedPod({ name: 'no-pull-secrets', namespace: NS });
      const s = p.status?.containerStatuses?.[0]?.state;
      if (s?.running) break;
      if (/ErrImagePull|ImagePullBackOff/.test(s?.waiting?.reason ?? '')) throw new Error(`the pod could not pull ${image}: ${s?.waiting?.message}`);
      await sleep(200);
    }
  }, 120_000);

  it('the registry port from Settings (internalRegistry.port in config.yaml) moves every node\'s proxy there, and the dev pod pulls from it', async () => {
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE(cluster.baseImage));
    const newPort = await freePort();
    const configPath = join(dir, '.devspace', 'config.yaml');
    const doc = parseDocument(readFileSync(configPath, 'utf8'));
    doc.setIn(['internalRegistry', 'port'], newPort);
    writeFileSync(configPath, doc.toString());

    const run = await upReady();
    expect(run.steps.find((s) => s.id === 'registry')?.detail).toMatch(new RegExp(`^in-cluster registry localhost:${newPort} `));
    // The same content is already in the registry under this tag: no rebuild, only a redeploy.
    expect(run.steps.find((s) => s.id === 'build')?.state).toBe('skipped');
    const proxy = await kc.makeApiClient(AppsV1Api).readNamespacedDaemonSet({ name: PROXY_NAME, namespace: REGISTRY_NS });
    expect(proxy.spec?.template.spec?.containers[0]?.ports?.[0]?.hostPort).toBe(newPort);
    const pod = (await devPod())!;
    expect(pod.spec?.containers[0]?.image).toMatch(new RegExp(`^localhost:${newPort}/`));
    expect(pod.spec?.imagePullSecrets).toEqual([{ name: pullSecretName(`localhost:${newPort}`) }]);
    expect(await devPodSays()).toBe('greeting=hello-from-config stage=dev');
  }, 300_000);
});
