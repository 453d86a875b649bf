// The `terminal.*` requests: a map of open terminal sessions keyed by id; output and state go out
// as `terminal.data` / `terminal.state` events carrying that id.
import type { TerminalSessionInfo } from '../../preload/api';
import type { ResolveProjectCluster } from '../app/projectCluster';
import type { ApiHandlers } from '../ipc/dispatch';
import { AppError } from '../ipc/errors';
import type { EventBus } from '../ipc/events';
import { TerminalSession, type TerminalSessionOptions } from './terminalSession';

export interface TerminalHandlerDeps {
  events: EventBus;
  resolveProjectCluster: ResolveProjectCluster;
  log: (line: string) => void;
  /** Unused for now; accepted so the app wires every feature the same way. */
  now?: () => Date;
  /** Overrides for tests and benches (faster back-off). */
  sessionOptions?: Pick<TerminalSessionOptions, 'sleep' | 'backoff' | 'restartCheck'>;
}

export type TerminalHandlers = Pick<ApiHandlers, 'terminal.open' | 'terminal.write' | 'terminal.resize' | 'terminal.rename' | 'terminal.close' | 'terminal.list'> & {
  dispose(): Promise<void>;
};

export function createTerminalHandlers(deps: TerminalHandlerDeps): TerminalHandlers {
  const sessions = new Map<string, TerminalSession>();
  let counter = 0;

  const get = (id: string): TerminalSession => {
    const s = sessions.get(id);
    if (!s) throw new AppError('NOT_FOUND', `There is no terminal "${id}".`, 'It was closed; open a new terminal.');
    return s;
  };

  return {
    'terminal.open': async (options) => {
      counter++;
      const id = `term-${counter}`;
      const session = new TerminalSession({
        ...deps.sessionOptions,
        id,
        title: options?.title?.trim() || `Terminal ${counter}`,
        ...(options?.command && options.command.length > 0 ? { command: options.command } : {}),
        ...(options?.container ? { container: options.container } : {}),
        resolveProjectCluster: deps.resolveProjectCluster,
        onData: (data) => deps.events.emit('terminal.data', { id, data }),
        onState: (info) => {
          if (sessions.has(id)) deps.events.emit('terminal.state', info);
        },
        log: deps.log,
      });
      sessions.set(id, session);
      try {
        return await session.start();
      } catch (err) {
        sessions.delete(id);
        session.close();
        throw err;
      }
    },
    'terminal.write': (id, data) => {
      get(id).write(data);
      return null;
    },
    'terminal.resize': (id, cols, rows) => {
      get(id).resize(cols, rows);
      return null;
    },
    'terminal.rename': (id, title) => {
      const clean = title.trim();
      if (!clean) throw new AppError('INVALID_ARGUMENT', 'A terminal name cannot be empty.');
      return get(id).rename(clean.slice(0, 100));
    },
    'terminal.close': (id) => {
      const s = sessions.get(id);
      sessions.delete(id);
      s?.close();
      return null;
    },
    'terminal.list': (): TerminalSessionInfo[] => [...sessions.values()].map((s) => s.snapshot()),
    // Stop / project switch / quit: every tab is told its session ended, so none keeps saying "Connected".
    async dispose() {
      const ended = [...sessions.values()];
      sessions.clear();
      for (const s of ended) {
        s.close();
        deps.events.emit('terminal.state', { ...s.snapshot(), state: 'exited', message: 'The session was stopped.' });
      }
    },
  };
}
