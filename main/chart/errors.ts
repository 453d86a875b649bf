// ChartError: every failure of the chart engine (loading, values, schema, rendering) as one typed
// value, so the app can show the code, a message in Helm's words and a hint, and name the file.

export type ChartErrorCode =
  | 'CHART_NOT_FOUND'
  | 'CHART_INVALID'
  | 'DEPENDENCY_MISSING'
  | 'VALUES_INVALID'
  | 'SET_INVALID'
  | 'RELEASE_NAME_INVALID'
  | 'SCHEMA_INVALID'
  | 'TEMPLATE_ERROR'
  | 'MANIFEST_INVALID'
  | 'KUBE_VERSION_INCOMPATIBLE'
  | 'NOT_INSTALLABLE';

export class ChartError extends Error {
  readonly code: ChartErrorCode;
  /** The file the problem is in, relative to the chart when known (e.g. `mychart/values.yaml`). */
  readonly file?: string;
  readonly hint?: string;

  constructor(code: ChartErrorCode, message: string, options: { file?: string; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChartError';
    this.code = code;
    if (options.file !== undefined) this.file = options.file;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}
