// Finds the pod a new local connection goes to: pods matching the label selector that are Running,
// Ready and not being deleted, newest first. Looked up per connection (so a recreated pod needs no
// restart of the forward) with a short cache, because a browser opens several connections at once.
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { describeClusterError } from '../kube/clusterErrors';
import { makeApiClient } from '../kube/apiClient';
import { AppError } from '../ipc/errors';

export interface ReadyPodQuery {
  kubeConfig: KubeConfig;
  namespace: string;
  labelSelector: Record<string, string>;
}

export function selectorText(labelSelector: Record<string, string>): string {
  return Object.entries(labelSelector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function isReadyPod(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Newest first: after a rollout the new pod is the one the user is working on. */
export function newestReadyPod(pods: V1Pod[]): string | null {
  const ready = pods.filter(isReadyPod);
  ready.sort((a, b) => time(b) - time(a));
  return ready[0]?.metadata?.name ?? null;
}

function time(p: V1Pod): number {
  const t = p.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

export class ReadyPodFinder {
  private cached: { pod: string | null; at: number } | null = null;
  private inflight: Promise<string | null> | null = null;
  private readonly api: CoreV1Api;

  constructor(
    private readonly query: ReadyPodQuery,
    private readonly now: () => number = Date.now,
    private readonly cacheMs = 1000,
  ) {
    this.api = makeApiClient(query.kubeConfig, CoreV1Api, { timeoutMs: 15_000 });
  }

  /** The pod name, or null when no ready pod matches. Throws AppError when the cluster fails. */
  async find(opts: { fresh?: boolean } = {}): Promise<string | null> {
    if (!opts.fresh && this.cached && this.now() - this.cached.at < this.cacheMs) return this.cached.pod;
    if (this.inflight) return this.inflight;
    this.inflight = this.list().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** Forget the cached answer (its pod refused a connection). */
  invalidate(): void {
    this.cached = null;
  }

  private async list(): Promise<string | null> {
    try {
      const res = await this.api.listNamespacedPod({ namespace: this.query.namespace, labelSelector: selectorText(this.query.labelSelector) });
      const pod = newestReadyPod(res.items);
      this.cached = { pod, at: this.now() };
      return pod;
    } catch (err) {
      if (err instanceof AppError) throw err;
      const e = describeClusterError(err, this.query.kubeConfig.getCurrentCluster()?.server);
      throw new AppError(e.code, e.message, e.hint, { cause: err });
    }
  }
}
