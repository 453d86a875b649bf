// startTestCluster's own promises: the kubeconfig it writes, node: false, and the combined faults.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from './index';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startTestCluster({ node: false }); });
afterAll(async () => { await cluster?.stop(); });

describe('startTestCluster({ node: false })', () => {
  it('writes a kubeconfig with test-admin current, test-limited, cluster test and the CA embedded', () => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    expect(kc.getCurrentContext()).toBe('test-admin');
    expect(kc.getContexts().map((c) => [c.name, c.cluster, c.namespace])).toEqual([['test-admin', 'test', 'default'], ['test-limited', 'test', 'limited']]);
    const c = kc.getCluster('test')!;
    expect(c.server).toBe(cluster.server);
    expect(Buffer.from(c.caData!, 'base64').toString()).toBe(readFileSync(cluster.caPath, 'utf8'));
    expect(kc.getUser('test-admin')?.token).toBe(cluster.tokens.admin);
    expect(cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('has no node, registry or base image, and says so when a node fault is used', async () => {
    expect([cluster.registry, cluster.baseImage]).toEqual(['', '']);
    await expect(cluster.faults.stopRegistry()).rejects.toMatchObject({ code: 'TEST_CLUSTER_NO_NODE' });
  });

  it('lets the limited user read its own namespace but not list namespaces', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    kc.setCurrentContext('test-limited');
    const core = kc.makeApiClient(CoreV1Api);
    expect((await core.readNamespace({ name: 'limited' })).metadata?.name).toBe('limited');
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 403 });
  });
});
