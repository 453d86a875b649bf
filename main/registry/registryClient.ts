// A client for the Docker Registry HTTP API v2: enough to check a registry before a build
// ("can we log in?"), to skip a push whose tag is already there, and to list what is stored.
// It follows Docker's rules: HTTPS first, plain HTTP only for loopback or registries marked
// insecure; the auth challenge decides between Basic and the Bearer token flow.
import { isLoopbackRegistry, manifestReference, normaliseRegistryHost, parseImageRef, registryApiHost } from './imageRef';
import { credentialsError, httpError, networkError, registryErrorDetail, RegistryError, type RegistryTarget } from './registryErrors';

/** Every manifest type we may have pushed; without OCI types here Distribution 2.8 answers 404 for OCI images. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export interface RegistryCredentials {
  username?: string;
  /** Password or access token. */
  password?: string;
  /** OAuth2 refresh token (docker config.json `identitytoken`), exchanged at the token realm. */
  identityToken?: string;
  /** A ready bearer token (docker config.json `registrytoken`), sent as is. */
  registryToken?: string;
}

export interface RegistryClientOptions {
  credentials?: RegistryCredentials;
  /** Allow plain HTTP (after HTTPS fails) for a host that is not loopback. */
  insecure?: boolean;
  /** This is the registry the app deploys into the cluster (changes the hints). */
  inCluster?: { namespace: string };
  fetch?: typeof fetch;
  /** Deadline per HTTP request, including the body. Default 15 s; 0 = none. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Clock for token expiry. */
  now?: () => number;
  /**
   * What is already known about the registry, to save round trips: it speaks plain HTTP (no HTTPS
   * probe first), and it wants Basic auth (credentials sent with the first request, no 401 first).
   * The in-cluster registry behind a port-forward is both.
   */
  known?: { plainHttp?: boolean; basicAuth?: boolean };
}

export interface PingResult {
  scheme: 'https' | 'http';
  /** What the registry asks for at /v2/. */
  auth: 'none' | 'basic' | 'bearer';
  /** False when the registry wants a login and we have no credentials (bearer registries usually still give anonymous pull tokens). */
  authenticated: boolean;
}

export type ManifestInfo = { exists: true; digest?: string; mediaType?: string; size?: number } | { exists: false };

interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export class RegistryClient {
  /** The registry as the user names it (`docker.io`). */
  readonly host: string;
  /** Where its API answers (`registry-1.docker.io`). */
  readonly apiHost: string;
  private scheme: 'https' | 'http' | undefined;
  private basicKnown = false;
  private bearer: { realm: string; service?: string } | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly target: RegistryTarget;

  constructor(host: string, private readonly opts: RegistryClientOptions = {}) {
    this.host = normaliseRegistryHost(host);
    this.apiHost = registryApiHost(this.host);
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.now = opts.now ?? Date.now;
    if (opts.known?.plainHttp) this.scheme = 'http';
    if (opts.known?.basicAuth && opts.credentials?.username !== undefined) this.basicKnown = true;
    this.target = {
      host: this.host,
      ...(opts.credentials?.username ? { username: opts.credentials.username } : {}),
      ...(opts.insecure ? { insecure: true } : {}),
      ...(opts.inCluster ? { inCluster: opts.inCluster } : {}),
    };
  }

  /** `GET /v2/`: which scheme answers and what auth it wants. Throws the credentials error when given credentials are rejected. */
  async ping(): Promise<PingResult> {
    const res = await this.send('GET', '/v2/', { scope: undefined, what: 'the API check (GET /v2/)', allow401: true });
    const auth = this.bearer ? 'bearer' : this.basicKnown ? 'basic' : 'none';
    if (res.status === 401) return { scheme: this.scheme!, auth, authenticated: false };
    if (!res.ok) throw httpError(this.target, 'the API check (GET /v2/)', res.status, registryErrorDetail(await res.text()));
    await res.body?.cancel();
    return { scheme: this.scheme!, auth, authenticated: auth === 'none' || this.hasCredentials() };
  }

  /** Like ping(), but a registry that wants credentials we do not have is an error too. */
  async checkLogin(): Promise<PingResult> {
    const result = await this.ping();
    if (!result.authenticated) throw credentialsError(this.target, 401);
    return result;
  }

  /**
   * `HEAD /v2/<name>/manifests/<reference>`: whether the tag (or digest) exists. A missing tag
   * or repository is `{ exists: false }`, not an error — "skip the push" checks rely on that.
   */
  async manifest(repository: string, reference: string, opts: { accept?: string } = {}): Promise<ManifestInfo> {
    const what = `the manifest check for ${repository}:${reference}`;
    const res = await this.send('HEAD', `/v2/${repository}/manifests/${reference}`, { scope: `repository:${repository}:pull`, what, accept: opts.accept ?? MANIFEST_ACCEPT, repository });
    if (res.status === 404) return { exists: false };
    if (!res.ok) throw httpError(this.target, what, res.status);
    const size = Number(res.headers.get('content-length'));
    const info: ManifestInfo = { exists: true };
    const digest = res.headers.get('docker-content-digest');
    const mediaType = res.headers.get('content-type');
    if (digest) info.digest = digest;
    if (mediaType) info.mediaType = mediaType;
    if (Number.isFinite(size) && size > 0) info.size = size;
    return info;
  }

  /** `GET /v2/<name>/tags/list`, following pagination; an unknown repository has no tags. */
  async tags(repository: string): Promise<string[]> {
    const all: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list`;
    while (path) {
      const what = `the tag list of ${repository}`;
      const res = await this.send('GET', path, { scope: `repository:${repository}:pull`, what, repository });
      if (res.status === 404) return all;
      const body = (await this.json(res, what)) as { tags?: unknown };
      if (Array.isArray(body.tags)) all.push(...body.tags.filter((t): t is string => typeof t === 'string'));
      path = nextPage(res.headers.get('link'));
    }
    return all;
  }

  /** `GET /v2/_catalog`, following pagination. */
  async catalog(): Promise<string[]> {
    const all: string[] = [];
    let path: string | undefined = '/v2/_catalog';
    while (path) {
      const res = await this.send('GET', path, { scope: 'registry:catalog:*', what: 'the repository list (GET /v2/_catalog)' });
      const body = (await this.json(res, 'the repository list')) as { repositories?: unknown };
      if (Array.isArray(body.repositories)) all.push(...body.repositories.filter((t): t is string => typeof t === 'string'));
      path = nextPage(res.headers.get('link'));
    }
    return all;
  }

  private hasCredentials(): boolean {
    const c = this.opts.credentials;
    return !!(c && ((c.username && c.password) || c.identityToken || c.registryToken));
  }

  private async json(res: Response, what: string): Promise<Record<string, unknown>> {
    const text = await res.text();
    if (!res.ok) throw httpError(this.target, what, res.status, registryErrorDetail(text));
    try {
      const doc = JSON.parse(text) as unknown;
      if (doc && typeof doc === 'object') return doc as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new RegistryError('protocol', `The registry ${this.host} answered ${what} with something that is not JSON.`, 'Check that the address points at a Docker registry (v2 API), not a web page or proxy.');
  }

  /**
   * One API call with auth: attach what we already know (Basic, or a cached token for the
   * scope); on 401 answer the challenge once and retry; 401 again means the credentials are wrong.
   */
  private async send(method: string, path: string, o: { scope: string | undefined; what: string; accept?: string; repository?: string; allow401?: boolean }): Promise<Response> {
    let authorization = await this.knownAuthorization(o.scope);
    for (let attempt = 0; ; attempt++) {
      const res = await this.fetchWithScheme(method, path, { ...(o.accept ? { accept: o.accept } : {}), ...(authorization ? { authorization } : {}) });
      if (res.status === 403) {
        const detail = method === 'HEAD' ? undefined : registryErrorDetail(await res.text());
        throw credentialsError(this.target, 403, detail, o.repository);
      }
      if (res.status !== 401) return res;
      const detail = method === 'HEAD' ? undefined : registryErrorDetail(await res.text());
      const challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
      if (attempt > 0 || !challenge) {
        // Sent what we had and it was refused (or the registry gives no way to log in).
        if (o.allow401 && !this.hasCredentials() && !authorization) return res;
        throw credentialsError(this.target, 401, this.hasCredentials() ? detail : undefined, o.repository);
      }
      const next = await this.answer(challenge, o.scope);
      if (!next) {
        if (o.allow401) return res;
        throw credentialsError(this.target, 401, undefined, o.repository);
      }
      authorization = next;
    }
  }

  private async knownAuthorization(scope: string | undefined): Promise<string | undefined> {
    if (this.basicKnown) return this.basicAuthorization();
    if (this.bearer) {
      const cached = this.tokens.get(tokenKey(this.bearer.realm, this.bearer.service, scope));
      if (cached && cached.expiresAt > this.now()) return `Bearer ${cached.token}`;
    }
    return undefined;
  }

  private basicAuthorization(): string | undefined {
    const c = this.opts.credentials;
    if (!c?.username || c.password === undefined) return undefined;
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  }

  /** Turns a challenge into an Authorization header, or undefined when we have nothing to offer. */
  private async answer(challenge: Challenge, requestScope: string | undefined): Promise<string | undefined> {
    if (challenge.scheme === 'basic') {
      this.basicKnown = true;
      return this.basicAuthorization();
    }
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError('protocol', `The registry ${this.host} asked for a Bearer token without saying where to get one (no realm).`);
    const service = challenge.params.service;
    this.bearer = service === undefined ? { realm } : { realm, service };
    const scope = challenge.params.scope ?? requestScope;
    if (this.opts.credentials?.registryToken) return `Bearer ${this.opts.credentials.registryToken}`;
    const key = tokenKey(realm, service, scope);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return `Bearer ${cached.token}`;
    const token = await this.fetchToken(realm, service, scope);
    // Keyed by the scope we will ask with next time as well as the one in the challenge.
    this.tokens.set(key, token);
    if (requestScope !== scope) this.tokens.set(tokenKey(realm, service, requestScope), token);
    return `Bearer ${token.token}`;
  }

  /** The token flow of docker/distribution docs/spec/auth/token.md (GET), or OAuth2 (POST) with a refresh token. */
  private async fetchToken(realm: string, service: string | undefined, scope: string | undefined): Promise<CachedToken> {
    const c = this.opts.credentials;
    const url = new URL(realm);
    let init: RequestInit;
    if (c?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.identityToken, client_id: 'devspace-desktop' });
      if (service) form.set('service', service);
      if (scope) form.set('scope', scope);
      init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
    } else {
      if (service) url.searchParams.set('service', service);
      if (scope) url.searchParams.set('scope', scope);
      if (c?.username) url.searchParams.set('account', c.username);
      const basic = this.basicAuthorization();
      init = { method: 'GET', headers: basic ? { authorization: basic } : {} };
    }
    const res = await this.timedFetch(url.toString(), init);
    const text = await res.text();
    if (res.status === 401 || res.status === 403) {
      throw credentialsError(this.target, res.status, registryErrorDetail(text) ?? `the token service ${url.host} refused them`);
    }
    if (!res.ok) throw httpError(this.target, `the token request to ${url.host}`, res.status, registryErrorDetail(text));
    let doc: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch {
      throw new RegistryError('protocol', `The token service ${url.host} of ${this.host} answered with something that is not JSON.`);
    }
    const token = typeof doc.token === 'string' && doc.token ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : '';
    if (!token) throw new RegistryError('protocol', `The token service ${url.host} of ${this.host} gave no token.`);
    // The spec's default lifetime is 60 s; renew a little early so a request never carries a stale token.
    const lifetime = typeof doc.expires_in === 'number' && doc.expires_in > 0 ? doc.expires_in : 60;
    return { token, expiresAt: this.now() + Math.max(0, lifetime - 5) * 1000 };
  }

  /** HTTPS first; plain HTTP only for loopback or insecure registries, remembered once it worked. */
  private async fetchWithScheme(method: string, path: string, headers: Record<string, string>): Promise<Response> {
    const init: RequestInit = { method, headers: { 'user-agent': 'devspace-desktop', ...headers } };
    if (this.scheme) return this.timedFetch(`${this.scheme}://${this.apiHost}${path}`, init);
    const httpAllowed = this.opts.insecure || isLoopbackRegistry(this.apiHost);
    try {
      const res = await this.timedFetch(`https://${this.apiHost}${path}`, init);
      this.scheme = 'https';
      return res;
    } catch (err) {
      if (!httpAllowed || !(err instanceof RegistryError) || !['http-to-https', 'tls', 'unreachable'].includes(err.problem)) throw err;
      const res = await this.timedFetch(`http://${this.apiHost}${path}`, init);
      this.scheme = 'http';
      return res;
    }
  }

  private async timedFetch(url: string, init: RequestInit): Promise<Response> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = this.timeoutMs > 0 ? setTimeout(() => ((timedOut = true), controller.abort()), this.timeoutMs) : undefined;
    const outer = this.opts.signal;
    const cancel = () => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', cancel, { once: true });
    try {
      const res = await this.fetchFn(url, { ...init, signal: controller.signal, redirect: 'follow' });
      // Read the body under the same deadline, then hand out a Response that cannot stall.
      const body = init.method === 'HEAD' ? null : await res.arrayBuffer();
      return new Response(body && body.byteLength > 0 ? body : null, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (err) {
      throw networkError(this.target, url, err, { timedOut, cancelled: !timedOut && !!outer?.aborted, timeoutMs: this.timeoutMs });
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', cancel);
    }
  }
}

function tokenKey(realm: string, service: string | undefined, scope: string | undefined): string {
  return `${realm}\n${service ?? ''}\n${scope ?? ''}`;
}

/** Parses `Bearer realm="…",service="…",scope="a,b"` / `Basic realm="…"` (the first challenge we understand). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(basic|bearer)\b\s*(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[2] ?? ''); p; p = re.exec(m[2] ?? '')) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme: m[1]!.toLowerCase() as Challenge['scheme'], params };
}

/** `Link: </v2/_catalog?last=b&n=100>; rel="next"` → the path to fetch next. */
function nextPage(link: string | null): string | undefined {
  const m = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (!m) return undefined;
  const u = new URL(m[1]!, 'http://registry.invalid');
  return `${u.pathname}${u.search}`;
}

/**
 * "Is this image already in its registry?" for skip-push checks: `localhost:5000/app:dev` →
 * HEAD its manifest. A missing tag or repository is false; auth and network problems throw.
 */
export async function imageExists(image: string, opts: RegistryClientOptions = {}): Promise<boolean> {
  const ref = parseImageRef(image);
  const client = new RegistryClient(ref.domain, opts);
  return (await client.manifest(ref.path, manifestReference(ref))).exists;
}
