// A release's revisions as the Deployment panel lists them, from either engine: the Helm 3 records
// (Secrets) or Tiller's history. "Nothing deployed" is a value (undefined), not an error, also when
// the project uses Tiller and no Tiller runs yet.
import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import type { DeploymentRevision } from '../../preload/api';
import { AppError } from '../ipc/errors';
import type { ClusterObjects } from './clusterObjects';
import type { Release } from './releaseRecord';
import { ReleaseStorage } from './releaseStorage';
import { STATUS_CODES, type Release as TillerRelease, type StatusCode, type Timestamp } from './tiller/hapi';
import { TillerClient } from './tiller/tillerClient';

export interface ReleaseSnapshot {
  /** Newest first. */
  history: DeploymentRevision[];
  /** The manifests of the newest revision and of the deployed one (what may be running). */
  manifests: string[];
  /** The newest revision's user-supplied values (what `helm get values` shows). */
  config: Record<string, unknown>;
}

function helm3Revision(r: Release): DeploymentRevision {
  const m = r.chart.metadata as { name?: string; version?: string };
  return {
    revision: r.version,
    status: r.info.status,
    updated: r.info.last_deployed || r.info.first_deployed,
    ...(r.info.description ? { description: r.info.description } : {}),
    ...(m.name ? { chart: `${m.name}-${m.version ?? ''}` } : {}),
  };
}

/** The release from its Helm 3 records in `namespace`; undefined when it has none. */
export async function helm3Snapshot(api: ClusterObjects, namespace: string, release: string): Promise<ReleaseSnapshot | undefined> {
  const records = await new ReleaseStorage(api, namespace).history(release);
  const latest = records.at(-1);
  if (!latest) return undefined;
  const deployed = records.filter((r) => r.info.status === 'deployed').at(-1);
  return {
    history: records.map(helm3Revision).reverse(),
    manifests: [...new Set([latest.manifest ?? '', deployed?.manifest ?? ''])].filter(Boolean),
    config: latest.config ?? {},
  };
}

/** Tiller's status codes in Helm 3's words (DELETED is what Helm 3 calls uninstalled). */
export function tillerStatus(code: StatusCode | number | undefined): string {
  const name = typeof code === 'number' ? STATUS_CODES[code] : code;
  if (!name) return 'unknown';
  return name === 'DELETED' ? 'uninstalled' : name.toLowerCase().replace(/_/g, '-');
}

function isoOf(t: Timestamp | undefined): string {
  if (!t || !Number(t.seconds)) return '';
  return new Date(Number(t.seconds) * 1000 + Math.floor(Number(t.nanos ?? 0) / 1e6)).toISOString();
}

export function tillerRevision(r: TillerRelease): DeploymentRevision {
  const m = r.chart?.metadata;
  const description = r.info?.description;
  return {
    revision: Number(r.version),
    status: tillerStatus(r.info?.status?.code),
    updated: isoOf(r.info?.lastDeployed) || isoOf(r.info?.firstDeployed),
    ...(description ? { description } : {}),
    ...(m?.name ? { chart: `${m.name}-${m.version ?? ''}` } : {}),
  };
}

function rawValues(raw: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const v = parseYaml(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Where the project's Tiller runs: config.yaml's `tiller.namespace`, else the project's namespace. */
export function tillerNamespaceOf(config: { tiller?: { namespace?: string } } | null, projectNamespace: string): string {
  return config?.tiller?.namespace || projectNamespace;
}

/**
 * Runs `fn` with a Tiller client; undefined when no Tiller runs in `tillerNamespace` (nothing was
 * deployed with it yet). Other failures (cluster unreachable, Tiller refusing) are thrown.
 */
export async function withTiller<T>(kubeConfig: KubeConfig, tillerNamespace: string, fn: (t: TillerClient) => Promise<T>): Promise<T | undefined> {
  let client: TillerClient;
  try {
    client = await TillerClient.connect({ kubeConfig, tillerNamespace, callTimeoutMs: 30_000 });
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  }
  try {
    return await fn(client);
  } finally {
    await client.close().catch(() => {});
  }
}

/** The release through Tiller; undefined when there is no Tiller or Tiller does not know it. */
export async function tillerSnapshot(kubeConfig: KubeConfig, tillerNamespace: string, release: string): Promise<ReleaseSnapshot | undefined> {
  return withTiller(kubeConfig, tillerNamespace, async (t) => {
    let releases: TillerRelease[];
    try {
      releases = await t.history(release);
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return undefined;
      throw e;
    }
    const sorted = [...releases].sort((a, b) => Number(b.version) - Number(a.version));
    const latest = sorted[0];
    if (!latest) return undefined;
    const deployed = sorted.find((r) => tillerStatus(r.info?.status?.code) === 'deployed');
    return {
      history: sorted.map(tillerRevision),
      manifests: [...new Set([latest.manifest ?? '', deployed?.manifest ?? ''])].filter(Boolean),
      config: rawValues(latest.config?.raw),
    };
  });
}
