// Builds the typed, grouped `DevspaceApi` (api.projects.open(path) …) on top of whichever bridge
// the page has: Electron's preload (`window.devspace`) or the browser host's WebSocket.
// Failures come back as thrown DevspaceError carrying the code and hint, never Electron's
// generic "Error invoking remote method".
import type { ApiError, ApiEventName, ApiEvents, DevspaceApi, DevspaceBridge, ErrorCode } from '../../preload/api';

export class DevspaceError extends Error {
  override readonly name = 'DevspaceError';
  readonly code: ErrorCode;
  readonly hint?: string;
  constructor(error: ApiError) {
    super(error.message);
    this.code = error.code;
    this.hint = error.hint;
  }
}

export function createApi(bridge: DevspaceBridge): DevspaceApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  bridge.subscribe((event, payload) => {
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`listener for ${event} failed`, err);
      }
    }
  });

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    const result = await bridge.invoke(method, args);
    if (result.ok) return result.value;
    throw new DevspaceError(result.error);
  };

  const on = <E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  };

  // Areas are resolved lazily so the contract (types only) needs no runtime method list here;
  // the main process rejects unknown methods with UNKNOWN_METHOD.
  const areas = new Map<string, Record<string, (...args: unknown[]) => Promise<unknown>>>();
  return new Proxy({ on } as unknown as DevspaceApi, {
    get(target, prop) {
      if (prop === 'on') return on;
      if (typeof prop !== 'string' || prop === 'then') return (target as unknown as Record<PropertyKey, unknown>)[prop];
      let area = areas.get(prop);
      if (!area) {
        area = new Proxy({} as Record<string, (...args: unknown[]) => Promise<unknown>>, {
          get(_t, method) {
            if (typeof method !== 'string' || method === 'then') return undefined;
            return (...args: unknown[]) => call(`${prop}.${method}`, args);
          },
        });
        areas.set(prop, area);
      }
      return area;
    },
  });
}
