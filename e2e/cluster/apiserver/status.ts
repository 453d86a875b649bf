// Kubernetes `Status` objects and the error type the API server throws to answer with one.
// Shapes follow k8s.io/apimachinery/pkg/apis/meta/v1 Status; note StatusCause's type travels as
// the JSON key "reason" on the wire.

export interface StatusCause { reason: string; message: string; field?: string }

export interface StatusDetails { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number }

export interface Status {
  kind: 'Status'; apiVersion: 'v1'; metadata: Record<string, unknown>; status: 'Success' | 'Failure';
  message?: string; reason?: string; details?: StatusDetails; code: number;
}

/** An API failure: carries the HTTP code, the Kubernetes reason and a user-readable message. */
export class ApiError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details && Object.keys(this.details).length) s.details = this.details;
    return s;
  }
}

/** `pods "web"` or `deployments.apps "web"`: how the real server names a resource in messages. */
export function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(resource: string, group: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group: group || undefined, kind: resource });
}

export function alreadyExists(resource: string, group: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, { name, group: group || undefined, kind: resource });
}

export function conflict(resource: string, group: string, name: string, why: string): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`, { name, group: group || undefined, kind: resource });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
  return new ApiError(405, 'MethodNotAllowed', message);
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

/** One field error as the real validation reports it, e.g. `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export interface FieldError { type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong'; field: string; value?: unknown; detail?: string }

/** Go's %#v for the values validation reports: strings quoted, string maps as map[string]string{…}. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (Object.values(o).every((x) => typeof x === 'string')) {
      return `map[string]string{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`).join(', ')}}`;
    }
    if ('matchLabels' in o || 'matchExpressions' in o) {
      const ml = o.matchLabels ? goValue(o.matchLabels) : 'map[string]string(nil)';
      const me = Array.isArray(o.matchExpressions) && o.matchExpressions.length ? JSON.stringify(o.matchExpressions) : '[]v1.LabelSelectorRequirement(nil)';
      return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
    }
  }
  return JSON.stringify(v);
}

export function describeFieldError(e: FieldError): string {
  const shown = goValue;
  switch (e.type) {
    case 'FieldValueRequired': return 'Required value' + (e.detail ? `: ${e.detail}` : '');
    case 'FieldValueDuplicate': return `Duplicate value: ${shown(e.value)}`;
    case 'FieldValueForbidden': return 'Forbidden' + (e.detail ? `: ${e.detail}` : '');
    case 'FieldValueNotSupported': return `Unsupported value: ${shown(e.value)}` + (e.detail ? `: ${e.detail}` : '');
    case 'FieldValueTooLong': return `Too long: ${e.detail ?? ''}`;
    default: return `Invalid value: ${shown(e.value)}` + (e.detail ? `: ${e.detail}` : '');
  }
}

/** 422 Invalid: `Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value`. */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): ApiError {
  const parts = errors.map((e) => `${e.field}: ${describeFieldError(e)}`);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name, group: group || undefined, kind,
    causes: errors.map((e) => ({ reason: e.type, message: describeFieldError(e), field: e.field })),
  });
}

export function successStatus(details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
