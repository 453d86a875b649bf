// A stand-in for the app behind the contract: a DevspaceBridge whose requests are answered by
// plain functions. Unit tests use it to drive the store; the dev preview uses it with a small
// demo world (demoHost.ts). It fakes our own contract, not any module.
import type { ApiError, ApiEventName, ApiEvents, ApiMethod, ArgsOf, DevspaceBridge, ResultOf, WireResult } from '../../preload/api';

export type FakeHandlers = {
  [M in ApiMethod]?: (...args: ArgsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
};

/** Throw this from a handler to answer with an error envelope. */
export class FakeFailure {
  constructor(readonly error: ApiError) {}
}

export interface FakeBridge extends DevspaceBridge {
  /** Every request made, in order, as [method, args]. */
  readonly calls: Array<[string, unknown[]]>;
  handlers: FakeHandlers;
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
}

export function createFakeBridge(handlers: FakeHandlers = {}): FakeBridge {
  const subscribers = new Set<(event: string, payload: unknown) => void>();
  const bridge: FakeBridge = {
    calls: [],
    handlers,
    async invoke(method, args): Promise<WireResult<unknown>> {
      bridge.calls.push([method, args]);
      const handler = bridge.handlers[method as ApiMethod] as ((...a: unknown[]) => unknown) | undefined;
      if (!handler) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `The fake has no answer for ${method}.` } };
      try {
        // Round-trip through JSON like both real transports do, so nothing shares references.
        const value = await handler(...args);
        return { ok: true, value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) };
      } catch (err) {
        if (err instanceof FakeFailure) return { ok: false, error: err.error };
        throw err;
      }
    },
    subscribe(listener) {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
    emit(event, payload) {
      for (const s of subscribers) s(event, payload);
    },
  };
  return bridge;
}
