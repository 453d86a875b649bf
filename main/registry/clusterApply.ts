// The few cluster writes the registry features make, done the way the app owns objects:
// server-side apply with field manager `devspace-desktop` (create-or-update in one call, and a
// second apply of the same object changes nothing), plus turning client-node errors into AppErrors.
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, StorageV1Api, type KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../ipc/errors';
import { makeApiClient } from '../kube/apiClient';
import { describeClusterError } from '../kube/clusterErrors';

export const FIELD_MANAGER = 'devspace-desktop';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'devspace-desktop' } as const;

export interface ClusterCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ClusterApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  storage: StorageV1Api;
  server: string;
}

export function clusterApis(kc: KubeConfig, opts: ClusterCallOptions = {}): ClusterApis {
  const o = { ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
  return {
    core: makeApiClient(kc, CoreV1Api, o),
    apps: makeApiClient(kc, AppsV1Api, o),
    storage: makeApiClient(kc, StorageV1Api, o),
    server: kc.getCurrentCluster()?.server ?? '',
  };
}

/** Options for a server-side apply patch call of client-node 1.4 (the generated code picks JSON patch otherwise). */
export const APPLY = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
export const applyParams = { fieldManager: FIELD_MANAGER, force: true } as const;

/** HTTP status of a client-node ApiException, if it is one. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Any failure of a cluster call as an AppError that says what we were doing. */
export function clusterError(err: unknown, server: string, doing: string): AppError {
  if (err instanceof AppError) return err;
  const e = describeClusterError(err, server);
  return new AppError(e.code, `${doing} failed: ${e.message}`, e.hint, { cause: err });
}

/** Runs a cluster call; failures become AppErrors naming `doing`. */
export async function call<T>(server: string, doing: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw clusterError(err, server, doing);
  }
}

/** Like call(), but a 404 is `undefined`. */
export async function getOrUndefined<T>(server: string, doing: string, f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw clusterError(err, server, doing);
  }
}

/** Time for the registry's waits (tests pass a virtual one). */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new AppError('CANCELLED', 'Cancelled.'));
      const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
      const onAbort = () => (clearTimeout(t), reject(new AppError('CANCELLED', 'Cancelled.')));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
