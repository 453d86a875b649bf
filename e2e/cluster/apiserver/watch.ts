// Watch streams: newline-delimited JSON events from a resourceVersion, with selectors applied the
// way the real watch cache does (an object that stops matching is sent as DELETED), bookmarks,
// timeoutSeconds, and 410 Gone as an ERROR event when the history no longer reaches back.

import type { ServerResponse } from 'node:http';
import type { ApiCore } from './api-core';
import { apiVersionOf, type ResourceType } from './resources';
import type { KubeObject, StoreEvent } from './store';
import { ApiError } from './status';
import { fieldSupported, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors';
import { toTable } from './table';
import type { Faults } from './faults';

export interface WatchRequest {
  resource: ResourceType;
  namespace?: string;
  resourceVersion?: string;
  labelSelector?: string | null;
  fieldSelector?: string | null;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  table: boolean;
  includeObject: string | null;
}

export interface WatchSettings { bookmarkIntervalMs: number; defaultTimeoutSeconds: number }

export function serveWatch(core: ApiCore, faults: Faults, settings: WatchSettings, w: WatchRequest, res: ServerResponse): void {
  const ls = parseLabelSelector(w.labelSelector);
  const fs = parseFieldSelector(w.fieldSelector, fieldSupported(w.resource.kind), w.resource.kind);
  const matches = (o: KubeObject | undefined) => !!o && (!w.namespace || !w.resource.namespaced || o.metadata.namespace === w.namespace) && matchesLabels(ls, o.metadata.labels) && matchesFields(fs, o);
  const encode = (type: string, o: unknown) => {
    let object: unknown = o;
    if (w.table && type !== 'ERROR' && type !== 'BOOKMARK') object = toTable(w.resource.kind, [o as KubeObject], (o as KubeObject).metadata.resourceVersion, w.includeObject);
    return JSON.stringify({ type, object }) + '\n';
  };
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let closed = false;
  let unsubscribe = () => {};
  const timers: NodeJS.Timeout[] = [];
  const finish = (destroy: boolean) => {
    if (closed) return;
    closed = true;
    unsubscribe();
    untrack();
    for (const t of timers) clearTimeout(t), clearInterval(t);
    if (destroy) res.destroy(); else res.end();
  };
  const untrack = faults.trackStream(() => finish(true));
  res.on('close', () => finish(false));

  const send = (e: StoreEvent) => {
    if (closed || e.resource !== w.resource) return;
    const now = matches(e.object);
    const before = e.type === 'MODIFIED' ? matches(e.old) : false;
    const obj = withTypeMeta(e.object, w.resource);
    if (e.type === 'MODIFIED') {
      if (now && before) res.write(encode('MODIFIED', obj));
      else if (now) res.write(encode('ADDED', obj));
      else if (before) res.write(encode('DELETED', obj));
    } else if (now) res.write(encode(e.type, obj));
  };

  const rv = w.resourceVersion;
  try {
    if (!rv || rv === '0') {
      for (const o of core.list(w.resource, w.namespace).filter(matches)) res.write(encode('ADDED', withTypeMeta(o, w.resource)));
      unsubscribe = core.store.subscribe(undefined, send);
    } else {
      if (!/^\d+$/.test(rv)) throw new ApiError(400, 'BadRequest', `resourceVersion: Invalid value: "${rv}": must be a non-negative integer`);
      unsubscribe = core.store.subscribe(Number(rv), send);
    }
  } catch (e) {
    if (e instanceof ApiError) {
      const status = e.code === 410 ? { ...e.toStatus(), reason: 'Expired' } : e.toStatus();
      res.write(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
      finish(false);
      return;
    }
    throw e;
  }
  if (w.allowBookmarks) {
    timers.push(setInterval(() => {
      if (closed) return;
      res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: w.resource.kind, apiVersion: apiVersionOf(w.resource), metadata: { resourceVersion: String(core.store.currentRV()) } } }) + '\n');
    }, settings.bookmarkIntervalMs));
  }
  const timeout = w.timeoutSeconds ?? settings.defaultTimeoutSeconds;
  timers.push(setTimeout(() => finish(false), timeout * 1000));
}

export function withTypeMeta(o: KubeObject, t: ResourceType): KubeObject {
  return { apiVersion: apiVersionOf(t), kind: t.kind, ...o };
}
