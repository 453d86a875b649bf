// Pull secrets against the project's test cluster (API server only: objects, no pods).
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { loadKubeconfig } from '../kube/kubeconfig';
import { dockerConfigJson, ensurePullSecrets, pullSecretName, removePullSecrets } from './pullSecrets';

describe('pullSecretName', () => {
  it.each([
    ['ghcr.io', 'devspace-pull-ghcr-io'],
    ['localhost:5000', 'devspace-pull-localhost-5000'],
    ['https://index.docker.io/v1/', 'devspace-pull-docker-io'],
    ['Registry.Example.com:443', 'devspace-pull-registry-example-com-443'],
  ])('%s → %s', (host, name) => expect(pullSecretName(host)).toBe(name));

  it('keeps names unique and valid where the slug would collide or be too long', () => {
    const a = pullSecretName('a-b.io');
    const b = pullSecretName('a.b.io');
    expect(a).not.toBe(b);
    const long = pullSecretName(`${'x'.repeat(80)}.example.com`);
    expect(long.length).toBeLessThanOrEqual(63);
    for (const n of [a, b, long]) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe('dockerConfigJson', () => {
  it('writes auths with base64 user:password, Docker Hub under its v1 address', () => {
    expect(JSON.parse(dockerConfigJson([{ host: 'docker.io', username: 'u', password: 'p:w' }, { host: 'localhost:5000', username: 'devspace', password: 'x' }]))).toEqual({
      auths: {
        'https://index.docker.io/v1/': { username: 'u', password: 'p:w', auth: Buffer.from('u:p:w').toString('base64') },
        'localhost:5000': { username: 'devspace', password: 'x', auth: Buffer.from('devspace:x').toString('base64') },
      },
    });
  });
});

describe('ensurePullSecrets on the test cluster', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  beforeAll(async () => {
    cluster = await startTestCluster({ node: false });
    const loaded = await loadKubeconfig([cluster.kubeconfigPath]);
    kc = loaded.kubeConfig('test-admin');
    core = kc.makeApiClient(CoreV1Api);
  }, 60_000);
  afterAll(() => cluster?.stop());

  const secretConfig = async (ns: string, name: string) => {
    const s = await core.readNamespacedSecret({ name, namespace: ns });
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    return JSON.parse(Buffer.from(s.data!['.dockerconfigjson']!, 'base64').toString()) as { auths: Record<string, { username: string; password: string; auth: string }> };
  };

  it('creates a secret per registry, adds them to the default ServiceAccount, keeps existing entries', async () => {
    await core.createNamespace({ body: { metadata: { name: 'pull-a' } } });
    // Someone else's entry on the ServiceAccount must survive.
    for (let i = 0; ; i++) {
      try {
        const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: 'pull-a' });
        await core.replaceNamespacedServiceAccount({ name: 'default', namespace: 'pull-a', body: { ...sa, imagePullSecrets: [{ name: 'theirs' }] } });
        break;
      } catch (e) {
        if (i > 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const names = await ensurePullSecrets(kc, 'pull-a', [
      { host: 'ghcr.io', username: 'octocat', password: 'tok1' },
      { host: 'localhost:5000', username: 'devspace', password: 'pw' },
    ]);
    expect(names).toEqual(['devspace-pull-ghcr-io', 'devspace-pull-localhost-5000']);
    expect((await secretConfig('pull-a', 'devspace-pull-ghcr-io')).auths['ghcr.io']).toMatchObject({ username: 'octocat', password: 'tok1' });
    const secret = await core.readNamespacedSecret({ name: 'devspace-pull-ghcr-io', namespace: 'pull-a' });
    expect(secret.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('devspace-desktop');
    expect(secret.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual(['devspace-desktop', 'Apply']);
    const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: 'pull-a' });
    expect(sa.imagePullSecrets?.map((s) => s.name)).toEqual(['theirs', 'devspace-pull-ghcr-io', 'devspace-pull-localhost-5000']);
  });

  it('updates the secret in place on a second call and does not list it twice', async () => {
    const before = await core.readNamespacedSecret({ name: 'devspace-pull-ghcr-io', namespace: 'pull-a' });
    await ensurePullSecrets(kc, 'pull-a', [{ host: 'ghcr.io', username: 'octocat', password: 'tok2' }]);
    const after = await core.readNamespacedSecret({ name: 'devspace-pull-ghcr-io', namespace: 'pull-a' });
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect((await secretConfig('pull-a', 'devspace-pull-ghcr-io')).auths['ghcr.io']?.password).toBe('tok2');
    const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: 'pull-a' });
    expect(sa.imagePullSecrets?.map((s) => s.name)).toEqual(['theirs', 'devspace-pull-ghcr-io', 'devspace-pull-localhost-5000']);
  });

  it('removes its secrets and its ServiceAccount entries, and only those', async () => {
    await removePullSecrets(kc, 'pull-a', ['ghcr.io', 'localhost:5000']);
    const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: 'pull-a' });
    expect(sa.imagePullSecrets?.map((s) => s.name)).toEqual(['theirs']);
    await expect(core.readNamespacedSecret({ name: 'devspace-pull-ghcr-io', namespace: 'pull-a' })).rejects.toMatchObject({ code: 404 });
  });

  it('says what it was doing when the user may not write secrets there', async () => {
    const limited = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-limited');
    await expect(ensurePullSecrets(limited, 'pull-a', [{ host: 'ghcr.io', username: 'u', password: 'p' }])).rejects.toMatchObject({
      code: 'CLUSTER_FORBIDDEN',
      message: expect.stringContaining('Saving the pull secret "devspace-pull-ghcr-io" for ghcr.io in namespace "pull-a" failed'),
    });
    // In its own namespace the limited user can.
    expect(await ensurePullSecrets(limited, 'limited', [{ host: 'ghcr.io', username: 'u', password: 'p' }])).toEqual(['devspace-pull-ghcr-io']);
  });
});
