// Feeds one terminal's output to xterm at the pace xterm can draw it. Output can arrive much faster
// than a browser can parse and paint it (`cat` of a large file, `yes`); writing it all at once
// freezes the page — keystrokes, tab switches and the Stop button included. So:
//  - at most one write per animation frame, and the next only after xterm has parsed the previous
//    one (its write callback), so xterm's own buffer never builds up behind our back;
//  - each write is capped (bytes per frame), sized from how long xterm took for the previous ones
//    so a fast machine gets more per frame than a slow one;
//  - small chunks that queued up meanwhile go out as one write;
//  - the queue is bounded: when output outruns the screen beyond `maxPendingChars`, the oldest
//    pending output is dropped and one line says how much, like terminals do under a flood. The
//    newest output (a prompt, the end of a build) is what the user needs to see.

/** The part of xterm's Terminal the pacer writes to. */
export interface PacedTarget {
  write(data: string, parsed: () => void): void;
}

/** Animation-frame scheduling, injectable so tests step frames by hand. */
export interface FrameClock {
  request(callback: () => void): number;
  cancel(handle: number): void;
  now(): number;
  /**
   * Runs `callback` as a task queued now. xterm parses a write in a zero-delay timer it queues in
   * write(); one queued just before runs just before it, so the parse is timed without the frame's
   * rendering that runs in between.
   */
  nextTask?(callback: () => void): void;
}

export interface OutputPacerOptions {
  /** Hard cap on characters handed to xterm in one frame. */
  maxCharsPerFrame?: number;
  /** Lower bound of the adaptive budget (and its starting point). */
  minCharsPerFrame?: number;
  /** How long xterm may spend parsing one frame's output; the budget follows it. */
  targetParseMs?: number;
  /** Pending output beyond this is dropped, oldest first. */
  maxPendingChars?: number;
  /** What is kept after a drop (the newest output), so drops come in large, rare steps. */
  keepAfterDropChars?: number;
  frames?: FrameClock;
}

// Measured with bench/uiStreams.ts (DOM renderer, 50 MB of base64): drawing the rows costs about
// the same per frame however much was parsed, so fewer, larger writes give both shorter longest
// frames and more throughput than many small ones (a 6 ms / 128 KB budget had 3× the frames over
// 100 ms of 12 ms / 512 KB). The queue bound keeps memory at a few MB beyond xterm's scrollback.
export const PACER_DEFAULTS = {
  maxCharsPerFrame: 512 * 1024,
  minCharsPerFrame: 16 * 1024,
  targetParseMs: 12,
  maxPendingChars: 8 * 1024 * 1024,
  keepAfterDropChars: 1024 * 1024,
} as const;

export const browserFrames: FrameClock = {
  request: (cb) => requestAnimationFrame(() => cb()),
  cancel: (h) => cancelAnimationFrame(h),
  now: () => performance.now(),
  nextTask: (cb) => void setTimeout(cb),
};

/** The line shown where output was dropped. CAN (\x18) ends any escape sequence the cut left open. */
export function skippedLine(chars: number): string {
  return `\x18\x1b[0m\r\n\x1b[33m[… ${formatSize(chars)} of output skipped to keep up …]\x1b[0m\r\n`;
}

export function formatSize(chars: number): string {
  if (chars < 1024 * 1024) return `${Math.max(1, Math.round(chars / 1024))} KB`;
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}

export class OutputPacer {
  private readonly opts: Required<Omit<OutputPacerOptions, 'frames'>>;
  private readonly frames: FrameClock;
  /** Pending chunks from `head` on; the consumed prefix is compacted away now and then. */
  private queue: string[] = [];
  private head = 0;
  private pending = 0;
  private skipped = 0;
  private budget: number;
  private inFlight = false;
  private frame: number | null = null;
  private disposed = false;
  /** Totals since creation (skippedChars: dropped; skips: lines shown about it), for tests and the benchmark. */
  readonly stats = { writes: 0, chars: 0, skippedChars: 0, skips: 0, largestWrite: 0 };

  constructor(
    private readonly target: PacedTarget,
    options: OutputPacerOptions = {},
  ) {
    const { frames, ...rest } = options;
    this.opts = { ...PACER_DEFAULTS, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
    this.opts.minCharsPerFrame = Math.min(this.opts.minCharsPerFrame, this.opts.maxCharsPerFrame);
    this.frames = frames ?? browserFrames;
    this.budget = this.opts.minCharsPerFrame;
  }

  /** Characters waiting to be written (not counting the one write xterm may be parsing). */
  get pendingChars(): number {
    return this.pending;
  }

  push(data: string): void {
    if (this.disposed || data.length === 0) return;
    this.queue.push(data);
    this.pending += data.length;
    if (this.pending > this.opts.maxPendingChars) this.dropOldest();
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.frame !== null) this.frames.cancel(this.frame);
    this.frame = null;
    this.queue = [];
    this.head = 0;
    this.pending = 0;
  }

  private dropOldest(): void {
    const keep = Math.min(this.opts.keepAfterDropChars, this.opts.maxPendingChars);
    let excess = this.pending - keep;
    while (excess > 0 && this.head < this.queue.length) {
      const chunk = this.queue[this.head]!;
      if (chunk.length <= excess) {
        this.head++;
        excess -= chunk.length;
        this.pending -= chunk.length;
        this.skipped += chunk.length;
        this.stats.skippedChars += chunk.length;
      } else {
        const cut = safeCut(chunk, excess);
        this.queue[this.head] = chunk.slice(cut);
        this.pending -= cut;
        this.skipped += cut;
        this.stats.skippedChars += cut;
        excess = 0;
      }
    }
    this.compact();
  }

  private schedule(): void {
    if (this.disposed || this.inFlight || this.frame !== null) return;
    if (this.pending === 0 && this.skipped === 0) return;
    this.frame = this.frames.request(() => {
      this.frame = null;
      this.writeFrame();
    });
  }

  private writeFrame(): void {
    if (this.disposed || this.inFlight) return;
    let data = '';
    if (this.skipped > 0) {
      data = skippedLine(this.skipped);
      this.stats.skips++;
      this.skipped = 0;
    }
    data += this.take(this.budget);
    if (data.length === 0) return;
    this.inFlight = true;
    const size = data.length;
    let started = this.frames.now();
    let parsed = false;
    this.stats.writes++;
    this.stats.chars += size;
    this.stats.largestWrite = Math.max(this.stats.largestWrite, size);
    this.frames.nextTask?.(() => {
      if (!parsed) started = this.frames.now();
    });
    // xterm may also parse at once, inside write() (right after a keystroke, for a fast echo).
    this.target.write(data, () => {
      parsed = true;
      if (this.disposed) return;
      this.inFlight = false;
      this.adapt(size, this.frames.now() - started);
      this.schedule();
    });
  }

  /** Up to `max` characters from the front of the queue, as one string. */
  private take(max: number): string {
    const parts: string[] = [];
    let room = max;
    while (room > 0 && this.head < this.queue.length) {
      const chunk = this.queue[this.head]!;
      if (chunk.length <= room) {
        parts.push(chunk);
        room -= chunk.length;
        this.head++;
      } else {
        const cut = safeCut(chunk, room);
        if (cut === 0) break;
        parts.push(chunk.slice(0, cut));
        this.queue[this.head] = chunk.slice(cut);
        room -= cut;
      }
    }
    const out = parts.length === 1 ? parts[0]! : parts.join('');
    this.pending -= out.length;
    this.compact();
    return out;
  }

  /** Only full writes tell how fast xterm is; a small write taking long says little. */
  private adapt(size: number, elapsedMs: number): void {
    const { minCharsPerFrame, maxCharsPerFrame, targetParseMs } = this.opts;
    if (size < this.budget / 2 && elapsedMs <= targetParseMs) return;
    const rate = size / Math.max(elapsedMs, 0.5); // chars per ms
    const wanted = rate * targetParseMs;
    // Grow gently, shrink at once: one slow frame is worse than a few slower-than-possible ones.
    const next = wanted > this.budget ? Math.min(wanted, this.budget * 1.5) : wanted;
    this.budget = Math.round(Math.min(maxCharsPerFrame, Math.max(minCharsPerFrame, next)));
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/** A cut position ≤ `at` that does not split a UTF-16 surrogate pair. */
function safeCut(s: string, at: number): number {
  if (at <= 0 || at >= s.length) return Math.max(0, Math.min(at, s.length));
  const code = s.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}
