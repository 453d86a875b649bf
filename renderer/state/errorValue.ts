// Failures are kept in the store as plain values (code, message, hint) so components can show
// them; the UI never renders an Error object or its stack.
import type { ApiError, ClusterStatus } from '../../preload/api';
import { DevspaceError } from '../api/client';

export function errorValue(err: unknown): ApiError {
  if (err instanceof DevspaceError) return err.hint ? { code: err.code, message: err.message, hint: err.hint } : { code: err.code, message: err.message };
  // Anything else is a bug on our side: show its first line only, never a stack trace.
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: 'INTERNAL',
    message: message.split('\n', 1)[0] || 'Something went wrong.',
    hint: 'This is a bug in DevSpace Desktop; please report it.',
  };
}

/** A failed status/select call is shown exactly like a status the host reported as failed. */
export function statusFromError(context: string | undefined, err: unknown): ClusterStatus {
  return context === undefined ? { state: 'error', error: errorValue(err) } : { state: 'error', context, error: errorValue(err) };
}
