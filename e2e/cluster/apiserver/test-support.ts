// Helpers for the API server's own tests: a cluster without a node agent, clients from its
// kubeconfig, Status extraction from client errors, and a fake kubelet that plays the node side
// of the seam (registers a Ready node, marks its pods running and ready, finalises deletions,
// answers proxied stream requests).

import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { AppsV1Api, CoreV1Api, KubeConfig, Watch, type V1Pod } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '../index';

export interface TestClients { cluster: TestCluster; kc: KubeConfig; core: CoreV1Api; apps: AppsV1Api }

export async function startApiOnlyCluster(): Promise<TestClients> {
  const cluster = await startTestCluster({ node: false });
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  return { cluster, kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

export function clientFor(cluster: TestCluster, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  kc.setCurrentContext(context);
  return kc;
}

/** The Status object a failed client call carried. */
export async function statusOf(p: Promise<unknown>): Promise<{ code: number; reason?: string; message?: string; details?: any }> {
  try { await p; } catch (e: any) {
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    return { ...(body ?? {}), code: e.code ?? body?.code };
  }
  throw new Error('expected the request to fail');
}

/** Polls `check` until it returns a value (not undefined); fails after `ms` with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try { const v = await check(); if (v !== undefined && v !== false) return v as T; } catch (e) { last = e; }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface FakeKubelet {
  port: number;
  /** Requests the fake node received through the API server's stream proxy. */
  streamRequests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  stop(): Promise<void>;
}

/**
 * Registers node `test-node` with the node token and runs its pods on paper: Running, Ready,
 * a pod IP per pod. `ready` decides per pod whether it becomes Ready (default all).
 */
export async function startFakeKubelet(c: TestClients, opts: { ready?: (pod: V1Pod) => boolean } = {}): Promise<FakeKubelet> {
  const api = c.cluster.apiServer;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: api.url, caData: Buffer.from(api.caPem).toString('base64') }],
    users: [{ name: 'node', token: api.tokens.node }],
    contexts: [{ name: 'node', cluster: 'test', user: 'node' }], currentContext: 'node',
  });
  const core = kc.makeApiClient(CoreV1Api);
  const streamRequests: FakeKubelet['streamRequests'] = [];
  const server = http.createServer((req, res) => {
    streamRequests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.headers['x-test-node-token'] !== api.tokens.node) { res.writeHead(401).end('no node token'); return; }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('fake log line\n');
  });
  server.on('upgrade', (req, socket) => {
    streamRequests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const now = () => new Date();
  await core.createNode({ body: { metadata: { name: 'test-node', labels: { 'kubernetes.io/hostname': 'test-node' } }, status: {
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'test-node' }],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake kubelet is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: now() }],
    capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
  } } });
  let nextIP = 2;
  const ips = new Map<string, string>();
  const handle = async (pod: V1Pod) => {
    const ns = pod.metadata!.namespace!, name = pod.metadata!.name!;
    if (pod.metadata!.deletionTimestamp) {
      await core.deleteNamespacedPod({ name, namespace: ns, gracePeriodSeconds: 0 }).catch(() => {});
      return;
    }
    const ready = opts.ready ? opts.ready(pod) : true;
    if (pod.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((s) => s.ready === ready)) return;
    const key = `${ns}/${name}`;
    if (!ips.has(key)) ips.set(key, `10.244.0.${nextIP++}`);
    const t = now();
    const cond = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: t });
    const status = {
      phase: 'Running', podIP: ips.get(key), podIPs: [{ ip: ips.get(key)! }], hostIP: '127.0.0.1', startTime: t,
      conditions: [cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)],
      containerStatuses: (pod.spec?.containers ?? []).map((ct) => ({ name: ct.name, image: ct.image!, imageID: `${ct.image}@sha256:${'0'.repeat(64)}`, containerID: `fake://${name}-${ct.name}`, ready, started: true, restartCount: 0, state: { running: { startedAt: t } } })),
    };
    await core.replaceNamespacedPodStatus({ name, namespace: ns, body: { ...pod, status } as V1Pod }).catch(() => {});
  };
  const watch = new Watch(kc);
  let stopped = false;
  let ctrl: AbortController | undefined;
  const queue: Promise<void>[] = [];
  const startWatch = async () => {
    ctrl = await watch.watch('/api/v1/pods', { fieldSelector: 'spec.nodeName=test-node' }, (type, obj: V1Pod) => {
      if (type === 'ADDED' || type === 'MODIFIED') queue.push(handle(obj));
    }, () => { if (!stopped) setTimeout(() => void startWatch(), 100); });
  };
  await startWatch();
  return {
    port, streamRequests,
    async stop() {
      stopped = true;
      ctrl?.abort();
      await Promise.allSettled(queue);
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
    },
  };
}

/** A plain HTTPS request against the cluster (trusting its CA), for what no client library shows. */
export function rawRequest(cluster: TestCluster, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${cluster.server}${path}`, { method, headers, ca: readFileSync(cluster.caPath) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: any;
        try { body = JSON.parse(text); } catch { body = undefined; }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
