// Cluster status and namespaces against real local HTTPS servers: every failure class is produced by
// a real request (refused port, wrong CA, wrong host, expired cert, 401, 403, 500, silence).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../ipc/errors';
import { loadKubeconfig, type LoadedKubeconfig } from './kubeconfig';
import { clusterStatus, listNamespaces } from './status';
import { closedPort, startApiServer, type RunningApiServer } from './testSupport/apiServer';
import { makeCa, makeServerCert, type TestCa } from './testSupport/certificates';

let dir: string;
let ca: TestCa;
const servers: RunningApiServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kube-status-'));
  ca = makeCa();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function server(opts: Omit<Parameters<typeof startApiServer>[0], 'cert'> & { cert?: Parameters<typeof startApiServer>[0]['cert'] }) {
  const s = await startApiServer({ cert: opts.cert ?? makeServerCert(ca), ...opts });
  servers.push(s);
  return s;
}

interface ContextSpec {
  name: string;
  server: string;
  namespace?: string;
  user?: Record<string, unknown>;
  cluster?: Record<string, unknown>;
}

/** Writes a kubeconfig with one cluster/user per context (CA embedded unless the spec overrides it) and loads it. */
async function kubeconfig(specs: ContextSpec[], file = `config-${Math.random().toString(36).slice(2)}`): Promise<LoadedKubeconfig> {
  const caData = Buffer.from(ca.certPem).toString('base64');
  const text = dump({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': specs[0]!.name,
    clusters: specs.map((s) => ({ name: `${s.name}-cluster`, cluster: { server: s.server, 'certificate-authority-data': caData, ...s.cluster } })),
    users: specs.map((s) => ({ name: `${s.name}-user`, user: s.user ?? {} })),
    contexts: specs.map((s) => ({
      name: s.name,
      context: { cluster: `${s.name}-cluster`, user: `${s.name}-user`, ...(s.namespace ? { namespace: s.namespace } : {}) },
    })),
  });
  const p = path.join(dir, file);
  await writeFile(p, text);
  return loadKubeconfig([p]);
}

function errorOf(status: Awaited<ReturnType<typeof clusterStatus>>) {
  if (status.state !== 'error') throw new Error(`expected an error, got ${JSON.stringify(status)}`);
  return status.error;
}

describe('clusterStatus', () => {
  it('connects over TLS with the kubeconfig CA, sends the bearer token and reports the version', async () => {
    const s = await server({ token: 's3cret', gitVersion: 'v1.32.4-test' });
    const kc = await kubeconfig([{ name: 'dev', server: s.url, namespace: 'team-a', user: { token: 's3cret' } }]);
    const status = await clusterStatus(kc);
    expect(status).toEqual({ state: 'connected', context: 'dev', server: s.url, version: 'v1.32.4-test', namespace: 'team-a' });
    expect(s.requests.map((r) => r.authorization)).toEqual(['Bearer s3cret']);
  });

  it("picks the namespace: argument, else the context's, else default", async () => {
    const s = await server({});
    const kc = await kubeconfig([
      { name: 'with-ns', server: s.url, namespace: 'team-a' },
      { name: 'without-ns', server: s.url },
    ]);
    expect(await clusterStatus(kc, 'with-ns', 'chosen')).toMatchObject({ state: 'connected', namespace: 'chosen' });
    expect(await clusterStatus(kc, 'with-ns')).toMatchObject({ state: 'connected', namespace: 'team-a' });
    expect(await clusterStatus(kc, 'without-ns')).toMatchObject({ state: 'connected', namespace: 'default' });
  });

  it('reads a tokenFile relative to the kubeconfig, trimmed, and the CA from a relative certificate-authority', async () => {
    const s = await server({ token: 'from-file' });
    const sub = await mkdtemp(path.join(dir, 'rel-'));
    await writeFile(path.join(sub, 'token'), 'from-file\n');
    await writeFile(path.join(sub, 'ca.crt'), ca.certPem);
    const kc = await kubeconfig(
      [{ name: 'rel', server: s.url, user: { tokenFile: 'token' }, cluster: { 'certificate-authority-data': null, 'certificate-authority': 'ca.crt' } }],
      path.relative(dir, path.join(sub, 'config')),
    );
    expect(await clusterStatus(kc)).toMatchObject({ state: 'connected' });
    expect(s.requests.at(-1)?.authorization).toBe('Bearer from-file');
  });

  it('gets the token from an exec credential plugin, like kubectl', async () => {
    const s = await server({ token: 'from-plugin' });
    const plugin = path.join(dir, 'plugin.mjs');
    // The plugin answers only when client-go's KUBERNETES_EXEC_INFO is present, as strict plugins do.
    await writeFile(
      plugin,
      `#!${process.execPath}\n` +
        `const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO ?? 'null');\n` +
        `if (!info || info.kind !== 'ExecCredential') { console.error('no KUBERNETES_EXEC_INFO'); process.exit(1); }\n` +
        `console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token: process.env.PLUGIN_TOKEN } }));\n`,
    );
    await chmod(plugin, 0o755);
    const kc = await kubeconfig([
      {
        name: 'exec',
        server: s.url,
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './plugin.mjs', env: [{ name: 'PLUGIN_TOKEN', value: 'from-plugin' }] } },
      },
    ]);
    expect(await clusterStatus(kc)).toMatchObject({ state: 'connected' });
    expect(s.requests.at(-1)?.authorization).toBe('Bearer from-plugin');
  });

  it('names a credential plugin that is missing or fails', async () => {
    const s = await server({});
    const failing = path.join(dir, 'failing-plugin.sh');
    await writeFile(failing, '#!/bin/sh\necho "error: token expired, run login" >&2\nexit 1\n');
    await chmod(failing, 0o755);
    const kc = await kubeconfig([
      { name: 'missing', server: s.url, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'no-such-plugin-xyz', installHint: 'brew install xyz' } } },
      { name: 'failing', server: s.url, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: failing } } },
    ]);
    const missing = errorOf(await clusterStatus(kc, 'missing'));
    expect(missing).toMatchObject({ code: 'CLUSTER_UNAUTHORIZED', hint: 'brew install xyz' });
    expect(missing.message).toContain('"no-such-plugin-xyz"');
    expect(missing.message).toContain('could not be started');
    const failed = errorOf(await clusterStatus(kc, 'failing'));
    expect(failed.code).toBe('CLUSTER_UNAUTHORIZED');
    expect(failed.message).toContain('token expired, run login');
    expect(failed.hint).toContain(failing);
  });

  it('gives up on a credential plugin that does not finish (e.g. waiting for a login)', async () => {
    const s = await server({});
    const slow = path.join(dir, 'slow-plugin.sh');
    await writeFile(slow, '#!/bin/sh\nexec sleep 2\n');
    await chmod(slow, 0o755);
    const kc = await kubeconfig([{ name: 'slow', server: s.url, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: slow } } }]);
    const error = errorOf(await clusterStatus(kc, undefined, undefined, { timeoutMs: 300 }));
    expect(error.code).toBe('CLUSTER_UNAUTHORIZED');
    expect(error.message).toBe(`The credential plugin "${slow}" of user "slow-user" did not finish within 0.3 s.`);
    expect(s.requests).toEqual([]);
  });

  it('uses an OIDC auth-provider id-token through client-node, and names a failed refresh', async () => {
    const jwt = (exp: number) =>
      [{ alg: 'none' }, { iss: 'https://issuer.test', sub: 'dev', exp }].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.sig';
    const valid = jwt(Math.floor(Date.now() / 1000) + 3600);
    const s = await server({ token: valid });
    const issuer = `https://127.0.0.1:${await closedPort()}`;
    const oidc = (idToken: string) => ({
      'auth-provider': { name: 'oidc', config: { 'client-id': 'app', 'id-token': idToken, 'idp-issuer-url': issuer, 'refresh-token': 'r1' } },
    });
    const kc = await kubeconfig([
      { name: 'oidc', server: s.url, user: oidc(valid) },
      { name: 'oidc-expired', server: s.url, user: oidc(jwt(Math.floor(Date.now() / 1000) - 3600)) },
    ]);
    expect(await clusterStatus(kc, 'oidc')).toMatchObject({ state: 'connected' });
    expect(s.requests.at(-1)?.authorization).toBe(`Bearer ${valid}`);
    const error = errorOf(await clusterStatus(kc, 'oidc-expired'));
    expect(error.code).toBe('CLUSTER_UNAUTHORIZED');
    expect(error.message).toContain('Refreshing the OIDC token of user "oidc-expired-user" failed');
  });

  it('says so when a referenced CA file does not exist', async () => {
    const s = await server({});
    const kc = await kubeconfig([{ name: 'noca', server: s.url, cluster: { 'certificate-authority-data': null, 'certificate-authority': 'missing-ca.crt' } }]);
    const error = errorOf(await clusterStatus(kc));
    expect(error.code).toBe('KUBECONFIG_INVALID');
    expect(error.message).toContain(path.join(dir, 'missing-ca.crt'));
    expect(error.message).toContain('does not exist');
  });

  it('CLUSTER_UNREACHABLE naming the server when nothing listens', async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    const kc = await kubeconfig([{ name: 'down', server: url }]);
    const status = await clusterStatus(kc);
    expect(status).toMatchObject({ state: 'error', context: 'down', server: url });
    const error = errorOf(status);
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.message).toContain(url);
    expect(error.message).toContain('connection refused');
    expect(error.hint).toMatch(/running.*VPN.*server:/s);
  });

  it('CLUSTER_UNREACHABLE when the server accepts but never answers', async () => {
    const s = await server({ hang: true });
    const kc = await kubeconfig([{ name: 'silent', server: s.url }]);
    const error = errorOf(await clusterStatus(kc, undefined, undefined, { timeoutMs: 300 }));
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.message).toBe(`The cluster at ${s.url} did not answer within 0.3 s.`);
  });

  it('CLUSTER_UNREACHABLE when the host name does not resolve', async () => {
    const kc = await kubeconfig([{ name: 'nxdomain', server: 'https://no-such-host.invalid:6443' }]);
    const error = errorOf(await clusterStatus(kc));
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.message).toContain('cannot be resolved');
  });

  it('CLUSTER_TLS "unknown authority" when the server certificate comes from another CA', async () => {
    const s = await server({ cert: makeServerCert(makeCa('some-other-ca')) });
    const kc = await kubeconfig([{ name: 'other-ca', server: s.url }]);
    const error = errorOf(await clusterStatus(kc));
    expect(error.code).toBe('CLUSTER_TLS');
    expect(error.message).toContain('unknown authority');
    expect(error.hint).toContain('certificate-authority-data');
    expect(error.hint).toContain('insecure-skip-tls-verify');
  });

  it('connects to that server when insecure-skip-tls-verify is set', async () => {
    const s = await server({ cert: makeServerCert(makeCa('some-other-ca')) });
    const kc = await kubeconfig([{ name: 'insecure', server: s.url, cluster: { 'certificate-authority-data': null, 'insecure-skip-tls-verify': true } }]);
    expect(await clusterStatus(kc)).toMatchObject({ state: 'connected' });
  });

  it('CLUSTER_TLS for a certificate issued to another host name', async () => {
    const s = await server({ cert: makeServerCert(ca, { hosts: ['api.example.test'], ips: [] }) });
    const kc = await kubeconfig([{ name: 'wrong-host', server: s.url }]);
    const error = errorOf(await clusterStatus(kc));
    expect(error.code).toBe('CLUSTER_TLS');
    expect(error.message).toContain('not valid for that host name');
    expect(error.hint).toContain('tls-server-name');
    // …and tls-server-name fixes it, as the hint says.
    const fixed = await kubeconfig([{ name: 'fixed', server: s.url, cluster: { 'tls-server-name': 'api.example.test' } }]);
    expect(await clusterStatus(fixed)).toMatchObject({ state: 'connected' });
  });

  it('CLUSTER_TLS for an expired certificate', async () => {
    const s = await server({ cert: makeServerCert(ca, { notBefore: new Date(Date.now() - 10 * 86400_000), notAfter: new Date(Date.now() - 86400_000) }) });
    const kc = await kubeconfig([{ name: 'expired', server: s.url }]);
    const error = errorOf(await clusterStatus(kc));
    expect(error.code).toBe('CLUSTER_TLS');
    expect(error.message).toContain('expired');
  });

  it('CLUSTER_UNAUTHORIZED when the token is wrong', async () => {
    const s = await server({ token: 'right' });
    const kc = await kubeconfig([{ name: 'wrong-token', server: s.url, user: { token: 'wrong' } }]);
    const error = errorOf(await clusterStatus(kc));
    expect(error.code).toBe('CLUSTER_UNAUTHORIZED');
    expect(error.message).toContain('401');
    expect(error.hint).toMatch(/expired.*log in again/s);
    expect(s.requests.at(-1)?.authorization).toBe('Bearer wrong');
  });

  it('CLUSTER_FORBIDDEN with the server message on 403', async () => {
    const s = await server({ failWith: { code: 403, reason: 'Forbidden', message: 'forbidden: User "dev" cannot get path "/version"' } });
    const kc = await kubeconfig([{ name: 'forbidden', server: s.url }]);
    const error = errorOf(await clusterStatus(kc));
    expect(error.code).toBe('CLUSTER_FORBIDDEN');
    expect(error.message).toContain('forbidden: User "dev" cannot get path "/version"');
  });

  it('CLUSTER_ERROR with HTTP status and Status.message otherwise', async () => {
    const s = await server({ failWith: { code: 500, reason: 'InternalError', message: 'etcdserver: request timed out' } });
    const kc = await kubeconfig([{ name: 'broken', server: s.url }]);
    const error = errorOf(await clusterStatus(kc));
    expect(error).toEqual({ code: 'CLUSTER_ERROR', message: `The cluster at ${s.url} answered HTTP 500: etcdserver: request timed out` });
  });

  it('CONTEXT_MISSING with the available contexts in the hint', async () => {
    const kc = await kubeconfig([{ name: 'only-one', server: 'https://127.0.0.1:1' }]);
    const status = await clusterStatus(kc, 'nope');
    expect(status).toMatchObject({ state: 'error', context: 'nope' });
    const error = errorOf(status);
    expect(error.code).toBe('CONTEXT_MISSING');
    expect(error.message).toContain('"nope"');
    expect(error.hint).toContain('only-one');
  });

  it('sends the same bearer token as kubectl for the same kubeconfig', async (ctx) => {
    if (!existsSync('/usr/bin/kubectl')) {
      console.log('skipped: /usr/bin/kubectl is not installed, no reference to compare with');
      ctx.skip();
    }
    const s = await server({ token: 'shared-token' });
    const sub = await mkdtemp(path.join(dir, 'kubectl-'));
    await writeFile(path.join(sub, 'token'), 'shared-token\n');
    await writeFile(path.join(sub, 'ca.crt'), ca.certPem);
    const file = path.relative(dir, path.join(sub, 'config'));
    const kc = await kubeconfig([{ name: 'both', server: s.url, user: { tokenFile: 'token' }, cluster: { 'certificate-authority-data': null, 'certificate-authority': 'ca.crt' } }], file);
    // Asynchronously: the test server runs in this process and must keep answering.
    const { stdout: out } = await promisify(execFile)('/usr/bin/kubectl', ['--kubeconfig', path.join(dir, file), 'get', '--raw', '/version'], { encoding: 'utf8' });
    const kubectlAuth = s.requests.at(-1)?.authorization;
    expect(JSON.parse(out).gitVersion).toBe('v1.32.0');
    const status = await clusterStatus(kc);
    expect(status).toMatchObject({ state: 'connected', version: 'v1.32.0' });
    expect(s.requests.at(-1)?.authorization).toBe(kubectlAuth);
  });
});

describe('listNamespaces', () => {
  it('lists namespace names sorted', async () => {
    const s = await server({ namespaces: ['kube-system', 'default', 'apps', 'Zeta'] });
    const kc = await kubeconfig([{ name: 'ns', server: s.url }]);
    expect(await listNamespaces(kc, 'ns')).toEqual({ namespaces: ['Zeta', 'apps', 'default', 'kube-system'], canList: true });
  });

  it("falls back to the context's namespace when listing is forbidden", async () => {
    const s = await server({ forbidNamespaces: true });
    const kc = await kubeconfig([
      { name: 'rbac', server: s.url, namespace: 'team-a' },
      { name: 'rbac-no-ns', server: s.url },
    ]);
    expect(await listNamespaces(kc, 'rbac')).toEqual({ namespaces: ['team-a'], canList: false });
    expect(await listNamespaces(kc, 'rbac-no-ns')).toEqual({ namespaces: [], canList: false });
  });

  it('throws the classified error for other failures', async () => {
    const s = await server({ token: 'right' });
    const kc = await kubeconfig([{ name: 'unauth', server: s.url, user: { token: 'wrong' } }]);
    const err = await listNamespaces(kc, 'unauth').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CLUSTER_UNAUTHORIZED');
    const missing = await listNamespaces(kc, 'nope').catch((e: unknown) => e);
    expect((missing as AppError).code).toBe('CONTEXT_MISSING');
  });
});
