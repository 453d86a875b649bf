// Cases from docker/distribution reference/normalize_test.go and reference_test.go.
import { describe, expect, it } from 'vitest';
import { AppError } from '../ipc/errors';
import { familiarImageRef, formatImageRef, isLoopbackRegistry, normaliseRegistryHost, parseImageRef, registryApiHost, registryOfImage } from './imageRef';

const digest = 'sha256:' + 'e'.repeat(64);

describe('parseImageRef normalises like ParseNormalizedNamed', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['docker/docker', 'docker.io/docker/docker:latest', 'docker/docker:latest'],
    ['library/debian', 'docker.io/library/debian:latest', 'debian:latest'],
    ['debian', 'docker.io/library/debian:latest', 'debian:latest'],
    ['docker.io/docker/docker', 'docker.io/docker/docker:latest', 'docker/docker:latest'],
    ['docker.io/library/debian', 'docker.io/library/debian:latest', 'debian:latest'],
    ['docker.io/debian', 'docker.io/library/debian:latest', 'debian:latest'],
    ['index.docker.io/docker/docker', 'docker.io/docker/docker:latest', 'docker/docker:latest'],
    ['index.docker.io/library/debian', 'docker.io/library/debian:latest', 'debian:latest'],
    ['index.docker.io/debian', 'docker.io/library/debian:latest', 'debian:latest'],
    ['127.0.0.1:5000/docker/docker', '127.0.0.1:5000/docker/docker:latest', '127.0.0.1:5000/docker/docker:latest'],
    ['127.0.0.1:5000/library/debian', '127.0.0.1:5000/library/debian:latest', '127.0.0.1:5000/library/debian:latest'],
    ['127.0.0.1:5000/debian', '127.0.0.1:5000/debian:latest', '127.0.0.1:5000/debian:latest'],
    ['localhost/debian', 'localhost/debian:latest', 'localhost/debian:latest'],
    ['localhost:5000/a/b:tag', 'localhost:5000/a/b:tag', 'localhost:5000/a/b:tag'],
    ['localhost:5000', 'docker.io/library/localhost:5000', 'localhost:5000'],
    ['thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', 'docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest', 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest'],
    ['foo_bar.com:8080', 'docker.io/library/foo_bar.com:8080', 'foo_bar.com:8080'],
    ['foo/foo_bar.com:8080', 'docker.io/foo/foo_bar.com:8080', 'foo/foo_bar.com:8080'],
    ['a.b-c.d:5000/x__y/z---w:v1.2_3', 'a.b-c.d:5000/x__y/z---w:v1.2_3', 'a.b-c.d:5000/x__y/z---w:v1.2_3'],
    ['Docker/docker', 'Docker/docker:latest', 'Docker/docker:latest'],
    ['[::1]:5000/app', '[::1]:5000/app:latest', '[::1]:5000/app:latest'],
    [`ghcr.io/me/app@${digest}`, `ghcr.io/me/app@${digest}`, `ghcr.io/me/app@${digest}`],
    [`nginx:1.27@${digest}`, `docker.io/library/nginx:1.27@${digest}`, `nginx:1.27@${digest}`],
  ])('%s → %s', (input, canonical, familiar) => {
    const ref = parseImageRef(input);
    expect(formatImageRef(ref)).toBe(canonical);
    expect(familiarImageRef(ref)).toBe(familiar);
  });

  it('splits into domain, path, tag and digest', () => {
    expect(parseImageRef('nginx')).toEqual({ domain: 'docker.io', path: 'library/nginx', tag: 'latest' });
    expect(parseImageRef(`localhost:5000/a/b@${digest}`)).toEqual({ domain: 'localhost:5000', path: 'a/b', digest });
  });

  it.each([
    ['', 'empty'],
    ['https://github.com/docker/docker', 'URL'],
    ['docker/Docker', '"docker/Docker" must be lower-case'],
    ['docker.io/docker/Docker', '"docker/Docker" must be lower-case'],
    ['-docker', '"-docker" is not a valid part'],
    ['-docker/docker', '"-docker" is not a valid part'],
    ['-docker.io/docker/docker', 'registry host "-docker.io"'],
    ['docker///docker', 'empty part'],
    ['docker.io/docker///docker', 'empty part'],
    ['app/', 'empty part'],
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', 'image ID'],
    ['nginx:', 'tag after ":" is empty'],
    ['nginx:-dev', 'tag "-dev"'],
    [`nginx:${'a'.repeat(129)}`, 'is not allowed'],
    ['nginx@sha256:abc', 'digest "sha256:abc" is malformed'],
    [`nginx@sha256:${'a'.repeat(65)}`, '65 hexadecimal characters'],
    [':tag', 'repository name is missing'],
    [`${'a'.repeat(256)}.com/x`, 'longer than 255'],
    ['a..b/c', 'registry host "a..b"'],
    ['a/b..c', '"b..c" is not a valid part'],
  ])('rejects %j naming the bad part (%s)', (input, part) => {
    let err: unknown;
    try { parseImageRef(input); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INVALID_ARGUMENT');
    expect((err as AppError).message).toContain(part);
    expect((err as AppError).hint).toBeTruthy();
  });
});

describe('registry hosts', () => {
  it('maps Docker Hub to its API endpoint, other hosts to themselves', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('https://index.docker.io/v1/')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
    expect(registryApiHost('localhost:5000')).toBe('localhost:5000');
  });
  it('folds the spellings of one registry together', () => {
    expect(normaliseRegistryHost('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normaliseRegistryHost('registry-1.docker.io')).toBe('docker.io');
    expect(normaliseRegistryHost('HTTPS://GHCR.IO/')).toBe('ghcr.io');
    expect(normaliseRegistryHost('my.registry:5000')).toBe('my.registry:5000');
  });
  it('finds the registry of an image (pod specs, the builders) without checking the rest', () => {
    expect(registryOfImage('nginx')).toBe('docker.io');
    expect(registryOfImage('node:22-alpine')).toBe('docker.io');
    expect(registryOfImage('library/nginx:1')).toBe('docker.io');
    expect(registryOfImage('index.docker.io/team/app')).toBe('docker.io');
    expect(registryOfImage('ghcr.io/acme/app@sha256:abc')).toBe('ghcr.io');
    expect(registryOfImage('localhost/app')).toBe('localhost');
    expect(registryOfImage('localhost:5000/app')).toBe('localhost:5000');
  });
  it('knows which hosts are plain-HTTP loopback registries', () => {
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('127.0.0.1:32000')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('registry.local:5000')).toBe(false);
    expect(isLoopbackRegistry('docker.io')).toBe(false);
  });
});

describe('imageRepositoryIn', () => {
  it('normalises the registry URL and image name like docker push', async () => {
    const { imageRepositoryIn } = await import('./imageRef');
    expect(imageRepositoryIn('ghcr.io/acme', 'app')).toEqual({ host: 'ghcr.io', repository: 'ghcr.io/acme/app' });
    expect(imageRepositoryIn('https://Registry.example.com:5000/team/', 'app')).toEqual({ host: 'Registry.example.com:5000', repository: 'Registry.example.com:5000/team/app' });
    expect(imageRepositoryIn('myuser', 'app')).toEqual({ host: 'docker.io', repository: 'docker.io/myuser/app' });
    expect(imageRepositoryIn('localhost:5000', 'app')).toEqual({ host: 'localhost:5000', repository: 'localhost:5000/app' });
    expect(() => imageRepositoryIn('ghcr.io/acme', 'app:v1')).toThrow(/not an image repository/);
  });
});
