// Routes `terminal.data` / `terminal.state` events to the tab that owns the id, and connects a tab's
// xterm to its session: output through an OutputPacer (bounded bytes per frame, bounded queue),
// keystrokes straight to `terminal.write` — never behind the output queue, so typing (Ctrl+C above
// all) stays immediate during a flood. Output can arrive before `terminal.open` has answered (the
// first prompt races the reply), so data for an id nobody listens to yet is held (bounded) until
// its tab attaches.
import type { DevspaceApi, TerminalSessionInfo } from '../../../preload/api';
import { OutputPacer, type OutputPacerOptions, type PacedTarget } from './outputPacer';

const MAX_HELD_CHARS = 1_000_000;

/** The part of xterm's Terminal a session is connected to. */
export interface ConnectedTerminal extends PacedTarget {
  onData(listener: (data: string) => void): { dispose(): void };
}

export class TerminalFeed {
  private readonly data = new Map<string, (data: string) => void>();
  private readonly held = new Map<string, { chunks: string[]; chars: number }>();
  private readonly stateListeners = new Set<(info: TerminalSessionInfo) => void>();
  private readonly offs: Array<() => void>;

  constructor(
    private readonly api: DevspaceApi,
    private readonly pacing: OutputPacerOptions = {},
  ) {
    this.offs = [
      api.on('terminal.data', ({ id, data }) => {
        const sink = this.data.get(id);
        if (sink) return sink(data);
        const held = this.held.get(id) ?? { chunks: [], chars: 0 };
        held.chunks.push(data);
        held.chars += data.length;
        while (held.chars > MAX_HELD_CHARS && held.chunks.length > 1) held.chars -= held.chunks.shift()!.length;
        this.held.set(id, held);
      }),
      api.on('terminal.state', (info) => {
        for (const l of this.stateListeners) l(info);
      }),
    ];
  }

  /** Delivers held output at once, then every later chunk, unpaced. */
  attach(id: string, sink: (data: string) => void): () => void {
    this.data.set(id, sink);
    for (const chunk of this.held.get(id)?.chunks ?? []) sink(chunk);
    this.held.delete(id);
    return () => {
      if (this.data.get(id) === sink) this.data.delete(id);
    };
  }

  /**
   * Connects a terminal to session `id`: paced output in, keystrokes out. Returns the pacer (for
   * its stats) and the function that disconnects.
   */
  connect(id: string, term: ConnectedTerminal): { pacer: OutputPacer; disconnect: () => void } {
    const pacer = new OutputPacer(term, this.pacing);
    const input = term.onData((data) => void this.api.terminal.write(id, data).catch(() => undefined));
    const detach = this.attach(id, (data) => pacer.push(data));
    return {
      pacer,
      disconnect: () => {
        detach();
        input.dispose();
        pacer.dispose();
      },
    };
  }

  onState(listener: (info: TerminalSessionInfo) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.data.clear();
    this.held.clear();
  }
}
