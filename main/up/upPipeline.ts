// Up as stepRunner steps: connect → namespace ready → registry ready (alongside the build's own
// preparation) → build (or skip: image unchanged) → deploy (or skip: unchanged) → rollout → ports
// started → ready. Each step reports what it does through the runner; cancel undoes what the
// running step created (the build pod is removed by the Kaniko builder itself).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CoreV1Api, type KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { ApiError } from '../../preload/api';
import type { ProjectCluster } from '../app/projectCluster';
import { computeBuildHash } from '../build/hash/buildHash';
import { contextKey, loadStatCache, saveStatCache } from '../build/hash/statCacheFile';
import { KanikoBuilder } from '../build/kaniko/kanikoBuilder';
import type { ObjectRef } from '../deploy/clusterObjects';
import { deploy, needsDeploy, status, WORKLOAD_KINDS } from '../deploy/helmEngine';
import { waitForRollout } from '../deploy/rollout';
import { AppError } from '../ipc/errors';
import { makeApiClient } from '../kube/apiClient';
import { describeClusterError } from '../kube/clusterErrors';
import { chartNameFor } from '../project/chart/generateChart';
import type { DevspaceConfig } from '../project/config/schema';
import { InClusterRegistry, type InClusterRegistryInfo, type RegistryPasswordStore } from '../registry/inClusterRegistry';
import { ensurePullSecrets } from '../registry/pullSecrets';
import type { BuildLogSink } from './buildLog';
import type { StepDefinition } from './stepRunner';

export interface UpOptions {
  /** Where the in-cluster registry keeps its password on this machine. */
  registryStore: RegistryPasswordStore;
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
  registry?: InClusterRegistryInfo;
  image?: { repository: string; tag: string };
  workloads?: ObjectRef[];
}

export const UP_STEP_TITLES = {
  connect: 'Connect to the cluster',
  namespace: 'Namespace ready',
  registry: 'Registry ready',
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
  let registryReady!: (info: InClusterRegistryInfo) => void;
  const registryInfo = new Promise<InClusterRegistryInfo>((resolve) => (registryReady = resolve));
  const kc = (s: UpShared): KubeConfig => s.pc.kubeConfig;
  const server = (s: UpShared) => s.pc.kubeConfig.getCurrentCluster()?.server;

  return [
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
        const registry = new InClusterRegistry(kc(shared), {
          store: o.registryStore,
          signal,
          onProgress: (m) => progress(m),
          ...(o.registryHostPort ? { hostPort: o.registryHostPort } : {}),
        });
        const info = await registry.ensure();
        shared.registry = info;
        registryReady(info);
        for (const w of info.warnings) o.log(`registry: ${w}`);
        return { detail: `in-cluster registry ${info.pullHost}${info.warnings.length ? ` (${info.warnings.join('; ')})` : ''}` };
      },
    },
    {
      id: 'build',
      title: UP_STEP_TITLES.build,
      needs: ['namespace'],
      async run({ shared, signal, progress }) {
        const pc = shared.pc;
        const names = projectNames(pc);
        const builder = new KanikoBuilder({ kubeConfig: kc(shared), namespace: pc.namespace, log: o.log, ...(o.executorImage ? { executorImage: o.executorImage } : {}) });
        progress('Removing build pods an earlier run left');
        const removed = await builder.cleanupLeftovers(pc.project.path, { signal });
        if (removed.length) o.log(`removed leftover build pods: ${removed.join(', ')}`);
        progress('Hashing the build context');
        const key = contextKey(pc.project.path, names.contextDir);
        const cache = await loadStatCache(pc.project.path, key);
        const buildOptions = pc.config?.images ? Object.values(pc.config.images)[0]?.build?.options : undefined;
        const h = await computeBuildHash({
          contextDir: names.contextDir, dockerfile: names.dockerfile, cache,
          ...(buildOptions?.buildArgs ? { buildArgs: buildOptions.buildArgs } : {}),
          ...(buildOptions?.target ? { target: buildOptions.target } : {}),
        });
        await saveStatCache(pc.project.path, key, h.cache);
        progress('Waiting for the registry');
        const reg = await Promise.race([registryInfo, aborted(signal)]);
        shared.image = { repository: `${reg.pullHost}/${names.imageName}`, tag: h.tag };
        const pushRef = `${reg.pushHost}/${names.imageName}:${h.tag}`;
        const should = await builder.shouldBuild({
          imageRef: pushRef, registry: { host: reg.pullHost, insecure: true, credentials: reg.credentials }, force: o.forceRebuild ?? false, signal,
        });
        if (!should.build) return { skipped: true, detail: `image unchanged (${names.imageName}:${h.tag})` };
        progress(`Building ${names.imageName}:${h.tag}`);
        await builder.build({
          projectId: pc.project.path, contextDir: names.contextDir, dockerfile: names.dockerfile, entries: h.entries, buildHash: h.hash,
          imageRef: pushRef, registry: { host: reg.pushHost, insecure: true, credentials: reg.credentials }, signal,
          ...(buildOptions?.buildArgs ? { buildArgs: buildOptions.buildArgs } : {}),
          ...(buildOptions?.target ? { target: buildOptions.target } : {}),
          onLog: (l) => {
            o.log(`build: ${l}`);
            o.buildLog?.line(l);
          },
          onStep: (s) => {
            o.buildLog?.step(s);
            progress(`Step ${s.index}/${s.total}: ${s.instruction}`, s.total ? (s.index - 1) / s.total : undefined);
          },
        });
        return { detail: `built ${names.imageName}:${h.tag}` };
      },
    },
    {
      id: 'deploy',
      title: UP_STEP_TITLES.deploy,
      needs: ['build', 'registry'],
      async run({ shared, signal, progress }) {
        const pc = shared.pc;
        const names = projectNames(pc);
        if (!existsSync(names.chartDir)) {
          throw new AppError('NOT_FOUND', `There is no chart at ${names.chartDir}.`, 'Let DevSpace generate one (first Up) or set devSpace.deployments[0].helm.chartPath in .devspace/config.yaml.');
        }
        const reg = shared.registry as InClusterRegistryInfo;
        const image = shared.image as { repository: string; tag: string };
        progress('Image pull secret');
        const pullSecrets = await ensurePullSecrets(kc(shared), pc.namespace, [{ host: reg.pullHost, ...reg.credentials }], { signal });
        const dep = pc.config?.devSpace?.deployments?.[0];
        const options = {
          kubeConfig: kc(shared), namespace: pc.namespace, release: names.release, signal,
          image: { ...image, pullSecrets },
          ...(dep?.helm?.values ? { values: dep.helm.values } : {}),
          ...(dep?.helm?.valuesFile ? { valuesFile: path.resolve(pc.project.path, dep.helm.valuesFile) } : {}),
          onProgress: (p: { message: string }) => progress(p.message),
        };
        const need = await needsDeploy(names.chartDir, options);
        if (!need.needed) {
          const st = await status(names.release, options);
          shared.workloads = (st?.objects ?? []).filter((r) => WORKLOAD_KINDS.includes(r.kind)).map((r) => ({ ...r, namespace: r.namespace ?? pc.namespace }));
          return { skipped: true, detail: `release "${names.release}" unchanged (${need.reason})` };
        }
        const result = await deploy(names.chartDir, options);
        shared.workloads = result.workloads;
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
        const r = await waitForRollout({
          kubeConfig: kc(shared), namespace: shared.pc.namespace, workloads, signal,
          ...(o.rolloutTimeoutMs ? { timeoutMs: o.rolloutTimeoutMs } : {}),
          onEvent: (e) => {
            if (e.type === 'status') progress(e.message);
          },
        });
        return { detail: r.messages.at(-1) ?? 'rolled out' };
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
}
