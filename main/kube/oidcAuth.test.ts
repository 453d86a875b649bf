// OIDC auth-provider users end to end: an expired id-token is renewed at a real local identity
// provider (HTTPS, discovery + token endpoint) and the new token reaches the API server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig } from './kubeconfig';
import { expiryOf } from './oidcAuth';
import { clusterStatus } from './status';
import { startApiServer, type RunningApiServer } from './testSupport/apiServer';
import { makeCa, makeServerCert, type TestCa } from './testSupport/certificates';

const now = () => Math.floor(Date.now() / 1000);
const jwt = (exp: number, sub = 'dev') =>
  [{ alg: 'none' }, { iss: 'https://issuer.test', sub, exp }].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') + '.sig';

const freshToken = jwt(now() + 3600, 'refreshed');
let ca: TestCa;
let dir: string;
let api: RunningApiServer;
let idp: Server;
let issuer: string;
const tokenRequests: { form: URLSearchParams; authorization?: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kube-oidc-'));
  ca = makeCa();
  const cert = makeServerCert(ca);
  api = await startApiServer({ cert, token: freshToken });
  idp = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/realm/.well-known/openid-configuration') {
      return send(200, { issuer, token_endpoint: `${new URL(issuer).origin}/token` });
    }
    if (req.method === 'POST' && req.url === '/token') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        tokenRequests.push({ form, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
        const basic = `Basic ${Buffer.from('app:s3cret').toString('base64')}`;
        if (req.headers.authorization !== basic) return send(401, { error: 'invalid_client' });
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== 'good-refresh') {
          return send(400, { error: 'invalid_grant', error_description: 'Token is not active' });
        }
        send(200, { id_token: freshToken, refresh_token: 'next-refresh', token_type: 'Bearer', expires_in: 3600 });
      });
      return;
    }
    send(404, {});
  });
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  issuer = `https://127.0.0.1:${(idp.address() as AddressInfo).port}/realm`;
});
afterAll(async () => {
  await api.close();
  idp.closeAllConnections();
  await new Promise<void>((r) => idp.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

async function oidcKubeconfig(refreshToken: string) {
  const caData = Buffer.from(ca.certPem).toString('base64');
  const file = path.join(dir, `config-${refreshToken}`);
  await writeFile(
    file,
    dump({
      'current-context': 'oidc',
      clusters: [{ name: 'c', cluster: { server: api.url, 'certificate-authority-data': caData } }],
      contexts: [{ name: 'oidc', context: { cluster: 'c', user: 'u' } }],
      users: [
        {
          name: 'u',
          user: {
            'auth-provider': {
              name: 'oidc',
              config: {
                'client-id': 'app',
                'client-secret': 's3cret',
                'id-token': jwt(now() - 60),
                'refresh-token': refreshToken,
                'idp-issuer-url': issuer,
                'idp-certificate-authority-data': caData,
              },
            },
          },
        },
      ],
    }),
  );
  return loadKubeconfig([file]);
}

describe('OIDC auth-provider', () => {
  it('renews an expired id-token with the refresh-token once, and sends the new one', async () => {
    const kc = await oidcKubeconfig('good-refresh');
    const before = tokenRequests.length;
    expect(await clusterStatus(kc)).toMatchObject({ state: 'connected' });
    expect(api.requests.at(-1)?.authorization).toBe(`Bearer ${freshToken}`);
    expect(await clusterStatus(kc)).toMatchObject({ state: 'connected' });
    expect(tokenRequests.length - before).toBe(1);
    expect(tokenRequests.at(-1)?.form.get('refresh_token')).toBe('good-refresh');
    expect(kc.kubeConfig().getCurrentUser()?.authProvider.config['refresh-token']).toBe('next-refresh');
  });

  it('says that the refresh failed and why', async () => {
    const kc = await oidcKubeconfig('revoked-refresh');
    const status = await clusterStatus(kc);
    expect(status.state).toBe('error');
    if (status.state !== 'error') return;
    expect(status.error.code).toBe('CLUSTER_UNAUTHORIZED');
    expect(status.error.message).toBe(
      'Refreshing the OIDC token of user "u" failed: the identity provider refused the refresh-token (HTTP 400, invalid_grant: Token is not active)',
    );
  });

  it('reads exp from a JWT', () => {
    expect(expiryOf(jwt(1234))).toBe(1234);
    expect(expiryOf('not-a-jwt')).toBeUndefined();
  });
});
