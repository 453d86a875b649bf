import { describe, expect, it } from 'vitest';
import { defaultPullPolicy, formatImage, isLoopbackRegistry, parseImage } from './image-reference';
import { authFileFromSecrets } from './image-puller';

describe('image references', () => {
  it('reads them as container runtimes do', () => {
    expect(parseImage('busybox')).toEqual({ registry: 'docker.io', repository: 'library/busybox', tag: 'latest' });
    expect(parseImage('gcr.io/kaniko-project/executor:debug')).toEqual({ registry: 'gcr.io', repository: 'kaniko-project/executor', tag: 'debug' });
    expect(parseImage('localhost:5000/app')).toEqual({ registry: 'localhost:5000', repository: 'app', tag: 'latest' });
    expect(parseImage('user/app:1.2')).toEqual({ registry: 'docker.io', repository: 'user/app', tag: '1.2' });
    expect(parseImage(`registry@sha256:${'a'.repeat(64)}`)).toEqual({ registry: 'docker.io', repository: 'library/registry', digest: `sha256:${'a'.repeat(64)}` });
    expect(formatImage(parseImage('busybox:1.36'))).toBe('docker.io/library/busybox:1.36');
  });

  it('defaults the pull policy like the API server: Always only for :latest or no tag', () => {
    expect(defaultPullPolicy('busybox')).toBe('Always');
    expect(defaultPullPolicy('busybox:latest')).toBe('Always');
    expect(defaultPullPolicy('busybox:1.36')).toBe('IfNotPresent');
    expect(defaultPullPolicy(`busybox@sha256:${'b'.repeat(64)}`)).toBe('IfNotPresent');
  });

  it('treats only loopback registries as plain HTTP', () => {
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackRegistry('registry.example.com:5000')).toBe(false);
    expect(isLoopbackRegistry('10.244.0.5:5000')).toBe(false);
  });

  it('merges dockerconfigjson and dockercfg pull secrets, the first entry per registry winning', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const auth = authFileFromSecrets([
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'https://localhost:5000/v1/': { auth: b64('a:1') } } })) } },
      { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'localhost:5000': { auth: b64('b:2') }, 'other:1': { username: 'c', password: '3' } })) } },
      { type: 'Opaque', data: { '.dockerconfigjson': b64('not json') } },
    ]);
    expect(auth).toEqual({ auths: { 'localhost:5000': { auth: b64('a:1') }, 'other:1': { auth: b64('c:3') } } });
  });
});

import { isNodeLocal, isReachableRegistry } from './local-addresses';

describe('where the node may connect', () => {
  it('allows loopback, its own pod network and Docker Hub names (served by its registry) only', () => {
    expect(isReachableRegistry('localhost:5000', undefined)).toBe(true);
    expect(isReachableRegistry('docker.io', undefined)).toBe(true);
    expect(isReachableRegistry('10.244.3.7:5000', '10.244.3')).toBe(true);
    expect(isReachableRegistry('10.244.4.7:5000', '10.244.3')).toBe(false);
    expect(isReachableRegistry('gcr.io', '10.244.3')).toBe(false);
    expect(isNodeLocal('127.77.0.3', undefined)).toBe(true);
    expect(isNodeLocal('8.8.8.8', '10.244.0')).toBe(false);
  });
});
