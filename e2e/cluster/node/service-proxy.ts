// Services on the test node, the way kube-proxy's userspace mode did it: every Service with a
// ClusterIP gets an address the agent owns (on the pod bridge, or 127.77.x.y with host networking)
// and a TCP listener per Service port that forwards each connection to a ready endpoint
// (round robin) at the endpoint's port, so `port: 80 → targetPort: 8080` works from inside pods.
// NodePort Services also listen on 127.0.0.1:<nodePort>, the node's address (127.0.0.N for node N
// of a multi-node cluster). Endpoints on another node of the same test cluster (its pod subnet, all
// bridges being on this machine) are forwarded to as well, like kube-proxy does across nodes.
// The API's ClusterIP (e.g. 10.96.0.10) itself is not routed; Service DNS names point here.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { isNodeLocal } from './local-addresses';
import type { PodNetwork } from './pod-network';

export interface ServiceProxyOptions {
  /** The node's own address, where NodePorts listen (default 127.0.0.1). */
  address?: string;
  /** First two octets of the host-network Service addresses (default '127.77'). */
  hostPrefix?: string;
  /** Pod subnets (first three octets) of the cluster's other nodes, whose endpoints may be used. */
  peerSubnets?: () => string[];
}

interface ProxiedService { address: string; listeners: Map<number, Server>; nodePorts: Map<string, Server>; next: number }

export class ServiceProxy {
  private readonly services = new Map<string, ProxiedService>();
  private readonly sockets = new Set<Socket>();
  private endpoints = new Map<string, any>();
  private svcObjects = new Map<string, any>();
  private hostCounter = 1;
  private syncing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly network: PodNetwork | undefined, private readonly log: (l: string) => void, private readonly opts: ServiceProxyOptions = {}) {}

  /** The proxy address of Service `namespace/name`, if it has one. */
  addressOf(namespace: string, name: string): string | undefined {
    return this.services.get(`${namespace}/${name}`)?.address;
  }

  /** Brings listeners in line with the Services and Endpoints; resolves when done. */
  sync(services: Map<string, any>, endpoints: Map<string, any>): Promise<void> {
    this.svcObjects = new Map(services);
    this.endpoints = new Map(endpoints);
    this.syncing = this.syncing.then(() => this.reconcile()).catch((e) => this.log(`service proxy: ${(e as Error).message}`));
    return this.syncing;
  }

  private async allocate(): Promise<string> {
    if (this.network) return this.network.addServiceAddress();
    const n = this.hostCounter++;
    return `${this.opts.hostPrefix ?? '127.77'}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return;
    for (const [key, p] of this.services) {
      const svc = this.svcObjects.get(key);
      if (!svc || !wantsProxy(svc)) await this.remove(key, p);
    }
    for (const [key, svc] of this.svcObjects) {
      if (!wantsProxy(svc)) continue;
      let p = this.services.get(key);
      if (!p) {
        p = { address: await this.allocate(), listeners: new Map(), nodePorts: new Map(), next: 0 };
        this.services.set(key, p);
      }
      const ports = new Set<number>((svc.spec.ports ?? []).filter((x: any) => (x.protocol ?? 'TCP') === 'TCP').map((x: any) => x.port));
      for (const [port, server] of p.listeners) if (!ports.has(port)) { server.close(); p.listeners.delete(port); }
      for (const port of ports) {
        if (p.listeners.has(port)) continue;
        const server = createServer((client) => this.forward(key, port, client));
        await new Promise<void>((resolve) => {
          server.once('error', (e) => { this.log(`service proxy ${key}:${port}: ${e.message}`); resolve(); });
          server.listen(port, p!.address, () => { p!.listeners.set(port, server); resolve(); });
        });
      }
      await this.syncNodePorts(key, svc, p);
    }
  }

  /** NodePort / LoadBalancer: the node listens on <node address>:<nodePort> too. */
  private async syncNodePorts(key: string, svc: any, p: ProxiedService): Promise<void> {
    const wanted = new Map<string, { nodePort: number; port: number }>();
    if (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer') {
      for (const x of svc.spec.ports ?? []) if (x.nodePort && (x.protocol ?? 'TCP') === 'TCP') wanted.set(`${x.nodePort}->${x.port}`, { nodePort: x.nodePort, port: x.port });
    }
    for (const [k, server] of p.nodePorts) if (!wanted.has(k)) { server.close(); p.nodePorts.delete(k); }
    for (const [k, { nodePort, port }] of wanted) {
      if (p.nodePorts.has(k)) continue;
      const server = createServer((client) => this.forward(key, port, client));
      await new Promise<void>((resolve) => {
        server.once('error', (e) => { this.log(`service proxy ${key} nodePort ${nodePort}: ${e.message}`); resolve(); });
        server.listen(nodePort, this.opts.address ?? '127.0.0.1', () => { p.nodePorts.set(k, server); resolve(); });
      });
    }
  }

  private async remove(key: string, p: ProxiedService): Promise<void> {
    this.services.delete(key);
    for (const s of p.listeners.values()) s.close();
    for (const s of p.nodePorts.values()) s.close();
    if (this.network) await this.network.removeServiceAddress(p.address);
  }

  /** One client connection: to the next ready endpoint, at the endpoint port matching the Service port. */
  private forward(key: string, servicePort: number, client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    const svc = this.svcObjects.get(key);
    const sp = (svc?.spec?.ports ?? []).find((x: any) => x.port === servicePort);
    const targets: Array<{ ip: string; port: number }> = [];
    for (const subset of this.endpoints.get(key)?.subsets ?? []) {
      const epPorts: any[] = subset.ports ?? [];
      const ep = epPorts.length === 1 ? epPorts[0] : epPorts.find((x) => x.name === sp?.name);
      const port = ep?.port ?? (typeof sp?.targetPort === 'number' ? sp.targetPort : servicePort);
      // Only pods of this cluster's nodes or loopback: Endpoints written by hand may name any address.
      for (const a of subset.addresses ?? []) if (a.ip && this.reachable(a.ip)) targets.push({ ip: a.ip, port });
    }
    const p = this.services.get(key);
    if (!targets.length || !p) { client.destroy(); return; }
    const t = targets[p.next++ % targets.length]!;
    const upstream = createConnection({ host: t.ip, port: t.port });
    this.sockets.add(upstream);
    upstream.on('close', () => { this.sockets.delete(upstream); client.destroy(); });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  }

  private reachable(ip: string): boolean {
    if (isNodeLocal(ip, this.network?.prefix24)) return true;
    return (this.opts.peerSubnets?.() ?? []).some((subnet) => isNodeLocal(ip, subnet));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.syncing;
    for (const s of this.sockets) s.destroy();
    for (const [key, p] of [...this.services]) await this.remove(key, p);
  }
}

function wantsProxy(svc: any): boolean {
  const ip = svc.spec?.clusterIP;
  return svc.spec?.type !== 'ExternalName' && ip !== 'None' && (svc.spec?.ports ?? []).length > 0;
}
