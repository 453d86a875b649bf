// A de-duplicating work queue for controllers: keys queued while a key waits are merged, each
// key is processed at most once per turn of the event loop, failures are retried with a delay.

export class WorkQueue {
  private pending = new Set<string>();
  private scheduled = false;
  private stopped = false;
  private timers = new Set<NodeJS.Timeout>();

  constructor(private readonly name: string, private readonly work: (key: string) => void, private readonly log: (line: string) => void) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => { this.timers.delete(t); this.add(key); }, ms);
    t.unref();
    this.timers.add(t);
  }

  private drain(): void {
    this.scheduled = false;
    const keys = [...this.pending];
    this.pending.clear();
    for (const k of keys) {
      if (this.stopped) return;
      try { this.work(k); } catch (e) {
        this.log(`${this.name}: ${k}: ${(e as Error).message}`);
        this.addAfter(k, 200);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
  }
}

export const nsKey = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
export const splitKey = (k: string): [string, string] => { const i = k.indexOf('/'); return [k.slice(0, i), k.slice(i + 1)]; };
