// Coalesces pushed events into at most one message per interval per connection, so a chatty
// stream (logs, terminal output) costs one frame's worth of messages, not one per line. The first
// event after a quiet interval goes out at once, so a keystroke's echo never waits for a timer.
// The features batch their own streams (terminal output per frame, logs in a bounded ring), so
// this queue only holds one interval's worth; its bound is a last line of defence.
export class EventBatcher {
  private queue: Array<[string, unknown]> = [];
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;

  constructor(
    private readonly flush: (events: Array<[string, unknown]>) => void,
    private readonly intervalMs = 16,
    private readonly maxQueued = 100_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(event: string, payload: unknown): void {
    this.queue.push([event, payload]);
    if (this.queue.length > this.maxQueued) this.queue.splice(0, this.queue.length - this.maxQueued);
    if (this.timer) return;
    const since = this.now() - this.lastFlush;
    if (since >= this.intervalMs) this.drain();
    else this.timer = setTimeout(() => this.drain(), this.intervalMs - since);
  }

  drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.lastFlush = this.now();
    this.flush(batch);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}
