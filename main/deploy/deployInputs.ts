// What a deploy starts from: the options, the chart loaded and rendered with the layered values,
// the fingerprint that lets a warm Up skip, and the read-only views of a release (preview,
// needsDeploy). The engine's write paths are in helmEngine.ts.
import type { KubeConfig } from '@kubernetes/client-node';
import { readFile } from 'node:fs/promises';
import { ChartError, loadChart, parseValuesText, renderChart, resolveUserValues, type LoadedChart, type RenderedChart } from '../chart';
import { AppError } from '../ipc/errors';
import { manifestObjects } from './apply';
import { ClusterObjects, KubeApiError, refOf, type ObjectRef } from './clusterObjects';
import { DEPLOY_HASH_LABEL, deployHash, deployValues, type BuiltImage } from './deployValues';
import type { Release, ReleaseStatus } from './releaseRecord';
import { ReleaseStorage } from './releaseStorage';

export interface DeployProgress {
  step: 'render' | 'record' | 'hooks' | 'validate' | 'apply' | 'prune' | 'uninstall' | 'done';
  message: string;
  object?: ObjectRef;
}

export interface EngineOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  signal?: AbortSignal;
  onProgress?: (p: DeployProgress) => void;
  now?: () => Date;
  /** Revisions kept per release (helm's --history-max); default 10; 0 keeps all. */
  historyMax?: number;
  /** How long a hook Job/Pod may run; default 5 min (helm's --timeout). */
  hookTimeoutMs?: number;
  /** Per API request; default 30 s. */
  requestTimeoutMs?: number;
}

export interface DeployOptions extends EngineOptions {
  release: string;
  /** The image the app built, offered as image.repository / image.tag / imageRef / pullSecrets. */
  image?: BuiltImage;
  /** Values from .devspace/config.yaml (win over the image keys). */
  values?: Record<string, unknown>;
  /** A values file (wins over `values`). */
  valuesFile?: string;
  /** --set strings, applied last. */
  set?: string[];
  /** Deploy even when chart and values are unchanged since the deployed revision. */
  force?: boolean;
}

export interface ReleaseSummary {
  name: string;
  namespace: string;
  revision: number;
  status: ReleaseStatus;
  description: string;
  updated: string;
  chart: string;
  appVersion: string;
}

export interface Preview {
  manifests: { template: string; kind: string; name: string; namespace?: string; content: string }[];
  hooks: { name: string; kind: string; events: string[]; weight: number; manifest: string }[];
  notes?: string;
  values: Record<string, unknown>;
  hash: string;
  /** True when the deployed revision was made from the same chart and values. */
  upToDate: boolean;
  deployed?: ReleaseSummary;
}

export function summarize(r: Release): ReleaseSummary {
  const m = r.chart.metadata as { name?: string; version?: string; appVersion?: string };
  return {
    name: r.name,
    namespace: r.namespace,
    revision: r.version,
    status: r.info.status,
    description: r.info.description ?? '',
    updated: r.info.last_deployed,
    chart: `${m.name ?? ''}-${m.version ?? ''}`,
    appVersion: m.appVersion ?? '',
  };
}

export interface Session {
  api: ClusterObjects;
  storage: ReleaseStorage;
  now: () => Date;
  progress: (p: DeployProgress) => void;
}

export function session(o: EngineOptions): Session {
  const now = o.now ?? (() => new Date());
  const api = ClusterObjects.connect(o.kubeConfig, { timeoutMs: o.requestTimeoutMs ?? 30_000, ...(o.signal ? { signal: o.signal } : {}) });
  return { api, storage: new ReleaseStorage(api, o.namespace, now), now, progress: o.onProgress ?? (() => {}) };
}

/** A second client without the caller's signal: recording a failure must still work after a cancel. */
export function recorder(o: EngineOptions, now: () => Date): ReleaseStorage {
  return new ReleaseStorage(ClusterObjects.connect(o.kubeConfig, { timeoutMs: o.requestTimeoutMs ?? 30_000 }), o.namespace, now);
}

export function chartProblem(e: unknown): never {
  if (e instanceof ChartError) {
    throw new AppError('CONFIG_INVALID', e.file ? `${e.message} (${e.file})` : e.message, e.hint ?? 'Fix the chart in chart/ and deploy again.', { cause: e });
  }
  throw e;
}

async function clusterKubeVersion(api: ClusterObjects): Promise<string | undefined> {
  try {
    const v = await api.request<{ gitVersion?: string }>('GET', '/version');
    return v.gitVersion?.replace(/[-+].*$/, '');
  } catch {
    return undefined;
  }
}

export interface Prepared {
  chart: LoadedChart;
  values: Record<string, unknown>;
  hash: string;
}

export async function prepare(chartDir: string, o: DeployOptions): Promise<Prepared> {
  const chart = await loadChart(chartDir).catch(chartProblem);
  let fileValues: Record<string, unknown> | undefined;
  if (o.valuesFile) {
    const text = await readFile(o.valuesFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new AppError('CONFIG_INVALID', `The values file ${o.valuesFile} cannot be read (${e.code ?? e.message}).`, 'Fix the path of the values file in the project settings.');
    });
    try {
      fileValues = parseValuesText(text, o.valuesFile);
    } catch (e) {
      chartProblem(e);
    }
  }
  const values = deployValues({ ...(o.image ? { image: o.image } : {}), ...(o.values ? { configValues: o.values } : {}), ...(fileValues ? { fileValues } : {}) });
  return { chart, values, hash: deployHash(chart, { values, ...(o.set ? { set: o.set } : {}), release: o.release, namespace: o.namespace }) };
}

export async function render(p: Prepared, o: DeployOptions, api: ClusterObjects, revision: number, isUpgrade: boolean): Promise<RenderedChart> {
  const kubeVersion = await clusterKubeVersion(api);
  return renderChart(p.chart, {
    values: p.values,
    ...(o.set ? { set: o.set } : {}),
    release: { name: o.release, namespace: o.namespace, revision, isUpgrade },
    ...(kubeVersion ? { kubeVersion } : {}),
    lookup: (apiVersion, kind, namespace, name) => lookup(api, apiVersion, kind, namespace, name),
  }).catch(chartProblem);
}

/**
 * Helm's `lookup` against the cluster, as `helm install` does it: one object, or a List when the
 * name is empty; an empty map when it does not exist (or the kind is unknown).
 */
async function lookup(api: ClusterObjects, apiVersion: string, kind: string, namespace: string, name: string): Promise<object> {
  try {
    if (name) return (await api.get({ apiVersion, kind, name, ...(namespace ? { namespace } : {}) })) ?? {};
    const list = await api.listObjects(apiVersion, kind, namespace || undefined);
    return { apiVersion, kind: `${kind}List`, metadata: list.metadata ?? {}, items: list.items ?? [] };
  } catch (e) {
    if (e instanceof KubeApiError && e.code === 404) return {};
    throw e;
  }
}

/** What a deploy would apply, for the UI to show before (or instead of) deploying. */
export async function preview(chartDir: string, o: DeployOptions): Promise<Preview> {
  const s = session(o);
  const p = await prepare(chartDir, o);
  const history = await s.storage.history(o.release);
  const deployed = history.filter((r) => r.info.status === 'deployed').at(-1);
  const last = history.at(-1);
  const rendered = await render(p, o, s.api, (last?.version ?? 0) + 1, !!deployed);
  return {
    manifests: rendered.manifests.map((m) => ({ template: m.name, kind: m.kind ?? '', name: m.metadata?.name ?? '', ...(m.metadata?.namespace ? { namespace: m.metadata.namespace } : {}), content: m.content })),
    hooks: rendered.hooks.map((h) => ({ name: h.name, kind: h.kind, events: [...h.events], weight: h.weight, manifest: h.manifest })),
    ...(rendered.notes ? { notes: rendered.notes } : {}),
    values: rendered.values as Record<string, unknown>,
    hash: p.hash,
    upToDate: !!deployed && deployed === last && deployed.labels?.[DEPLOY_HASH_LABEL] === p.hash,
    ...(deployed ? { deployed: summarize(deployed) } : {}),
  };
}

/**
 * Cheap check for a warm Up: one list of the release's records, no render. When nothing is needed
 * it also names the deployed revision's objects (what `status()` would list), so a warm Up need
 * not read the records a second time to find the workloads to wait for.
 */
export async function needsDeploy(chartDir: string, o: DeployOptions): Promise<{ needed: boolean; reason: string; deployed?: ReleaseSummary; objects?: ObjectRef[] }> {
  const s = session(o);
  const [p, history] = await Promise.all([prepare(chartDir, o), s.storage.history(o.release)]);
  const deployed = history.filter((r) => r.info.status === 'deployed').at(-1);
  if (!deployed) return { needed: true, reason: `release "${o.release}" has no deployed revision` };
  if (deployed !== history.at(-1)) return { needed: true, reason: `revision ${history.at(-1)!.version} (${history.at(-1)!.info.status}) came after the deployed one`, deployed: summarize(deployed) };
  if (deployed.labels?.[DEPLOY_HASH_LABEL] !== p.hash) return { needed: true, reason: 'the chart or its values changed', deployed: summarize(deployed) };
  return { needed: false, reason: `revision ${deployed.version} was deployed from the same chart and values`, deployed: summarize(deployed), objects: manifestObjects(deployed.manifest ?? '').map(refOf) };
}

export async function configOf(p: Prepared, o: DeployOptions): Promise<Record<string, unknown>> {
  return (await resolveUserValues({ values: p.values, ...(o.set ? { set: o.set } : {}) }).catch(chartProblem)) as Record<string, unknown>;
}
