// The Docker builder against a real Docker Engine API (Podman's compatible service) and real
// registries (docker-registry, with and without htpasswd auth). No internet: images are built
// FROM scratch with a static busybox copied in.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../ipc/errors';
import { BuildFailedError, type BuildStep } from '../buildErrors';
import { computeBuildHash } from '../hash/buildHash';
import { BuildProgressParser } from './buildProgress';
import { DockerBuilder, splitTag } from './dockerBuilder';
import { dockerEndpoint } from './dockerHost';
import { allKnownCredentials, credentialsFor, registryAuthHeader, registryConfigHeader } from './registryAuth';
import { freePort, startPodmanEngine, startRegistry, which, type TestEngine, type TestRegistry } from './testDaemons';

const BUSYBOX = '/bin/busybox';

describe('Docker address and image names', () => {
  it('reads DOCKER_HOST like the Docker CLI', () => {
    expect(dockerEndpoint({})).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(dockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual({ kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2375 });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://docker' })).toEqual({ kind: 'tcp', host: 'docker', port: 2375 });
    expect(() => dockerEndpoint({ DOCKER_HOST: 'ssh://me@host' })).toThrow(/not an address/);
    expect(() => dockerEndpoint({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' })).toThrow(/TLS/);
  });
  it('splits tags', () => {
    expect(splitTag('127.0.0.1:5000/team/app:v1')).toEqual({ name: '127.0.0.1:5000/team/app', tag: 'v1' });
    expect(splitTag('127.0.0.1:5000/app')).toEqual({ name: '127.0.0.1:5000/app', tag: 'latest' });
  });
});

describe('BuildProgressParser', () => {
  it('understands Docker classic builder output', () => {
    const p = new BuildProgressParser();
    const steps: BuildStep[] = [];
    const feed = (m: Record<string, unknown>) => p.feed(m).forEach((e) => e.kind === 'step' && steps.push(e.step));
    feed({ stream: 'Step 1/3 : FROM node:22-alpine\n' });
    feed({ stream: ' ---> 1a2b3c\nStep 2/3 : RUN npm ' }); // a line split across messages
    feed({ stream: 'ci\n' });
    feed({ status: 'Pulling fs layer', id: 'abc' });
    feed({ errorDetail: { code: 1, message: "The command '/bin/sh -c npm ci' returned a non-zero code: 1" }, error: "The command '/bin/sh -c npm ci' returned a non-zero code: 1" });
    expect(steps).toEqual([
      { index: 1, total: 3, instruction: 'FROM node:22-alpine' },
      { index: 2, total: 3, instruction: 'RUN npm ci' },
    ]);
    expect(p.error).toMatch(/non-zero code: 1/);
    expect(p.tail).toContain('abc: Pulling fs layer');
  });
  it('understands Buildah/Podman output and the image id', () => {
    const p = new BuildProgressParser();
    p.feed({ stream: 'STEP 2/4: COPY busybox /bin/busybox\n' });
    p.feed({ aux: { ID: 'sha256:5d7a' } });
    expect(p.currentStep).toEqual({ index: 2, total: 4, instruction: 'COPY busybox /bin/busybox' });
    expect(p.imageId).toBe('sha256:5d7a');
  });
});

// Reading config.json itself (auths, helpers, errors) is tested in main/registry/dockerConfig.test.ts.
describe('registry credentials for the Engine API', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ds-dockercfg-'));
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hubpass').toString('base64') }, 'reg.example.com': { auth: Buffer.from('u:p:with:colons').toString('base64') }, 'bad.example.com': { auth: 'bm9jb2xvbg==' } },
        credHelpers: { 'ghcr.io': 'fake' },
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the given credentials first, then config.json (helpers included), tagged with the registry', async () => {
    const calls: string[] = [];
    const runHelper = async (helper: string, server: string) => {
      calls.push(`${helper} ${server}`);
      return { code: 0, stdout: JSON.stringify({ ServerURL: server, Username: '<token>', Secret: 'tok' }), stderr: '' };
    };
    expect(await credentialsFor('docker.io', [], { dockerConfigDir: dir })).toEqual({ registry: 'docker.io', username: 'hubuser', password: 'hubpass' });
    expect(await credentialsFor('ghcr.io', [], { dockerConfigDir: dir, runHelper })).toEqual({ registry: 'ghcr.io', identityToken: 'tok' });
    expect(calls).toEqual(['fake ghcr.io']);
    const explicit = [{ registry: 'ghcr.io', username: 'me', password: 'pw' }];
    expect(await credentialsFor('ghcr.io', explicit, { dockerConfigDir: dir, runHelper })).toEqual(explicit[0]);
    expect(await credentialsFor('other.example.com', [], { dockerConfigDir: dir })).toBeUndefined();
    expect(await credentialsFor('docker.io')).toBeUndefined(); // no config folder: anonymous
  });

  it('encodes the headers as padded base64url JSON with Docker Hub under its v1 address', async () => {
    const decode = (h: string) => {
      expect(h).toMatch(/^[A-Za-z0-9_-]*=*$/);
      return JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    };
    const auth = registryAuthHeader({ registry: 'docker.io', username: 'me', password: 'a?b>c' });
    expect(auth.length % 4).toBe(0);
    expect(decode(auth)).toEqual({ username: 'me', password: 'a?b>c', serveraddress: 'https://index.docker.io/v1/' });
    expect(decode(registryAuthHeader(undefined))).toEqual({});
    expect(decode(registryAuthHeader({ registry: 'ghcr.io', identityToken: 't' }))).toEqual({ identitytoken: 't', serveraddress: 'ghcr.io' });
    // a build gets every auths entry that decodes, the given credentials winning
    const all = await allKnownCredentials([{ registry: 'reg.example.com', username: 'given', password: 'x' }], dir);
    expect(decode(registryConfigHeader(all))).toEqual({
      'https://index.docker.io/v1/': { username: 'hubuser', password: 'hubpass', serveraddress: 'https://index.docker.io/v1/' },
      'reg.example.com': { username: 'given', password: 'x', serveraddress: 'reg.example.com' },
    });
  });
});

describe('when Docker is not there', () => {
  it('says Docker is not running when the socket is missing, and suggests Kaniko', async () => {
    const b = new DockerBuilder({ endpoint: { kind: 'unix', socketPath: path.join(os.tmpdir(), 'no-such-dir', 'docker.sock') } });
    const err = await b.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/Docker is not running/);
    expect((err as AppError).hint).toMatch(/Docker Desktop.*Kaniko/);
  });
  it('says the same when nothing listens on a TCP address (ECONNREFUSED)', async () => {
    const b = new DockerBuilder({ endpoint: { kind: 'tcp', host: '127.0.0.1', port: await freePort() } });
    await expect(b.ping()).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE', message: expect.stringMatching(/Docker is not running/) });
  });
});

describe('when the Docker socket is not ours to use', () => {
  it('says permission is denied and how to fix it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ds-sock-'));
    chmodSync(dir, 0o755);
    const socketPath = path.join(dir, 'docker.sock');
    const server = net.createServer((c) => c.end());
    await new Promise<void>((r) => server.listen(socketPath, r));
    chmodSync(socketPath, 0o600);
    try {
      let outcome: { code?: string; message?: string; hint?: string };
      if (process.getuid?.() === 0) {
        // root may open any socket: ask an unprivileged user to try (a real EACCES from the kernel)
        const probe = path.join(import.meta.dirname, 'pingProbe.ts');
        const tsx = path.join(import.meta.dirname, '../../../node_modules/tsx/dist/loader.mjs');
        const r = spawnSync(process.execPath, ['--import', tsx, probe, socketPath], { uid: 65534, gid: 65534, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
        outcome = JSON.parse(r.stdout.trim().split('\n').pop() || '{}');
      } else {
        outcome = await new DockerBuilder({ endpoint: { kind: 'unix', socketPath } }).ping().then(() => ({}), (e: AppError) => e);
      }
      expect(outcome).toMatchObject({ code: 'PERMISSION_DENIED', message: `You do not have permission to use the Docker socket ${socketPath}.` });
      expect(outcome.hint).toMatch(/'docker' group/);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const missing = ['podman', 'docker-registry'].filter((c) => !which(c));
if (!existsBusybox()) missing.push(BUSYBOX);
if (missing.length) console.log(`skipping the Docker Engine API tests: ${missing.join(', ')} not installed`);

function existsBusybox(): boolean {
  return existsSync(BUSYBOX);
}

describe.skipIf(missing.length > 0)('DockerBuilder against Podman and docker-registry', () => {
  let open: TestRegistry;
  let secured: TestRegistry;
  let engine: TestEngine;
  let builder: DockerBuilder;
  let work = '';
  const creds = { username: 'dev', password: 's3cret' };

  beforeAll(async () => {
    [open, secured] = await Promise.all([startRegistry(), startRegistry(creds)]);
    engine = await startPodmanEngine([open.host, secured.host]);
    work = mkdtempSync(path.join(os.tmpdir(), 'ds-dockerbuild-'));
    // an empty config dir: pushes must not pick up the machine's own logins
    mkdirSync(path.join(work, 'docker-config'));
    builder = new DockerBuilder({ endpoint: { kind: 'unix', socketPath: engine.socketPath }, dockerConfigDir: path.join(work, 'docker-config') });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([engine?.stop(), open?.stop(), secured?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function project(name: string, dockerfile: string, files: Record<string, string> = {}): string {
    const dir = path.join(work, name);
    mkdirSync(dir, { recursive: true });
    copyFileSync(BUSYBOX, path.join(dir, 'busybox'));
    writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), content);
    }
    return dir;
  }
  const sh = (script: string) => `RUN ["/bin/busybox", "sh", "-c", ${JSON.stringify(script)}]`;

  it('builds with the context as hashed, honouring .dockerignore, build args and target, and reports steps', async () => {
    const dir = project(
      'ok',
      [
        'FROM scratch AS base',
        'COPY busybox /bin/busybox',
        'ARG GREETING',
        'COPY . /ctx',
        // (Buildah also applies .dockerignore to COPY, so the generated.yaml check is the one only
        // our packer can pass: that file is left out of every context we send.)
        sh('test "$GREETING" = hello && test -e /ctx/keep.txt && test ! -e /ctx/secret.txt && test ! -e /ctx/.devspace/config.yaml && test ! -e /ctx/.devspace/generated.yaml'),
        'FROM base AS never',
        sh('exit 7'),
      ].join('\n'),
      { 'keep.txt': 'yes', 'secret.txt': 'no', '.dockerignore': 'secret.txt\n', '.devspace/config.yaml': 'version: v1\n', '.devspace/generated.yaml': 'build: {}\n' },
    );
    const hashed = await computeBuildHash({ contextDir: dir, buildArgs: { GREETING: 'hello' }, target: 'base' });
    const steps: BuildStep[] = [];
    const logs: string[] = [];
    const result = await builder.build({
      contextDir: dir,
      imageRef: `${open.host}/app:${hashed.tag}`,
      entries: hashed.entries,
      buildArgs: { GREETING: 'hello' },
      target: 'base',
      onStep: (s) => steps.push(s),
      onLog: (l) => logs.push(l),
    });
    expect(result.imageId).toMatch(/^(sha256:)?[0-9a-f]{12,}/);
    expect(steps.length).toBeGreaterThanOrEqual(4);
    expect(steps[0]).toMatchObject({ index: 1, instruction: expect.stringMatching(/^FROM scratch/i) });
    expect(steps.map((s) => s.instruction).join('\n')).not.toMatch(/exit 7/); // the other stage was skipped
    expect(logs.length).toBeGreaterThan(0);
  });

  it('builds with a Dockerfile kept outside the context', async () => {
    const dir = project('outside', '', { 'ctx/hello.txt': 'hi' });
    copyFileSync(BUSYBOX, path.join(dir, 'ctx', 'busybox'));
    writeFileSync(path.join(dir, 'build.Dockerfile'), ['FROM scratch', 'COPY busybox /bin/busybox', 'COPY hello.txt /hello.txt', sh('test "$(cat /hello.txt)" = hi')].join('\n'));
    const steps: BuildStep[] = [];
    await builder.build({ contextDir: path.join(dir, 'ctx'), dockerfile: '../build.Dockerfile', imageRef: 'localhost/outside:1', onStep: (s) => steps.push(s) });
    expect(steps.map((s) => s.index)).toEqual([1, 2, 3, 4]);
  });

  it('names the failing RUN step', async () => {
    const dir = project('fails', ['FROM scratch', 'COPY busybox /bin/busybox', sh('echo before'), sh('echo about to fail; exit 3'), sh('echo never')].join('\n'));
    const err = await builder.build({ contextDir: dir, imageRef: 'localhost/fails:1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildFailedError);
    const f = err as BuildFailedError;
    expect(f.step).toMatchObject({ index: 4, total: 5 });
    expect(f.step?.instruction).toContain('exit 3');
    expect(f.message).toMatch(/^Step 4\/5 \(RUN .*exit 3.*\) failed: /);
    expect(f.logTail.join('\n')).toContain('about to fail');
  });

  it('pushes to a registry without auth', async () => {
    const dir = project('push-open', ['FROM scratch', 'COPY busybox /bin/busybox'].join('\n'));
    const ref = `${open.host}/team/pushed:v1`;
    await builder.build({ contextDir: dir, imageRef: ref });
    const pushed = await builder.push({ imageRef: ref });
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const tags = (await (await fetch(`http://${open.host}/v2/team/pushed/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toContain('v1');
  });

  it('pushes with credentials, and explains a 401 when they are wrong or missing', async () => {
    const dir = project('push-auth', ['FROM scratch', 'COPY busybox /bin/busybox'].join('\n'));
    const ref = `${secured.host}/private/app:v2`;
    await builder.build({ contextDir: dir, imageRef: ref });

    const wrong = await builder.push({ imageRef: ref, credentials: [{ registry: secured.host, username: 'dev', password: 'nope' }] }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'REGISTRY_UNAUTHORIZED', message: `The registry ${secured.host} refused to let DevSpace push ${ref} as "dev".` });
    expect((wrong as AppError).hint).toMatch(/username and password/);
    const none = await builder.push({ imageRef: ref }).catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'REGISTRY_UNAUTHORIZED', message: expect.stringContaining('without credentials') });

    const ok = await builder.push({ imageRef: ref, credentials: [{ registry: secured.host, ...creds }] });
    expect(ok.digest).toMatch(/^sha256:/);
    const res = await fetch(`http://${secured.host}/v2/private/app/tags/list`, { headers: { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` } });
    expect(((await res.json()) as { tags: string[] }).tags).toContain('v2');
  });

  it('takes push credentials from config.json auths', async () => {
    const cfg = path.join(work, 'cfg-with-login');
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'config.json'), JSON.stringify({ auths: { [`http://${secured.host}`]: { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') } } }));
    const b = new DockerBuilder({ endpoint: { kind: 'unix', socketPath: engine.socketPath }, dockerConfigDir: cfg });
    const dir = project('push-cfg', ['FROM scratch', 'COPY busybox /bin/busybox'].join('\n'));
    const ref = `${secured.host}/private/fromcfg:v3`;
    await b.build({ contextDir: dir, imageRef: ref });
    expect((await b.push({ imageRef: ref })).digest).toMatch(/^sha256:/);
  });

  it('cancels a running build', async () => {
    const dir = project('slow', ['FROM scratch', 'COPY busybox /bin/busybox', sh('/bin/busybox sleep 60')].join('\n'));
    const ac = new AbortController();
    const started = builder.build({
      contextDir: dir,
      imageRef: 'localhost/slow:1',
      signal: ac.signal,
      onStep: (s) => {
        if (s.instruction.startsWith('RUN')) setTimeout(() => ac.abort(), 200);
      },
    });
    await expect(started).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
