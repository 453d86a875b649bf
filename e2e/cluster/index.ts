// startTestCluster(): the project's own Kubernetes for tests. Starts the API server
// (apiserver/), writes a kubeconfig, then (unless `node: false`) starts the node agent (node/)
// and waits for its Node to be Ready. Every e2e test of a cluster feature starts here.
// `nodes: 2` (or more) adds node agents test-node-2… on loopback addresses of their own (127.0.0.N).

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { startApiServer, type ApiServer } from './apiserver/server';
import { byKind } from './apiserver/resources';
import { isReady } from './apiserver/controllers/scheduler';

export interface TestCluster {
  kubeconfigPath: string; server: string; caPath: string; tokens: { admin: string; limited: string };
  /** host:port of the real registry the node pulls from ('' with `node: false`). */
  registry: string;
  /** A busybox image seeded into that registry ('' with `node: false`). */
  baseImage: string;
  faults: {
    setLatency(ms: number): void;
    failRequests(o: { count: number; code?: number; pathPrefix?: string; verb?: string }): void;
    dropStreams(): void;
    restartContainer(ns: string, pod: string, container?: string): Promise<void>;
    stopRegistry(): Promise<void>;
    startRegistry(): Promise<void>;
  };
  requests: { count(filter?: { verb?: string; pathPrefix?: string }): number; reset(): void };
  /** The API server itself, for tests of the test cluster (store, watch window, controllers). */
  apiServer: ApiServer;
  /**
   * The cluster's nodes, test-node first ([] with `node: false`). `address` is the node's own
   * "localhost" (127.0.0.1, 127.0.0.2, …): its hostPorts and NodePorts listen there.
   */
  nodes: TestClusterNode[];
  stop(): Promise<void>;
}

export interface TestClusterNode {
  name: string;
  /** The node's loopback address: `localhost:<hostPort>` on this node is `<address>:<hostPort>` here. */
  address: string;
  /**
   * Its own registry, 'localhost:PORT' as the node sees it (listening on `address`). Pods on node N
   * pull `localhost:…` from node N's address, so `cluster.baseImage` (node 1's) is for test-node;
   * use the node's own `baseImage` for pods on another node.
   */
  registry: string;
  /** The seeded busybox in that registry. */
  baseImage: string;
  /** First three octets of its pod network (e.g. '10.244.1'); undefined with host networking. */
  podSubnet: string | undefined;
}

export interface TestClusterOptions {
  node?: boolean; dataDir?: string; log?: (line: string) => void;
  /**
   * How many nodes (default 1; ignored with `node: false`). Node 1 is `test-node` on 127.0.0.1 as
   * always; node N is `test-node-N` on 127.0.0.N with its own data dir, pod subnet, bridge, kubelet
   * port and registry. Every node gets `nodeOptions`.
   */
  nodes?: number;
  /** Passed through to startNodeAgent (e.g. { backoffScale: 0.02 } for fast CrashLoopBackOff tests). */
  nodeOptions?: Record<string, unknown>;
}

/** What e2e/cluster/node/index.ts exports (the seam: e2e/cluster/README.md). */
interface NodeAgent {
  registry: string; baseImage: string; address: string; podSubnet: string | undefined;
  restartContainer(ns: string, pod: string, container?: string): Promise<void>;
  dropStreams(): void; stopRegistry(): Promise<void>; startRegistry(): Promise<void>; stop(): Promise<void>;
}
type StartNodeAgent = (o: { apiServer: string; token: string; ca: string; nodeName: string; dataDir: string; log?: (line: string) => void } & Record<string, unknown>) => Promise<NodeAgent>;

export function kubeconfigYaml(server: string, caPem: string, tokens: { admin: string; limited: string }): string {
  return dump({
    apiVersion: 'v1', kind: 'Config', preferences: {},
    clusters: [{ name: 'test', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: 'test-admin', user: { token: tokens.admin } }, { name: 'test-limited', user: { token: tokens.limited } }],
    contexts: [
      { name: 'test-admin', context: { cluster: 'test', user: 'test-admin', namespace: 'default' } },
      { name: 'test-limited', context: { cluster: 'test', user: 'test-limited', namespace: 'limited' } },
    ],
    'current-context': 'test-admin',
  });
}

async function loadNodeAgent(): Promise<StartNodeAgent> {
  const path = './node/index';
  try {
    const mod = await import(/* @vite-ignore */ path);
    return mod.startNodeAgent as StartNodeAgent;
  } catch (e) {
    const err = new Error(`the test cluster's node agent could not be loaded (${(e as Error).message})`) as Error & { code: string; hint: string };
    err.code = 'TEST_CLUSTER_NO_NODE';
    err.hint = 'pass { node: false } to start only the API server';
    throw err;
  }
}

function waitForReadyNode(api: ApiServer, name: string, timeoutMs: number): Promise<void> {
  const nodeT = byKind('Node');
  return new Promise((resolve, reject) => {
    const check = () => { const n = api.core.tryGet(nodeT, undefined, name); return !!n && isReady(n); };
    if (check()) return resolve();
    const timer = setTimeout(() => { off(); reject(Object.assign(new Error(`node "${name}" did not become Ready within ${timeoutMs / 1000} s`), { code: 'TEST_CLUSTER_NODE_NOT_READY' })); }, timeoutMs);
    const off = api.store.onChange((e) => { if (e.resource === nodeT && check()) { clearTimeout(timer); off(); resolve(); } });
  });
}

export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const log = options.log ?? (() => {});
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'test-cluster-'));
  mkdirSync(dataDir, { recursive: true });
  const api = await startApiServer({ log });
  const caPath = join(dataDir, 'ca.crt');
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeFileSync(caPath, api.caPem);
  writeFileSync(kubeconfigPath, kubeconfigYaml(api.url, api.caPem, api.tokens), { mode: 0o600 });

  const count = options.nodes ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 9) throw new RangeError(`startTestCluster: nodes must be 1–9, not ${count}`);
  let agent: NodeAgent | undefined;
  const agents: Array<{ name: string; agent: NodeAgent }> = [];
  if (options.node !== false) {
    try {
      const startNodeAgent = await loadNodeAgent();
      agent = await startNodeAgent({ ...(options.nodeOptions ?? {}), apiServer: api.url, token: api.tokens.node, ca: api.caPem, nodeName: 'test-node', dataDir: join(dataDir, 'node'), log, ...(count > 1 ? { peerSubnets: () => peers('test-node') } : {}) });
      agents.push({ name: 'test-node', agent });
      await waitForReadyNode(api, 'test-node', 60_000);
      // Further nodes one after the other (each agent's start is CPU-bound).
      for (let n = 2; n <= count; n++) {
        const name = `test-node-${n}`;
        const extra = await startNodeAgent({ ...(options.nodeOptions ?? {}), apiServer: api.url, token: api.tokens.node, ca: api.caPem, nodeName: name, dataDir: join(dataDir, `node-${n}`), log, address: `127.0.0.${n}`, peerSubnets: () => peers(name) });
        agents.push({ name, agent: extra });
        await waitForReadyNode(api, name, 60_000);
      }
    } catch (e) {
      for (const a of [...agents].reverse()) await a.agent.stop().catch(() => {});
      await api.stop();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      throw e;
    }
  }
  /** The pod subnets of the other nodes: their pods are reachable from this machine's bridges. */
  function peers(self: string): string[] {
    return agents.filter((a) => a.name !== self && a.agent.podSubnet).map((a) => a.agent.podSubnet!);
  }
  const needNode = (what: string) => { throw Object.assign(new Error(`${what} needs the node agent, but this test cluster was started with { node: false }`), { code: 'TEST_CLUSTER_NO_NODE' }); };
  let stopped = false;
  return {
    kubeconfigPath, server: api.url, caPath, tokens: { admin: api.tokens.admin, limited: api.tokens.limited },
    registry: agent?.registry ?? '', baseImage: agent?.baseImage ?? '', apiServer: api,
    nodes: agents.map(({ name, agent: a }) => ({ name, address: a.address, registry: a.registry, baseImage: a.baseImage, podSubnet: a.podSubnet })),
    faults: {
      setLatency: (ms) => api.faults.setLatency(ms),
      failRequests: (o) => api.faults.failRequests(o),
      dropStreams: () => { api.faults.dropStreams(); for (const a of agents) a.agent.dropStreams(); },
      restartContainer: async (ns, pod, container) => {
        if (!agent) return needNode('restartContainer');
        // The pod's node: the first agent that runs it (one node: exactly as before).
        for (const a of agents.slice(0, -1)) {
          try { return await a.agent.restartContainer(ns, pod, container); } catch (e) { if (!/is not running on node/.test((e as Error).message)) throw e; }
        }
        return agents.at(-1)!.agent.restartContainer(ns, pod, container);
      },
      stopRegistry: async () => agent ? agent.stopRegistry() : needNode('stopRegistry'),
      startRegistry: async () => agent ? agent.startRegistry() : needNode('startRegistry'),
    },
    requests: { count: (f) => api.requests.count(f), reset: () => api.requests.reset() },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        // Extra nodes first, node 1 (whose registry holds the seeded images) last.
        for (const a of agents.slice(1).reverse()) await a.agent.stop().catch((e) => log(`stop ${a.name}: ${(e as Error).message}`));
        await agent?.stop();
      } finally {
        await api.stop();
        if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
