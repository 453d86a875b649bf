// One followed log: a container's lines, batched per frame, that keep coming across dropped
// connections, container restarts and (when the pod was found by its labels) replaced pods. It
// always asks the server for timestamps so a resumed stream starts where the last one stopped
// (sinceTime) without repeating lines; the user's "timestamps" choice only decides what is shown.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiEvents } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { abortableSleep } from '../terminal/terminalSession';
import { type LogBatch, LogBatcher, type LogBatcherOptions } from './logBatcher';
import { streamLog } from './logRequest';

type LogState = ApiEvents['logs.state']['state'];

export interface LogStreamOptions {
  streamId: string;
  kubeConfig: KubeConfig;
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** When the pod is gone: the pod that replaced it (same labels), or null. */
  findReplacement?: () => Promise<string | null>;
  onBatch(batch: LogBatch): void;
  onState(state: LogState, message?: string): void;
  log(line: string): void;
  batcher?: LogBatcherOptions;
  backoff?: { initialMs: number; maxMs: number };
}

export class LogStream {
  private readonly abort = new AbortController();
  private readonly batcher: LogBatcher;
  private pod: string;
  private lastTs: string | undefined;
  /** Lines already seen with exactly `lastTs` (a resumed stream repeats them). */
  private atLastTs = 0;
  private state: LogState | null = null;

  constructor(private readonly o: LogStreamOptions) {
    this.pod = o.pod;
    this.batcher = new LogBatcher(o.onBatch, o.batcher);
  }

  get currentPod(): string {
    return this.pod;
  }

  /**
   * Runs until the log ends or stop(). Resolves `opened` once the first request was answered: a
   * one-shot read (previous run, no follow) that fails rejects it, so the caller can show why.
   */
  run(): { opened: Promise<void>; done: Promise<void> } {
    let openedResolve!: () => void;
    let openedReject!: (e: unknown) => void;
    const opened = new Promise<void>((res, rej) => ((openedResolve = res), (openedReject = rej)));
    const done = this.loop(openedResolve, openedReject);
    return { opened, done };
  }

  stop(): void {
    this.abort.abort();
    this.batcher.dispose();
  }

  private setState(state: LogState, message?: string): void {
    if (this.abort.signal.aborted) return;
    if (state === this.state && message === undefined) return;
    this.state = state;
    this.o.onState(state, message);
  }

  private async loop(opened: () => void, failed: (e: unknown) => void): Promise<void> {
    const { initialMs, maxMs } = this.o.backoff ?? { initialMs: 500, maxMs: 10_000 };
    const oneShot = !this.o.follow || this.o.previous;
    let delay = initialMs;
    let first = true;
    while (!this.abort.signal.aborted) {
      let reason: string;
      let skip = this.atLastTs;
      const since = this.lastTs;
      try {
        await streamLog(
          this.o.kubeConfig,
          {
            namespace: this.o.namespace,
            pod: this.pod,
            container: this.o.container,
            follow: !oneShot,
            previous: this.o.previous,
            timestamps: true,
            // Resuming: everything since the last line's second (the API's sinceTime has second
            // precision); lines we already have are skipped below.
            ...(since ? { sinceTime: since.replace(/\.\d+/, '') } : this.o.tailLines !== undefined ? { tailLines: this.o.tailLines } : {}),
          },
          {
            onOpen: () => {
              if (first) opened();
              first = false;
              if (!oneShot) this.setState('following', `Following ${this.o.container} in pod ${this.pod}`);
            },
            onLine: (line) => {
              const sp = line.indexOf(' ');
              const ts = sp > 0 ? line.slice(0, sp) : '';
              if (since && ts) {
                const c = compareTimestamps(ts, since);
                if (c < 0) return;
                if (c === 0 && skip > 0) return void skip--;
              }
              if (ts && ts === this.lastTs) this.atLastTs++;
              else if (ts) {
                this.lastTs = ts;
                this.atLastTs = 1;
              }
              this.batcher.push(this.o.timestamps || !ts ? line : line.slice(sp + 1));
            },
          },
          this.abort.signal,
        );
        if (this.abort.signal.aborted) return;
        if (oneShot) {
          this.batcher.drain();
          this.setState('ended', this.o.previous ? `End of the previous run of ${this.o.container}` : undefined);
          return;
        }
        reason = `The log stream of pod ${this.pod} ended (the container stopped or the connection dropped)`;
        delay = initialMs;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        if (first) {
          if (oneShot) return failed(err);
          opened(); // following: a container that is not running yet is retried, not an error
          first = false;
        }
        if (oneShot) {
          this.batcher.drain();
          return this.setState('error', messageOf(err));
        }
        reason = messageOf(err);
        if (err instanceof AppError && err.code === 'NOT_FOUND' && this.o.findReplacement && /not found|deleted/i.test(err.message)) {
          const next = await this.o.findReplacement().catch(() => null);
          if (next && next !== this.pod) {
            this.o.log(`logs ${this.o.streamId}: pod ${this.pod} was replaced by ${next}`);
            reason = `Pod ${this.pod} is gone; switching to ${next}`;
            this.pod = next;
          }
        }
      }
      this.batcher.flush();
      this.setState('reconnecting', `${reason}; retrying…`);
      try {
        await abortableSleep(delay, this.abort.signal);
      } catch {
        return;
      }
      delay = Math.min(delay * 2, maxMs);
    }
  }
}

/** RFC 3339 with optional fraction (Go trims trailing zeros), compared exactly to the nanosecond. */
export function compareTimestamps(a: string, b: string): number {
  const na = normalise(a);
  const nb = normalise(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function normalise(ts: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}${m[3]}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
