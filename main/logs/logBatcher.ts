// The main side of one log stream's trip to the renderer: lines collect in a bounded ring and go
// out as ONE `logs.lines` event per frame (~16 ms). When lines arrive faster than a frame can
// carry (`maxPerBatch`) the ring fills; beyond `capacity` the oldest lines are dropped and the
// next batch says how many (`dropped`), so memory stays bounded however chatty the container is.

export interface LogBatch {
  lines: string[];
  dropped?: number;
}

export interface LogBatcherOptions {
  /** Lines held at most between frames. */
  capacity?: number;
  /** Lines sent per frame at most (the renderer appends each batch in one go). */
  maxPerBatch?: number;
  frameMs?: number;
}

export class LogBatcher {
  private ring: (string | undefined)[];
  private head = 0; // index of the oldest line
  private size = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly capacity: number;
  private readonly maxPerBatch: number;
  private readonly frameMs: number;

  constructor(
    private readonly emit: (batch: LogBatch) => void,
    options: LogBatcherOptions = {},
  ) {
    this.capacity = options.capacity ?? 20_000;
    this.maxPerBatch = options.maxPerBatch ?? 5_000;
    this.frameMs = options.frameMs ?? 16;
    this.ring = new Array(this.capacity);
  }

  get pending(): number {
    return this.size;
  }

  push(line: string): void {
    if (this.size === this.capacity) {
      // Full: overwrite the oldest.
      this.ring[this.head] = line;
      this.head = (this.head + 1) % this.capacity;
      this.dropped++;
    } else {
      this.ring[(this.head + this.size) % this.capacity] = line;
      this.size++;
    }
    this.schedule();
  }

  /** Sends one batch now (at most maxPerBatch lines); schedules another while lines remain. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.size === 0 && this.dropped === 0) return;
    const n = Math.min(this.size, this.maxPerBatch);
    const lines = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const at = (this.head + i) % this.capacity;
      lines[i] = this.ring[at] as string;
      this.ring[at] = undefined;
    }
    this.head = (this.head + n) % this.capacity;
    this.size -= n;
    const batch: LogBatch = this.dropped > 0 ? { lines, dropped: this.dropped } : { lines };
    this.dropped = 0;
    this.emit(batch);
    if (this.size > 0) this.schedule();
  }

  /** Sends everything pending (used when a stream ends). */
  drain(): void {
    while (this.size > 0 || this.dropped > 0) this.flush();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.size = 0;
    this.ring = [];
  }

  private schedule(): void {
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.frameMs);
  }
}
