// Test-only: a project folder wired to the test cluster, a busybox httpd Deployment to forward to,
// and small helpers to wait and fetch. Shared by the ports tests and bench/ports.ts.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ProjectInfo } from '../../preload/api';
import { type ProjectCluster, resolveProjectCluster } from '../app/projectCluster';
import { loadKubeconfig } from '../kube/kubeconfig';

export const HTTPD_PORT = 8080;

/** busybox httpd serving /www/index.html ("served by <pod>") and /www/big (`bigMiB` MiB). */
export function httpdCommand(bigMiB = 0): string[] {
  const big = bigMiB > 0 ? ` && dd if=/dev/urandom of=/www/big bs=1048576 count=${bigMiB} 2>/dev/null` : '';
  return ['sh', '-c', `mkdir -p /www && echo "served by $HOSTNAME" > /www/index.html${big} && exec httpd -f -p ${HTTPD_PORT} -h /www`];
}

export function clientKubeConfig(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

export async function createHttpdDeployment(kc: KubeConfig, o: { name: string; image: string; labels: Record<string, string>; bigMiB?: number; namespace?: string }): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  await apps.createNamespacedDeployment({
    namespace: o.namespace ?? 'default',
    body: {
      metadata: { name: o.name, labels: o.labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: o.labels },
        template: {
          metadata: { labels: o.labels },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'web',
                image: o.image,
                command: httpdCommand(o.bigMiB),
                ports: [{ containerPort: HTTPD_PORT }],
                // Ready only once httpd answers, so "ready pod" means "a forward will work".
                readinessProbe: { tcpSocket: { port: HTTPD_PORT }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
  });
}

export async function scaleDeployment(kc: KubeConfig, name: string, replicas: number, namespace = 'default'): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  const d = await apps.readNamespacedDeployment({ name, namespace });
  d.spec!.replicas = replicas;
  await apps.replaceNamespacedDeployment({ name, namespace, body: d });
}

export async function readyPods(kc: KubeConfig, selector: string, namespace = 'default'): Promise<string[]> {
  const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: selector });
  return pods.items
    .filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => p.metadata!.name!);
}

export async function eventually<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A project folder with a config.yaml (comments included) and a resolver like the app's. */
export async function makeProject(kubeconfigPath: string, configYaml: string): Promise<{ dir: string; resolve: () => Promise<ProjectCluster>; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ports-project-'));
  await fs.mkdir(path.join(dir, '.devspace'));
  await fs.writeFile(path.join(dir, '.devspace', 'config.yaml'), configYaml);
  const project: ProjectInfo = { path: dir, name: path.basename(dir), hasDevspaceConfig: true, hasDockerfile: false, hasChart: false, selection: { context: 'test-admin' } };
  return {
    dir,
    resolve: () => resolveProjectCluster(project, project.selection, () => loadKubeconfig([kubeconfigPath])),
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/** A port nothing listens on right now (bound and released). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** GET over a fresh connection (no keep-alive), so each request resolves a pod anew. */
export function httpGet(port: number, urlPath = '/', onChunk?: (n: number) => void): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, headers: { connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => (onChunk ? onChunk(c.length) : chunks.push(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
