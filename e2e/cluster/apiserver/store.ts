// The object store: every object of every type, a global resourceVersion counter and a bounded
// history of changes that watches replay from. It knows nothing about validation or defaults.

import type { ResourceType } from './resources';
import { gone } from './status';

export type KubeObject = Record<string, any> & { metadata: Record<string, any> };
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  rv: number;
  resource: ResourceType;
  object: KubeObject;
  /** The object before this change (MODIFIED only): watches with selectors need it to turn a
   * change into ADDED or DELETED when an object starts or stops matching. */
  old?: KubeObject;
}

export type StoreListener = (e: StoreEvent) => void;

function typeKey(t: ResourceType): string { return `${t.group}/${t.plural}`; }
function objKey(ns: string | undefined, name: string): string { return `${ns ?? ''}/${name}`; }

export function clone<T>(v: T): T { return v === undefined ? v : structuredClone(v); }

export class ObjectStore {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  private listeners = new Set<StoreListener>();
  /** How many events the history keeps; older resourceVersions answer 410 Gone. */
  historyWindow = 1000;

  currentRV(): number { return this.rv; }

  private bucket(t: ResourceType): Map<string, KubeObject> {
    let b = this.objects.get(typeKey(t));
    if (!b) this.objects.set(typeKey(t), (b = new Map()));
    return b;
  }

  get(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    return clone(this.bucket(t).get(objKey(t.namespaced ? ns : undefined, name)));
  }

  list(t: ResourceType, ns?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.bucket(t).values()) if (!ns || !t.namespaced || o.metadata.namespace === ns) out.push(clone(o));
    // Plain code-unit order, the same order list pagination's continue keys compare in.
    const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** Every object of every type, for the garbage collector and namespace deletion. */
  *all(): Generator<[ResourceType, KubeObject]> {
    for (const b of this.objects.values()) for (const o of b.values()) yield [o.__type as ResourceType, o];
  }

  put(t: ResourceType, obj: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    const b = this.bucket(t);
    const key = objKey(t.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    const old = b.get(key);
    const rv = ++this.rv;
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(rv);
    Object.defineProperty(stored, '__type', { value: t, enumerable: false });
    b.set(key, stored);
    this.emit({ type, rv, resource: t, object: stored, old });
    return clone(stored);
  }

  remove(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const b = this.bucket(t);
    const key = objKey(t.namespaced ? ns : undefined, name);
    const old = b.get(key);
    if (!old) return undefined;
    b.delete(key);
    const rv = ++this.rv;
    const gonebj = clone(old);
    gonebj.metadata.resourceVersion = String(rv);
    this.emit({ type: 'DELETED', rv, resource: t, object: gonebj });
    return clone(gonebj);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historyWindow) this.history.splice(0, this.history.length - this.historyWindow);
    for (const l of [...this.listeners]) {
      try { l(e); } catch { /* a broken watcher must not break writes */ }
    }
  }

  /** Replays events after `fromRV` and then follows new ones; throws 410 Gone when history no longer reaches back. */
  subscribe(fromRV: number | undefined, listener: StoreListener): () => void {
    if (fromRV !== undefined && fromRV < this.rv) {
      const oldest = this.history.length ? this.history[0].rv : this.rv + 1;
      if (fromRV + 1 < oldest) throw gone(`too old resource version: ${fromRV} (${oldest - 1})`);
      for (const e of this.history) if (e.rv > fromRV) listener(e);
    }
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Follows changes from now on (for controllers). */
  onChange(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Shrinks the history (tests use it to provoke 410 Gone). */
  setHistoryWindow(n: number): void {
    this.historyWindow = n;
    if (this.history.length > n) this.history.splice(0, this.history.length - n);
  }
}
