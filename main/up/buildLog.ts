// The build log of the latest Up run, kept in main so the Build log panel can show it when it is
// opened late, after the run ended, or after the build failed. Bounded (a ring of the newest lines,
// counting what fell off), and pushed to the windows as `up.buildLog` batches at most once per
// 16 ms: Kaniko can print thousands of lines a second and one event per line would flood the IPC.
import type { ApiEvents, BuildLog } from '../../preload/api';

export type BuildLogStep = NonNullable<BuildLog['step']>;

/** What the build step feeds: one run's lines and Dockerfile steps. */
export interface BuildLogSink {
  line(line: string): void;
  step(step: BuildLogStep): void;
}

export interface BuildLogKeeperOptions {
  emit: (payload: ApiEvents['up.buildLog']) => void;
  /** Lines kept per run; default 20,000. */
  capacity?: number;
  /** Least time between two events; default 16 ms (one frame). */
  intervalMs?: number;
  /** Timer seam for tests; default setTimeout/clearTimeout. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

export class BuildLogKeeper {
  private readonly capacity: number;
  private readonly intervalMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => () => void;
  private runId: string | null = null;
  private ring: string[] = [];
  private head = 0;
  private dropped = 0;
  private step: BuildLogStep | undefined;
  private pending: string[] = [];
  private cancelTimer: (() => void) | null = null;

  constructor(private readonly options: BuildLogKeeperOptions) {
    this.capacity = Math.max(1, options.capacity ?? 20_000);
    this.intervalMs = options.intervalMs ?? 16;
    this.setTimer = options.setTimer ?? realTimer;
  }

  /** Starts the log of a new run (the previous run's log is discarded) and returns its sink. */
  begin(runId: string): BuildLogSink {
    this.flush();
    this.runId = runId;
    this.ring = [];
    this.head = 0;
    this.dropped = 0;
    this.step = undefined;
    // A late line of an earlier run's builder must not land in this run's log.
    return {
      line: (l) => {
        if (this.runId === runId) this.add(l);
      },
      step: (s) => {
        if (this.runId === runId) this.step = { index: s.index, total: s.total, instruction: s.instruction };
      },
    };
  }

  /**
   * The latest run's log as far as it has been pushed: lines still waiting for their batch are left
   * out, so a window that loads this and then appends the events it receives sees each line once.
   */
  latest(): BuildLog | null {
    if (this.runId === null) return null;
    const lines = this.head === 0 ? this.ring.slice() : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
    return { runId: this.runId, lines, dropped: this.dropped, ...(this.step ? { step: { ...this.step } } : {}) };
  }

  /** Pushes the waiting lines now (on dispose; the timer does it otherwise). */
  flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.runId === null || this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    for (const l of lines) this.keep(l);
    this.options.emit({ runId: this.runId, lines });
  }

  dispose(): void {
    this.flush();
  }

  private add(line: string): void {
    this.pending.push(line);
    // Lines beyond the capacity within one batch would fall off the ring anyway.
    if (this.pending.length > this.capacity) {
      this.pending.shift();
      this.dropped++;
    }
    this.cancelTimer ??= this.setTimer(() => {
      this.cancelTimer = null;
      this.flush();
    }, this.intervalMs);
  }

  private keep(line: string): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(line);
      return;
    }
    this.ring[this.head] = line;
    this.head = (this.head + 1) % this.capacity;
    this.dropped++;
  }
}
