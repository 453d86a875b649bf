// Following objects as client-go's reflector does: list, then watch from the list's
// resourceVersion; when the stream drops, watch again from the last version seen; when the server
// says that version is too old (410 Gone), list again. Callers get the full current set after
// every change, so they never have to poll.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { ClusterObjects, KubeObject } from './clusterObjects';

export interface ObjectWatch {
  stop(): void;
}

export interface WatchTarget {
  /** The list path, e.g. /api/v1/namespaces/default/pods. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * Calls `onChange(objects)` with the current objects (keyed by name) after the initial list and
 * after each watch event. `onError` gets list failures (the watch keeps retrying with back-off).
 */
export function watchObjects(kc: KubeConfig, api: ClusterObjects, target: WatchTarget, onChange: (objects: Map<string, KubeObject>) => void, onError: (err: unknown) => void = () => {}): ObjectWatch {
  const objects = new Map<string, KubeObject>();
  let stopped = false;
  let resourceVersion = '';
  let controller: AbortController | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  const watch = new Watch(kc);
  const query = { labelSelector: target.labelSelector, fieldSelector: target.fieldSelector };

  const later = (fn: () => void) => {
    // back-off only after failures; a clean end of the stream re-watches at once
    const delay = failures === 0 ? 0 : Math.min(5000, 100 * 2 ** Math.min(failures, 6));
    retryTimer = setTimeout(fn, delay);
  };

  async function list(): Promise<void> {
    if (stopped) return;
    try {
      const res = await api.request<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>('GET', target.path, { query });
      if (stopped) return;
      objects.clear();
      for (const o of res.items ?? []) objects.set(o.metadata?.name ?? '', o);
      resourceVersion = res.metadata?.resourceVersion ?? '';
      failures = 0;
      onChange(objects);
      void watchFrom();
    } catch (e) {
      failures++;
      if (!stopped) onError(e);
      later(() => void list());
    }
  }

  async function watchFrom(): Promise<void> {
    if (stopped) return;
    let gone = false;
    const params: Record<string, string | boolean | undefined> = { ...query, resourceVersion, allowWatchBookmarks: true };
    controller = await watch.watch(
      target.path,
      params,
      (type: string, obj: KubeObject & { code?: number }) => {
        if (stopped) return;
        if (type === 'ERROR') {
          if (obj?.code === 410) gone = true;
          return;
        }
        const rv = obj?.metadata?.resourceVersion;
        if (rv) resourceVersion = rv;
        if (type === 'BOOKMARK') return;
        const name = obj.metadata?.name ?? '';
        if (type === 'DELETED') objects.delete(name);
        else objects.set(name, obj);
        failures = 0;
        onChange(objects);
      },
      (err: unknown) => {
        if (stopped) return;
        if (err && (err as { statusCode?: number }).statusCode === 410) gone = true;
        if (err) failures++;
        if (gone) later(() => void list());
        else later(() => void watchFrom());
      },
    );
    if (stopped) controller.abort();
  }

  void list();
  return {
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      controller?.abort();
    },
  };
}

/** Resolves with the first object state that `done` accepts (or rejects when it returns an Error); stops watching either way. */
export function waitForObject<T>(
  kc: KubeConfig,
  api: ClusterObjects,
  target: WatchTarget,
  decide: (objects: Map<string, KubeObject>) => T | Error | undefined,
  opts: { timeoutMs: number; signal?: AbortSignal; onTimeout: () => Error },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      w.stop();
      fn();
    };
    const onAbort = () => finish(() => reject(opts.signal?.reason ?? new Error('cancelled')));
    const timer = setTimeout(() => finish(() => reject(opts.onTimeout())), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const w = watchObjects(kc, api, target, (objects) => {
      const r = decide(objects);
      if (r instanceof Error) finish(() => reject(r));
      else if (r !== undefined) finish(() => resolve(r));
    });
    if (opts.signal?.aborted) onAbort();
  });
}
