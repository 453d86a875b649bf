// One pod on this node, from binding to removal: its network namespace, hostPorts and volumes,
// init containers in order, then its containers; it reports the pod's status (phase, conditions,
// containerStatuses) through the API and, when the pod is deleted, stops it and finalises deletion.
import { rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { ContainerWorker, type PodRuntime } from './container-worker';
import { delay, type NodeContext } from './node-context';
import { prepareVolumes, VolumeError } from './pod-volumes';

type ConditionType = 'PodScheduled' | 'Initialized' | 'ContainersReady' | 'Ready';

export class PodWorker implements PodRuntime {
  podIp = '';
  netnsPath: string | undefined;
  volumes = new Map<string, string>();
  readonly podDir: string;
  readonly initContainers: ContainerWorker[];
  readonly containers: ContainerWorker[];
  private readonly startTime = new Date();
  private readonly conditions = new Map<ConditionType, { status: 'True' | 'False'; lastTransitionTime: string; reason?: string }>();
  private initialized = false;
  private failedInit = false;
  private terminating: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private gone = false;
  private readonly forwards: Server[] = [];

  constructor(readonly ctx: NodeContext, public pod: any) {
    this.podDir = join(ctx.dataDir, 'pods', pod.metadata.uid ?? `${pod.metadata.namespace}_${pod.metadata.name}`);
    this.initContainers = (pod.spec.initContainers ?? []).map((c: any) => new ContainerWorker(ctx, this, c, true));
    this.containers = (pod.spec.containers ?? []).map((c: any) => new ContainerWorker(ctx, this, c, false));
  }

  get uid(): string { return this.pod.metadata.uid; }
  get name(): string { return this.pod.metadata.name; }
  get namespace(): string { return this.pod.metadata.namespace ?? 'default'; }

  container(name?: string): ContainerWorker | undefined {
    if (!name) return this.containers[0];
    return this.containers.find((c) => c.name === name) ?? this.initContainers.find((c) => c.name === name);
  }

  changed(): void {
    if (this.gone || this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, 15);
  }

  private async flush(): Promise<void> {
    if (this.gone) return;
    const path = `/api/v1/namespaces/${this.namespace}/pods/${this.name}/status`;
    let retry = false;
    try {
      // The uid makes the patch fail (409) once this pod is gone and another of its name exists.
      const r = await this.ctx.api.request('PATCH', path, { metadata: { uid: this.uid }, status: this.status() }, 'application/merge-patch+json');
      if (r.status === 404 || (r.status === 409 && /UID in precondition/.test(r.body?.message ?? ''))) this.gone = true;
      else if (r.status >= 300) {
        this.ctx.log(`status of ${this.namespace}/${this.name}: HTTP ${r.status} ${r.body?.message ?? ''}`);
        retry = r.status >= 500 || r.status === 429;
      }
    } catch (e) {
      this.ctx.log(`status of ${this.namespace}/${this.name}: ${(e as Error).message}`);
      retry = true;
    }
    // A failed update (injected faults, a restarting API) must not leave the status stale.
    if (retry && !this.gone) setTimeout(() => this.changed(), 200);
  }

  private setCondition(type: ConditionType, ok: boolean, reason?: string): void {
    const status = ok ? 'True' : 'False';
    const prev = this.conditions.get(type);
    if (prev?.status === status && prev.reason === reason) return;
    this.conditions.set(type, { status, lastTransitionTime: new Date().toISOString(), ...(reason ? { reason } : {}) });
  }

  /** The kubelet's getPhase. */
  private phase(): string {
    if (this.failedInit) return 'Failed';
    if (!this.initialized) return 'Pending';
    let waiting = 0, running = 0, stopped = 0, succeeded = 0;
    for (const c of this.containers) {
      const s = c.state as any;
      if (s.running) running++;
      else if (s.terminated) { stopped++; if (s.terminated.exitCode === 0) succeeded++; }
      else if (s.waiting) {
        const last = (c.lastState as any)?.terminated;
        if (last) { stopped++; if (last.exitCode === 0) succeeded++; } else waiting++;
      }
    }
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    if (waiting > 0) return 'Pending';
    if (running > 0) return 'Running';
    if (stopped > 0) {
      if (policy === 'Always') return 'Running';
      if (stopped === succeeded) return 'Succeeded';
      if (policy === 'Never') return 'Failed';
      return this.containers.every((c) => c.done) ? (stopped === succeeded ? 'Succeeded' : 'Failed') : 'Running';
    }
    return 'Pending';
  }

  status(): any {
    const allReady = this.initialized && this.containers.length > 0 && this.containers.every((c) => c.ready);
    const phase = this.phase();
    const notReady = phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady';
    this.setCondition('PodScheduled', true);
    this.setCondition('Initialized', this.initialized, this.initialized ? undefined : 'ContainersNotInitialized');
    this.setCondition('ContainersReady', allReady, allReady ? undefined : notReady);
    this.setCondition('Ready', allReady, allReady ? undefined : notReady);
    const order: ConditionType[] = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
    return {
      phase,
      conditions: order.map((type) => ({ type, ...this.conditions.get(type)!, lastProbeTime: null })),
      hostIP: this.ctx.hostIP,
      hostIPs: [{ ip: this.ctx.hostIP }],
      ...(this.podIp ? { podIP: this.podIp, podIPs: [{ ip: this.podIp }] } : {}),
      startTime: this.startTime.toISOString(),
      qosClass: 'BestEffort',
      ...(this.initContainers.length ? { initContainerStatuses: this.initContainers.map((c) => c.status()) } : {}),
      containerStatuses: this.containers.map((c) => c.status()),
    };
  }

  async run(): Promise<void> {
    this.changed();
    try {
      await this.setUpNetwork();
      await this.setUpVolumes();
      if (this.abort.signal.aborted) return;
      for (const c of this.initContainers) {
        const exit = await c.run();
        if (this.abort.signal.aborted) return;
        if (!exit || exit.exitCode !== 0) { this.failedInit = true; this.changed(); return; }
      }
      this.initialized = true;
      this.changed();
      await Promise.all(this.containers.map((c) => c.run()));
    } catch (e) {
      this.ctx.log(`pod ${this.namespace}/${this.name}: ${(e as Error).stack ?? e}`);
      this.ctx.event(this.pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
    }
  }

  private async setUpNetwork(): Promise<void> {
    if (this.pod.spec.hostNetwork || !this.ctx.network) {
      this.podIp = this.ctx.hostIP;
    } else {
      const info = await this.ctx.network.addPod(this.uid);
      this.podIp = info.ip;
      this.netnsPath = info.netnsPath;
      for (const c of this.pod.spec.containers ?? []) {
        for (const p of c.ports ?? []) {
          if (!p.hostPort) continue;
          try {
            this.forwards.push(await this.ctx.network.forwardHostPort(p.hostPort, this.podIp, p.containerPort));
          } catch (e) {
            this.ctx.event(this.pod, 'Warning', 'FailedHostPort', (e as Error).message);
          }
        }
      }
    }
    this.changed();
  }

  private async setUpVolumes(): Promise<void> {
    for (let attempt = 0; !this.abort.signal.aborted; attempt++) {
      try {
        this.volumes = await prepareVolumes(this.pod, this.podDir, join(this.ctx.dataDir, 'persistent-volumes'), this.ctx.lookup);
        return;
      } catch (e) {
        if (e instanceof VolumeError) {
          if (attempt % 5 === 0) this.ctx.event(this.pod, 'Warning', 'FailedMount', e.message);
        } else {
          this.ctx.log(`volumes of ${this.namespace}/${this.name}: ${(e as Error).message}; retrying`);
        }
        await delay(500, this.abort.signal);
      }
    }
  }

  /** Stops every container within the grace period and frees the pod's network and volumes. */
  stop(graceSeconds: number): Promise<void> {
    this.terminating ??= (async () => {
      this.abort.abort();
      await Promise.all([...this.initContainers, ...this.containers].map((c) => c.stop(graceSeconds)));
      this.changed();
      await new Promise((r) => setTimeout(r, 20));
      await this.flushing;
      for (const f of this.forwards) await this.ctx.network?.closeForward(f);
      await this.ctx.network?.removePod(this.uid);
      rmSync(join(this.podDir, 'volumes'), { recursive: true, force: true });
    })();
    return this.terminating;
  }

  /** The pod was deleted with a grace period: stop it, then remove it for good (gracePeriodSeconds=0). */
  finalizeDeletion(): Promise<void> {
    this.finalizing ??= this.finalize();
    return this.finalizing;
  }

  private finalizing: Promise<void> | undefined;

  private async finalize(): Promise<void> {
    const grace = this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
    await this.stop(grace);
    this.gone = true;
    const path = `/api/v1/namespaces/${this.namespace}/pods/${this.name}?gracePeriodSeconds=0`;
    for (let attempt = 0; attempt < 10; attempt++) {
      const r = await this.ctx.api.request('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: this.uid } }).catch((e) => ({ status: 0, body: { message: (e as Error).message } }));
      if (r.status < 300 || r.status === 404 || r.status === 409) return;
      this.ctx.log(`finalising deletion of ${this.namespace}/${this.name}: HTTP ${r.status} ${r.body?.message ?? ''}`);
      await delay(300);
    }
  }

  /** Forgets on-disk state (logs included) once the pod is gone from the API. */
  removeFiles(): void {
    rmSync(this.podDir, { recursive: true, force: true });
  }
}
