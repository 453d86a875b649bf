// Coalesces pushed events into at most one message per interval per connection, so a chatty
// stream (logs, terminal output) costs one frame's worth of messages, not one per line.
export class EventBatcher {
  private queue: Array<[string, unknown]> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flush: (events: Array<[string, unknown]>) => void,
    private readonly intervalMs = 16,
    private readonly maxQueued = 10_000,
  ) {}

  push(event: string, payload: unknown): void {
    this.queue.push([event, payload]);
    // Bounded: a page that stopped reading must not grow our memory without limit.
    if (this.queue.length > this.maxQueued) this.queue.splice(0, this.queue.length - this.maxQueued);
    if (!this.timer) this.timer = setTimeout(() => this.drain(), this.intervalMs);
  }

  drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.flush(batch);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}
