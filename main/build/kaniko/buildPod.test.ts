import { describe, expect, it } from 'vitest';
import { buildPodManifest, buildSelector, labelValue, registrySecretManifest } from './buildPod';
import { executorArgs } from './executorArgs';
import { kanikoDockerConfig } from './kanikoBuilder';
import { judgeBuildPod } from './podReady';

describe('build pod objects', () => {
  it('labels the pod for cleanup and mounts the credentials where Kaniko reads them', () => {
    const pod = buildPodManifest({ namespace: 'team', projectId: 'shop', buildHash: '3f2a9c0d1e4b77', executorImage: 'gcr.io/kaniko-project/executor:debug', secretName: 'devspace-build-abcde' });
    expect(pod.metadata).toEqual({ generateName: 'devspace-build-', namespace: 'team', labels: { 'app.kubernetes.io/managed-by': 'devspace-desktop', 'devspace.sh/project': 'shop', 'devspace.sh/build': '3f2a9c0d1e4b' } });
    expect(pod.spec!.restartPolicy).toBe('Never');
    expect(pod.spec!.containers[0]).toMatchObject({ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:debug', command: ['sh', '-c', 'sleep 10800'], volumeMounts: [{ name: 'docker-config', mountPath: '/kaniko/.docker', readOnly: true }] });
    expect(pod.spec!.volumes).toEqual([{ name: 'docker-config', secret: { secretName: 'devspace-build-abcde', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }]);
    expect(buildPodManifest({ namespace: 'team', projectId: 'shop', buildHash: 'aa', executorImage: 'x' }).spec!.volumes).toBeUndefined();
    const secret = registrySecretManifest({ namespace: 'team', projectId: 'shop', buildHash: 'aa', dockerConfigJson: '{"auths":{}}' });
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(Buffer.from(secret.data!['.dockerconfigjson']!, 'base64').toString()).toBe('{"auths":{}}');
  });

  it('makes any project id a stable, valid label value', () => {
    expect(labelValue('shop')).toBe('shop');
    const odd = labelValue('/home/ann/My Projects/shop (copy)');
    expect(odd).toMatch(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/);
    expect(labelValue('/home/ann/My Projects/shop (copy)')).toBe(odd);
    expect(labelValue('/home/ann/My Projects/shop (copy 2)')).not.toBe(odd);
    expect(labelValue('x'.repeat(80))).toHaveLength(61);
    expect(buildSelector('shop')).toBe('app.kubernetes.io/managed-by=devspace-desktop,devspace.sh/project=shop,devspace.sh/build');
  });
});

describe('executorArgs', () => {
  it('relaxes TLS only for the registries marked insecure, and sorts build args', () => {
    expect(executorArgs({ dockerfile: '/workspace/docker/Dockerfile', imageRef: 'reg.local:5000/app:t', buildArgs: { B: '2', A: 'x y' }, target: 'dev', cache: { repo: 'reg.local:5000/app/cache' }, insecureRegistries: ['reg.local:5000'] })).toEqual([
      '--dockerfile=/workspace/docker/Dockerfile', '--context=dir:///workspace', '--destination=reg.local:5000/app:t',
      '--build-arg=A=x y', '--build-arg=B=2', '--target=dev', '--cache=true', '--cache-repo=reg.local:5000/app/cache',
      '--insecure-registry=reg.local:5000', '--skip-tls-verify-registry=reg.local:5000',
    ]);
    expect(executorArgs({ dockerfile: '/workspace/Dockerfile', imageRef: 'ghcr.io/me/app:t' }).join(' ')).not.toMatch(/insecure|skip-tls/);
  });
});

describe('kanikoDockerConfig', () => {
  it('writes username/password like docker login, and tokens in their own fields', () => {
    expect(JSON.parse(kanikoDockerConfig('docker.io', { username: 'me', password: 'pw' }))).toEqual({ auths: { 'https://index.docker.io/v1/': { username: 'me', password: 'pw', auth: Buffer.from('me:pw').toString('base64') } } });
    expect(JSON.parse(kanikoDockerConfig('ghcr.io', { registryToken: 'tok' }))).toEqual({ auths: { 'ghcr.io': { registrytoken: 'tok' } } });
    expect(JSON.parse(kanikoDockerConfig('acr.io', { username: '<token>', identityToken: 'refresh' })).auths['acr.io'].identitytoken).toBe('refresh');
  });
});

describe('judgeBuildPod', () => {
  const pod = (status: object) => ({ metadata: { name: 'devspace-build-x', namespace: 'team' }, status }) as never;
  it('explains an executor image that cannot be pulled, and waits while the container is being created', () => {
    const e = judgeBuildPod(pod({ phase: 'Pending', containerStatuses: [{ name: 'kaniko', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }] }), 'gcr.io/kaniko-project/executor:debug');
    expect(e).toMatchObject({ code: 'CLUSTER_ERROR', message: 'The cluster cannot pull the Kaniko executor image gcr.io/kaniko-project/executor:debug (ImagePullBackOff: Back-off pulling image).' });
    expect(judgeBuildPod(pod({ phase: 'Pending', containerStatuses: [{ name: 'kaniko', state: { waiting: { reason: 'ContainerCreating' } } }] }), 'x')).toBeUndefined();
    expect(judgeBuildPod(pod({ phase: 'Running', containerStatuses: [{ name: 'kaniko', state: { running: {} } }] }), 'x')).toBe(true);
    expect(judgeBuildPod(pod({ phase: 'Failed', containerStatuses: [{ name: 'kaniko', state: { terminated: { exitCode: 127, reason: 'Error' } } }] }), 'x')).toMatchObject({ message: 'The build pod team/devspace-build-x stopped before the build (exit code 127, Error).' });
  });
  it('explains a container that cannot start, and waits while the pod is not scheduled', () => {
    expect(judgeBuildPod(pod({ phase: 'Pending', containerStatuses: [{ name: 'kaniko', state: { waiting: { reason: 'CreateContainerError', message: 'exec: "sh": not found' } } }] }), 'x')).toMatchObject({
      message: 'The build pod team/devspace-build-x cannot start its container (CreateContainerError: exec: "sh": not found).',
      hint: expect.stringContaining('Kaniko debug image'),
    });
    expect(judgeBuildPod(pod({ phase: 'Running', containerStatuses: [{ name: 'kaniko', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }), 'x')).toMatchObject({ message: 'The build pod team/devspace-build-x cannot start its container (CrashLoopBackOff).' });
    expect(judgeBuildPod(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }), 'x')).toBeUndefined();
    expect(judgeBuildPod(pod({ phase: 'Succeeded' }), 'x')).toMatchObject({ message: 'The build pod team/devspace-build-x stopped before the build (Succeeded).' });
  });
});
