// Test-only: a real Distribution registry (Debian's docker-registry 2.8) on 127.0.0.1 with a temp
// storage dir — open, with htpasswd (bcrypt from bcryptjs), or with token auth behind a small
// token server we run — and a tiny image pushed with the plain v2 push protocol.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createSign, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import forge from 'node-forge';
import { makeCa } from '../../kube/testSupport/certificates';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

/** Why the registry tests cannot run here, or undefined when they can. */
export function registryUnavailable(): string | undefined {
  if (!existsSync(REGISTRY_BINARY)) return `${REGISTRY_BINARY} is missing (install the Debian package docker-registry)`;
  const r = spawnSync(REGISTRY_BINARY, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `${REGISTRY_BINARY} --version failed: ${r.stderr || r.error?.message}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Set with `token`: the token server, and how many tokens it issued. */
  tokenServer?: { url: string; issued: () => number };
  stop(): Promise<void>;
}

export interface TestRegistryOptions {
  htpasswd?: { username: string; password: string };
  /** Token auth: a user the token server accepts; anonymous callers get pull-only tokens. */
  token?: { username: string; password: string };
}

export async function startTestRegistry(opts: TestRegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'registry-test-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(join(dir, 'data'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: "127.0.0.1:${port}"`,
  ];
  let tokenServer: { server: Server; url: string; issued: () => number } | undefined;
  if (opts.htpasswd) {
    const hash = bcrypt.hashSync(opts.htpasswd.password, 10);
    writeFileSync(join(dir, 'htpasswd'), `${opts.htpasswd.username}:${hash}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: test-realm', `    path: ${JSON.stringify(join(dir, 'htpasswd'))}`);
  } else if (opts.token) {
    const ca = makeCa('test-token-signer');
    writeFileSync(join(dir, 'token.crt'), ca.certPem);
    tokenServer = await startTokenServer(opts.token, ca);
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${JSON.stringify(`${tokenServer.url}/token`)}`,
      '    service: test-registry',
      '    issuer: test-issuer',
      `    rootcertbundle: ${JSON.stringify(join(dir, 'token.crt'))}`,
    );
  }
  writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);

  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  for (const s of [child.stdout!, child.stderr!]) s.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-4000)));
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    await new Promise<void>((resolve) => (tokenServer ? tokenServer.server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when /v2/ answers anything.
  for (let i = 0; ; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/v2/`);
      break;
    } catch {
      if (exited || i > 500) {
        await stop();
        throw new Error(`docker-registry did not start: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `http://127.0.0.1:${port}`,
    ...(tokenServer ? { tokenServer: { url: tokenServer.url, issued: tokenServer.issued } } : {}),
    stop,
  };
}

/** The identity (refresh) token the test token server accepts for OAuth2 POST requests. */
export const REFRESH_TOKEN = 'test-refresh-token';

/**
 * The token service of docker/distribution's auth spec: GET /token?service&scope with optional
 * Basic credentials → a JWT signed with the key whose certificate the registry trusts.
 */
async function startTokenServer(user: { username: string; password: string }, signer: { certPem: string; keyPem: string }) {
  let issued = 0;
  const certDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(signer.certPem))).getBytes(), 'binary').toString('base64');
  const server = createServer((req: IncomingMessage, res) => {
    // OAuth2 (POST, form body) carries the parameters in the body; the token flow (GET) in the query.
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => answer(req, body, res));
  });
  const answer = (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://token');
    if (req.method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== REFRESH_TOKEN) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid refresh token' }] }));
        return;
      }
      url.search = new URLSearchParams([...form.getAll('scope').map((v) => ['scope', v]), ['service', form.get('service') ?? '']]).toString();
    }
    const auth = req.headers.authorization;
    let account: string | undefined = req.method === 'POST' ? user.username : undefined;
    if (auth) {
      const [u, ...rest] = Buffer.from(auth.replace(/^Basic /i, ''), 'base64').toString().split(':');
      if (u !== user.username || rest.join(':') !== user.password) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
        return;
      }
      account = u;
    }
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const [type, name, actions] = [scope.split(':')[0], scope.split(':').slice(1, -1).join(':'), scope.split(':').at(-1) ?? ''];
      const allowed = actions.split(',').filter((a) => (account ? true : a === 'pull'));
      return allowed.length ? [{ type, name, actions: allowed }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer] };
    const claims = { iss: 'test-issuer', sub: account ?? '', aud: url.searchParams.get('service') ?? '', exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signingInput = `${b64(header)}.${b64(claims)}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(signer.keyPem).toString('base64url');
    issued++;
    const token = `${signingInput}.${signature}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.method === 'POST' ? { access_token: token, expires_in: 300 } : { token, expires_in: 300, issued_at: new Date().toISOString() }));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, issued: () => issued };
}

/**
 * Pushes a one-layer image with the v2 push protocol (POST upload, PUT ?digest=, PUT manifest),
 * as an OCI or a Docker schema 2 manifest. Returns the manifest digest.
 */
export async function pushTestImage(
  baseUrl: string,
  repository: string,
  tag: string,
  opts: { format?: 'oci' | 'docker'; authorization?: string } = {},
): Promise<string> {
  const oci = (opts.format ?? 'oci') === 'oci';
  const headers: Record<string, string> = opts.authorization ? { authorization: opts.authorization } : {};
  const layer = Buffer.from(`layer of ${repository}:${tag}`);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digestOf(layer)] }, config: {} }));
  for (const blob of [layer, config]) {
    const start = await fetch(`${baseUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status} ${await start.text()}`);
    const location = new URL(start.headers.get('location')!, baseUrl);
    location.searchParams.set('digest', digestOf(blob));
    const put = await fetch(location, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: blob });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  }
  const mediaType = oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', size: config.length, digest: digestOf(config) },
      layers: [{ mediaType: oci ? 'application/vnd.oci.image.layer.v1.tar' : 'application/vnd.docker.image.rootfs.diff.tar', size: layer.length, digest: digestOf(layer) }],
    }),
  );
  const res = await fetch(`${baseUrl}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { ...headers, 'content-type': mediaType }, body: manifest });
  if (res.status !== 201) throw new Error(`manifest upload: ${res.status} ${await res.text()}`);
  return digestOf(manifest);
}

export function digestOf(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** A bearer token for pushing straight from a test (the token server's own flow). */
export async function tokenFor(tokenUrl: string, scope: string, user: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${tokenUrl}/token?service=test-registry&scope=${encodeURIComponent(scope)}`, {
    headers: { authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}` },
  });
  return ((await res.json()) as { token: string }).token;
}

/** Copies an image (manifest, index children, blobs) between two v2 registries with plain fetch. */
export async function copyImage(from: { baseUrl: string; repository: string; authorization?: string }, to: { baseUrl: string; repository: string; authorization?: string }, reference: string): Promise<void> {
  const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json';
  const src: Record<string, string> = from.authorization ? { authorization: from.authorization } : {};
  const dst: Record<string, string> = to.authorization ? { authorization: to.authorization } : {};
  const res = await fetch(`${from.baseUrl}/v2/${from.repository}/manifests/${reference}`, { headers: { ...src, accept } });
  if (!res.ok) throw new Error(`copyImage: GET manifest ${reference}: ${res.status}`);
  const mediaType = res.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await res.arrayBuffer());
  const doc = JSON.parse(bytes.toString()) as { manifests?: { digest: string }[]; config?: { digest: string }; layers?: { digest: string }[] };
  for (const child of doc.manifests ?? []) await copyImage(from, to, child.digest);
  for (const blob of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) {
    const head = await fetch(`${to.baseUrl}/v2/${to.repository}/blobs/${blob.digest}`, { method: 'HEAD', headers: dst });
    if (head.ok) continue;
    const data = Buffer.from(await (await fetch(`${from.baseUrl}/v2/${from.repository}/blobs/${blob.digest}`, { headers: src })).arrayBuffer());
    const start = await fetch(`${to.baseUrl}/v2/${to.repository}/blobs/uploads/`, { method: 'POST', headers: dst });
    if (start.status !== 202) throw new Error(`copyImage: blob upload start: ${start.status}`);
    const location = new URL(start.headers.get('location')!, to.baseUrl);
    location.searchParams.set('digest', blob.digest);
    const put = await fetch(location, { method: 'PUT', headers: { ...dst, 'content-type': 'application/octet-stream' }, body: data });
    if (put.status !== 201) throw new Error(`copyImage: blob upload: ${put.status} ${await put.text()}`);
  }
  const put = await fetch(`${to.baseUrl}/v2/${to.repository}/manifests/${reference}`, { method: 'PUT', headers: { ...dst, 'content-type': mediaType }, body: bytes });
  if (put.status !== 201) throw new Error(`copyImage: PUT manifest: ${put.status} ${await put.text()}`);
}
