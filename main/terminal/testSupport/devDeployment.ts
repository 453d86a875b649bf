// Test-only: a dev container on the test cluster (a Deployment running a shell loop from the
// seeded busybox image) and the ProjectCluster the handlers resolve, built from its kubeconfig.
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { ProjectCluster } from '../../app/projectCluster';
import { loadKubeconfig } from '../../kube/kubeconfig';
import type { DevspaceConfig } from '../../project/config/schema';
import { isPodReady } from '../devContainer';

export async function testKubeConfig(kubeconfigPath: string, context = 'test-admin'): Promise<KubeConfig> {
  return (await loadKubeconfig([kubeconfigPath])).kubeConfig(context);
}

export function projectCluster(kubeConfig: KubeConfig, config: DevspaceConfig | null, namespace = 'default'): ProjectCluster {
  return {
    project: { path: '/nonexistent/test-project', name: 'test-project', hasDevspaceConfig: !!config, hasDockerfile: false, hasChart: false, selection: {} },
    kubeConfig,
    context: 'test-admin',
    namespace,
    config,
  };
}

export function devConfig(app: string, extra: { containerName?: string } = {}): DevspaceConfig {
  return { version: 'v1alpha1', devSpace: { terminal: { labelSelector: { app }, ...extra } } };
}

/** Creates (or replaces) Deployment `name` with label app=name, running `script` in sh; waits for a ready pod. */
export async function createDevDeployment(kc: KubeConfig, image: string, name: string, script: string, namespace = 'default', containers = ['dev']): Promise<V1Pod> {
  const apps = kc.makeApiClient(AppsV1Api);
  await apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' }).catch(() => undefined);
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { terminationGracePeriodSeconds: 1, containers: containers.map((c) => ({ name: c, image, command: ['sh', '-c', script] })) },
        },
      },
    },
  });
  return waitForReadyPod(kc, name, namespace);
}

export async function waitForReadyPod(kc: KubeConfig, app: string, namespace = 'default', notNamed?: string, timeoutMs = 90_000): Promise<V1Pod> {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
    const ready = pods.items.find((p) => isPodReady(p) && p.metadata?.name !== notNamed);
    if (ready) return ready;
    if (Date.now() > deadline) throw new Error(`no ready pod app=${app} within ${timeoutMs / 1000} s: ${pods.items.map((p) => `${p.metadata?.name} ${p.status?.phase}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function deletePod(kc: KubeConfig, name: string, namespace = 'default'): Promise<void> {
  await kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
}

/** Resolves when `check` is true; polls events already collected by the caller. */
export async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
