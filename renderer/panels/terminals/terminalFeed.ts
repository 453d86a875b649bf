// Routes `terminal.data` / `terminal.state` events to the tab that owns the id. Output can arrive
// before `terminal.open` has answered (the first prompt races the reply), so data for an id nobody
// listens to yet is held (bounded) until its tab attaches.
import type { DevspaceApi, TerminalSessionInfo } from '../../../preload/api';

const MAX_HELD_CHARS = 1_000_000;

export class TerminalFeed {
  private readonly data = new Map<string, (data: string) => void>();
  private readonly held = new Map<string, string[]>();
  private readonly stateListeners = new Set<(info: TerminalSessionInfo) => void>();
  private readonly offs: Array<() => void>;

  constructor(api: DevspaceApi) {
    this.offs = [
      api.on('terminal.data', ({ id, data }) => {
        const sink = this.data.get(id);
        if (sink) return sink(data);
        const held = this.held.get(id) ?? [];
        held.push(data);
        let total = held.reduce((n, s) => n + s.length, 0);
        while (total > MAX_HELD_CHARS && held.length > 1) total -= held.shift()!.length;
        this.held.set(id, held);
      }),
      api.on('terminal.state', (info) => {
        for (const l of this.stateListeners) l(info);
      }),
    ];
  }

  /** Delivers held output at once, then every later chunk. */
  attach(id: string, sink: (data: string) => void): () => void {
    this.data.set(id, sink);
    for (const chunk of this.held.get(id) ?? []) sink(chunk);
    this.held.delete(id);
    return () => {
      if (this.data.get(id) === sink) this.data.delete(id);
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
