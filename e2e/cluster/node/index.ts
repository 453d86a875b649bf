// The test cluster's node agent (a kubelet for one node): starts the node's image registry with
// seeded busybox-based images, sets up pod networking, serves log/exec/attach/portforward, then
// registers Node `nodeName` with the API server and runs the pods bound to it.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from './api-client';
import { Buildah } from './buildah';
import { descendants } from './container-process';
import { ImagePuller } from './image-puller';
import { kanikoExecOverride, kanikoStandIn } from './kaniko-stand-in';
import { Kubelet } from './kubelet';
import { KubeletServer } from './kubelet-server';
import type { StandIn } from './node-context';
import { PodNetwork } from './pod-network';
import { registryStandIn } from './registry-stand-in';
import { socatStandIn } from './socat-stand-in';
import { freePort, RegistryProcess } from './registry-process';
import { FIRST_NODE_ADDRESS, onNode } from './node-address';
import { tillerStandIn } from './tiller-stand-in';
import { defaultCacheRoot, restoreSeedCache, SEEDED, seedInto } from './seeded-images';

export interface NodeAgentOptions {
  apiServer: string;
  token: string;
  ca: string;               // PEM of the API server's CA
  nodeName: string;
  dataDir: string;
  log?: (line: string) => void;
  /** Scales restart and image-pull back-off (default $TEST_NODE_BACKOFF_SCALE or 1: 10 s doubling to 5 min). */
  backoffScale?: number;
  /** 'pod' (default when this machine allows it): a network namespace per pod; 'host': podIP 127.0.0.1. */
  network?: 'pod' | 'host';
  /** Where seeded images are cached across runs (default $TEST_CLUSTER_CACHE or <tmp>/devspace-test-cluster-cache). */
  cacheDir?: string;
  /** Repository names (registry and tag ignored) served by stand-ins. */
  standIns?: { kaniko?: string[]; registry?: string[]; socat?: string[] };
  /**
   * The node's own loopback address, its "localhost" (default 127.0.0.1; node N of a multi-node
   * cluster: 127.0.0.N, node-address.ts). hostPorts, NodePorts, the kubelet server and the node's
   * registry listen there, and pulls/pushes of `localhost:P/…` go there.
   */
  address?: string;
  /** Pod subnets (e.g. '10.244.1') of the cluster's other nodes: Services forward to their pods. */
  peerSubnets?: () => string[];
}

export interface NodeAgent {
  kubeletPort: number;
  /** The node's own loopback address (127.0.0.1 unless `address` said otherwise). */
  address: string;
  /** The pod network's first three octets (e.g. '10.244.0'); undefined with host networking. */
  podSubnet: string | undefined;
  registry: string;          // 'localhost:PORT' (on the node's address)
  baseImage: string;         // 'localhost:PORT/library/busybox:latest'
  /** 'pod' or 'host': whether pods got their own network namespaces. */
  networkMode: 'pod' | 'host';
  /** Milliseconds from call to registered node. */
  startMs: number;
  restartContainer(ns: string, pod: string, container?: string): Promise<void>;
  dropStreams(): void;
  stopRegistry(): Promise<void>;
  startRegistry(): Promise<void>;
  stop(): Promise<void>;
}

/** Processes the agent starts; stop() makes sure none survive. */
const OURS = /^(buildah|buildah-chroot-runtime|buildah-chroot-exec|nsenter|docker-registry)$/;
/** Agents running in this process (a multi-node cluster has several): leftovers are killed by the last to stop. */
let runningAgents = 0;

function killLeftovers(): void {
  for (const pid of descendants(process.pid)) {
    let argv0 = '';
    try { argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!.split('/').pop()!; } catch { continue; }
    if (OURS.test(argv0)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
}

/**
 * Processes of agents whose test process died without stop() (killed by a timeout): orphans
 * (parent pid 1) that only this agent starts, recognised by their command lines.
 */
function killOrphans(log: (l: string) => void): void {
  // When a node process is pid 1 (a container's init), its live children look like orphans.
  try { if (/node|tsx|vitest/.test(readFileSync('/proc/1/cmdline', 'utf8'))) return; } catch { return; }
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== 1) continue;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const ours = (argv[0] === 'docker-registry' && /\/registry\/config\.yml$/.test(argv[2] ?? ''))
        || (argv[0] === 'buildah' && argv[1] === 'run' && argv.some((a) => a.startsWith('k8s_')))
        || (argv[0] === 'nsenter' && argv[2] === 'buildah' && argv[3] === 'run' && argv.some((a) => a.startsWith('k8s_')));
      if (!ours) continue;
      log(`node: killing process ${pid} left by a test cluster that did not stop: ${argv.join(' ').trim()}`);
      for (const p of [...descendants(pid).reverse(), pid]) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
    } catch { /* the process ended meanwhile */ }
  }
}

export async function startNodeAgent(o: NodeAgentOptions): Promise<NodeAgent> {
  const t0 = Date.now();
  const log = o.log ?? (() => {});
  killOrphans(log);
  mkdirSync(o.dataDir, { recursive: true });
  const address = o.address ?? FIRST_NODE_ADDRESS;
  const buildah = new Buildah(o.dataDir);
  const registryDir = join(o.dataDir, 'registry');
  const registry = new RegistryProcess(registryDir, await freePort(address), log, undefined, address);
  const cacheRoot = o.cacheDir ?? defaultCacheRoot();
  const cached = restoreSeedCache(join(registryDir, 'data'), cacheRoot);
  const cleanups: Array<() => Promise<void> | void> = [];
  runningAgents++;
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((e) => log(`stop: ${(e as Error).message}`));
    if (--runningAgents === 0) killLeftovers();
  };
  try {
    await registry.start();
    cleanups.push(() => registry.stop());
    // buildah itself resolves `localhost` to 127.0.0.1: on another node give it the real address.
    const reachable = address === FIRST_NODE_ADDRESS ? registry.address : registry.hostAddress;
    if (!cached) await seedInto(buildah, reachable, join(registryDir, 'data'), cacheRoot);
    log(`node: registry ${registry.address} (${registry.hostAddress}) ready (${cached ? 'seed cache hit' : 'seeded'}) after ${Date.now() - t0} ms`);
    buildah.mirrorDockerHub(reachable, address);

    let network: PodNetwork | undefined;
    if (o.network !== 'host' && await PodNetwork.available()) {
      network = new PodNetwork(address);
      try {
        await network.setup();
        cleanups.push(() => network!.teardown());
      } catch (e) {
        log(`node: per-pod network namespaces unavailable, using host networking: ${(e as Error).message}`);
        await network.teardown().catch(() => {});
        network = undefined;
      }
    }

    const api = new ApiClient(o.apiServer, o.token, o.ca);
    cleanups.push(() => api.close());
    // The kubelet is needed by Service name resolution for Kaniko pushes, and Kaniko by the kubelet.
    let kubeletRef: Kubelet | undefined;
    const kaniko = { buildah, resolveHost: (host: string, ns: string) => kubeletRef?.dns.lookupHost(host, ns), podSubnet: () => network?.prefix24, onNode: (r: string) => onNode(r, address) };
    const standIns: StandIn[] = [
      kanikoStandIn(`${registry.address}/${SEEDED.kaniko}`, kaniko, o.standIns?.kaniko),
      registryStandIn(o.standIns?.registry),
      tillerStandIn(api, log),
      socatStandIn(o.standIns?.socat),
    ];
    const kubelet = new Kubelet({ api, nodeName: o.nodeName, dataDir: o.dataDir, buildah, puller: new ImagePuller(buildah, () => network?.prefix24, address), network, kubeletPort: 0, address,
      ...(address !== FIRST_NODE_ADDRESS ? { serviceHostPrefix: `127.${77 + Number(address.split('.')[3]) - 1}` } : {}),
      ...(o.peerSubnets ? { peerSubnets: o.peerSubnets } : {}), backoffScale: o.backoffScale ?? (Number(process.env.TEST_NODE_BACKOFF_SCALE) || 1), standIns, log });
    kubeletRef = kubelet;
    const server = new KubeletServer(kubelet, o.token, kanikoExecOverride(kaniko));
    const kubeletPort = await server.listen(address);
    cleanups.push(() => server.close());
    kubelet.setKubeletPort(kubeletPort);
    await kubelet.start();
    cleanups.push(() => kubelet.stop());
    const startMs = Date.now() - t0;
    log(`node: ${o.nodeName} registered, kubelet on ${address}:${kubeletPort}, ${network ? `pod network ${network.cidr}` : 'host network'}, ready after ${startMs} ms`);

    let stopped: Promise<void> | undefined;
    return {
      kubeletPort,
      address,
      podSubnet: network?.prefix24,
      registry: registry.address,
      baseImage: `${registry.address}/${SEEDED.busybox}`,
      networkMode: network ? 'pod' : 'host',
      startMs,
      async restartContainer(ns, pod, container) {
        const w = kubelet.pod(ns, pod);
        if (!w) throw new Error(`pod ${ns}/${pod} is not running on node ${o.nodeName}`);
        const targets = container ? [w.container(container)] : w.containers;
        if (container && !targets[0]) throw new Error(`pod ${ns}/${pod} has no container ${container}`);
        await Promise.all(targets.map((c) => c!.restart()));
      },
      dropStreams: () => server.dropStreams(),
      stopRegistry: () => registry.stop(),
      startRegistry: () => registry.start(),
      stop() {
        stopped ??= (async () => {
          await cleanup();
          await buildah.run(['rm', '--all']).catch(() => undefined);
          for (const d of ['storage', 'run', 'tmp']) rmSync(join(o.dataDir, d), { recursive: true, force: true });
        })();
        return stopped;
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
