// Errors as values: every failure the user can see has a code, a plain message and, where we can
// tell, a hint. Main-process code throws AppError; the transports turn it into the wire envelope.
import type { ApiError, ErrorCode } from '../../preload/api';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toApiError(): ApiError {
    return this.hint ? { code: this.code, message: this.message, hint: this.hint } : { code: this.code, message: this.message };
  }
}

/**
 * Turns anything thrown into an ApiError the UI can show. Unknown errors are not passed through
 * verbatim (they may carry stack traces or internals): they become INTERNAL with their message
 * only, and the full error goes to the log.
 */
export function toApiError(err: unknown, log: (line: string) => void = (l) => console.error(l)): ApiError {
  if (err instanceof AppError) return err.toApiError();
  const message = err instanceof Error ? err.message : String(err);
  log(`unexpected error: ${err instanceof Error && err.stack ? err.stack : message}`);
  return {
    code: 'INTERNAL',
    message: firstLine(message) || 'Something went wrong.',
    hint: 'This is a bug in DevSpace Desktop; the details are in the app log.',
  };
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
