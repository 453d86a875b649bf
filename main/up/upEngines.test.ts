// Up following the project's settings, on the test cluster: an external registry (the cluster's
// own registry named as external, and a Debian docker-registry with htpasswd: a wrong password
// fails "Registry ready" and deploys nothing), the Tiller engine (installed namespace-scoped,
// deploys through Tiller, a second Up skips, a changed value upgrades), the Docker builder (a
// Podman Engine API; pushes reach the in-cluster registry through a port-forward), `up.purge`
// with either engine, and `up.stop`. kubectl is the independent client for what the cluster holds.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CoreV1Api, type KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { cannotRunNode } from '../../e2e/cluster/node/node-test-harness';
import type { ProjectInfo, UpRun } from '../../preload/api';
import { resolveProjectCluster } from '../app/projectCluster';
import { startPodmanEngine, which, type TestEngine } from '../build/docker/testDaemons';
import { manifestObjects } from '../deploy/apply';
import { status } from '../deploy/helmEngine';
import { TillerClient } from '../deploy/tiller/tillerClient';
import { EventBus } from '../ipc/events';
import { loadKubeconfig } from '../kube/kubeconfig';
import { CredentialStore, fileKeySecretBox } from '../registry/credentials';
import { pullSecretName } from '../registry/pullSecrets';
import { RegistryClient } from '../registry/registryClient';
import { freePort, registryUnavailable, startTestRegistry, type TestRegistry } from '../registry/testSupport/testRegistry';
import { prepareFirstUp } from './firstUp';
import { createUpHandlers, type UpHandlerDeps, type UpHandlers } from './upHandlers';

const skip = cannotRunNode() ?? registryUnavailable();
if (skip) console.log(`skipping the Up engine tests: ${skip}`);
const noPodman = which('podman') ? undefined : 'podman is missing (Debian package podman): no Docker Engine API to build with';
if (!skip && noPodman) console.log(`skipping the Docker builder Up test: ${noPodman}`);

describe.skipIf(!!skip)('Up follows the project settings', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let dataDir: string;
  const dirs: string[] = [];
  const handlerSets: UpHandlers[] = [];
  const events = new EventBus();
  const runs: UpRun[] = [];
  const appLog: string[] = [];
  let stopped = 0;
  /** The in-cluster registry's node port, the same for every project (another port would restart it). */
  let hostPort: number;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    dataDir = mkdtempSync(join(tmpdir(), 'up-engines-data-'));
    hostPort = await freePort();
    events.subscribe((event, payload) => {
      if (event === 'up.run') runs.push(payload as UpRun);
    });
  }, 180_000);
  afterAll(async () => {
    for (const h of handlerSets) await h.dispose();
    await cluster?.stop();
    for (const d of [...dirs, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  /** A project with a Dockerfile, the first Up's config and chart, and `edit` applied to its config. */
  async function project(namespace: string, edit: (config: string) => string, extra: Partial<UpHandlerDeps> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'up-eng-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${cluster.baseImage}\nRUN echo v1 > /version.txt\nCMD ["sleep", "3600"]\n`);
    const info: ProjectInfo = { path: dir, name: basename(dir), hasDevspaceConfig: false, hasDockerfile: true, hasChart: false, selection: { context: 'test-admin', namespace } };
    await prepareFirstUp(info);
    const configPath = join(dir, '.devspace', 'config.yaml');
    writeFileSync(configPath, edit(readFileSync(configPath, 'utf8')));
    const p = { ...info, hasDevspaceConfig: true, hasChart: true };
    const handlers = createUpHandlers({
      events,
      resolveProjectCluster: () => resolveProjectCluster(p, p.selection, () => loadKubeconfig([cluster.kubeconfigPath])),
      log: (l) => appLog.push(l),
      dataDir,
      startPorts: async () => null,
      stopSessions: async () => {
        stopped++;
      },
      registryHostPort: hostPort,
      ...extra,
    });
    handlerSets.push(handlers);
    return { dir, handlers, configPath };
  }

  const finished = (runId: string) =>
    new Promise<UpRun>((resolve) => {
      const check = () => {
        const last = runs.filter((r) => r.runId === runId).at(-1);
        if (last && last.state !== 'running') {
          unsubscribe();
          resolve(last);
        }
      };
      const unsubscribe = events.subscribe(() => check());
      check();
    });
  const up = async (h: UpHandlers) => finished((await h['up.start']()).runId);
  const ready = (run: UpRun) => {
    if (run.state !== 'ready') throw new Error(`Up did not get ready: ${JSON.stringify(run, null, 2)}\n${appLog.slice(-30).join('\n')}`);
    return run;
  };
  const states = (run: UpRun) => Object.fromEntries(run.steps.map((s) => [s.id, s.state]));
  const detail = (run: UpRun, id: string) => run.steps.find((s) => s.id === id)?.detail ?? '';
  // Asynchronous: the test cluster's API server runs in this process and must keep answering.
  const kubectl = async (...args: string[]) => (await promisify(execFile)('kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;
  const kubectlJson = async <T>(...args: string[]) => JSON.parse(await kubectl(...args, '-o', 'json')) as T;
  type Item = { metadata: { name: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; status?: { phase?: string } };
  const deployments = async (ns: string) => (await kubectlJson<{ items: Item[] }>('-n', ns, 'get', 'deployments')).items;
  const items = async (...args: string[]) => (await kubectlJson<{ items: Item[] }>(...args)).items;
  const devPods = async (ns: string) =>
    (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns, labelSelector: 'devspace.sh/component=dev' })).items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  const externalRegistry = (url: string) => (config: string) =>
    `${config.replace(/^( {2}default:\n)/m, '$1    registry: ext\n')}registries:\n  ext:\n    url: ${url}\n`;

  describe('an external registry', () => {
    let secured: TestRegistry;
    beforeAll(async () => {
      secured = await startTestRegistry({ htpasswd: { username: 'alice', password: 'right-password' } });
    }, 60_000);
    afterAll(async () => {
      await secured?.stop();
    });

    it('the cluster\'s registry named as external, with a saved login: no in-cluster registry, Kaniko pushes there, pods pull with the login\'s pull secret', async () => {
      await new CredentialStore(dataDir, fileKeySecretBox(dataDir)).set(cluster.registry, { username: 'bob', password: 'bob-secret' });
      const p = await project('eng-ext', externalRegistry(cluster.registry));
      const run = ready(await up(p.handlers));
      expect(states(run)).toEqual({ connect: 'done', namespace: 'done', registry: 'done', build: 'done', deploy: 'done', rollout: 'done', ports: 'done', ready: 'done' });
      expect(detail(run, 'registry')).toBe(`${cluster.registry} as "bob"`);
      // Nothing of the in-cluster registry was deployed.
      expect(await kubectl('get', 'namespaces', '-o', 'name')).not.toContain('devspace-registry');
      const pods = await devPods('eng-ext');
      expect(pods).toHaveLength(1);
      const image = pods[0]!.spec!.containers[0]!.image!;
      expect(image).toMatch(new RegExp(`^${cluster.registry}/up-eng-[a-z0-9-]+:devspace-[0-9a-f]{12}$`));
      expect(pods[0]!.spec!.imagePullSecrets).toEqual([{ name: pullSecretName(cluster.registry) }]);
      const secret = await kubectlJson<{ data: Record<string, string> }>('-n', 'eng-ext', 'get', 'secret', pullSecretName(cluster.registry));
      const auths = JSON.parse(Buffer.from(secret.data['.dockerconfigjson']!, 'base64').toString()).auths as Record<string, { username: string }>;
      expect(auths[cluster.registry]?.username).toBe('bob');
      // The image is in that registry, under the tag the pod runs.
      const [repo, tag] = image.slice(cluster.registry.length + 1).split(':') as [string, string];
      expect(await new RegistryClient(cluster.registry).tags(repo)).toContain(tag);
    }, 600_000);

    it('a wrong password fails "Registry ready" with REGISTRY_UNAUTHORIZED and a hint to log in; nothing is deployed', async () => {
      await new CredentialStore(dataDir, fileKeySecretBox(dataDir)).set(secured.host, { username: 'alice', password: 'wrong-password' });
      const p = await project('eng-auth', externalRegistry(secured.host));
      const run = await up(p.handlers);
      expect(run.state).toBe('failed');
      expect(run.error).toMatchObject({ step: 'Registry ready', code: 'REGISTRY_UNAUTHORIZED' });
      expect(run.error?.message).toContain('alice');
      expect(run.error?.hint).toMatch(/Registry panel/);
      expect(states(run)).toMatchObject({ registry: 'failed', deploy: 'not-run', rollout: 'not-run', ports: 'not-run' });
      expect(await deployments('eng-auth')).toEqual([]);
      expect(await items('-n', 'eng-auth', 'get', 'secrets', '-l', 'owner=helm')).toEqual([]);

      // With the right password (saved as `registry.login` does) the same project comes up.
      await new CredentialStore(dataDir, fileKeySecretBox(dataDir)).set(secured.host, { username: 'alice', password: 'right-password' });
      const again = ready(await up(p.handlers));
      expect(detail(again, 'registry')).toBe(`${secured.host} as "alice"`);
      const pods = await devPods('eng-auth');
      expect(pods.map((x) => x.spec!.containers[0]!.image)).toEqual([expect.stringMatching(new RegExp(`^${secured.host}/up-eng-[a-z0-9-]+:devspace-`))]);
      const [repo, tag] = pods[0]!.spec!.containers[0]!.image!.slice(secured.host.length + 1).split(':') as [string, string];
      await expect(new RegistryClient(secured.host).tags(repo)).rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
      expect(await new RegistryClient(secured.host, { credentials: { username: 'alice', password: 'right-password' } }).tags(repo)).toContain(tag);
    }, 600_000);

    it('up.purge refuses while Up runs, then uninstalls the Helm 3 release (kubectl sees no deployment); a second purge finds nothing', async () => {
      const p = await project('eng-ext', externalRegistry(cluster.registry));
      // A second project (its own release) in the namespace of the first: purge removes only its own.
      const started = await p.handlers['up.start']();
      await expect(p.handlers['up.purge']()).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      ready(await finished(started.runId));
      const before = (await deployments('eng-ext')).length;
      expect(before).toBe(2);
      const stopsBefore = stopped;
      const release = /^ {2}- name: (\S+)$/m.exec(readFileSync(p.configPath, 'utf8'))?.[1] as string;
      const objects = (await status(release, { kubeConfig: kc, namespace: 'eng-ext' }))?.objects ?? [];
      expect(objects.map((o) => o.kind)).toContain('Deployment');
      const r = await p.handlers['up.purge']();
      expect(r).toEqual({ release, removed: objects.length });
      expect(stopped).toBe(stopsBefore + 1); // sessions were stopped first
      const left = (await deployments('eng-ext')).map((d) => d.metadata.name);
      expect(left).toHaveLength(1);
      expect(left).not.toContain(r.release);
      expect(await items('-n', 'eng-ext', 'get', 'secrets', '-l', `owner=helm,name=${r.release}`)).toEqual([]);
      await expect(p.handlers['up.purge']()).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringMatching(/Up/) });
    }, 600_000);
  });

  describe('the Tiller engine', () => {
    let p: Awaited<ReturnType<typeof project>>;
    const tillerConfig = (greeting: string) => (config: string) =>
      config.replace(/^( {6}chartPath: .*\n)/m, `$1      engine: tiller\n      values:\n        env:\n          GREETING: ${greeting}\n`);
    const greeting = async () => {
      const d = await kubectlJson<{ spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value: string }> }> } } } }>('-n', 'eng-tiller', 'get', 'deployment', (await deployments('eng-tiller')).find((x) => x.metadata.name !== 'tiller-deploy')!.metadata.name);
      return d.spec.template.spec.containers[0]!.env?.find((e) => e.name === 'GREETING')?.value;
    };

    it('installs Tiller namespace-scoped ("Tiller ready" alongside the build) and deploys through it', async () => {
      const bindingsBefore = (await kc.makeApiClient(RbacAuthorizationV1Api).listClusterRoleBinding()).items.map((b) => b.metadata!.name);
      p = await project('eng-tiller', tillerConfig('one'));
      const run = ready(await up(p.handlers));
      // Tiller is made ready while the image builds: some moment of the run saw both steps running.
      expect(runs.filter((r) => r.runId === run.runId).some((r) => states(r).tiller === 'running' && states(r).build === 'running')).toBe(true);
      expect(run.steps.map((s) => s.id)).toEqual(['connect', 'namespace', 'registry', 'build', 'tiller', 'deploy', 'rollout', 'ports', 'ready']);
      expect(run.steps.find((s) => s.id === 'tiller')?.title).toBe('Tiller ready');
      expect(states(run)).toMatchObject({ tiller: 'done', deploy: 'done', rollout: 'done' });
      expect(detail(run, 'tiller')).toMatch(/^installed Tiller in namespace "eng-tiller" \(tiller-deploy-/);
      expect(detail(run, 'deploy')).toMatch(/revision 1 \(Tiller\)$/);
      expect((await kc.makeApiClient(RbacAuthorizationV1Api).listClusterRoleBinding()).items.map((b) => b.metadata!.name)).toEqual(bindingsBefore);
      const binding = await kubectlJson<{ roleRef: { kind: string } }>('-n', 'eng-tiller', 'get', 'rolebinding', 'tiller-binding');
      expect(binding.roleRef.kind).toBe('Role');
      // Tiller's records (ConfigMaps), not Helm 3's Secrets.
      expect((await items('-n', 'eng-tiller', 'get', 'configmaps', '-l', 'OWNER=TILLER')).map((c) => c.metadata.labels?.STATUS)).toEqual(['DEPLOYED']);
      expect(await items('-n', 'eng-tiller', 'get', 'secrets', '-l', 'owner=helm')).toEqual([]);
      expect(await greeting()).toBe('one');
      expect(await devPods('eng-tiller')).toHaveLength(1);
    }, 600_000);

    it('a second Up with nothing changed skips the deploy; a changed value upgrades the release', async () => {
      const second = ready(await up(p.handlers));
      expect(states(second)).toMatchObject({ tiller: 'done', build: 'skipped', deploy: 'skipped', rollout: 'done' });
      expect(detail(second, 'tiller')).toMatch(/^Tiller runs in namespace "eng-tiller"/);
      expect(detail(second, 'deploy')).toMatch(/unchanged \(revision 1 /);

      writeFileSync(p.configPath, tillerConfig('two')(readFileSync(p.configPath, 'utf8').replace(/ {6}engine: tiller\n {6}values:\n {8}env:\n {10}GREETING: one\n/, '')));
      const third = ready(await up(p.handlers));
      // (.devspace/ is never in the build context: the image is not rebuilt for a values change)
      expect(states(third)).toMatchObject({ build: 'skipped', deploy: 'done', rollout: 'done' });
      expect(detail(third, 'deploy')).toMatch(/revision 2 \(Tiller\)$/);
      expect(await greeting()).toBe('two');
      expect((await items('-n', 'eng-tiller', 'get', 'configmaps', '-l', 'OWNER=TILLER,STATUS=DEPLOYED')).map((c) => c.metadata.name)).toEqual([expect.stringMatching(/\.v2$/)]);
    }, 600_000);

    it('a Tiller install that cannot finish is undone when cancelled: nothing of it stays', async () => {
      const broken = await project('eng-tiller-broken', tillerConfig('x'), { tillerImage: `${cluster.registry}/no-such-tiller:v0` });
      const started = await broken.handlers['up.start']();
      // Wait (by the cluster's own state) until the install created its Deployment, or the run ended.
      for (;;) {
        if ((await deployments('eng-tiller-broken')).some((d) => d.metadata.name === 'tiller-deploy')) break;
        if (runs.filter((r) => r.runId === started.runId).at(-1)?.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const run = (await broken.handlers['up.cancel']()) as UpRun;
      expect(['cancelled', 'failed']).toContain(run.state);
      expect(run.steps.find((x) => x.id === 'tiller')?.state).toMatch(/^(cancelled|failed)$/);
      expect(run.steps.find((x) => x.id === 'deploy')?.state).toBe('not-run');
      expect((await deployments('eng-tiller-broken')).map((d) => d.metadata.name)).not.toContain('tiller-deploy');
      expect((await items('-n', 'eng-tiller-broken', 'get', 'serviceaccounts')).map((x) => x.metadata.name)).not.toContain('tiller');
      expect((await items('-n', 'eng-tiller-broken', 'get', 'roles')).map((x) => x.metadata.name)).not.toContain('tiller-manager');
      expect(appLog.join('\n')).toContain('of the unfinished Tiller install');
    }, 600_000);

    it('up.stop ends the sessions and leaves the deployment; up.purge uninstalls the Tiller release', async () => {
      const stopsBefore = stopped;
      expect(await p.handlers['up.stop']()).toBeNull();
      expect(stopped).toBe(stopsBefore + 1);
      expect(await deployments('eng-tiller')).toHaveLength(2); // the project's and tiller-deploy

      const release = /^ {2}- name: (\S+)$/m.exec(readFileSync(p.configPath, 'utf8'))?.[1] as string;
      const tiller = await TillerClient.connect({ kubeConfig: kc, tillerNamespace: 'eng-tiller' });
      const objects = manifestObjects((await tiller.content(release)).manifest);
      await tiller.close();
      expect(objects.map((o) => o.kind)).toContain('Deployment');
      const r = await p.handlers['up.purge']();
      expect(r).toEqual({ release, removed: objects.length });
      expect((await deployments('eng-tiller')).map((d) => d.metadata.name)).toEqual(['tiller-deploy']);
      expect(await items('-n', 'eng-tiller', 'get', 'configmaps', '-l', 'OWNER=TILLER')).toEqual([]);
      await expect(p.handlers['up.purge']()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }, 300_000);
  });

  describe.skipIf(!!noPodman)('the Docker builder', () => {
    let engine: TestEngine;
    beforeAll(async () => {
      // The base image comes from the cluster's registry; the push to 127.0.0.1:<tunnel> is made
      // insecure by the app itself (loopback), not by this configuration.
      engine = await startPodmanEngine([cluster.registry]);
    }, 120_000);
    afterAll(async () => {
      await engine?.stop();
    });

    it('builds with the daemon, pushes to the in-cluster registry through a port-forward, and reaches ready; unchanged → skipped', async () => {
      const p = await project('eng-docker', (c) => c.replace(/engine: kaniko/, 'engine: docker'), { env: { DOCKER_HOST: `unix://${engine.socketPath}` } });
      const run = ready(await up(p.handlers));
      expect(states(run)).toMatchObject({ registry: 'done', build: 'done', deploy: 'done', rollout: 'done' });
      expect(detail(run, 'build')).toMatch(/^built up-eng-[a-z0-9-]+:devspace-[0-9a-f]{12} with Docker$/);
      const log = (await p.handlers['up.buildLog']())!;
      expect(log.step?.total).toBe(3);
      expect(log.lines.join('\n')).toMatch(/echo v1/);
      expect(appLog.some((l) => /pushing to the in-cluster registry through 127\.0\.0\.1:\d+ \(port-forward\)/.test(l))).toBe(true);
      const pods = await devPods('eng-docker');
      expect(pods).toHaveLength(1);
      const image = pods[0]!.spec!.containers[0]!.image!;
      expect(image).toMatch(new RegExp(`^localhost:${hostPort}/up-eng-[a-z0-9-]+:devspace-[0-9a-f]{12}$`));
      // The registry (reached the way nodes do, with its own credentials) has the tag.
      const auth = (await kubectlJson<{ data: Record<string, string> }>('-n', 'devspace-registry', 'get', 'secret', 'devspace-registry-auth')).data;
      const credentials = { username: Buffer.from(auth.username!, 'base64').toString(), password: Buffer.from(auth.password!, 'base64').toString() };
      const [repo, tag] = image.slice(`localhost:${hostPort}/`.length).split(':') as [string, string];
      expect(await new RegistryClient(`localhost:${hostPort}`, { credentials }).tags(repo)).toContain(tag);

      const second = ready(await up(p.handlers));
      expect(states(second)).toMatchObject({ build: 'skipped', deploy: 'skipped' });
      expect(detail(second, 'build')).toMatch(/^image unchanged /);
    }, 600_000);

    it('with an external registry (htpasswd) the daemon pushes there directly with the saved login; pods pull it with the pull secret', async () => {
      const reg = await startTestRegistry({ htpasswd: { username: 'carol', password: 'carol-secret' } });
      try {
        await new CredentialStore(dataDir, fileKeySecretBox(dataDir)).set(reg.host, { username: 'carol', password: 'carol-secret' });
        const p = await project('eng-docker-ext', (c) => externalRegistry(reg.host)(c.replace(/engine: kaniko/, 'engine: docker')), { env: { DOCKER_HOST: `unix://${engine.socketPath}` } });
        const run = ready(await up(p.handlers));
        expect(detail(run, 'registry')).toBe(`${reg.host} as "carol"`);
        expect(detail(run, 'build')).toMatch(/ with Docker$/);
        const pods = await devPods('eng-docker-ext');
        expect(pods.map((x) => x.spec!.imagePullSecrets)).toEqual([[{ name: pullSecretName(reg.host) }]]);
        const image = pods[0]!.spec!.containers[0]!.image!;
        expect(image.startsWith(`${reg.host}/up-eng-`)).toBe(true);
        const [repo, tag] = image.slice(reg.host.length + 1).split(':') as [string, string];
        expect(await new RegistryClient(reg.host, { credentials: { username: 'carol', password: 'carol-secret' } }).tags(repo)).toEqual([tag]);
      } finally {
        await reg.stop();
      }
    }, 600_000);

    it('cancel during a Docker build stops it: the run is cancelled at "Build image" and nothing is pushed or deployed', async () => {
      const p = await project('eng-docker-cancel', (c) => c.replace(/engine: kaniko/, 'engine: docker'), { env: { DOCKER_HOST: `unix://${engine.socketPath}` } });
      writeFileSync(join(p.dir, 'Dockerfile'), `FROM ${cluster.baseImage}\nRUN echo started && sleep 300\nCMD ["sleep", "3600"]\n`);
      const started = await p.handlers['up.start']();
      // Wait (by the build's own output, not a clock) until the long RUN step runs.
      for (;;) {
        if ((await p.handlers['up.buildLog']())?.lines.some((l) => l.includes('STEP 2/3'))) break;
        const last = runs.filter((r) => r.runId === started.runId).at(-1);
        if (last && last.state !== 'running') throw new Error(`Up ended before the build ran: ${JSON.stringify(last, null, 2)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const cancelled = await p.handlers['up.cancel']();
      expect(cancelled?.state).toBe('cancelled');
      expect(states(cancelled as UpRun)).toMatchObject({ build: 'cancelled', deploy: 'not-run', rollout: 'not-run' });
      // The image it was building is not in the registry.
      const ref = (await p.handlers['up.buildLog']())?.lines.map((l) => /^Building (\S+) with the Docker daemon/.exec(l)?.[1]).find(Boolean) as string;
      const [repo, tag] = ref.slice(`localhost:${hostPort}/`.length).split(':') as [string, string];
      const auth = (await kubectlJson<{ data: Record<string, string> }>('-n', 'devspace-registry', 'get', 'secret', 'devspace-registry-auth')).data;
      const credentials = { username: Buffer.from(auth.username!, 'base64').toString(), password: Buffer.from(auth.password!, 'base64').toString() };
      expect(tag).toMatch(/^devspace-[0-9a-f]{12}$/);
      expect(await new RegistryClient(`localhost:${hostPort}`, { credentials }).tags(repo)).not.toContain(tag);
      expect(await deployments('eng-docker-cancel')).toEqual([]);
    }, 300_000);

    it('no Docker daemon → DOCKER_UNAVAILABLE naming DOCKER_HOST and that Kaniko needs no local Docker', async () => {
      const socket = join(mkdtempSync(join(tmpdir(), 'no-docker-')), 'docker.sock');
      dirs.push(join(socket, '..'));
      mkdirSync(join(socket, '..'), { recursive: true });
      const p = await project('eng-docker', (c) => c.replace(/engine: kaniko/, 'engine: docker'), { env: { DOCKER_HOST: `unix://${socket}` } });
      const run = await up(p.handlers);
      expect(run.state).toBe('failed');
      expect(run.error).toMatchObject({ step: 'Build image', code: 'DOCKER_UNAVAILABLE' });
      expect(run.error?.message).toContain(socket);
      expect(run.error?.hint).toMatch(/DOCKER_HOST/);
      expect(run.error?.hint).toMatch(/Kaniko.*needs no local Docker/);
    }, 300_000);
  });
});
