import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DevspaceApi, DevspaceBridge } from '../../../preload/api';
import { createApi } from '../../api/client';
import { type FrameClock, OutputPacer, formatSize, skippedLine } from './outputPacer';
import { type ConnectedTerminal, TerminalFeed } from './terminalFeed';

function fakeBridge() {
  let push: (event: string, payload: unknown) => void = () => {};
  const invoked: Array<{ method: string; args: unknown[] }> = [];
  const bridge: DevspaceBridge = {
    invoke: async (method, args) => {
      invoked.push({ method, args });
      return { ok: true, value: null };
    },
    subscribe: (l) => {
      push = l;
      return () => {};
    },
  };
  return { api: createApi(bridge) as DevspaceApi, push: (e: string, p: unknown) => push(e, p), invoked };
}

/** Animation frames stepped by hand, with a clock that only moves when told. */
function manualFrames() {
  let time = 0;
  let nextHandle = 1;
  const waiting = new Map<number, () => void>();
  const clock: FrameClock = {
    request: (cb) => {
      const h = nextHandle++;
      waiting.set(h, cb);
      return h;
    },
    cancel: (h) => void waiting.delete(h),
    now: () => time,
  };
  return {
    clock,
    advance: (ms: number) => void (time += ms),
    /** Runs one frame; returns how many callbacks were waiting for it. */
    frame: () => {
      time += 16;
      const due = [...waiting.values()];
      waiting.clear();
      for (const cb of due) cb();
      return due.length;
    },
    waiting: () => waiting.size,
  };
}

/**
 * An xterm stand-in: records each write; `parse()` finishes the write in progress (xterm calls the
 * write callback once it has parsed that data), taking `msPerKChar` of the manual clock.
 */
function fakeTerminal(frames: ReturnType<typeof manualFrames>, msPerKChar = 0) {
  const writes: string[] = [];
  let parsing: Array<() => void> = [];
  let input: ((data: string) => void) | null = null;
  const term: ConnectedTerminal = {
    write: (data, parsed) => {
      writes.push(data);
      parsing.push(() => {
        frames.advance((data.length / 1000) * msPerKChar);
        parsed();
      });
    },
    onData: (listener) => {
      input = listener;
      return { dispose: () => (input = null) };
    },
  };
  return {
    term,
    writes,
    /** How many writes xterm has not finished parsing. */
    busy: () => parsing.length,
    parse: () => {
      const now = parsing;
      parsing = [];
      for (const done of now) done();
    },
    type: (data: string) => input?.(data),
  };
}

/** Frames (each followed by xterm parsing what it got) until nothing is left to write. */
function drain(frames: ReturnType<typeof manualFrames>, xterm: ReturnType<typeof fakeTerminal>, limit = 10_000) {
  let n = 0;
  while (frames.waiting() > 0 && n++ < limit) {
    const before = xterm.writes.length;
    frames.frame();
    // One write per frame at most.
    expect(xterm.writes.length - before).toBeLessThanOrEqual(1);
    xterm.parse();
  }
  return n;
}

const text = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 7 + seed) % 90))).join('');

describe('TerminalFeed', () => {
  it('holds output that arrives before its tab attaches, then streams to it', () => {
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api);
    push('terminal.data', { id: 't1', data: 'prompt$ ' });
    push('terminal.data', { id: 't2', data: 'other' });
    const got: string[] = [];
    feed.attach('t1', (d) => got.push(d));
    push('terminal.data', { id: 't1', data: 'ls\r\n' });
    expect(got).toEqual(['prompt$ ', 'ls\r\n']);
    feed.dispose();
  });

  it('passes state changes to listeners', () => {
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api);
    const states: string[] = [];
    const off = feed.onState((s) => states.push(`${s.id}:${s.state}`));
    push('terminal.state', { id: 't1', title: 'T', state: 'reconnecting' });
    off();
    push('terminal.state', { id: 't1', title: 'T', state: 'open' });
    expect(states).toEqual(['t1:reconnecting']);
    feed.dispose();
  });
});

describe('TerminalFeed.connect: paced output', () => {
  it('hands xterm at most the per-frame cap, one write per frame, each only after the last was parsed, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 100, max: 30_000 }), (sizes, cap) => {
        const frames = manualFrames();
        const { api, push } = fakeBridge();
        const feed = new TerminalFeed(api, { frames: frames.clock, maxCharsPerFrame: cap, minCharsPerFrame: cap, maxPendingChars: 1e9 });
        const xterm = fakeTerminal(frames);
        feed.connect('t1', xterm.term);
        const sent = sizes.map((n, i) => text(n, i));
        for (const s of sent) push('terminal.data', { id: 't1', data: s });
        expect(xterm.writes).toEqual([]); // nothing before the first frame
        drain(frames, xterm);
        for (const w of xterm.writes) expect(w.length).toBeLessThanOrEqual(cap);
        expect(xterm.writes.join('')).toBe(sent.join(''));
        feed.dispose();
      }),
      { numRuns: 40 },
    );
  });

  it('waits for xterm to finish parsing before the next write', () => {
    const frames = manualFrames();
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api, { frames: frames.clock, maxCharsPerFrame: 1000, minCharsPerFrame: 1000 });
    const xterm = fakeTerminal(frames);
    feed.connect('t1', xterm.term);
    push('terminal.data', { id: 't1', data: text(5000) });
    frames.frame();
    expect(xterm.writes.map((w) => w.length)).toEqual([1000]);
    // xterm still parsing: frames pass and more output comes, but nothing more is written and no
    // frame is even asked for.
    expect(frames.waiting()).toBe(0);
    push('terminal.data', { id: 't1', data: text(100, 1) });
    expect(frames.waiting()).toBe(0);
    frames.frame();
    expect(xterm.writes).toHaveLength(1);
    xterm.parse();
    frames.frame();
    expect(xterm.writes.map((w) => w.length)).toEqual([1000, 1000]);
    feed.dispose();
  });

  it('coalesces small chunks that queued during a frame into one write', () => {
    const frames = manualFrames();
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api, { frames: frames.clock });
    const xterm = fakeTerminal(frames);
    feed.connect('t1', xterm.term);
    for (let i = 0; i < 200; i++) push('terminal.data', { id: 't1', data: `line ${i}\r\n` });
    frames.frame();
    expect(xterm.writes).toHaveLength(1);
    expect(xterm.writes[0]).toBe(Array.from({ length: 200 }, (_, i) => `line ${i}\r\n`).join(''));
    feed.dispose();
  });

  it('keeps the queue bounded: drops the oldest output and says so in one line, keeping the newest', () => {
    const frames = manualFrames();
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api, { frames: frames.clock, maxCharsPerFrame: 4096, minCharsPerFrame: 4096, maxPendingChars: 100_000, keepAfterDropChars: 20_000 });
    const xterm = fakeTerminal(frames);
    const { pacer } = feed.connect('t1', xterm.term);
    // A flood while the page draws nothing (xterm busy with the first write, no frames).
    push('terminal.data', { id: 't1', data: 'first\r\n' });
    frames.frame();
    let sent = '';
    for (let i = 0; i < 500; i++) {
      const chunk = `${String(i).padStart(6, '0')}:${text(994, i)}`; // 1,000 chars each
      sent += chunk;
      push('terminal.data', { id: 't1', data: chunk });
      expect(pacer.pendingChars).toBeLessThanOrEqual(100_000);
    }
    xterm.parse();
    drain(frames, xterm);
    const shown = xterm.writes.join('');
    expect(shown.startsWith('first\r\n')).toBe(true);
    const rest = shown.slice('first\r\n'.length);
    // Several drops before the page could draw are reported as one line with their total.
    const marker = /\x18\x1b\[0m\r\n\x1b\[33m\[… (.+) of output skipped to keep up …\]\x1b\[0m\r\n/g;
    const markers = [...rest.matchAll(marker)];
    expect(markers).toHaveLength(1);
    const kept = rest.slice(markers[0]![0].length);
    expect(rest.indexOf(markers[0]![0])).toBe(0);
    expect(kept.length).toBeGreaterThan(0);
    expect(sent.endsWith(kept)).toBe(true); // the newest output, whole and in order
    expect(pacer.stats.skippedChars + kept.length).toBe(sent.length);
    expect(markers[0]![1]).toBe(formatSize(pacer.stats.skippedChars));
    feed.dispose();
  });

  it('sends keystrokes at once while xterm is buried in output', async () => {
    const frames = manualFrames();
    const { api, push, invoked } = fakeBridge();
    const feed = new TerminalFeed(api, { frames: frames.clock, maxPendingChars: 50_000, keepAfterDropChars: 10_000 });
    const xterm = fakeTerminal(frames);
    feed.connect('t1', xterm.term);
    for (let i = 0; i < 1000; i++) push('terminal.data', { id: 't1', data: text(1000, i) });
    frames.frame(); // xterm is now parsing and stays busy
    xterm.type('\x03');
    await Promise.resolve();
    expect(invoked).toEqual([{ method: 'terminal.write', args: ['t1', '\x03'] }]);
    expect(xterm.busy()).toBe(1);
    feed.dispose();
  });

  it('sizes writes to how fast xterm parses: smaller on a slow machine, up to the cap on a fast one', () => {
    const run = (msPerKChar: number) => {
      const frames = manualFrames();
      const { api, push } = fakeBridge();
      const feed = new TerminalFeed(api, { frames: frames.clock, minCharsPerFrame: 2000, maxCharsPerFrame: 200_000, targetParseMs: 8, maxPendingChars: 1e9 });
      const xterm = fakeTerminal(frames, msPerKChar);
      feed.connect('t1', xterm.term);
      for (let i = 0; i < 100; i++) push('terminal.data', { id: 't1', data: text(10_000, i) });
      drain(frames, xterm);
      feed.dispose();
      return xterm.writes.slice(-10).map((w) => w.length);
    };
    // 2 ms per 1,000 chars → 8 ms buys 4,000 chars.
    for (const n of run(2).slice(0, -1)) {
      expect(n).toBeGreaterThanOrEqual(3500);
      expect(n).toBeLessThanOrEqual(4500);
    }
    // 0.01 ms per 1,000 chars → the cap.
    expect(Math.max(...run(0.01))).toBe(200_000);
  });

  it('keeps going when xterm parses inside write() (it does right after a keystroke)', () => {
    const frames = manualFrames();
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api, { frames: frames.clock, maxCharsPerFrame: 100, minCharsPerFrame: 100 });
    const writes: string[] = [];
    feed.connect('t1', { write: (d, parsed) => (writes.push(d), parsed()), onData: () => ({ dispose: () => {} }) });
    push('terminal.data', { id: 't1', data: text(350) });
    for (let i = 0; i < 10 && frames.waiting() > 0; i++) frames.frame();
    expect(writes.map((w) => w.length)).toEqual([100, 100, 100, 50]);
    expect(writes.join('')).toBe(text(350));
    feed.dispose();
  });

  it('never splits a surrogate pair between two writes', () => {
    const frames = manualFrames();
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api, { frames: frames.clock, maxCharsPerFrame: 7, minCharsPerFrame: 7 });
    const xterm = fakeTerminal(frames);
    feed.connect('t1', xterm.term);
    const sent = 'a😀b😀😀c'.repeat(50);
    push('terminal.data', { id: 't1', data: sent });
    drain(frames, xterm);
    expect(xterm.writes.join('')).toBe(sent);
    for (const w of xterm.writes) expect(w).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    feed.dispose();
  });

  it('stops writing and asking for frames once disconnected', () => {
    const frames = manualFrames();
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api, { frames: frames.clock, maxCharsPerFrame: 100, minCharsPerFrame: 100 });
    const xterm = fakeTerminal(frames);
    const { disconnect } = feed.connect('t1', xterm.term);
    push('terminal.data', { id: 't1', data: text(1000) });
    frames.frame();
    disconnect();
    xterm.parse();
    push('terminal.data', { id: 't1', data: 'late' });
    expect(frames.frame()).toBe(0);
    expect(xterm.writes).toHaveLength(1);
    feed.dispose();
  });
});

describe('OutputPacer', () => {
  it('writes a skip marker that ends any cut escape sequence and names the amount', () => {
    expect(skippedLine(12.3 * 1024 * 1024)).toContain('[… 12.3 MB of output skipped to keep up …]');
    expect(skippedLine(10)).toContain('1 KB');
    expect(skippedLine(10).startsWith('\x18')).toBe(true);
  });

  it('drops even when xterm never calls back, so memory stays bounded', () => {
    const frames = manualFrames();
    const writes: string[] = [];
    const pacer = new OutputPacer({ write: (d) => void writes.push(d) }, { frames: frames.clock, maxPendingChars: 10_000, keepAfterDropChars: 1000, minCharsPerFrame: 500, maxCharsPerFrame: 500 });
    for (let i = 0; i < 10_000; i++) {
      pacer.push(text(100, i));
      if (i % 100 === 0) frames.frame();
      expect(pacer.pendingChars).toBeLessThanOrEqual(10_000);
    }
    expect(writes).toHaveLength(1);
    expect(pacer.stats.skippedChars).toBeGreaterThan(900_000);
  });
});
