// Up with the Tiller (Helm 2) engine: Tiller is found or installed namespace-scoped, then the
// chart goes through Tiller's gRPC API with the same values the Helm 3 engine would render with
// (the built image, pull secrets, the user's values and values file).
//
// "Nothing changed" is decided like the Helm 3 engine does it, by the deploy hash of chart +
// values (+ release and namespace). Helm 3 keeps it in a label of its release record; Tiller's
// records have no labels and Tiller's API takes no description, so the hash travels in the
// release's own values under `devspaceDeployHash`. That keeps it with the release in the
// cluster (another machine's Up, or a `helm upgrade` by hand, which drops or changes it, is
// seen), rather than in .devspace/generated.yaml, which only this machine would know about.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { manifestObjects } from '../deploy/apply';
import { refOf, type ObjectRef } from '../deploy/clusterObjects';
import { prepare, type DeployOptions } from '../deploy/deployInputs';
import { WORKLOAD_KINDS } from '../deploy/helmEngine';
import { isKept } from '../deploy/prune';
import type { Release } from '../deploy/tiller/hapi';
import { findTillerPod, TillerClient } from '../deploy/tiller/tillerClient';
import { clusterFailure, statusOf } from '../deploy/tiller/clusterFailure';
import { ensureTiller } from '../deploy/tiller/tillerInstaller';
import { makeApiClient } from '../kube/apiClient';
import { AppError } from '../ipc/errors';
import type { DevspaceConfig } from '../project/config/schema';

/** The values key that carries the deploy hash of a Tiller release. */
export const TILLER_HASH_KEY = 'devspaceDeployHash';

/** Where Tiller runs for a project: `tiller.namespace` of config.yaml, else the project's namespace (namespace-scoped, like the RBAC it gets). */
export function tillerNamespaceFor(config: DevspaceConfig | null, projectNamespace: string): string {
  return config?.tiller?.namespace || projectNamespace;
}

export async function ensureProjectTiller(o: {
  kubeConfig: KubeConfig; tillerNamespace: string; projectNamespace: string; signal: AbortSignal; log: (l: string) => void; image?: string;
  /** Each object created, with how to delete it: a cancelled or failed install is undone. */
  onCreated?: (what: string, remove: () => Promise<unknown>) => void;
}): Promise<string> {
  if (o.tillerNamespace !== o.projectNamespace) await ensureNamespace(o.kubeConfig, o.tillerNamespace, o.signal);
  const r = await ensureTiller({
    kubeConfig: o.kubeConfig, tillerNamespace: o.tillerNamespace, projectNamespaces: [o.projectNamespace], signal: o.signal,
    log: (l) => o.log(`tiller: ${l}`), ...(o.image ? { image: o.image } : {}),
    ...(o.onCreated ? { onCreated: o.onCreated } : {}),
  });
  return r.installed ? `installed Tiller in namespace "${o.tillerNamespace}" (${r.pod})` : `Tiller runs in namespace "${o.tillerNamespace}" (${r.pod})`;
}

/** Tiller's own namespace (`tiller.namespace` in config.yaml) is created when missing, like `helm init --tiller-namespace`. */
async function ensureNamespace(kc: KubeConfig, name: string, signal: AbortSignal): Promise<void> {
  const core = makeApiClient(kc, CoreV1Api, { signal });
  try {
    await core.readNamespace({ name });
    return;
  } catch (e) {
    if (statusOf(e) !== 404) throw clusterFailure(e, kc, `Looking for Tiller's namespace "${name}"`);
  }
  try {
    await core.createNamespace({ body: { metadata: { name } } });
  } catch (e) {
    if (statusOf(e) !== 409) throw clusterFailure(e, kc, `Creating Tiller's namespace "${name}"`);
  }
}

export interface TillerDeployResult {
  skipped: boolean;
  detail: string;
  workloads: ObjectRef[];
}

/** `helm upgrade --install` through Tiller, skipped when the deployed revision has the same hash. */
export async function deployWithTiller(chartDir: string, o: DeployOptions & { tillerNamespace: string; progress: (m: string) => void }): Promise<TillerDeployResult> {
  const p = await prepare(chartDir, o);
  const values = { ...p.values, [TILLER_HASH_KEY]: p.hash };
  o.progress('Connecting to Tiller');
  const tiller = await TillerClient.connect({ kubeConfig: o.kubeConfig, tillerNamespace: o.tillerNamespace });
  const onAbort = () => void tiller.close();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const history = await tiller.history(o.release, 256).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return [] as Release[];
      throw e;
    });
    const last = history[0]; // newest first
    const deployed = history.find((r) => r.info?.status?.code === 'DEPLOYED');
    if (last && deployed === last && hashOf(last) === p.hash && !o.force) {
      return { skipped: true, detail: `release "${o.release}" unchanged (revision ${last.version} was deployed through Tiller from the same chart and values)`, workloads: workloadsOf(last, o.namespace) };
    }
    let rel: Release;
    if (!deployed) {
      o.progress(`Installing release "${o.release}" through Tiller`);
      rel = await tiller.install({ name: o.release, namespace: o.namespace, chart: p.chart, values, reuseName: !!last });
    } else {
      if (deployed.namespace && deployed.namespace !== o.namespace) {
        throw new AppError('ALREADY_EXISTS', `Tiller's release "${o.release}" is deployed in namespace "${deployed.namespace}", not "${o.namespace}".`, 'Tiller release names are unique per Tiller: rename the deployment in .devspace/config.yaml, or purge the other release.');
      }
      o.progress(`Upgrading release "${o.release}" through Tiller`);
      rel = await tiller.upgrade({ name: o.release, chart: p.chart, values, resetValues: true });
    }
    const code = rel.info?.status?.code;
    if (code !== 'DEPLOYED') throw new AppError('CLUSTER_ERROR', `Tiller left release "${o.release}" ${code ?? 'in an unknown state'}: ${rel.info?.description ?? ''}`, 'Look at the release with "helm history" (Helm 2) or in the Deployment panel.');
    return { skipped: false, detail: `release "${o.release}" revision ${rel.version} (Tiller)`, workloads: workloadsOf(rel, o.namespace) };
  } catch (e) {
    // Closing the client is how a cancel stops a call in flight: report it as the cancel it is.
    if (o.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    throw e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await tiller.close();
  }
}

function hashOf(r: Release): string | undefined {
  try {
    const v = parseYaml(r.config?.raw ?? '') as Record<string, unknown> | null;
    const h = v?.[TILLER_HASH_KEY];
    return typeof h === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

function workloadsOf(r: Release, namespace: string): ObjectRef[] {
  return manifestObjects(r.manifest ?? '')
    .filter((x) => WORKLOAD_KINDS.includes(x.kind ?? ''))
    .map((x) => ({ ...refOf(x), namespace: x.metadata?.namespace || r.namespace || namespace }));
}

/**
 * Uninstalls (and purges) a Tiller release of the project. Undefined when no Tiller runs or it
 * has no such release; otherwise the number of objects deleted.
 */
export async function purgeTillerRelease(o: { kubeConfig: KubeConfig; tillerNamespace: string; release: string }): Promise<number | undefined> {
  try {
    await findTillerPod(o.kubeConfig, o.tillerNamespace);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  }
  const tiller = await TillerClient.connect({ kubeConfig: o.kubeConfig, tillerNamespace: o.tillerNamespace });
  try {
    let last: Release | undefined;
    try {
      last = (await tiller.history(o.release, 1))[0];
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return undefined;
      throw e;
    }
    if (!last) return undefined;
    const wasDeleted = last.info?.status?.code === 'DELETED';
    await tiller.uninstall(o.release, { purge: true });
    if (wasDeleted) return undefined; // nothing was deployed, only its history was left: forgotten now
    return manifestObjects(last.manifest ?? '').filter((x) => !isKept(x)).length;
  } finally {
    await tiller.close();
  }
}
