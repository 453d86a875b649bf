// The `auth-provider: {name: oidc}` users of kubectl: send the id-token, and when it has expired get
// a new one with the refresh-token from the identity provider, as client-go's oidc plugin does.
// client-node 1.4 has this built in, but its refresh always fails: it passes the issuer URL as a
// string to openid-client 6, which demands a URL object ("server" must be an instance of URL,
// kubernetes-client/javascript#2202). So the app does the refresh itself.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { User } from '@kubernetes/client-node';

export const OIDC_PROVIDER = 'devspace-desktop-oidc';

/** client-go treats a token as expired this long before its `exp`, so it does not expire in flight. */
const EXPIRY_DELTA_S = 10;

interface OidcConfig {
  'id-token'?: string;
  'refresh-token'?: string;
  'client-id'?: string;
  'client-secret'?: string;
  'idp-issuer-url'?: string;
  'idp-certificate-authority-data'?: string;
  'idp-certificate-authority'?: string;
  [key: string]: string | undefined;
}

export class OidcAuthenticator {
  /** One refresh at a time per user: parallel requests wait for the same new token. */
  private refreshing = new Map<string, Promise<void>>();

  constructor(
    private readonly readFile: (p: string) => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {}

  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: string } | undefined)?.name === OIDC_PROVIDER;
  }

  async applyAuthentication(user: User, opts: { headers?: unknown }): Promise<void> {
    const config = (user.authProvider as { config: OidcConfig }).config;
    if (!config['id-token'] || this.expired(config['id-token'])) {
      let pending = this.refreshing.get(user.name);
      if (!pending) {
        pending = this.refresh(config).finally(() => this.refreshing.delete(user.name));
        this.refreshing.set(user.name, pending);
      }
      await pending;
    }
    const headers = (opts.headers ?? {}) as Record<string, string>;
    headers['Authorization'] = `Bearer ${config['id-token']}`;
    opts.headers = headers;
  }

  private expired(idToken: string): boolean {
    const exp = expiryOf(idToken);
    return exp === undefined || this.now() / 1000 + EXPIRY_DELTA_S >= exp;
  }

  private async refresh(config: OidcConfig): Promise<void> {
    const issuer = config['idp-issuer-url'];
    const refreshToken = config['refresh-token'];
    const clientId = config['client-id'];
    if (!issuer || !refreshToken || !clientId) {
      throw new Error('the id-token has expired and the kubeconfig has no refresh-token, client-id and idp-issuer-url to renew it');
    }
    const ca = config['idp-certificate-authority-data']
      ? Buffer.from(config['idp-certificate-authority-data'], 'base64').toString('utf8')
      : config['idp-certificate-authority']
        ? await this.readFile(config['idp-certificate-authority'])
        : undefined;

    const discovery = await send(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { method: 'GET', ca });
    if (discovery.status !== 200) throw new Error(`the identity provider ${issuer} answered HTTP ${discovery.status} to discovery`);
    const tokenEndpoint = (JSON.parse(discovery.body) as { token_endpoint?: unknown }).token_endpoint;
    if (typeof tokenEndpoint !== 'string') throw new Error(`the identity provider ${issuer} names no token_endpoint`);

    const secret = config['client-secret'] ?? '';
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    // Like golang.org/x/oauth2's auto-detection: client credentials as Basic auth first, in the form as a fallback.
    let answer = secret
      ? await send(tokenEndpoint, {
          method: 'POST',
          ca,
          body: form.toString(),
          headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` },
        })
      : undefined;
    // Retry only when the client authentication was the problem; a revoked refresh-token stays the answer.
    if (!answer || answer.status === 401 || (safeJson(answer.body) as { error?: unknown } | undefined)?.error === 'invalid_client') {
      const inForm = new URLSearchParams(form);
      inForm.set('client_id', clientId);
      if (secret) inForm.set('client_secret', secret);
      answer = await send(tokenEndpoint, { method: 'POST', ca, body: inForm.toString() });
    }
    const tokens = safeJson(answer.body) as { id_token?: unknown; refresh_token?: unknown; error?: unknown; error_description?: unknown };
    if (answer.status !== 200) {
      const why = [tokens?.error, tokens?.error_description].filter((x) => typeof x === 'string').join(': ');
      throw new Error(`the identity provider refused the refresh-token (HTTP ${answer.status}${why ? `, ${why}` : ''})`);
    }
    if (typeof tokens?.id_token !== 'string') throw new Error('the identity provider answered without an id_token');
    config['id-token'] = tokens.id_token;
    if (typeof tokens.refresh_token === 'string') config['refresh-token'] = tokens.refresh_token;
  }
}

/** `exp` of a JWT, without verifying it (the API server does that). */
export function expiryOf(jwt: string): number | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(
  url: string,
  opts: { method: 'GET' | 'POST'; ca: string | undefined; body?: string; headers?: Record<string, string> },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(opts.body));
    }
    const request = url.startsWith('http:') ? httpRequest : httpsRequest;
    const req = request(url, { method: opts.method, headers, ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
