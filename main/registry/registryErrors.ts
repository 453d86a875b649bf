// Registry failures as AppErrors that say which registry, which user and what to do. These are
// the errors DevSpace users hit most ("server gave HTTP response to HTTPS client", a registry that
// is not up yet, wrong credentials), so each one names the registry and where it was expected.
import type { ErrorCode } from '../../preload/api';
import { AppError } from '../ipc/errors';

/** What went wrong, for callers that branch (e.g. "retry while the in-cluster registry starts"). */
export type RegistryProblem = 'unauthorized' | 'forbidden' | 'unreachable' | 'http-to-https' | 'tls' | 'timeout' | 'cancelled' | 'protocol' | 'error';

const CODES: Record<RegistryProblem, ErrorCode> = {
  unauthorized: 'REGISTRY_UNAUTHORIZED',
  forbidden: 'REGISTRY_UNAUTHORIZED',
  unreachable: 'REGISTRY_UNREACHABLE',
  timeout: 'REGISTRY_UNREACHABLE',
  'http-to-https': 'REGISTRY_TLS',
  tls: 'REGISTRY_TLS',
  cancelled: 'CANCELLED',
  protocol: 'REGISTRY_ERROR',
  error: 'REGISTRY_ERROR',
};

export class RegistryError extends AppError {
  constructor(readonly problem: RegistryProblem, message: string, hint?: string, options?: { cause?: unknown; status?: number }) {
    super(CODES[problem], message, hint, options);
    this.status = options?.status;
  }
  readonly status: number | undefined;
}

/** What the error messages need to know about the registry being talked to. */
export interface RegistryTarget {
  /** As the user knows it: `docker.io`, `localhost:5000`. */
  host: string;
  username?: string;
  insecure?: boolean;
  /** Set for the registry the app deploys into the cluster: where it lives, for hints. */
  inCluster?: { namespace: string };
}

function who(t: RegistryTarget): string {
  return t.username ? `user "${t.username}"` : 'no credentials (anonymous)';
}

function registryName(t: RegistryTarget): string {
  return t.inCluster ? `the in-cluster registry ${t.host}` : `the registry ${t.host}`;
}

function inClusterHint(t: RegistryTarget): string {
  return t.inCluster
    ? `It is the registry DevSpace Desktop runs in namespace "${t.inCluster.namespace}": check that its pod is Running (Up starts it; the first start can take a minute), and that this machine reaches the node's port.`
    : '';
}

/** 401 after sending credentials (or none when some are required), 403 when the user lacks access. */
export function credentialsError(t: RegistryTarget, status: 401 | 403, detail?: string, repository?: string): RegistryError {
  const what = repository ? ` for "${repository}"` : '';
  if (status === 403) {
    return new RegistryError(
      'forbidden',
      `${cap(registryName(t))} refused access${what} to ${who(t)}${detail ? `: ${detail}` : '.'}`,
      `Check that ${t.username ? `"${t.username}"` : 'the account'} may push and pull${what} (on Docker Hub and GHCR the repository must belong to that user or an organisation it is a member of).`,
      { status },
    );
  }
  return new RegistryError(
    'unauthorized',
    t.username
      ? `${cap(registryName(t))} rejected the credentials of user "${t.username}"${what}${detail ? `: ${detail}` : '.'}`
      : `${cap(registryName(t))} needs a login${what}${detail ? `: ${detail}` : '.'}`,
    t.inCluster
      ? 'The stored password no longer matches the registry\'s htpasswd Secret; run Up again to re-sync it, or remove the in-cluster registry in the Registry panel to start over.'
      : t.username
        ? `Update the username and password (or access token) for ${t.host} under Logins in the Registry panel. ${providerHint(t.host)}`
        : `Add a username and password (or access token) for ${t.host} under Logins in the Registry panel, or log in with "docker login ${t.host}". ${providerHint(t.host)}`,
    { status },
  );
}

/** What each big registry wants as a password, since it is rarely the account password. */
export function providerHint(host: string): string {
  const h = host.replace(/:\d+$/, '');
  if (/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(h)) {
    return 'Amazon ECR: the username is "AWS" and the password a 12-hour token from "aws ecr get-login-password --region <region>" (or use docker-credential-ecr-login in ~/.docker/config.json).';
  }
  if (h === 'gcr.io' || h.endsWith('.gcr.io') || h.endsWith('-docker.pkg.dev')) {
    return 'Google Artifact Registry / GCR: the username "oauth2accesstoken" with a 1-hour token from "gcloud auth print-access-token", or "_json_key" with a service account key (JSON) as the password.';
  }
  if (h === 'ghcr.io') return 'GitHub Container Registry: the password is a personal access token with the read:packages (and write:packages to push) scope.';
  if (h === 'docker.io') return 'Docker Hub: use a personal access token (Account settings → Personal access tokens), not your account password.';
  if (h.endsWith('.azurecr.io')) return 'Azure Container Registry: use the registry\'s admin user or a token, or a service principal ID and secret.';
  return 'Most registries want an access token, not your account password.';
}

/** A status the registry answered that is none of the expected ones. */
export function httpError(t: RegistryTarget, what: string, status: number, detail?: string): RegistryError {
  return new RegistryError(
    'error',
    `${cap(registryName(t))} answered ${status} to ${what}${detail ? `: ${detail}` : '.'}`,
    status >= 500 ? 'The registry has a problem of its own; try again later or look at its logs.' : undefined,
    { status },
  );
}

/** Network-level failures: refused, DNS, TLS, plain HTTP where HTTPS was expected, deadline, cancel. */
export function networkError(t: RegistryTarget, url: string, err: unknown, opts: { timedOut?: boolean; cancelled?: boolean; timeoutMs?: number } = {}): RegistryError {
  if (opts.cancelled) return new RegistryError('cancelled', `The request to ${registryName(t)} was cancelled.`, undefined, { cause: err });
  if (opts.timedOut) {
    return new RegistryError(
      'timeout',
      `${cap(registryName(t))} did not answer ${url} within ${(opts.timeoutMs ?? 0) / 1000} s.`,
      inClusterHint(t) || 'Check the registry address and your network (VPN, proxy, firewall).',
      { cause: err },
    );
  }
  const { code, message } = causeOf(err);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|http request/i.test(message)) {
    return new RegistryError(
      'http-to-https',
      `${cap(registryName(t))} gave an HTTP response to an HTTPS client (${url}): it speaks plain HTTP, not HTTPS.`,
      `If you trust the network to ${t.host}, mark it as an insecure registry (tick "Insecure" in Settings, or at its login in the Registry panel) so the app uses plain HTTP; the cluster's nodes must allow it too (containerd: a hosts.toml for ${t.host}; Docker: "insecure-registries"). Registries at localhost:<port> need neither.`,
      { cause: err },
    );
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|certificate|altname|ssl/i.test(`${code} ${message}`)) {
    return new RegistryError(
      'tls',
      `The HTTPS certificate of ${registryName(t)} is not trusted (${code || firstLine(message)}).`,
      `Use a certificate from a trusted authority, add its CA to this computer's trust store (NODE_EXTRA_CA_CERTS), or mark ${t.host} as an insecure registry (tick "Insecure" in Settings).`,
      { cause: err },
    );
  }
  const why =
    code === 'ECONNREFUSED' ? 'connection refused'
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `the host name "${t.host.replace(/:\d+$/, '')}" cannot be resolved`
    : code === 'ECONNRESET' ? 'the connection was reset'
    : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'no route to the host'
    : firstLine(message) || 'unknown network error';
  return new RegistryError(
    'unreachable',
    `${cap(registryName(t))} cannot be reached at ${url} (${why}).`,
    inClusterHint(t) || `The registry is expected at ${t.host}. Check the name and port of the Registry URL in Settings, and your network (VPN, proxy, firewall).`,
    { cause: err },
  );
}

function causeOf(err: unknown): { code: string; message: string } {
  // fetch wraps the socket error: TypeError("fetch failed", { cause: Error{code} }).
  let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  const messages: string[] = [];
  let code = '';
  for (let i = 0; e && i < 5; i++) {
    if (typeof e.message === 'string') messages.push(e.message);
    if (!code && typeof e.code === 'string') code = e.code;
    e = e.cause as typeof e;
  }
  return { code, message: messages.reverse().join(': ') };
}

/** The first message of a registry's `{"errors":[{code,message,detail}]}` body. */
export function registryErrorDetail(body: string): string | undefined {
  try {
    const doc = JSON.parse(body) as { errors?: { code?: string; message?: string }[] };
    const first = doc.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(': ');
  } catch {
    // not JSON: fall through
  }
  const line = firstLine(body);
  return line || undefined;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function firstLine(s: string): string {
  const line = s.trim().split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
