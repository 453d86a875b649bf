// A terminal's output on its way to the renderer: bytes become text without ever splitting a
// multi-byte UTF-8 character across events (StringDecoder keeps the partial bytes), and all the
// text of one frame (~16 ms) goes out as ONE `terminal.data` event, so a `cat` of a big file costs
// ~60 events a second, not one per WebSocket frame. The first output after a quiet frame goes out
// at once (a keystroke's echo must not wait for a timer); later output waits for the frame's end.
import { StringDecoder } from 'node:string_decoder';

export interface TerminalOutputOptions {
  frameMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class TerminalOutput {
  private decoder = new StringDecoder('utf8');
  private pending: string[] = [];
  private timer: unknown = null;
  private lastEmit = -Infinity;
  private readonly frameMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly emit: (data: string) => void,
    options: TerminalOutputOptions = {},
  ) {
    this.frameMs = options.frameMs ?? 16;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  push(bytes: Buffer): void {
    const text = this.decoder.write(bytes);
    if (text.length === 0) return;
    this.pending.push(text);
    this.schedule();
  }

  /** Adds text that did not come from the stream (status lines written into the terminal). */
  pushText(text: string): void {
    this.pending.push(text);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = this.lastEmit + this.frameMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = this.setTimer(() => this.flush(), wait);
  }

  /** Sends what is pending now. A new stream starts a fresh decoder (`resetDecoder`). */
  flush(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const data = this.pending.join('');
    this.pending = [];
    this.lastEmit = this.now();
    this.emit(data);
  }

  /** A dropped stream may have ended mid-character; those bytes are gone, do not glue them to new ones. */
  resetDecoder(): void {
    const rest = this.decoder.end();
    if (rest) this.pushText(rest);
    this.decoder = new StringDecoder('utf8');
  }

  dispose(): void {
    this.flush();
  }
}
