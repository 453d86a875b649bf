// Up as stepRunner steps: connect → namespace ready → registry ready (alongside the build's own
// preparation, and Tiller readiness where the project uses Tiller) → build (or skip: image
// unchanged) → deploy (or skip: unchanged) → rollout → ports started → ready. The project's
// settings choose the builder (Kaniko in the cluster or the local Docker daemon), the registry
// (in-cluster or external) and the deploy engine (Helm 3-compatible or Tiller). Each step reports
// what it does through the runner; cancel undoes what the running step created (the build pod is
// removed by the Kaniko builder itself, the Docker build ends with its request).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CoreV1Api, type KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { ApiError, ProjectSettings } from '../../preload/api';
import type { ProjectCluster } from '../app/projectCluster';
import { computeBuildHash } from '../build/hash/buildHash';
import { contextKey, loadStatCache, saveStatCache } from '../build/hash/statCacheFile';
import { KanikoBuilder } from '../build/kaniko/kanikoBuilder';
import type { ObjectRef } from '../deploy/clusterObjects';
import { deploy, history, markRolloutFailed, needsDeploy, rollback, uninstall, WORKLOAD_KINDS } from '../deploy/helmEngine';
import { waitForRollout } from '../deploy/rollout';
import { AppError } from '../ipc/errors';
import { makeApiClient } from '../kube/apiClient';
import { describeClusterError } from '../kube/clusterErrors';
import { chartNameFor } from '../project/chart/generateChart';
import { projectSettings } from '../project/config/projectSettings';
import type { DevspaceConfig } from '../project/config/schema';
import { InClusterRegistry, inClusterRegistryOptions, type RegistryPasswordStore } from '../registry/inClusterRegistry';
import { parseImageRef } from '../registry/imageRef';
import { inClusterImageExists } from '../registry/registryTunnel';
import type { BuildLogSink } from './buildLog';
import { dockerUpBuild } from './dockerBuild';
import type { StepDefinition } from './stepRunner';
import { deployWithTiller, ensureProjectTiller, tillerNamespaceFor } from './tillerDeploy';
import { checkExternalRegistry, inClusterUpRegistry, pullSecretNamesFor, pullSecretsFor, registryDetail, type UpRegistry } from './upRegistry';

export interface UpOptions {
  /**
   * The project's builder, registry and deploy engine. Decides which steps there are (Tiller's
   * only for the Tiller engine); default: read from the project's config when the steps run.
   */
  settings?: ProjectSettings;
  /**
   * The app's credential store: the in-cluster registry's password, and the logins `registry.login`
   * saves for external registries (keyed by host).
   */
  registryStore: RegistryPasswordStore;
  /** DOCKER_HOST / DOCKER_CONFIG for the Docker builder and Docker's registry logins; default process.env. */
  env?: Record<string, string | undefined>;
  /** Where ~/.docker/config.json is looked for; default the user's home. */
  homeDir?: string;
  /** Tiller's image when Up installs it (default ghcr.io/helm/tiller:v2.17.0). */
  tillerImage?: string;
  /** The node port of the in-cluster registry (default 5000). */
  registryHostPort?: number;
  /** The Kaniko debug image (default the builder's). */
  executorImage?: string;
  forceRebuild?: boolean;
  /** Starts the project's port forwards (the ports handlers' `ports.start`). */
  startPorts: () => Promise<unknown>;
  log: (line: string) => void;
  /** Where the build's own output goes for the Build log panel. */
  buildLog?: BuildLogSink;
  /** Rollout deadline; default the deploy module's (5 min). */
  rolloutTimeoutMs?: number;
}

/** What the steps hand on to each other. */
export interface UpShared {
  pc: ProjectCluster;
  registry?: UpRegistry;
  image?: { repository: string; tag: string };
  workloads?: ObjectRef[];
  /** The Helm 3 revision this run's deploy step recorded (not set when the deploy was skipped). */
  deployedRevision?: number;
}

export const UP_STEP_TITLES = {
  connect: 'Connect to the cluster',
  namespace: 'Namespace ready',
  registry: 'Registry ready',
  tiller: 'Tiller ready',
  build: 'Build image',
  deploy: 'Deploy',
  rollout: 'Rollout',
  ports: 'Port forwards started',
  ready: 'Ready',
} as const;

/** Names used for the project in the cluster: the release, the image and the build pods' project label. */
export function projectNames(pc: ProjectCluster): { release: string; imageName: string; chartDir: string; contextDir: string; dockerfile: string } {
  const config: DevspaceConfig | null = pc.config;
  const dep = config?.devSpace?.deployments?.[0];
  const image = config?.images ? Object.values(config.images)[0] : undefined;
  const release = dep?.name ?? chartNameFor(pc.project.name);
  return {
    release,
    imageName: image?.name ?? release,
    chartDir: path.resolve(pc.project.path, dep?.helm?.chartPath ?? 'chart'),
    contextDir: path.resolve(pc.project.path, image?.contextPath ?? '.'),
    dockerfile: image?.dockerfilePath ?? 'Dockerfile',
  };
}

/** The project's `helm.rolloutTimeout` (seconds), else the app's (tests), else the deploy module's default. */
function rolloutTimeoutMs(shared: UpShared, o: UpOptions): number | undefined {
  const seconds = shared.pc.config?.devSpace?.deployments?.[0]?.helm?.rolloutTimeout;
  return seconds ? seconds * 1000 : o.rolloutTimeoutMs;
}

const aborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

function fromApiError(e: ApiError): AppError {
  return new AppError(e.code, e.message, e.hint);
}

export function upSteps(o: UpOptions): StepDefinition<UpShared>[] {
  // The build prepares (leftovers, hash) while the registry comes up, then waits for it.
  let registryReady!: (reg: UpRegistry) => void;
  const registryInfo = new Promise<UpRegistry>((resolve) => (registryReady = resolve));
  const kc = (s: UpShared): KubeConfig => s.pc.kubeConfig;
  const server = (s: UpShared) => s.pc.kubeConfig.getCurrentCluster()?.server;
  const settingsOf = (s: UpShared): ProjectSettings => o.settings ?? projectSettings(s.pc.config);
  const tiller = o.settings?.deployEngine === 'tiller';

  const steps: StepDefinition<UpShared>[] = [
    {
      id: 'connect',
      title: UP_STEP_TITLES.connect,
      async run({ shared, signal, progress }) {
        progress(`Asking ${server(shared) ?? 'the cluster'} for its version`);
        try {
          const v = await makeApiClient(kc(shared), VersionApi, { signal, timeoutMs: 15_000 }).getCode();
          return { detail: `${shared.pc.context}: Kubernetes ${v.gitVersion}` };
        } catch (err) {
          throw fromApiError(describeClusterError(err, server(shared)));
        }
      },
    },
    {
      id: 'namespace',
      title: UP_STEP_TITLES.namespace,
      needs: ['connect'],
      async run({ shared, signal, onUndo }) {
        const ns = shared.pc.namespace;
        const core = makeApiClient(kc(shared), CoreV1Api, { signal });
        try {
          await core.readNamespace({ name: ns });
          return { detail: `namespace "${ns}" exists` };
        } catch (err) {
          if ((err as { code?: number }).code !== 404) throw fromApiError(describeClusterError(err, server(shared)));
        }
        try {
          await core.createNamespace({ body: { metadata: { name: ns } } });
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw fromApiError(describeClusterError(err, server(shared)));
          return { detail: `namespace "${ns}" exists` };
        }
        onUndo(async () => {
          await makeApiClient(kc(shared), CoreV1Api).deleteNamespace({ name: ns }).catch(() => {});
        });
        return { detail: `created namespace "${ns}"` };
      },
    },
    {
      id: 'registry',
      title: UP_STEP_TITLES.registry,
      needs: ['connect'],
      async run({ shared, signal, progress }) {
        const settings = settingsOf(shared);
        const imageName = projectNames(shared.pc).imageName;
        let reg: UpRegistry;
        if (settings.registry.kind === 'external') {
          progress(`Checking the login for ${settings.registry.url}`);
          reg = await checkExternalRegistry({
            url: settings.registry.url, insecure: settings.registry.insecure, imageName, store: o.registryStore, signal,
            ...(o.homeDir ? { homeDir: o.homeDir } : {}),
            ...(o.env ? { env: o.env as NodeJS.ProcessEnv } : {}),
          });
        } else {
          const registry = new InClusterRegistry(kc(shared), {
            store: o.registryStore,
            signal,
            onProgress: (m) => progress(m),
            ...(o.registryHostPort ? { hostPort: o.registryHostPort } : {}),
            ...inClusterRegistryOptions(settings.inClusterRegistry),
          });
          const info = await registry.ensure();
          for (const w of info.warnings) o.log(`registry: ${w}`);
          reg = inClusterUpRegistry(info, imageName);
        }
        shared.registry = reg;
        registryReady(reg);
        return { detail: registryDetail(reg) };
      },
    },
    {
      id: 'build',
      title: UP_STEP_TITLES.build,
      needs: ['namespace'],
      async run({ shared, signal, progress }) {
        const pc = shared.pc;
        const names = projectNames(pc);
        const settings = settingsOf(shared);
        const executorImage = settings.kanikoImage ?? o.executorImage;
        const builder = new KanikoBuilder({ kubeConfig: kc(shared), namespace: pc.namespace, log: o.log, ...(executorImage ? { executorImage } : {}) });
        // Leftover build pods are removed while the context is hashed.
        progress('Hashing the build context (and removing build pods an earlier run left)');
        const cleaning = builder.cleanupLeftovers(pc.project.path, { signal }).then((removed) => {
          if (removed.length) o.log(`removed leftover build pods: ${removed.join(', ')}`);
        });
        cleaning.catch(() => {}); // awaited below
        const key = contextKey(pc.project.path, names.contextDir);
        const cache = await loadStatCache(pc.project.path, key);
        const buildOptions = pc.config?.images ? Object.values(pc.config.images)[0]?.build?.options : undefined;
        const kanikoConfig = pc.config?.images ? Object.values(pc.config.images)[0]?.build?.kaniko : undefined;
        const h = await computeBuildHash({
          contextDir: names.contextDir, dockerfile: names.dockerfile, cache,
          ...(buildOptions?.buildArgs ? { buildArgs: buildOptions.buildArgs } : {}),
          ...(buildOptions?.target ? { target: buildOptions.target } : {}),
        });
        await saveStatCache(pc.project.path, key, h.cache);
        await cleaning;
        progress('Waiting for the registry');
        const reg = await Promise.race([registryInfo, aborted(signal)]);
        shared.image = { repository: reg.repository, tag: h.tag };
        const onLog = (l: string) => {
          o.log(`build: ${l}`);
          o.buildLog?.line(l);
        };
        const onStep = (s: { index: number; total: number; instruction: string }) => {
          o.buildLog?.step(s);
          progress(`Step ${s.index}/${s.total}: ${s.instruction}`, s.total ? (s.index - 1) / s.total : undefined);
        };

        if (settings.builder === 'docker') {
          const r = await dockerUpBuild({
            kubeConfig: kc(shared), registry: reg, imageName: names.imageName, tag: h.tag, contextDir: names.contextDir, dockerfile: names.dockerfile,
            entries: h.entries, force: o.forceRebuild ?? false, signal, progress, onLog, onStep, log: o.log,
            ...(o.env ? { env: o.env } : {}),
            ...(buildOptions?.buildArgs ? { buildArgs: buildOptions.buildArgs } : {}),
            ...(buildOptions?.target ? { target: buildOptions.target } : {}),
          });
          if (!r.built) return { skipped: true, detail: `image unchanged (${names.imageName}:${h.tag})` };
          return { detail: `built ${names.imageName}:${h.tag} with Docker` };
        }

        const pushRef = `${reg.pushRepository}:${h.tag}`;
        let exists = false;
        if (!o.forceRebuild) {
          progress(`Looking for ${names.imageName}:${h.tag} in the registry`);
          if (reg.kind === 'in-cluster') {
            // Its addresses exist only inside the cluster (its Service) and on its nodes
            // (localhost:<hostPort>): this machine asks it through a port-forward to its pod.
            exists = await inClusterImageExists({
              kubeConfig: kc(shared), namespace: reg.inCluster?.namespace as string, repository: parseImageRef(pushRef).path, tag: h.tag, signal,
              ...(reg.credentials ? { credentials: reg.credentials } : {}),
            });
          } else {
            const should = await builder.shouldBuild({ imageRef: pushRef, registry: { insecure: reg.insecure, ...(reg.credentials ? { credentials: reg.credentials } : {}) }, force: false, signal });
            exists = !should.build;
          }
        }
        if (exists) return { skipped: true, detail: `image unchanged (${names.imageName}:${h.tag})` };
        progress(`Building ${names.imageName}:${h.tag}`);
        await builder.build({
          projectId: pc.project.path, contextDir: names.contextDir, dockerfile: names.dockerfile, entries: h.entries, buildHash: h.hash,
          imageRef: pushRef, registry: { host: reg.pushHost, insecure: reg.insecure, ...(reg.credentials ? { credentials: reg.credentials } : {}) }, signal,
          ...(buildOptions?.buildArgs ? { buildArgs: buildOptions.buildArgs } : {}),
          ...(buildOptions?.target ? { target: buildOptions.target } : {}),
          // Kaniko's layer cache next to the image (its own default repository), unless the config turns it off.
          ...(kanikoConfig?.cache === false ? {} : { cache: { repo: `${reg.pushRepository}/cache` } }),
          onLog,
          onStep,
        });
        return { detail: `built ${names.imageName}:${h.tag}` };
      },
    },
    ...(tiller
      ? [
          {
            id: 'tiller',
            title: UP_STEP_TITLES.tiller,
            needs: ['namespace'],
            async run({ shared, signal, progress, onUndo }) {
              const tillerNamespace = tillerNamespaceFor(shared.pc.config, shared.pc.namespace);
              progress(`Looking for Tiller in namespace "${tillerNamespace}"`);
              const detail = await ensureProjectTiller({
                kubeConfig: kc(shared), tillerNamespace, projectNamespace: shared.pc.namespace, signal, log: o.log,
                // A Tiller install cancelled (or failing) half way is removed again, newest object first.
                onCreated: (what, remove) =>
                  onUndo(async () => {
                    await remove();
                    o.log(`up: removed ${what} of the unfinished Tiller install`);
                  }),
                ...(o.tillerImage ? { image: o.tillerImage } : {}),
              });
              return { detail };
            },
          } satisfies StepDefinition<UpShared>,
        ]
      : []),
    {
      id: 'deploy',
      title: UP_STEP_TITLES.deploy,
      needs: ['build', 'registry', ...(tiller ? ['tiller'] : [])],
      async run({ shared, signal, progress, onUndo }) {
        const pc = shared.pc;
        const names = projectNames(pc);
        if (!existsSync(names.chartDir)) {
          throw new AppError('NOT_FOUND', `There is no chart at ${names.chartDir}.`, 'Let DevSpace generate one (first Up) or set devSpace.deployments[0].helm.chartPath in .devspace/config.yaml.');
        }
        const reg = shared.registry as UpRegistry;
        const image = shared.image as { repository: string; tag: string };
        // The pull secret is saved while the deploy check reads the release (its name is known up front).
        progress('Image pull secret');
        const pullSecrets = pullSecretNamesFor(reg);
        const savingPullSecrets = pullSecretsFor(kc(shared), pc.namespace, reg, o.log, signal);
        savingPullSecrets.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
        const dep = pc.config?.devSpace?.deployments?.[0];
        const options = {
          kubeConfig: kc(shared), namespace: pc.namespace, release: names.release, signal,
          image: { ...image, pullSecrets },
          ...(dep?.helm?.values ? { values: dep.helm.values } : {}),
          ...(dep?.helm?.valuesFile ? { valuesFile: path.resolve(pc.project.path, dep.helm.valuesFile) } : {}),
          onProgress: (p: { message: string }) => progress(p.message),
        };
        if (tiller) {
          await savingPullSecrets;
          const r = await deployWithTiller(names.chartDir, { ...options, tillerNamespace: tillerNamespaceFor(pc.config, pc.namespace), progress });
          shared.workloads = r.workloads;
          return { skipped: r.skipped, detail: r.detail };
        }
        const [need] = await Promise.all([needsDeploy(names.chartDir, options), savingPullSecrets]);
        if (!need.needed) {
          shared.workloads = (need.objects ?? []).filter((r) => WORKLOAD_KINDS.includes(r.kind)).map((r) => ({ ...r, namespace: r.namespace ?? pc.namespace }));
          return { skipped: true, detail: `release "${names.release}" unchanged (${need.reason})` };
        }
        // Atomic, like `helm upgrade --atomic`: a deploy that fails or is cancelled half way is undone,
        // so what ran before keeps running (an upgrade rolls back to it; a first install is removed).
        const engine = { kubeConfig: kc(shared), namespace: pc.namespace };
        const before = need.deployed?.revision;
        onUndo(async () => {
          const newest = (await history(names.release, engine)).at(-1);
          if (!newest || (before !== undefined && newest.revision <= before)) return; // this run recorded nothing
          if (before === undefined) {
            await uninstall(names.release, engine);
            o.log(`up: removed the half-installed release "${names.release}"`);
          } else {
            await rollback(names.release, before, engine);
            o.log(`up: rolled "${names.release}" back to revision ${before} after the failed deploy`);
          }
        });
        const result = await deploy(names.chartDir, options);
        shared.workloads = result.workloads;
        shared.deployedRevision = result.release.revision;
        return { detail: `release "${names.release}" revision ${result.release.revision}` };
      },
    },
    {
      id: 'rollout',
      title: UP_STEP_TITLES.rollout,
      needs: ['deploy'],
      async run({ shared, signal, progress }) {
        const workloads = shared.workloads ?? [];
        if (!workloads.length) return { detail: 'the chart has no workloads to wait for' };
        try {
          const r = await waitForRollout({
            kubeConfig: kc(shared), namespace: shared.pc.namespace, workloads, signal,
            ...(rolloutTimeoutMs(shared, o) ? { timeoutMs: rolloutTimeoutMs(shared, o) } : {}),
            onEvent: (e) => {
              if (e.type === 'status') progress(e.message);
            },
          });
          return { detail: r.messages.at(-1) ?? 'rolled out' };
        } catch (err) {
          // As `helm upgrade --wait` records it: this revision failed, the one before still serves.
          const revision = shared.deployedRevision;
          if (revision !== undefined) {
            const release = projectNames(shared.pc).release;
            await markRolloutFailed(release, revision, (err as Error).message, { kubeConfig: kc(shared), namespace: shared.pc.namespace })
              .catch((e) => o.log(`up: could not mark revision ${revision} of "${release}" failed: ${(e as Error).message}`));
          }
          throw err;
        }
      },
    },
    {
      id: 'ports',
      title: UP_STEP_TITLES.ports,
      needs: ['rollout'],
      async run() {
        await o.startPorts();
        return { detail: 'port forwards started' };
      },
    },
    {
      id: 'ready',
      title: UP_STEP_TITLES.ready,
      needs: ['ports'],
      async run() {
        return { detail: 'the dev container is ready' };
      },
    },
  ];
  return steps;
}
