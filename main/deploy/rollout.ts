// Waiting until a release's Deployments, StatefulSets and DaemonSets have rolled out, by watching
// them (never polling), with kubectl's reading of their status. Meanwhile the pods and their
// events stream to the caller, and a pod that cannot get ready (image pull, crash loop, missing
// Secret, scheduling, readiness) ends the wait with its own explanation instead of a bare timeout.
import type { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../ipc/errors';
import { ClusterObjects, describeRef, type KubeObject, type ObjectRef } from './clusterObjects';
import { watchObjects, type ObjectWatch } from './objectWatch';
import { podProblem, podSummary, type EventJson, type PodJson, type PodProblem } from './podProblems';
import { rolloutStatus, type WorkloadJson } from './rolloutStatus';

export type RolloutEvent =
  | { type: 'status'; workload: ObjectRef; message: string; done: boolean }
  | { type: 'pod'; workload: ObjectRef; pod: ReturnType<typeof podSummary> }
  | { type: 'event'; pod: string; eventType: string; reason: string; message: string };

export interface RolloutOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  workloads: ObjectRef[];
  /** Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: RolloutEvent) => void;
  /** Lines of the previous container's log shown for a crash loop; default 20. */
  logLines?: number;
  /**
   * How long a pod's containers must have been running before the rollout counts as done
   * (like minReadySeconds): a dev container that exits right after starting would otherwise pass
   * for ready. Default 1000 ms; pods that started earlier add no wait.
   */
  settleMs?: number;
  /** The clock (epoch ms); default Date.now. */
  now?: () => number;
}

export interface RolloutResult {
  messages: string[];
}

interface Tracked {
  ref: ObjectRef;
  done: boolean;
  message: string;
  pods: Map<string, KubeObject>;
  podWatch?: ObjectWatch;
  selector?: string;
}

function selectorOf(o: KubeObject): string | undefined {
  const sel = (o as { spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } } }).spec?.selector;
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** Where a workload of apps/v1 is read without discovery. */
const APPS_V1_PLURALS: Record<string, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

/**
 * The warm Up's case: every workload has rolled out already. One GET each (in parallel, no
 * discovery, no watches) settles it; anything else (not done yet, not found, another kind, an
 * error) is left to the watching path, which explains it.
 */
async function alreadyRolledOut(o: RolloutOptions): Promise<RolloutResult | undefined> {
  const api = ClusterObjects.connect(o.kubeConfig, { timeoutMs: 30_000, ...(o.signal ? { signal: o.signal } : {}) });
  const done = await Promise.all(
    o.workloads.map(async (ref) => {
      const plural = APPS_V1_PLURALS[ref.kind];
      if (ref.apiVersion !== 'apps/v1' || !plural) return undefined;
      const ns = ref.namespace ?? o.namespace;
      const w = await api.request<WorkloadJson>('GET', `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/${plural}/${encodeURIComponent(ref.name)}`).catch(() => undefined);
      const st = w ? rolloutStatus({ ...w, kind: ref.kind }) : undefined;
      return st && 'done' in st && st.done ? st.message : undefined;
    }),
  );
  if (done.some((m) => m === undefined)) return undefined;
  o.workloads.forEach((workload, i) => o.onEvent?.({ type: 'status', workload, message: done[i]!, done: true }));
  return { messages: done as string[] };
}

export async function waitForRollout(o: RolloutOptions): Promise<RolloutResult> {
  const fast = await alreadyRolledOut(o);
  if (fast) return fast;
  if (o.signal?.aborted) throw new AppError('CANCELLED', 'Waiting for the rollout was cancelled.');
  return watchRollout(o);
}

function watchRollout(o: RolloutOptions): Promise<RolloutResult> {
  const api = ClusterObjects.connect(o.kubeConfig, { timeoutMs: 30_000, ...(o.signal ? { signal: o.signal } : {}) });
  const emit = o.onEvent ?? (() => {});
  const timeoutMs = o.timeoutMs ?? 300_000;
  const tracked = o.workloads.map<Tracked>((ref) => ({ ref, done: false, message: 'Waiting for the rollout to start...', pods: new Map() }));
  const events = new Map<string, EventJson[]>();
  const watches: ObjectWatch[] = [];
  const explaining = new Set<string>();
  const now = o.now ?? Date.now;
  // container times have whole-second precision
  const since = now() - 1000;
  const settleMs = o.settleMs ?? 1000;
  let settleTimer: NodeJS.Timeout | undefined;
  const seenPods = new Set<string>();

  return new Promise<RolloutResult>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(settleTimer);
      o.signal?.removeEventListener('abort', onAbort);
      for (const w of watches) w.stop();
      for (const t of tracked) t.podWatch?.stop();
      if (err) reject(err);
      else resolve({ messages: tracked.map((t) => t.message) });
    };
    const onAbort = () => finish(new AppError('CANCELLED', 'Waiting for the rollout was cancelled.'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(timeoutError()), timeoutMs);

    if (tracked.length === 0) return finish();

    const problems = (): PodProblem[] =>
      tracked.flatMap((t) => [...t.pods.values()].map((p) => podProblem(p as PodJson, eventsOf(p as PodJson), since)).filter((x): x is PodProblem => !!x));

    // the kubelet's own words from ErrImagePull, kept for when the pod has moved on to back-off
    const pullErrors = new Map<string, string>();
    const eventsOf = (p: PodJson): EventJson[] => {
      const name = p.metadata?.name ?? '';
      const list = events.get(name) ?? [];
      const pull = pullErrors.get(name);
      return pull && !list.some((e) => e.reason === 'Failed') ? [...list, { reason: 'Failed', message: pull }] : list;
    };
    const rememberPullErrors = (p: PodJson) => {
      for (const c of p.status?.containerStatuses ?? []) {
        const w = c.state?.waiting;
        if (w?.reason === 'ErrImagePull' && w.message) pullErrors.set(p.metadata?.name ?? '', w.message);
      }
    };

    /** Ms until every running container of the release's pods has run settleMs, or 0. */
    const unsettledFor = (): number => {
      let wait = 0;
      for (const t of tracked) {
        for (const p of t.pods.values() as Iterable<PodJson>) {
          if (p.metadata?.deletionTimestamp) continue;
          for (const c of p.status?.containerStatuses ?? []) {
            const started = c.state?.running?.startedAt ? Date.parse(c.state.running.startedAt) : NaN;
            if (!Number.isNaN(started)) wait = Math.max(wait, started + settleMs - now());
          }
        }
      }
      return wait;
    };

    const fail = async (p: PodProblem) => {
      // a crash loop is explained by the previous container's last lines
      let message = p.message;
      if (p.previousLogOf) {
        const log = await previousLog(api, o.namespace, p.pod, p.previousLogOf, o.logLines ?? 20);
        if (log) message += `\nLast log lines:\n${log}`;
      }
      finish(new AppError('CLUSTER_ERROR', message, p.hint));
    };

    const check = () => {
      if (settled) return;
      const fatal = problems().find((p) => p.fatal);
      if (fatal && !explaining.has(fatal.pod)) {
        explaining.add(fatal.pod);
        void fail(fatal);
        return;
      }
      if (!tracked.every((t) => t.done)) return;
      const wait = unsettledFor();
      if (wait <= 0) return finish();
      clearTimeout(settleTimer);
      settleTimer = setTimeout(check, wait);
    };

    function timeoutError(): AppError {
      const waiting = tracked.filter((t) => !t.done);
      const p = problems()[0];
      const what = waiting.map((t) => describeRef(t.ref)).join(', ');
      if (p) return new AppError('CLUSTER_ERROR', `${what} did not become ready within ${timeoutMs / 1000} s. ${p.message}`, p.hint);
      return new AppError('CLUSTER_ERROR', `${what} did not become ready within ${timeoutMs / 1000} s: ${waiting.map((t) => t.message).join(' ')}`, 'Look at the pods\' events and logs; raise the rollout timeout if the app starts slowly.');
    }

    // Events are matched to pods by name; a pod may become known after its first events arrived,
    // so the index is rebuilt on pod changes too.
    let allEvents = new Map<string, KubeObject>();
    function indexEvents(): void {
      const ours = new Set(tracked.flatMap((t) => [...t.pods.keys()]));
      const seen = new Map<string, EventJson[]>();
      for (const e of allEvents.values() as Iterable<EventJson & KubeObject>) {
        const pod = e.involvedObject?.kind === 'Pod' ? e.involvedObject.name : undefined;
        if (!pod || !ours.has(pod)) continue;
        const list = seen.get(pod) ?? [];
        list.push(e);
        seen.set(pod, list);
      }
      for (const [pod, list] of seen) {
        list.sort((a, b) => (a.lastTimestamp ?? a.eventTime ?? '').localeCompare(b.lastTimestamp ?? b.eventTime ?? ''));
        const before = events.get(pod)?.length ?? 0;
        for (const e of list.slice(before)) emit({ type: 'event', pod, eventType: e.type ?? '', reason: e.reason ?? '', message: e.message ?? '' });
        events.set(pod, list);
      }
    }

    for (const t of tracked) {
      void api
        .pathOf({ ...t.ref, name: '', namespace: t.ref.namespace ?? o.namespace }, 'list')
        .then((path) => {
          if (settled) return;
          watches.push(
            watchObjects(o.kubeConfig, api, { path, fieldSelector: `metadata.name=${t.ref.name}` }, (objs) => {
              const w = objs.get(t.ref.name);
              if (!w) {
                t.done = false;
                t.message = `${describeRef(t.ref)} does not exist.`;
                return;
              }
              const st = rolloutStatus({ ...(w as WorkloadJson), kind: t.ref.kind });
              if ('error' in st) {
                const p = problems()[0];
                finish(new AppError('CLUSTER_ERROR', p ? `${st.error}: ${p.message}` : st.error, p?.hint));
                return;
              }
              t.done = st.done;
              if (st.message !== t.message) emit({ type: 'status', workload: t.ref, message: st.message, done: st.done });
              t.message = st.message;
              // Checked before the pod watch starts: when this settles it, a pod watch would only
              // send a list that nobody reads.
              check();
              if (settled) return;
              const selector = selectorOf(w);
              if (selector && selector !== t.selector) {
                t.selector = selector;
                t.podWatch?.stop();
                t.podWatch = watchObjects(o.kubeConfig, api, { path: `/api/v1/namespaces/${encodeURIComponent(t.ref.namespace ?? o.namespace)}/pods`, labelSelector: selector }, (pods) => {
                  t.pods = new Map(pods);
                  for (const p of pods.values()) {
                    // only pods that changed since the last callback
                    const key = `${p.metadata?.name}@${p.metadata?.resourceVersion}`;
                    if (seenPods.has(key)) continue;
                    seenPods.add(key);
                    rememberPullErrors(p as PodJson);
                    emit({ type: 'pod', workload: t.ref, pod: podSummary(p as PodJson) });
                  }
                  indexEvents();
                  check();
                });
              }
            }),
          );
        })
        .catch((e: unknown) => finish(e));
    }

    watches.push(
      watchObjects(o.kubeConfig, api, { path: `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/events` }, (all) => {
        allEvents = all;
        indexEvents();
        check();
      }),
    );
  });
}

/**
 * The last lines the crashed container wrote, or '' when the node has none. `previous=true`
 * reads the container before the current one; while the crashed container has not been
 * replaced yet (state terminated), it is still the current one, so fall back to that.
 */
export async function previousLog(api: ClusterObjects, namespace: string, pod: string, container: string, lines: number): Promise<string> {
  const read = async (previous: boolean) => {
    try {
      const text = await api.request<string>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`, {
        query: { container, tailLines: String(lines), ...(previous ? { previous: 'true' } : {}) },
        text: true,
      });
      return (text ?? '').trimEnd();
    } catch {
      return '';
    }
  };
  // The node may not have the crashed container's output on disk the moment it reports the
  // exit; a few short retries cover that without holding up a real explanation for long.
  for (let attempt = 0; attempt < 4; attempt++) {
    const text = (await read(true)) || (await read(false));
    if (text) return text;
    await new Promise((r) => setTimeout(r, 250));
  }
  return '';
}
