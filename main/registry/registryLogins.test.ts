// registry.login / logins / logout against a real docker-registry with htpasswd, with real temp
// dirs for the app's data and a fake home holding docker's config.json and a credential helper.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryLogin } from '../../preload/api';
import { KubeConfig } from '@kubernetes/client-node';
import type { ProjectCluster } from '../app/projectCluster';
import { AppError } from '../ipc/errors';
import { parseConfigText } from '../project/config/parseConfig';
import { EventBus } from '../ipc/events';
import { createRegistryHandlers, type RegistryHandlers } from './registryHandlers';
import { freePort, pushTestImage, registryUnavailable, startTestRegistry, type TestRegistry } from './testSupport/testRegistry';

const USER = 'alice';
const PASSWORD = 'S3cret-Pa55word-for-tests';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

const noRegistry = registryUnavailable();
if (noRegistry) console.warn(`registry login tests skipped: ${noRegistry}`);

describe.skipIf(!!noRegistry)('registry logins against a docker-registry with htpasswd', () => {
  let registry: TestRegistry;
  let root: string;
  let dataDir: string;
  let home: string;
  let projectDir: string;
  let handlers: RegistryHandlers;
  const logLines: string[] = [];

  beforeAll(async () => {
    registry = await startTestRegistry({ htpasswd: { username: USER, password: PASSWORD } });
    root = mkdtempSync(join(tmpdir(), 'registry-logins-'));
    dataDir = join(root, 'data');
    home = join(root, 'home');
    projectDir = join(root, 'project');
    mkdirSync(join(home, '.docker'), { recursive: true });
    mkdirSync(join(projectDir, '.devspace'), { recursive: true });
    writeFileSync(join(projectDir, '.devspace/config.yaml'), 'version: v1alpha1\nimages:\n  default:\n    name: shop\n');
    // docker login left one inline login and one in a credential helper (a shell script on PATH).
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'docker-credential-fake'),
      '#!/bin/sh\nif [ "$1" = list ]; then echo \'{"https://ghcr.io":"bob"}\'; exit 0; fi\necho "credentials not found in native keychain"; exit 1\n',
    );
    chmodSync(join(bin, 'docker-credential-fake'), 0o755);
    writeFileSync(
      join(home, '.docker/config.json'),
      JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('carol:hub-token-123456').toString('base64') } }, credHelpers: { 'ghcr.io': 'fake' } }),
    );
    handlers = createRegistryHandlers({
      events: new EventBus(),
      resolveProjectCluster: () => Promise.reject(new AppError('NO_PROJECT', 'not used here')),
      log: (l) => logLines.push(l),
      dataDir,
      homeDir: home,
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
      registryTimeoutMs: 5000,
    });
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists docker config logins read-only and masked, Docker Hub under docker.io', async () => {
    const logins = await handlers['registry.logins']();
    expect(logins).toEqual<RegistryLogin[]>([
      { host: 'docker.io', username: 'carol', passwordMask: 'hu••••56', source: 'docker-config' },
      { host: 'ghcr.io', username: 'bob', passwordMask: '••••••', source: 'docker-config', helper: 'docker-credential-fake' },
    ]);
    expect(JSON.stringify(logins)).not.toContain('hub-token-123456');
  });

  it('a wrong password is REGISTRY_UNAUTHORIZED and nothing is saved', async () => {
    const err = await Promise.resolve(handlers['registry.login']({ host: registry.host, username: USER, password: 'wrong-password' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'REGISTRY_UNAUTHORIZED', message: expect.stringContaining('wrong user name or password') });
    expect((await handlers['registry.logins']()).map((l) => l.host)).not.toContain(registry.host);
  });

  it('an unreachable registry is REGISTRY_UNREACHABLE and nothing is saved', async () => {
    const port = await freePort();
    await expect(Promise.resolve(handlers['registry.login']({ host: `127.0.0.1:${port}`, username: USER, password: PASSWORD }))).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE' });
    expect((await handlers['registry.logins']()).map((l) => l.host)).not.toContain(`127.0.0.1:${port}`);
  });

  it('refuses a host with a user in it or a path, before any request', async () => {
    await expect(Promise.resolve(handlers['registry.login']({ host: `${USER}@${registry.host}`, username: USER, password: PASSWORD }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('the right password is checked, saved encrypted and listed masked; nothing on disk holds it in plain text', async () => {
    const saved = await handlers['registry.login']({ host: `http://${registry.host}/`, username: USER, password: PASSWORD });
    expect(saved).toEqual({ host: registry.host, username: USER, passwordMask: 'S3••••ts', source: 'app' });
    const logins = await handlers['registry.logins']();
    expect(logins.find((l) => l.host === registry.host)).toEqual(saved);
    expect(JSON.stringify(logins)).not.toContain(PASSWORD);

    // Secret handling: every file the app wrote (data dir, project), and its log, without the password.
    const written = [...filesUnder(dataDir), ...filesUnder(projectDir)];
    expect(written.map((f) => f.slice(root.length))).toContain('/data/credentials.json.enc');
    const needles = [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`${USER}:${PASSWORD}`).toString('base64')];
    for (const f of written) {
      const bytes = readFileSync(f);
      for (const n of needles) expect(bytes.includes(Buffer.from(n)), `${f} contains ${n}`).toBe(false);
      if (f.startsWith(dataDir)) expect(statSync(f).mode & 0o077).toBe(0);
    }
    for (const n of needles) expect(logLines.join('\n')).not.toContain(n);
  });

  it('registry.status of an external registry: unauthorized without a login, then its tags with the saved one', async () => {
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    await pushTestImage(registry.url, 'team/shop', 'v1', { authorization: basic });
    await pushTestImage(registry.url, 'team/shop', 'v2', { authorization: basic });
    const kubeConfig = new KubeConfig();
    // No cluster answers here: the "current" tag is then unknown, the rest of the view still works.
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'c', server: `https://127.0.0.1:${await freePort()}` }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const config = parseConfigText(`version: v1alpha1\nimages:\n  default:\n    name: shop\n    registry: default\nregistries:\n  default:\n    url: ${registry.host}/team\n    insecure: true\n`, 'c.yaml').config;
    const pc: ProjectCluster = { project: { path: projectDir, name: 'project', hasDevspaceConfig: true, hasDockerfile: false, hasChart: false, selection: {} }, kubeConfig, context: 'x', namespace: 'default', config };
    const withCluster = createRegistryHandlers({ events: new EventBus(), resolveProjectCluster: async () => pc, log: () => {}, dataDir, homeDir: home, env: {}, registryTimeoutMs: 5000 });
    await withCluster['registry.logout'](registry.host);
    expect(await withCluster['registry.status']()).toMatchObject({ kind: 'external', state: 'unauthorized', repository: `${registry.host}/team/shop`, tags: [] });
    await withCluster['registry.login']({ host: registry.host, username: USER, password: PASSWORD });
    expect(await withCluster['registry.status']()).toEqual({
      kind: 'external',
      pushHost: registry.host,
      pullHost: registry.host,
      repository: `${registry.host}/team/shop`,
      state: 'ready',
      tags: [
        { tag: 'v1', current: false },
        { tag: 'v2', current: false },
      ],
      warnings: [],
    });
  });

  it('a plain-HTTP registry on a non-loopback address: the insecure hint, then "insecure" logs in', async (ctx) => {
    // The registry reached through this machine's own network address (not loopback), so the
    // client must not fall back to HTTP unless the user marks the registry insecure.
    const address = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal && !a.address.startsWith('10.244.'))?.address;
    if (!address) {
      console.warn('insecure-registry login test skipped: this machine has no non-loopback IPv4 address');
      ctx.skip();
      return;
    }
    const forwarder = createServer((client) => {
      const upstream = connect(registry.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => forwarder.listen(0, address, () => r()));
    const host = `${address}:${(forwarder.address() as { port: number }).port}`;
    try {
      const err = await Promise.resolve(handlers['registry.login']({ host, username: USER, password: PASSWORD })).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'REGISTRY_TLS', message: expect.stringContaining('HTTP response to an HTTPS client'), hint: expect.stringContaining('insecure') });
      expect((await handlers['registry.logins']()).map((l) => l.host)).not.toContain(host);
      expect(await handlers['registry.login']({ host, username: USER, password: PASSWORD, insecure: true })).toMatchObject({ host, username: USER, source: 'app' });
      await handlers['registry.logout'](host);
    } finally {
      await new Promise((r) => forwarder.close(r));
    }
  });

  it('logout removes the app login; a docker-config login is not the app\'s to remove', async () => {
    const after = await handlers['registry.logout'](registry.host);
    expect(after.map((l) => l.host)).toEqual(['docker.io', 'ghcr.io']);
    await expect(Promise.resolve(handlers['registry.logout']('index.docker.io'))).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('docker logout docker.io') });
  });
});
