// Errors raised by the template engine. The message is exactly Go's text/template text, so
// Helm users recognise it (and tests can compare it with Go's output); `code` says which phase
// failed and `hint` says what to do about it.

export type TemplateErrorCode = 'TEMPLATE_PARSE' | 'TEMPLATE_EXEC' | 'TEMPLATE_NOT_FOUND' | 'TEMPLATE_DEPTH';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly code: TemplateErrorCode;
  readonly hint?: string;
  /** Name of the template that was executing (or being parsed) when the error happened. */
  readonly templateName?: string;

  constructor(code: TemplateErrorCode, message: string, options?: { hint?: string; templateName?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options?.hint !== undefined) this.hint = options.hint;
    if (options?.templateName !== undefined) this.templateName = options.templateName;
  }
}

/** Thrown by the parser/lexer internals; caught by the parse entry point and turned into a TemplateError. */
export function parseError(message: string): TemplateError {
  return new TemplateError('TEMPLATE_PARSE', message, { hint: 'check the template syntax near the line named in the message' });
}

/**
 * Did JavaScript run out of stack? V8 reports it as a RangeError, but when the stack runs out while
 * compiling a regular expression or building another error, it surfaces as a different error whose
 * message still says so; checking must itself use no regular expression.
 */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof Error && (e instanceof RangeError || e.message.includes('Maximum call stack size exceeded'))
    && e.message.includes('call stack');
}
