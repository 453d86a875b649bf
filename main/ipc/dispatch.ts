// One place where a request from either transport becomes a call on the handlers: checks the
// method exists, validates the arguments at the boundary, and always answers with the envelope.
import type { ApiMethod, ArgsOf, ResultOf, WireResult } from '../../preload/api';
import { AppError, toApiError } from './errors';
import { validateArgs } from './validate';

/** The main process's implementation of the contract: a missing method is a compile error. */
export type ApiHandlers = { [M in ApiMethod]: (...args: ArgsOf<M>) => Promise<ResultOf<M>> | ResultOf<M> };

export async function dispatch(
  handlers: ApiHandlers,
  method: unknown,
  args: unknown,
  log?: (line: string) => void,
): Promise<WireResult<unknown>> {
  try {
    if (typeof method !== 'string' || !Object.hasOwn(handlers, method)) {
      throw new AppError('UNKNOWN_METHOD', `Unknown request ${JSON.stringify(String(method))}.`, 'The app and its window are out of step; restart the app.');
    }
    const m = method as ApiMethod;
    const valid = validateArgs(m, args);
    const fn = handlers[m] as (...a: unknown[]) => unknown;
    const value = await fn(...valid);
    return { ok: true, value: value === undefined ? null : value };
  } catch (err) {
    return { ok: false, error: toApiError(err, log) };
  }
}
