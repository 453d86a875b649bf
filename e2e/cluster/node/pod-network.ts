// Pod networking like a node's bridge CNI plugin: one bridge owned by the agent, one network
// namespace per pod joined to it by a veth pair, pod IPs from a 10.244.N.0/24 subnet (N = 0 unless
// another agent on this machine already uses it). Pods get no default route: they reach each other
// and the agent (the bridge address), nothing else. hostPort is forwarded from the node's address
// (127.0.0.1, or 127.0.0.N for node N of a multi-node cluster: node-address.ts). Several agents in
// one process (a multi-node cluster) each have their own bridge, subnet and namespaces.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { NodeError } from './buildah';

const run = promisify(execFile);

async function ip(...args: string[]): Promise<string> {
  try {
    return (await run('ip', args)).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new NodeError('PodNetworkFailed', `ip ${args.join(' ')}: ${(err.stderr ?? err.message).trim()}`);
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** .2 to .191 are pod IPs; .192 to .254 are the addresses of Service proxies (service-proxy.ts). */
const FIRST_SERVICE_IP = 192;

let inProcess: Promise<unknown> = Promise.resolve();
/** Namespaces and veths are numbered per process, so agents in one process never share a name. */
let podCounter = 0;
/** Bridges in use in this process: dsbr<pid> (k = 0) for the first agent, dsbr<pid>n<k> for more. */
const bridgesInUse = new Set<number>();
const LOCK = join(tmpdir(), 'devspace-test-node-network.lock');

/** Runs fn while holding a lock file (O_EXCL) shared by every agent on this machine. */
async function withMachineLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = inProcess.then(async () => {
    for (let i = 0; ; i++) {
      try { closeSync(openSync(LOCK, 'wx')); break; } catch {
        // A lock older than 30 s belongs to an agent that died mid-setup.
        try { if (Date.now() - statSync(LOCK).mtimeMs > 30_000) rmSync(LOCK, { force: true }); } catch { /* gone already */ }
        if (i > 600) throw new NodeError('PodNetworkFailed', `could not take ${LOCK}`, 'remove it if no test cluster is starting');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    try { return await fn(); } finally { rmSync(LOCK, { force: true }); }
  });
  inProcess = run.catch(() => undefined);
  return run;
}

export interface PodNetworkInfo { ip: string; netns: string; netnsPath: string }

export class PodNetwork {
  readonly bridge: string;
  private readonly bridgeNo: number;
  private readonly prefix: string;
  private subnet = '';
  private readonly used = new Map<string, { n: number; netns: string; veth: string }>();
  private readonly forwards = new Set<Server>();
  private readonly sockets = new Set<Socket>();
  /** `address`: the node's own loopback address, where hostPorts are bound. */
  constructor(readonly address = '127.0.0.1') {
    this.prefix = `dsn${process.pid}`;
    let k = 0;
    while (bridgesInUse.has(k)) k++;
    bridgesInUse.add(k);
    this.bridgeNo = k;
    this.bridge = k === 0 ? `dsbr${process.pid}` : `dsbr${process.pid}n${k}`;
  }

  get gateway(): string { return `${this.subnet}.1`; }
  /** The first three octets of the pod network, e.g. '10.244.0'. */
  get prefix24(): string { return this.subnet; }
  get cidr(): string { return `${this.subnet}.0/24`; }

  /** Whether this machine lets us create network namespaces (root with CAP_NET_ADMIN and iproute2). */
  static async available(): Promise<boolean> {
    if (process.getuid?.() !== 0) return false;
    try { await run('ip', ['netns', 'list']); return true; } catch { return false; }
  }

  async setup(): Promise<void> {
    // Several agents may start at once (parallel test files): choosing a subnet and claiming it
    // with the bridge address must not interleave, in this process or across processes.
    await withMachineLock(async () => {
      await PodNetwork.removeLeftovers();
      const routes = await ip('-4', 'route', 'show');
      const taken = new Set([...routes.matchAll(/10\.244\.(\d+)\.\d+/g)].map((m) => Number(m[1])));
      const candidates = Array.from({ length: 255 }, (_, i) => i).filter((i) => !taken.has(i));
      if (!candidates.length) throw new NodeError('PodNetworkFailed', 'no free 10.244.N.0/24 subnet for the test node');
      this.subnet = `10.244.${candidates[0]}`;
      await ip('link', 'add', this.bridge, 'type', 'bridge');
      // A fixed MAC, as the CNI bridge plugin sets one: a Linux bridge without one takes the lowest
      // MAC of its ports, which changes as pods come and go; pods' ARP entries for the gateway and
      // the Service addresses then point at a MAC that is gone, and their connections hang in
      // SYN-SENT until the entry goes stale (seen: a registry proxy pod's connections to the
      // registry Service stuck for 20+ s while a new pod's veth joined the bridge).
      await ip('link', 'set', 'dev', this.bridge, 'address', `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`);
      await ip('addr', 'add', `${this.gateway}/24`, 'dev', this.bridge);
      await ip('link', 'set', this.bridge, 'up');
    });
  }

  /** Removes namespaces, bridges and veths left by agents whose process has died. */
  static async removeLeftovers(): Promise<void> {
    const nsDir = '/run/netns';
    if (existsSync(nsDir)) {
      for (const name of readdirSync(nsDir)) {
        const m = /^dsn(\d+)-/.exec(name);
        if (m && !alive(Number(m[1]))) await ip('netns', 'del', name).catch(() => {});
      }
    }
    const links = await ip('-o', 'link', 'show').catch(() => '');
    for (const m of links.matchAll(/^\d+: (dsbr(\d+)(?:n\d+)?|dsv(\d+)x\d+)[@:]/gm)) {
      const pid = Number(m[2] ?? m[3]);
      if (!alive(pid)) await ip('link', 'del', m[1]!).catch(() => {});
    }
  }

  /** Creates the pod's network namespace with its own IP. */
  async addPod(key: string): Promise<PodNetworkInfo> {
    const existing = this.used.get(key);
    if (existing) return { ip: `${this.subnet}.${existing.n}`, netns: existing.netns, netnsPath: `/run/netns/${existing.netns}` };
    const taken = new Set([...this.used.values()].map((u) => u.n));
    let n = 2;
    while (taken.has(n) && n < FIRST_SERVICE_IP) n++;
    if (n >= FIRST_SERVICE_IP) throw new NodeError('PodNetworkFailed', `the test node ran out of pod IPs (${FIRST_SERVICE_IP - 2} pods)`);
    const id = ++podCounter;
    const netns = `${this.prefix}-${id}`;
    const veth = `dsv${process.pid}x${id}`;
    this.used.set(key, { n, netns, veth });
    const podIp = `${this.subnet}.${n}`;
    try {
      await ip('netns', 'add', netns);
      await ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns);
      await ip('link', 'set', veth, 'master', this.bridge);
      await ip('link', 'set', veth, 'up');
      await ip('-n', netns, 'addr', 'add', `${podIp}/24`, 'dev', 'eth0');
      await ip('-n', netns, 'link', 'set', 'eth0', 'up');
      await ip('-n', netns, 'link', 'set', 'lo', 'up');
    } catch (e) {
      await this.removePod(key);
      throw e;
    }
    return { ip: podIp, netns, netnsPath: `/run/netns/${netns}` };
  }

  async removePod(key: string): Promise<void> {
    const u = this.used.get(key);
    if (!u) return;
    this.used.delete(key);
    await ip('link', 'del', u.veth).catch(() => {});
    await ip('netns', 'del', u.netns).catch(() => {});
  }

  private readonly serviceIps = new Set<number>();

  /** An address on the bridge for a Service proxy to listen on, reachable from every pod. */
  async addServiceAddress(): Promise<string> {
    let n = FIRST_SERVICE_IP;
    while (this.serviceIps.has(n) && n < 255) n++;
    if (n >= 255) throw new NodeError('PodNetworkFailed', 'the test node ran out of Service addresses (63 Services)');
    this.serviceIps.add(n);
    await ip('addr', 'add', `${this.subnet}.${n}/32`, 'dev', this.bridge);
    return `${this.subnet}.${n}`;
  }

  async removeServiceAddress(address: string): Promise<void> {
    const n = Number(address.split('.')[3]);
    if (!this.serviceIps.delete(n)) return;
    await ip('addr', 'del', `${address}/32`, 'dev', this.bridge).catch(() => {});
  }

  /** Forwards <node address>:hostPort to podIp:port, as a node does for a container's hostPort. */
  async forwardHostPort(hostPort: number, podIp: string, port: number): Promise<Server> {
    const server = createServer((client) => {
      this.sockets.add(client);
      const upstream = createConnection({ host: podIp, port });
      this.sockets.add(upstream);
      client.pipe(upstream).pipe(client);
      const done = () => { client.destroy(); upstream.destroy(); this.sockets.delete(client); this.sockets.delete(upstream); };
      client.on('error', done).on('close', done);
      upstream.on('error', done).on('close', done);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new NodeError('HostPortInUse', `hostPort ${hostPort} is taken on ${this.address}: ${e.message}`, 'pick another hostPort or stop what listens there')));
      server.listen(hostPort, this.address, () => resolve());
    });
    this.forwards.add(server);
    return server;
  }

  closeForward(server: Server): Promise<void> {
    this.forwards.delete(server);
    return new Promise((r) => server.close(() => r()));
  }

  async teardown(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all([...this.forwards].map((s) => this.closeForward(s)));
    for (const key of [...this.used.keys()]) await this.removePod(key);
    if (this.subnet) await ip('link', 'del', this.bridge).catch(() => {});
    bridgesInUse.delete(this.bridgeNo);
  }
}
