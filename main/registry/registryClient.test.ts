// The v2 client against real Distribution registries (Debian's docker-registry): open, htpasswd,
// and token auth behind a token server this test runs.
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { makeCa, makeServerCert } from '../kube/testSupport/certificates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageExists, RegistryClient, parseChallenge } from './registryClient';
import { providerHint, RegistryError } from './registryErrors';
import { freePort, pushTestImage, REFRESH_TOKEN, registryUnavailable, startTestRegistry, tokenFor, type TestRegistry } from './testSupport/testRegistry';

const unavailable = registryUnavailable();
if (unavailable) console.warn(`registry client tests skipped: ${unavailable}`);

async function failure(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RegistryError);
    return e as RegistryError;
  }
  throw new Error('expected a RegistryError');
}

/** A fetch that resolves one made-up host name to 127.0.0.1, like curl --resolve (real connections). */
function resolving(name: string): typeof fetch {
  return (input, init) => fetch(String(input).replace(`//${name}:`, '//127.0.0.1:'), init);
}

describe.skipIf(!!unavailable)('RegistryClient against an open registry', () => {
  let reg: TestRegistry;
  let ociDigest: string;
  beforeAll(async () => {
    reg = await startTestRegistry();
    ociDigest = await pushTestImage(reg.url, 'team/app', 'v1', { format: 'oci' });
    await pushTestImage(reg.url, 'team/app', 'v2', { format: 'docker' });
    await pushTestImage(reg.url, 'other', 'latest', { format: 'docker' });
  });
  afterAll(() => reg?.stop());

  it('pings over plain HTTP because the host is loopback, after trying HTTPS', async () => {
    expect(await new RegistryClient(reg.host).ping()).toEqual({ scheme: 'http', auth: 'none', authenticated: true });
  });

  it('finds an OCI image with the OCI Accept types, and sees why they are needed', async () => {
    const client = new RegistryClient(reg.host);
    expect(await client.manifest('team/app', 'v1')).toMatchObject({ exists: true, digest: ociDigest, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    // Distribution 2.8 hides OCI manifests from clients that only accept Docker types.
    expect(await client.manifest('team/app', 'v1', { accept: 'application/vnd.docker.distribution.manifest.v2+json' })).toEqual({ exists: false });
    expect(await client.manifest('team/app', 'v2')).toMatchObject({ exists: true, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
    expect(await client.manifest('team/app', ociDigest)).toMatchObject({ exists: true, digest: ociDigest });
  });

  it('answers "not there" for a missing tag or repository instead of failing', async () => {
    const client = new RegistryClient(reg.host);
    expect(await client.manifest('team/app', 'nope')).toEqual({ exists: false });
    expect(await client.manifest('no/such/repo', 'v1')).toEqual({ exists: false });
    expect(await client.tags('no/such/repo')).toEqual([]);
  });

  it('checks a whole image name for skip-push decisions', async () => {
    expect(await imageExists(`${reg.host}/team/app:v1`)).toBe(true);
    expect(await imageExists(`${reg.host}/team/app@${ociDigest}`)).toBe(true);
    expect(await imageExists(`${reg.host}/team/app:v3`)).toBe(false);
  });

  it('lists tags and the catalog', async () => {
    const client = new RegistryClient(reg.host);
    expect((await client.tags('team/app')).sort()).toEqual(['v1', 'v2']);
    expect((await client.catalog()).sort()).toEqual(['other', 'team/app']);
  });

  it('explains a plain-HTTP registry reached as HTTPS: mark it insecure', async () => {
    const client = new RegistryClient(`registry.test:${reg.port}`, { fetch: resolving('registry.test') });
    const err = await failure(client.ping());
    expect(err.problem).toBe('http-to-https');
    expect(err.message).toContain('HTTP response to an HTTPS client');
    expect(err.message).toContain(`registry.test:${reg.port}`);
    expect(err.hint).toContain('insecure');
    const insecure = new RegistryClient(`registry.test:${reg.port}`, { fetch: resolving('registry.test'), insecure: true });
    expect(await insecure.ping()).toMatchObject({ scheme: 'http', auth: 'none' });
  });
});

describe.skipIf(!!unavailable)('RegistryClient against a registry with htpasswd (Basic) auth', () => {
  let reg: TestRegistry;
  const user = { username: 'dev', password: 'correct horse' };
  const basic = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  beforeAll(async () => {
    reg = await startTestRegistry({ htpasswd: user });
    await pushTestImage(reg.url, 'app', 'v1', { authorization: basic });
  });
  afterAll(() => reg?.stop());

  it('reports that a login is needed without credentials', async () => {
    const client = new RegistryClient(reg.host);
    expect(await client.ping()).toEqual({ scheme: 'http', auth: 'basic', authenticated: false });
    const err = await failure(client.checkLogin());
    expect(err.problem).toBe('unauthorized');
    expect(err.message).toContain(`needs a login`);
    expect(err.hint).toContain('under Logins in the Registry panel');
    expect((await failure(client.manifest('app', 'v1'))).problem).toBe('unauthorized');
  });

  it('logs in with Basic credentials and reads manifests and tags', async () => {
    const client = new RegistryClient(reg.host, { credentials: user });
    expect(await client.checkLogin()).toEqual({ scheme: 'http', auth: 'basic', authenticated: true });
    expect(await client.manifest('app', 'v1')).toMatchObject({ exists: true });
    expect(await client.tags('app')).toEqual(['v1']);
  });

  it('names the registry and the user when the password is wrong', async () => {
    const client = new RegistryClient(reg.host, { credentials: { username: 'dev', password: 'wrong' } });
    const err = await failure(client.ping());
    expect(err.problem).toBe('unauthorized');
    expect(err.code).toBe('REGISTRY_UNAUTHORIZED');
    expect(err.message).toContain(reg.host);
    expect(err.message).toContain('user "dev"');
    expect(err.hint).toContain(reg.host);
  });
});

describe.skipIf(!!unavailable)('RegistryClient against a registry with token (Bearer) auth', () => {
  let reg: TestRegistry;
  const user = { username: 'tokenuser', password: 's3cret' };
  beforeAll(async () => {
    reg = await startTestRegistry({ token: user });
    const token = await tokenFor(reg.tokenServer!.url, 'repository:team/app:pull,push', user);
    await pushTestImage(reg.url, 'team/app', 'v1', { authorization: `Bearer ${token}` });
  });
  afterAll(() => reg?.stop());

  it('pulls anonymously with an anonymous token', async () => {
    const client = new RegistryClient(reg.host);
    expect(await client.ping()).toMatchObject({ auth: 'bearer', authenticated: false });
    expect(await client.manifest('team/app', 'v1')).toMatchObject({ exists: true });
  });

  it('gets a token with credentials and caches it per scope until it expires', async () => {
    let clock = 1_000_000;
    const client = new RegistryClient(reg.host, { credentials: user, now: () => clock });
    expect(await client.checkLogin()).toMatchObject({ auth: 'bearer', authenticated: true });
    const before = reg.tokenServer!.issued();
    expect(await client.manifest('team/app', 'v1')).toMatchObject({ exists: true });
    expect(reg.tokenServer!.issued()).toBe(before + 1);
    expect(await client.tags('team/app')).toEqual(['v1']);
    expect(await client.manifest('team/app', 'missing')).toEqual({ exists: false });
    expect(reg.tokenServer!.issued()).toBe(before + 1);
    clock += 300_000; // past expires_in
    expect(await client.manifest('team/app', 'v1')).toMatchObject({ exists: true });
    expect(reg.tokenServer!.issued()).toBe(before + 2);
  });

  it('exchanges an identity token (docker config identitytoken) with OAuth2 POST', async () => {
    const client = new RegistryClient(reg.host, { credentials: { identityToken: REFRESH_TOKEN } });
    expect(await client.tags('team/app')).toEqual(['v1']);
    const wrong = new RegistryClient(reg.host, { credentials: { identityToken: 'stale' } });
    expect((await failure(wrong.tags('team/app'))).message).toContain('invalid refresh token');
  });

  it('sends a ready registry token (docker config registrytoken) as is', async () => {
    const token = await tokenFor(reg.tokenServer!.url, 'repository:team/app:pull', user);
    const before = reg.tokenServer!.issued();
    expect(await new RegistryClient(reg.host, { credentials: { registryToken: token } }).manifest('team/app', 'v1')).toMatchObject({ exists: true });
    expect(reg.tokenServer!.issued()).toBe(before);
  });

  it('turns a refused token request into the credentials error', async () => {
    const client = new RegistryClient(reg.host, { credentials: { username: 'tokenuser', password: 'nope' } });
    const err = await failure(client.manifest('team/app', 'v1'));
    expect(err.problem).toBe('unauthorized');
    expect(err.message).toContain('user "tokenuser"');
    expect(err.message).toContain('invalid username or password');
  });
});

describe('RegistryClient network failures', () => {
  it('says where the registry was expected when nothing listens there', async () => {
    const port = await freePort();
    const err = await failure(new RegistryClient(`127.0.0.1:${port}`).ping());
    expect(err.problem).toBe('unreachable');
    expect(err.message).toContain('connection refused');
    expect(err.hint).toContain(`expected at 127.0.0.1:${port}`);
    const inCluster = await failure(new RegistryClient(`localhost:${port}`, { inCluster: { namespace: 'devspace-registry' } }).ping());
    expect(inCluster.message).toContain('in-cluster registry');
    expect(inCluster.hint).toContain('"devspace-registry"');
  });

  it('explains an HTTPS certificate this computer does not trust', async () => {
    const cert = makeServerCert(makeCa('unknown-ca'), { hosts: ['localhost'], ips: ['127.0.0.1'] });
    const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) => res.writeHead(200).end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const err = await failure(new RegistryClient(`registry.test:${port}`, { fetch: resolving('registry.test') }).ping());
      expect(err.problem).toBe('tls');
      expect(err.code).toBe('REGISTRY_TLS');
      expect(err.message).toContain(`registry.test:${port}`);
      expect(err.hint).toContain(`mark registry.test:${port} as an insecure registry (tick "Insecure" in Settings)`);
    } finally {
      server.close();
    }
  });

  it('names a host that does not resolve', async () => {
    const err = await failure(new RegistryClient('no-such-registry.invalid').ping());
    expect(err.problem).toBe('unreachable');
    expect(err.message).toContain('"no-such-registry.invalid" cannot be resolved');
    expect(err.code).toBe('REGISTRY_UNREACHABLE');
    expect(err.hint).toContain('expected at no-such-registry.invalid');
  });

  it('gives up at the deadline and on cancel', async () => {
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const slow = await failure(new RegistryClient(`localhost:${port}`, { timeoutMs: 300, insecure: true }).ping());
      expect(slow.problem).toBe('timeout');
      const controller = new AbortController();
      const pending = new RegistryClient(`localhost:${port}`, { timeoutMs: 0, signal: controller.signal }).ping();
      controller.abort();
      expect((await failure(pending)).problem).toBe('cancelled');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('providerHint', () => {
  it('says what the big registries want as a password', () => {
    expect(providerHint('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toContain('aws ecr get-login-password');
    expect(providerHint('europe-docker.pkg.dev')).toContain('oauth2accesstoken');
    expect(providerHint('eu.gcr.io')).toContain('oauth2accesstoken');
    expect(providerHint('ghcr.io')).toContain('write:packages');
    expect(providerHint('docker.io')).toContain('Docker Hub');
    expect(providerHint('registry.example.com:5000')).toContain('access token');
  });
});

describe('parseChallenge', () => {
  it('reads Bearer and Basic challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull,push' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge('Negotiate')).toBeUndefined();
  });
});
