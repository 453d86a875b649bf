// Waiting for the build pod to run, by watching it (no polling), and telling the user in plain
// words why it does not: the executor image cannot be pulled, the pod cannot be scheduled, its
// container fails to start. A dropped watch is resumed from the last resourceVersion seen; a
// 410 Gone (or any watch failure) re-reads the pod first.
import { CoreV1Api, Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { podProblem, type PodJson } from '../../deploy/podProblems';
import { AppError } from '../../ipc/errors';
import { makeApiClient } from '../../kube/apiClient';
import { clusterError } from '../../registry/clusterApply';
import { BUILD_CONTAINER } from './buildPod';

export interface WaitForBuildPodOptions {
  namespace: string;
  name: string;
  executorImage: string;
  /** Default 5 minutes: the first pull of the executor image on a new node can take a while. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called when the pod's state changes ("Pending: ContainerCreating"). */
  onProgress?: (state: string) => void;
}

const NOT_A_DEBUG_IMAGE = 'The executor image must be a Kaniko debug image: it needs a shell (sh) and tar.';

/** What the pod is doing, in one short phrase. */
export function podState(pod: V1Pod): string {
  const cs = pod.status?.containerStatuses?.find((c) => c.name === BUILD_CONTAINER);
  const waiting = cs?.state?.waiting;
  if (waiting?.reason) return `${pod.status?.phase ?? 'Pending'}: ${waiting.reason}`;
  const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) return `Pending: ${unschedulable.reason ?? 'not scheduled'}${unschedulable.message ? ` (${unschedulable.message})` : ''}`;
  return pod.status?.phase ?? 'Pending';
}

/** undefined while the pod may still start; `true` when it runs; an error when it will not. */
export function judgeBuildPod(pod: V1Pod, executorImage: string): true | AppError | undefined {
  const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  if (pod.metadata?.deletionTimestamp) return new AppError('CLUSTER_ERROR', `The build pod ${name} is being deleted.`, 'Someone or something else deleted it; press Up again.');
  const cs = pod.status?.containerStatuses?.find((c) => c.name === BUILD_CONTAINER);
  if (pod.status?.phase === 'Running' && cs?.state?.running) return true;
  // Only the dates differ between client-node's V1Pod (Date) and the JSON shape (string); none is read here.
  const problem = podProblem(pod as PodJson, [], undefined, { container: BUILD_CONTAINER, mustKeepRunning: true });
  const detail = problem?.detail ? `: ${problem.detail}` : '';
  switch (problem?.kind) {
    case 'image-pull':
      return new AppError(
        'CLUSTER_ERROR',
        `The cluster cannot pull the Kaniko executor image ${executorImage} (${problem.reason}${detail}).`,
        'Check that the nodes can reach its registry, or set another executor image (e.g. a mirror of gcr.io/kaniko-project/executor:debug) in Settings. The Docker builder works without it.',
      );
    case 'cannot-start':
    case 'crash-loop':
      return new AppError('CLUSTER_ERROR', `The build pod ${name} cannot start its container (${problem.reason}${detail}).`, NOT_A_DEBUG_IMAGE);
    case 'stopped':
      return new AppError('CLUSTER_ERROR', `The build pod ${name} stopped before the build (${problem.detail}).`, NOT_A_DEBUG_IMAGE);
    default:
      return undefined; // still starting, or waiting for a node: the deadline explains that
  }
}

/** Resolves when the build container runs; rejects with an explanation when it will not. */
export function waitForBuildPod(kc: KubeConfig, opts: WaitForBuildPodOptions): Promise<void> {
  const core = makeApiClient(kc, CoreV1Api, { signal: opts.signal });
  const server = kc.getCurrentCluster()?.server ?? '';
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let last = '';
    let lastPod: V1Pod | undefined;
    let watchAbort: AbortController | undefined;
    let retry: NodeJS.Timeout | undefined;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(retry);
      watchAbort?.abort();
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(new AppError('CANCELLED', 'Waiting for the build pod was cancelled.'));
    const timer = setTimeout(() => {
      const state = lastPod ? podState(lastPod) : 'not seen yet';
      finish(new AppError('CLUSTER_ERROR', `The build pod ${opts.namespace}/${opts.name} did not start within ${Math.round(timeoutMs / 1000)} s (${state}).`, /Unschedulable|not scheduled/.test(state) ? 'No node can take the pod: free up resources or check node taints and selectors.' : 'Look at the pod\'s events (kubectl describe pod) to see what it waits for.'));
    }, timeoutMs);
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const see = (pod: V1Pod) => {
      lastPod = pod;
      const state = podState(pod);
      if (state !== last) { last = state; opts.onProgress?.(state); }
      const verdict = judgeBuildPod(pod, opts.executorImage);
      if (verdict === true) finish();
      else if (verdict) finish(verdict);
    };

    const start = async (): Promise<void> => {
      if (done) return;
      let resourceVersion: string | undefined;
      try {
        const pod = await core.readNamespacedPod({ name: opts.name, namespace: opts.namespace });
        see(pod);
        resourceVersion = pod.metadata?.resourceVersion;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === 404) return finish(new AppError('CLUSTER_ERROR', `The build pod ${opts.namespace}/${opts.name} is gone.`, 'Someone or something else deleted it; press Up again.'));
        return finish(err instanceof AppError ? err : clusterError(err, server, `Reading the build pod ${opts.namespace}/${opts.name}`));
      }
      if (done) return;
      const watch = async (rv: string | undefined) => {
        try {
          watchAbort = await new Watch(kc).watch(
            `/api/v1/namespaces/${opts.namespace}/pods`,
            { fieldSelector: `metadata.name=${opts.name}`, ...(rv ? { resourceVersion: rv } : {}), allowWatchBookmarks: true },
            (type, obj: V1Pod) => {
              if (type === 'DELETED') return finish(new AppError('CLUSTER_ERROR', `The build pod ${opts.namespace}/${opts.name} was deleted.`, 'Someone or something else deleted it; press Up again.'));
              if (type === 'ERROR') { rv = undefined; return; } // e.g. 410 Gone: re-read below
              if (obj?.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
              if (type !== 'BOOKMARK') see(obj);
            },
            (err) => {
              if (done) return;
              // A clean end (server timeout) resumes at once; failures after a pause, re-reading first.
              if (!err && rv) void watch(rv);
              else retry = setTimeout(() => void start(), 500);
            },
          );
          // finish() may have run while the watch was connecting, before its controller existed.
          if (done) watchAbort.abort();
        } catch {
          if (!done) retry = setTimeout(() => void start(), 500);
        }
      };
      await watch(resourceVersion);
    };
    void start();
  });
}
