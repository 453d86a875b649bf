// One classifier for everything that can go wrong talking to a cluster, so every feature (status,
// namespaces, builds, deploys, exec, port-forward) tells the user WHICH failure it was and what to
// do. It understands client-node 1.4's ApiException (numeric `code` = HTTP status, `body` = Status
// JSON text or object), node-fetch's FetchError (`code` copied from the socket error), errors with
// a `cause` chain (undici, ws) and our own timeout.
import type { ApiError } from '../../preload/api';
import { AppError } from '../ipc/errors';

/** Thrown by our API clients when the cluster did not answer within the deadline. */
export class ClusterTimeoutError extends Error {
  override readonly name = 'ClusterTimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly timeoutMs: number,
    url: string,
  ) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
  }
}

const UNREACHABLE_HINT = "Is the cluster running? If it is remote, are you connected (VPN)? Check `server:` of this cluster in the kubeconfig.";
const UNKNOWN_CA_HINT =
  'Set certificate-authority-data (or certificate-authority) of this cluster in the kubeconfig to the CA that signed the API server certificate. ' +
  'insecure-skip-tls-verify: true turns the check off, for throwaway clusters only.';

const UNKNOWN_CA_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

export function describeClusterError(err: unknown, server?: string): ApiError {
  if (err instanceof AppError) return err.toApiError();
  const where = server ? `the cluster at ${server}` : 'the cluster';
  const Where = capitalize(where);

  const status = httpStatusOf(err);
  if (status !== undefined) return describeHttpStatus(status, statusMessageOf(err), Where);

  const chain = causeChain(err);
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : '')).filter(Boolean);
  const has = (...c: string[]) => codes.some((x) => c.includes(x));
  const deepest = chain.find((e) => typeof e.code === 'string' && e.message) ?? chain[0];
  // node-fetch wraps socket errors as "request to URL failed, reason: …"; the reason is what matters.
  const reason = deepest?.message ? firstLine(deepest.message).replace(/^request to \S+ failed, reason: /, '') : String(err);

  const timeout = chain.find((e) => e instanceof ClusterTimeoutError) as ClusterTimeoutError | undefined;
  if (timeout) {
    return { code: 'CLUSTER_UNREACHABLE', message: `${Where} did not answer within ${seconds(timeout.timeoutMs)}.`, hint: UNREACHABLE_HINT };
  }
  if (chain.some((e) => e.name === 'AbortError')) {
    return { code: 'CANCELLED', message: `The request to ${where} was cancelled.` };
  }
  if (has('ECONNREFUSED')) {
    return { code: 'CLUSTER_UNREACHABLE', message: `Nothing answers at ${server ?? 'the cluster address'} (connection refused).`, hint: UNREACHABLE_HINT };
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME')) {
    return { code: 'CLUSTER_UNREACHABLE', message: `The host name of ${where} cannot be resolved (DNS lookup failed).`, hint: UNREACHABLE_HINT };
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN')) {
    return { code: 'CLUSTER_UNREACHABLE', message: `${Where} cannot be reached (no route to host).`, hint: UNREACHABLE_HINT };
  }
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT')) {
    return { code: 'CLUSTER_UNREACHABLE', message: `The connection to ${where} timed out.`, hint: UNREACHABLE_HINT };
  }
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET') || /socket hang up/i.test(reason)) {
    return { code: 'CLUSTER_UNREACHABLE', message: `The connection to ${where} was closed unexpectedly (${reason}).`, hint: UNREACHABLE_HINT };
  }

  if (codes.some((c) => UNKNOWN_CA_CODES.has(c))) {
    return { code: 'CLUSTER_TLS', message: `The certificate of ${where} is signed by an unknown authority (${reason}).`, hint: UNKNOWN_CA_HINT };
  }
  if (has('ERR_TLS_CERT_ALTNAME_INVALID')) {
    return {
      code: 'CLUSTER_TLS',
      message: `The certificate of ${where} is not valid for that host name (${reason}).`,
      hint: "Use a host name the certificate was issued for in `server:`, or set tls-server-name of this cluster to one of the certificate's names.",
    };
  }
  if (has('CERT_HAS_EXPIRED')) {
    return { code: 'CLUSTER_TLS', message: `The certificate of ${where} has expired.`, hint: "The cluster's serving certificate must be renewed; also check this computer's clock." };
  }
  if (has('CERT_NOT_YET_VALID')) {
    return { code: 'CLUSTER_TLS', message: `The certificate of ${where} is not valid yet.`, hint: "Check this computer's clock and time zone." };
  }
  if (has('ERR_SSL_WRONG_VERSION_NUMBER') || /wrong version number/i.test(reason)) {
    return { code: 'CLUSTER_TLS', message: `${Where} does not speak TLS on that port.`, hint: 'Check the scheme (https://) and port of `server:` in the kubeconfig.' };
  }
  if (codes.some((c) => /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA|CERTIFICATE_EXPIRED)/.test(c))) {
    return {
      code: 'CLUSTER_TLS',
      message: `${Where} rejected the client certificate (${reason}).`,
      hint: 'Your client certificate may have expired or belong to another cluster: get a fresh kubeconfig from your cluster provider.',
    };
  }
  if (codes.some((c) => c.startsWith('ERR_TLS') || c.startsWith('ERR_SSL') || c.startsWith('ERR_OSSL') || c.startsWith('CERT_') || c === 'EPROTO')) {
    return { code: 'CLUSTER_TLS', message: `The TLS connection to ${where} failed (${reason}).`, hint: 'Check certificate-authority-data, client-certificate-data and client-key-data of this context in the kubeconfig.' };
  }

  return { code: 'CLUSTER_ERROR', message: `Talking to ${where} failed: ${reason}` };
}

function describeHttpStatus(status: number, detail: string | undefined, Where: string): ApiError {
  const tail = detail ? `: ${detail}` : '.';
  if (status === 401) {
    return {
      code: 'CLUSTER_UNAUTHORIZED',
      message: `${Where} did not accept the credentials (401 Unauthorized)${tail}`,
      hint: "Your credentials may have expired: log in again with your cluster provider's CLI (or refresh the token) and retry.",
    };
  }
  if (status === 403) {
    return {
      code: 'CLUSTER_FORBIDDEN',
      message: `${Where} refused the request (403 Forbidden)${tail}`,
      hint: 'Your user lacks the permission: ask a cluster admin for a Role and RoleBinding, or choose a namespace you may use.',
    };
  }
  return { code: 'CLUSTER_ERROR', message: `${Where} answered HTTP ${status}${tail}` };
}

function httpStatusOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  // client-node's ApiException keeps the HTTP status in a numeric `code`; system errors use strings.
  for (const v of [e.code, e.statusCode]) if (typeof v === 'number' && v >= 100 && v <= 599) return v;
  return undefined;
}

/** Status.message from an ApiException body (a JSON string or an already parsed object). */
function statusMessageOf(err: unknown): string | undefined {
  let body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    const text = body.trim();
    try {
      body = JSON.parse(text);
    } catch {
      return text && !text.startsWith('<') ? firstLine(text) : undefined;
    }
  }
  if (body && typeof body === 'object') {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string' && message) return firstLine(message);
  }
  return undefined;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
}

function causeChain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown) => {
    if (!e || typeof e !== 'object' || seen.has(e) || out.length > 20) return;
    seen.add(e);
    out.push(e as ErrorLike);
    visit((e as { cause?: unknown }).cause);
    visit((e as { error?: unknown }).error); // ws ErrorEvent
    const errors = (e as { errors?: unknown }).errors; // AggregateError from happy-eyeballs connects
    if (Array.isArray(errors)) errors.forEach(visit);
  };
  visit(err);
  return out;
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
