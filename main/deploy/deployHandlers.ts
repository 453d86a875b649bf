// The `deploy.*` requests: the project's release (revisions, pods, events), rollback, and a
// preview of the manifests the next deploy would apply. The release is the one Up deploys
// (projectNames), through the engine the project's settings name (Helm 3 records or Tiller).
import path from 'node:path';
import type { DeploymentView, ManifestPreview } from '../../preload/api';
import type { ProjectCluster, ResolveProjectCluster } from '../app/projectCluster';
import { computeBuildHash } from '../build/hash/buildHash';
import { contextKey, loadStatCache } from '../build/hash/statCacheFile';
import type { ApiHandlers } from '../ipc/dispatch';
import { AppError } from '../ipc/errors';
import type { EventBus } from '../ipc/events';
import { describeClusterError } from '../kube/clusterErrors';
import { projectSettings } from '../project/config/projectSettings';
import { pullSecretName } from '../registry/pullSecrets';
import { projectNames } from '../up/upPipeline';
import { manifestObjects } from './apply';
import { ClusterObjects, type KubeObject } from './clusterObjects';
import type { BuiltImage } from './deployValues';
import { releaseActivity, rollbackTarget } from './deploymentView';
import { rollback as helmRollback } from './helmEngine';
import { renderManifestPreview } from './manifestPreview';
import { helm3Snapshot, tillerNamespaceOf, tillerSnapshot, withTiller, type ReleaseSnapshot } from './releaseHistory';

export interface DeployHandlerDeps {
  events: EventBus;
  resolveProjectCluster: ResolveProjectCluster;
  log: (line: string) => void;
  /** Per API request (default 15 s): the panel refreshes every few seconds and must not hang. */
  requestTimeoutMs?: number;
}

export type DeployHandlers = Pick<ApiHandlers, 'deploy.status' | 'deploy.rollback' | 'deploy.manifests'>;

/** Shown as the image while nothing is deployed and the next build's tag cannot be worked out. */
export const PLACEHOLDER_TAG = 'placeholder-not-built-yet';

/** Anything but an AppError (API Status failures, socket errors) in the cluster classifier's words. */
function clusterProblem(e: unknown, pc: ProjectCluster): AppError {
  if (e instanceof AppError) return e;
  const err = describeClusterError(e, pc.kubeConfig.getCurrentCluster()?.server);
  return new AppError(err.code, err.message, err.hint, { cause: e });
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The image a release was deployed with, from its stored values (the keys deployValues injects). */
export function imageOfConfig(config: Record<string, unknown>): BuiltImage | undefined {
  const img = config.image;
  if (!isRecord(img) || typeof img.repository !== 'string' || (typeof img.tag !== 'string' && typeof img.tag !== 'number')) return undefined;
  const secrets = Array.isArray(config.pullSecrets) ? config.pullSecrets.filter((s): s is string => typeof s === 'string') : [];
  return { repository: img.repository, tag: String(img.tag), ...(secrets.length ? { pullSecrets: secrets } : {}) };
}

export function createDeployHandlers(deps: DeployHandlerDeps): DeployHandlers {
  const timeoutMs = deps.requestTimeoutMs ?? 15_000;
  const apiOf = (pc: ProjectCluster) => ClusterObjects.connect(pc.kubeConfig, { timeoutMs });

  const snapshot = async (pc: ProjectCluster, release: string, engine: 'helm3' | 'tiller'): Promise<ReleaseSnapshot | undefined> =>
    engine === 'tiller' ? tillerSnapshot(pc.kubeConfig, tillerNamespaceOf(pc.config, pc.namespace), release) : helm3Snapshot(apiOf(pc), pc.namespace, release);

  const status = async (): Promise<DeploymentView> => {
    const pc = await deps.resolveProjectCluster();
    const { release } = projectNames(pc);
    const engine = projectSettings(pc.config).deployEngine;
    const base = { release, namespace: pc.namespace, engine };
    try {
      const snap = await snapshot(pc, release, engine);
      if (!snap) return { ...base, current: null, history: [], pods: [], events: [] };
      // The objects of the newest revision and of the deployed one, once each.
      const objects = new Map<string, KubeObject>();
      for (const text of snap.manifests) for (const o of manifestObjects(text)) objects.set(`${o.kind}/${o.metadata?.name}`, o);
      const { pods, events, podsBroken } = await releaseActivity(apiOf(pc), pc.namespace, [...objects.values()]);
      const rollbackTo = rollbackTarget(snap.history, podsBroken);
      return { ...base, current: snap.history[0] ?? null, history: snap.history, pods, events, ...(rollbackTo !== undefined ? { rollbackTo } : {}) };
    } catch (e) {
      throw clusterProblem(e, pc);
    }
  };

  /** The image the next deploy would get when nothing is deployed: the registry's repository and the build hash's tag. */
  const nextImage = async (pc: ProjectCluster, warnings: string[]): Promise<BuiltImage> => {
    const names = projectNames(pc);
    const settings = projectSettings(pc.config);
    const host = settings.registry.kind === 'external' ? settings.registry.url.replace(/\/+$/, '') : 'localhost:5000';
    const repository = `${host}/${names.imageName}`;
    let tag = PLACEHOLDER_TAG;
    try {
      const options = pc.config?.images ? Object.values(pc.config.images)[0]?.build?.options : undefined;
      const cache = await loadStatCache(pc.project.path, contextKey(pc.project.path, names.contextDir));
      // The stat cache is read, never written: Up owns it.
      tag = (await computeBuildHash({ contextDir: names.contextDir, dockerfile: names.dockerfile, cache, ...(options?.buildArgs ? { buildArgs: options.buildArgs } : {}), ...(options?.target ? { target: options.target } : {}) })).tag;
    } catch (e) {
      warnings.push(`Nothing is deployed yet and the image tag of the next build is unknown (${e instanceof Error ? e.message : String(e)}): the image shown, ${repository}:${PLACEHOLDER_TAG}, is a placeholder.`);
    }
    return { repository, tag, ...(settings.registry.kind === 'in-cluster' ? { pullSecrets: [pullSecretName(host)] } : {}) };
  };

  return {
    'deploy.status': status,

    'deploy.rollback': async (revision) => {
      const pc = await deps.resolveProjectCluster();
      const { release } = projectNames(pc);
      const engine = projectSettings(pc.config).deployEngine;
      try {
        if (engine === 'tiller') {
          const done = await withTiller(pc.kubeConfig, tillerNamespaceOf(pc.config, pc.namespace), (t) => t.rollback(release, revision));
          if (!done) throw new AppError('NOT_FOUND', `Release "${release}" cannot be rolled back: no Tiller runs in namespace "${tillerNamespaceOf(pc.config, pc.namespace)}".`, 'Click Up to deploy the project first.');
        } else {
          await helmRollback(release, revision, { kubeConfig: pc.kubeConfig, namespace: pc.namespace, requestTimeoutMs: timeoutMs });
        }
        deps.log(`deploy: rolled back release "${release}" to revision ${revision}`);
      } catch (e) {
        throw clusterProblem(e, pc);
      }
      return status();
    },

    'deploy.manifests': async (): Promise<ManifestPreview> => {
      const pc = await deps.resolveProjectCluster();
      const names = projectNames(pc);
      const engine = projectSettings(pc.config).deployEngine;
      const warnings: string[] = [];
      let snap: ReleaseSnapshot | undefined;
      let reachable = true;
      try {
        snap = await snapshot(pc, names.release, engine);
      } catch (e) {
        const err = clusterProblem(e, pc);
        if (!err.code.startsWith('CLUSTER_')) throw err;
        // The chart still renders without the cluster, only the deployed image is unknown.
        reachable = false;
        warnings.push(`The release could not be read from the cluster (${err.message}); the manifests are rendered without it.`);
      }
      const deployedImage = snap ? imageOfConfig(snap.config) : undefined;
      const image = deployedImage ?? (await nextImage(pc, warnings));
      const dep = pc.config?.devSpace?.deployments?.[0];
      try {
        return await renderManifestPreview({
          chartDir: names.chartDir,
          revision: (snap?.history[0]?.revision ?? 0) + 1,
          deploy: {
            kubeConfig: pc.kubeConfig,
            namespace: pc.namespace,
            release: names.release,
            image,
            ...(dep?.helm?.values ? { values: dep.helm.values } : {}),
            ...(dep?.helm?.valuesFile ? { valuesFile: path.resolve(pc.project.path, dep.helm.valuesFile) } : {}),
            requestTimeoutMs: timeoutMs,
          },
          ...(reachable ? { api: apiOf(pc) } : {}),
          warnings,
        });
      } catch (e) {
        throw clusterProblem(e, pc);
      }
    },
  };
}
