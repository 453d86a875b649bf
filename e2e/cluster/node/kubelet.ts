// The kubelet of the test node: registers Node `nodeName` and keeps it Ready, watches the pods
// bound to it and runs each with a PodWorker, records Events, reads Secrets/ConfigMaps through
// the API and keeps Service DNS (pods' /etc/hosts) current from Services and Endpoints.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { release, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ApiClient } from './api-client';
import type { Buildah } from './buildah';
import type { ImagePuller } from './image-puller';
import type { NodeContext, StandIn } from './node-context';
import type { PodNetwork } from './pod-network';
import { PodWorker } from './pod-worker';
import { ServiceDns } from './service-dns';
import { ServiceProxy } from './service-proxy';

export interface KubeletOptions {
  api: ApiClient; nodeName: string; dataDir: string; buildah: Buildah; puller: ImagePuller;
  network: PodNetwork | undefined; kubeletPort: number; backoffScale: number; standIns: StandIn[];
  log: (line: string) => void;
  /** The node's own loopback address (InternalIP, hostIP, NodePorts); default 127.0.0.1. */
  address?: string;
  /** Host-network Service addresses start with this (default '127.77'). */
  serviceHostPrefix?: string;
  /** Pod subnets of the cluster's other nodes (their endpoints are reachable through Services). */
  peerSubnets?: () => string[];
}

export class Kubelet {
  readonly workers = new Map<string, PodWorker>();   // by pod uid
  readonly proxy: ServiceProxy;
  readonly dns: ServiceDns;
  readonly ctx: NodeContext;
  private readonly informers: Array<{ stop(): void }> = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly pending = new Set<Promise<unknown>>();

  /** The streaming server's port, known once it listens (before start()). */
  setKubeletPort(port: number): void { this.o.kubeletPort = port; }

  constructor(private readonly o: KubeletOptions) {
    const api = o.api;
    const address = o.address ?? '127.0.0.1';
    this.proxy = new ServiceProxy(o.network, o.log, { address, ...(o.serviceHostPrefix ? { hostPrefix: o.serviceHostPrefix } : {}), ...(o.peerSubnets ? { peerSubnets: o.peerSubnets } : {}) });
    this.dns = new ServiceDns((ns, name) => this.proxy.addressOf(ns, name));
    this.ctx = {
      nodeName: o.nodeName, hostIP: address, dataDir: o.dataDir, buildah: o.buildah, puller: o.puller,
      network: o.network, api, backoffScale: o.backoffScale, standIns: o.standIns, log: o.log,
      lookup: (kind, ns, name) => api.find(`/api/v1/namespaces/${ns}/${kind}/${name}`),
      event: (pod, type, reason, message, fieldPath) => this.event(pod, type, reason, message, fieldPath),
      hostsFile: (pod) => this.hostsFile(pod),
    };
  }

  /** The pod named `namespace/name` on this node (the newest one if several share the name). */
  pod(namespace: string, name: string): PodWorker | undefined {
    let found: PodWorker | undefined;
    for (const w of this.workers.values()) if (w.namespace === namespace && w.name === name) found = w;
    return found;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  private event(pod: any, type: string, reason: string, message: string, fieldPath?: string): void {
    if (this.stopped) return;
    const ns = pod.metadata.namespace ?? 'default';
    const now = new Date().toISOString();
    const body = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: ns, uid: pod.metadata.uid, ...(pod.metadata.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}), ...(fieldPath ? { fieldPath } : {}) },
      reason, message, type, count: 1, firstTimestamp: now, lastTimestamp: now,
      source: { component: 'kubelet', host: this.o.nodeName },
      reportingComponent: 'kubelet', reportingInstance: this.o.nodeName,
    };
    this.o.log(`event ${ns}/${pod.metadata.name} ${reason}: ${message}`);
    void this.track(this.o.api.request('POST', `/api/v1/namespaces/${ns}/events`, body).then((r) => {
      if (r.status >= 300) this.o.log(`event ${reason} for ${ns}/${pod.metadata.name}: HTTP ${r.status} ${r.body?.message ?? ''}`);
    }, (e) => this.o.log(`event ${reason}: ${(e as Error).message}`)));
  }

  private hostsFile(pod: any): string {
    const w = this.workers.get(pod.metadata.uid);
    const dir = w?.podDir ?? join(this.o.dataDir, 'pods', pod.metadata.uid ?? 'unknown');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'etc-hosts');
    ServiceDns.write(path, this.dns.hostsFor({ name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default', ip: w?.podIp ?? '', hostname: pod.spec.hostname ?? pod.metadata.name }));
    return path;
  }

  private refreshHosts(): void {
    for (const w of this.workers.values()) if (w.podIp) {
      try { ServiceDns.write(join(w.podDir, 'etc-hosts'), this.dns.hostsFor({ name: w.name, namespace: w.namespace, ip: w.podIp, hostname: w.pod.spec.hostname ?? w.name })); } catch { /* pod dir gone */ }
    }
  }

  private nodeStatus(ready: boolean): any {
    const now = new Date().toISOString();
    const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: this.startedAt });
    const capacity = { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: '110', 'ephemeral-storage': '100Gi' };
    return {
      capacity, allocatable: capacity,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        ready ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : cond('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
      ],
      addresses: [{ type: 'InternalIP', address: this.ctx.hostIP }, { type: 'Hostname', address: this.o.nodeName }],
      daemonEndpoints: { kubeletEndpoint: { Port: this.o.kubeletPort } },
      nodeInfo: {
        machineID: '', systemUUID: '', bootID: '', kernelVersion: release(), osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://buildah-1.28', kubeletVersion: 'v1.31.0', kubeProxyVersion: 'v1.31.0',
        operatingSystem: 'linux', architecture: 'amd64',
      },
    };
  }

  private startedAt = new Date().toISOString();

  private async register(): Promise<void> {
    const name = this.o.nodeName;
    const labels = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' };
    const spec = this.o.network ? { podCIDR: this.o.network.cidr, podCIDRs: [this.o.network.cidr] } : {};
    const r = await this.o.api.request('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec, status: this.nodeStatus(true) });
    if (r.status >= 300 && r.status !== 409) throw new Error(`registering node ${name}: HTTP ${r.status} ${r.body?.message ?? ''}`);
    await this.postStatus(true);
  }

  private async postStatus(ready: boolean): Promise<void> {
    const path = `/api/v1/nodes/${this.o.nodeName}/status`;
    const r = await this.o.api.request('PATCH', path, { status: this.nodeStatus(ready) }, 'application/merge-patch+json');
    if (r.status < 300) return;
    // An API server without PATCH on node status: read-modify-write instead.
    const node = await this.o.api.get(`/api/v1/nodes/${this.o.nodeName}`);
    node.status = this.nodeStatus(ready);
    await this.o.api.ok('PUT', path, node);
  }

  async start(): Promise<void> {
    await this.register();
    this.heartbeat = setInterval(() => { void this.postStatus(true).catch((e) => this.o.log(`node heartbeat: ${(e as Error).message}`)); }, 10_000);
    const api = this.o.api;
    this.informers.push(api.informer('/api/v1/pods', `fieldSelector=${encodeURIComponent(`spec.nodeName=${this.o.nodeName}`)}`, (type, obj, all) => this.onPod(type, obj, all), this.o.log));
    const servicesChanged = () => { void this.proxy.sync(this.dns.services, this.dns.endpoints).then(() => this.refreshHosts()); };
    this.informers.push(api.informer('/api/v1/services', '', (type, obj, all) => {
      if (type === 'SYNC') this.dns.setServices(all ?? []); else this.dns.updateService(type, obj);
      servicesChanged();
    }, this.o.log));
    this.informers.push(api.informer('/api/v1/endpoints', '', (type, obj, all) => {
      if (type === 'SYNC') this.dns.setEndpoints(all ?? []); else this.dns.updateEndpoints(type, obj);
      servicesChanged();
    }, this.o.log));
  }

  private onPod(type: 'SYNC' | 'ADDED' | 'MODIFIED' | 'DELETED', pod: any, all?: any[]): void {
    if (this.stopped) return;
    if (type === 'SYNC') {
      const seen = new Set((all ?? []).map((p) => p.metadata.uid));
      for (const [uid, w] of this.workers) if (!seen.has(uid)) this.forget(uid, w);
      for (const p of all ?? []) this.onPod('MODIFIED', p);
      return;
    }
    if (pod.spec?.nodeName !== this.o.nodeName) return;
    const uid = pod.metadata.uid;
    const w = this.workers.get(uid);
    if (type === 'DELETED') { if (w) this.forget(uid, w); return; }
    if (w) {
      w.pod = { ...pod, spec: w.pod.spec };
      if (pod.metadata.deletionTimestamp) void this.track(w.finalizeDeletion());
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      // Deleted before we ran it: nothing to stop, finish the deletion.
      void this.track(this.o.api.request('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}?gracePeriodSeconds=0`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } }).catch(() => undefined));
      return;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const worker = new PodWorker(this.ctx, pod);
    this.workers.set(uid, worker);
    void this.track(worker.run());
  }

  private forget(uid: string, w: PodWorker): void {
    this.workers.delete(uid);
    void this.track(w.stop(0).then(() => w.removeFiles()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const i of this.informers) i.stop();
    await Promise.all([...this.workers.values()].map((w) => w.stop(0)));
    await this.proxy.close();
    await Promise.race([this.postStatus(false).catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 2000))]);
  }
}
