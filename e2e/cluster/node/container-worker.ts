// The life of one container of a pod on this node: pull its image (with back-off), create it,
// run it, probe it, restart it per the pod's restartPolicy with the kubelet's back-off, and say
// where it stands as a containerStatus.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerConfigError, containerArgv, containerEnv, imageEnv } from './container-config';
import { ContainerProcess, type ExitInfo } from './container-process';
import { formatImage, parseImage, defaultPullPolicy } from './image-reference';
import { authFileFromSecrets, ImagePullError, type PulledImage } from './image-puller';
import { delay, type NodeContext, type RunningContainer, type StandIn } from './node-context';
import { containerMounts } from './pod-volumes';
import { runProbe } from './probes';
import type { ContainerTarget } from './container-exec';

const MAX_BACKOFF_S = 300;

function repositoryOf(image: string): string {
  const r = parseImage(image);
  return `${r.registry}/${r.repository}`;
}

export interface PodRuntime {
  pod: any;
  podIp: string;
  netnsPath: string | undefined;
  volumes: Map<string, string>;
  podDir: string;
  changed(): void;
}

type State =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; message?: string; startedAt: string; finishedAt: string; containerID?: string; signal?: number } };

export function restartDelaySeconds(restarts: number, scale: number): number {
  if (restarts <= 0) return 0;
  return Math.min(10 * 2 ** (restarts - 1), MAX_BACKOFF_S) * scale;
}

export class ContainerWorker {
  restartCount = 0;
  state: State = { waiting: { reason: 'ContainerCreating' } };
  lastState: State | undefined;
  ready = false;
  started = false;
  image: PulledImage | undefined;
  containerID = '';
  current: RunningContainer | undefined;
  previous: RunningContainer | undefined;
  env: Record<string, string> = {};
  standIn: StandIn | undefined;
  /** Set when the container has finished for good (restartPolicy says no more restarts). */
  done = false;
  private readonly abort = new AbortController();
  private buildahContainer: string | undefined;
  private restartRequested = false;
  private backoffIndex = 0;

  constructor(readonly ctx: NodeContext, readonly rt: PodRuntime, readonly spec: any, readonly init: boolean) {
    const repo = parseImage(spec.image ?? '').repository;
    this.standIn = ctx.standIns.find((s) => s.repositories.includes(repo) || s.repositories.includes(repo.replace(/^library\//, '')) || !!s.matches?.(repo));
  }

  get name(): string { return this.spec.name; }
  private get fieldPath(): string { return `spec.${this.init ? 'initContainers' : 'containers'}{${this.name}}`; }
  private get restartPolicy(): string { return this.rt.pod.spec.restartPolicy ?? 'Always'; }
  get stopping(): boolean { return this.abort.signal.aborted; }

  private set(state: State): void { this.state = state; this.rt.changed(); }

  status(): any {
    const image = formatImage(parseImage(this.spec.image ?? ''));
    return {
      name: this.name,
      image,
      imageID: this.image ? `${repositoryOf(this.spec.image)}@${this.image.digest}` : '',
      ...(this.containerID ? { containerID: this.containerID } : {}),
      ready: this.ready,
      started: this.started,
      restartCount: this.restartCount,
      state: this.state,
      lastState: this.lastState ?? {},
    };
  }

  /** For exec: the running main process and its environment. */
  async target(): Promise<ContainerTarget | undefined> {
    const c = this.current;
    if (!c || !c.running) return undefined;
    const pid = await c.pid;
    if (!pid || !c.running) return undefined;
    const env = { ...imageEnv(this.image?.env ?? []), ...this.env };
    if (!env.PATH) env.PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    return { pid, env, workingDir: this.spec.workingDir };
  }

  /** Runs the container until it is done for good or stop() is called. Resolves with the last exit. */
  async run(): Promise<ExitInfo | undefined> {
    let pullFailures = 0;
    let last: ExitInfo | undefined;
    while (!this.stopping) {
      try {
        this.image = await this.pull();
        pullFailures = 0;
      } catch (e) {
        if (this.stopping) break;
        if (!(e instanceof ImagePullError)) {
          // Not the registry's answer (e.g. the API failed while reading pull secrets): try again soon.
          this.ctx.log(`pull for ${this.rt.pod.metadata.name}/${this.name}: ${(e as Error).message}; retrying`);
          await delay(500, this.abort.signal);
          continue;
        }
        const err = e;
        pullFailures++;
        this.set({ waiting: { reason: err.code, message: err.message } });
        this.ctx.event(this.rt.pod, 'Warning', 'Failed', `Failed to pull image "${this.spec.image}": ${err.message}`, this.fieldPath);
        this.ctx.event(this.rt.pod, 'Warning', 'Failed', `Error: ${err.code}`, this.fieldPath);
        const wait = restartDelaySeconds(pullFailures, this.ctx.backoffScale) * 1000;
        await delay(Math.min(wait, 1000 * this.ctx.backoffScale), this.abort.signal);
        if (this.stopping) break;
        this.set({ waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${this.spec.image}"` } });
        this.ctx.event(this.rt.pod, 'Normal', 'BackOff', `Back-off pulling image "${this.spec.image}"`, this.fieldPath);
        this.ctx.event(this.rt.pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', this.fieldPath);
        await delay(wait, this.abort.signal);
        continue;
      }
      let started: RunningContainer;
      try {
        started = await this.start(this.image);
      } catch (e) {
        if (this.stopping) break;
        // CreateContainerConfigError is the pod's fault; anything else (API or buildah trouble) is retried.
        const reason = e instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'RunContainerError';
        const message = (e as Error).message;
        this.set({ waiting: { reason, message } });
        this.ctx.event(this.rt.pod, 'Warning', 'Failed', `Error: ${message}`, this.fieldPath);
        await delay(Math.max(1000 * this.ctx.backoffScale, 200), this.abort.signal);
        continue;
      }
      last = await started.exited;
      this.ready = false;
      this.started = false;
      const terminated = { exitCode: last.exitCode, reason: last.reason, ...(last.message ? { message: last.message } : {}), startedAt: started.startedAt.toISOString(), finishedAt: (started.finishedAt ?? new Date()).toISOString(), containerID: this.containerID };
      void this.removeBuildahContainer();
      if (this.stopping) { this.set({ terminated }); break; }
      const restart = this.restartRequested || this.restartPolicy === 'Always' || (this.restartPolicy === 'OnFailure' && last.exitCode !== 0);
      this.restartRequested = false;
      if (!restart || (this.init && last.exitCode === 0)) {
        this.set({ terminated });
        this.done = true;
        break;
      }
      this.lastState = { terminated };
      if (this.recentlyHealthy(started)) this.backoffIndex = 0;
      const wait = restartDelaySeconds(this.backoffIndex++, this.ctx.backoffScale) * 1000;
      if (wait === 0) this.set({ terminated });
      if (wait > 0) {
        const message = `back-off ${Math.round(wait / 1000)}s restarting failed container=${this.name} pod=${this.rt.pod.metadata.name}_${this.rt.pod.metadata.namespace}(${this.rt.pod.metadata.uid})`;
        this.set({ waiting: { reason: 'CrashLoopBackOff', message } });
        this.ctx.event(this.rt.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${this.name} in pod ${this.rt.pod.metadata.name}_${this.rt.pod.metadata.namespace}(${this.rt.pod.metadata.uid})`, this.fieldPath);
        await delay(wait, this.abort.signal);
      }
      if (this.stopping) { this.set({ terminated }); break; }
      this.restartCount++;
    }
    return last;
  }

  /** A container that ran for longer than twice the longest back-off starts its back-off over. */
  private recentlyHealthy(c: RunningContainer): boolean {
    return ((c.finishedAt ?? new Date()).getTime() - c.startedAt.getTime()) > 2 * MAX_BACKOFF_S * 1000 * this.ctx.backoffScale;
  }

  private async pull(): Promise<PulledImage> {
    const image: string = this.spec.image ?? '';
    if (!image) throw new ImagePullError('InvalidImageName', 'the container has no image');
    const ref = this.standIn ? this.standIn.image : image;
    const policy = this.spec.imagePullPolicy ?? defaultPullPolicy(image);
    if (!ref) {
      // A stand-in that runs on the host: nothing to pull, report it as present.
      return { ref: image, imageId: 'sha256:0', digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000', repoDigest: image, entrypoint: [], cmd: [], env: [], workingDir: '', user: '', pulled: false, size: 0 };
    }
    const secrets = [];
    for (const s of this.rt.pod.spec.imagePullSecrets ?? []) {
      const obj = await this.ctx.lookup('secrets', this.rt.pod.metadata.namespace ?? 'default', s.name);
      if (obj) secrets.push(obj);
    }
    const checkFirst = policy !== 'Always';
    const present = checkFirst ? await this.ctx.puller.inspect(ref) : undefined;
    if (present) {
      this.ctx.event(this.rt.pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, this.fieldPath);
      return { ...present, pulled: false };
    }
    if (policy !== 'Never') this.ctx.event(this.rt.pod, 'Normal', 'Pulling', `Pulling image "${image}"`, this.fieldPath);
    const t0 = Date.now();
    const pulled = await this.ctx.puller.pull(ref, policy, authFileFromSecrets(secrets));
    const s = ((Date.now() - t0) / 1000).toFixed(3);
    this.ctx.event(this.rt.pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${s}s (${s}s including waiting). Image size: ${pulled.size} bytes.`, this.fieldPath);
    return pulled;
  }

  private async start(image: PulledImage): Promise<RunningContainer> {
    // The API object may not carry the IPs yet: the status update is on its way.
    const pod = { ...this.rt.pod, status: { ...this.rt.pod.status, podIP: this.rt.podIp, hostIP: this.ctx.hostIP } };
    this.env = await containerEnv(pod, this.spec, this.ctx.lookup, imageEnv(image.env));
    const argv = containerArgv(this.spec, image, { ...imageEnv(image.env), ...this.env });
    let mounts;
    try { mounts = containerMounts(this.spec, this.rt.volumes); } catch (e) { throw new ContainerConfigError((e as Error).message); }
    const instanceDir = join(this.rt.podDir, 'containers', this.name, String(this.restartCount));
    mkdirSync(instanceDir, { recursive: true });
    const logPath = join(this.rt.podDir, 'logs', this.name, `${this.restartCount}.log`);
    const standInContainer = this.standIn?.start?.({ pod, container: this.spec, env: this.env, argv, ...(this.rt.netnsPath ? { netnsPath: this.rt.netnsPath } : {}), podIp: this.rt.podIp, mounts, instanceDir, logPath, hostsFile: this.ctx.hostsFile(pod) });
    if (standInContainer) {
      this.containerID = `containerd://stand-in-${this.standIn!.name}-${pod.metadata.uid}-${this.name}-${this.restartCount}`;
      this.ctx.event(pod, 'Normal', 'Created', `Created container: ${this.name}`, this.fieldPath);
      return this.began(standInContainer);
    }
    if (!argv.length) throw new ContainerConfigError('no command specified');
    const name = `k8s_${this.name}_${pod.metadata.name}_${pod.metadata.namespace}_${(pod.metadata.uid ?? '').slice(0, 8)}_${this.restartCount}`;
    await this.ctx.buildah.run(['rm', name]);
    const r = await this.ctx.buildah.run(['from', '--quiet', '--pull=never', '--name', name, image.ref]);
    if (r.code !== 0) throw new ContainerConfigError(`failed to create container: ${r.stderr.trim()}`);
    this.buildahContainer = name;
    this.containerID = `containerd://${r.stdout.trim() === name ? await this.containerId(name) : r.stdout.trim()}`;
    this.ctx.event(pod, 'Normal', 'Created', `Created container: ${this.name}`, this.fieldPath);
    if (!this.spec.volumeMounts?.some((m: any) => m.mountPath === '/etc/hosts')) mounts.push({ hostPath: this.ctx.hostsFile(pod), containerPath: '/etc/hosts', readOnly: true });
    const c = new ContainerProcess(this.ctx.buildah, {
      container: name, argv, env: this.env, workingDir: this.spec.workingDir, hostname: pod.spec.hostname ?? pod.metadata.name,
      netnsPath: this.rt.netnsPath, mounts, stdin: !!this.spec.stdin, logPath,
      ...(this.spec.securityContext?.runAsUser !== undefined ? { user: String(this.spec.securityContext.runAsUser) } : {}),
    });
    // Running means the process exists (buildah takes a moment to set up the chroot), as with a real runtime.
    await Promise.race([c.pid, c.exited]);
    return this.began(c);
  }

  private async containerId(name: string): Promise<string> {
    const r = await this.ctx.buildah.run(['inspect', '--type', 'container', '--format', '{{.ContainerID}}', name]);
    return r.stdout.trim();
  }

  private began(c: RunningContainer): RunningContainer {
    if (this.current) this.previous = this.current;
    this.current = c;
    if (c.exit?.reason === 'StartError') {
      this.ctx.event(this.rt.pod, 'Warning', 'Failed', `Error: ${c.exit.message ?? 'the container did not start'}`, this.fieldPath);
      return c;
    }
    this.set({ running: { startedAt: c.startedAt.toISOString() } });
    this.ctx.event(this.rt.pod, 'Normal', 'Started', `Started container ${this.name}`, this.fieldPath);
    if (!this.init) void this.probe(c);
    return c;
  }

  /** Startup, readiness and liveness probes for one run of the container. */
  private async probe(c: RunningContainer): Promise<void> {
    const { startupProbe, readinessProbe, livenessProbe } = this.spec;
    const target = () => this.target();
    const loop = async (probe: any, kind: string, onResult: (ok: boolean, msg: string, failures: number, successes: number) => boolean | void) => {
      await delay((probe.initialDelaySeconds ?? 0) * 1000, this.abort.signal);
      let failures = 0;
      let successes = 0;
      while (c.running && !this.stopping) {
        const r = await runProbe(probe, this.spec, this.rt.podIp, target);
        if (!c.running || this.stopping) return;
        if (r.ok) { successes++; failures = 0; } else { failures++; successes = 0; }
        if (!r.ok) this.ctx.event(this.rt.pod, 'Warning', 'Unhealthy', `${kind} probe failed: ${r.message}`, this.fieldPath);
        if (onResult(r.ok, r.message, failures, successes)) return;
        await delay((probe.periodSeconds ?? 10) * 1000, this.abort.signal);
      }
    };
    if (startupProbe) {
      let passed = false;
      await loop(startupProbe, 'Startup', (ok, _m, failures) => {
        if (ok) { passed = true; return true; }
        if (failures >= (startupProbe.failureThreshold ?? 3)) { void this.killForProbe(c, 'startup'); return true; }
        return false;
      });
      if (!passed) return;
    }
    if (!c.running) return;
    this.started = true;
    if (!readinessProbe) this.ready = true;
    this.rt.changed();
    if (readinessProbe) {
      void loop(readinessProbe, 'Readiness', (ok, _m, failures, successes) => {
        const before = this.ready;
        if (ok && successes >= (readinessProbe.successThreshold ?? 1)) this.ready = true;
        if (!ok && failures >= (readinessProbe.failureThreshold ?? 3)) this.ready = false;
        if (before !== this.ready) this.rt.changed();
      });
    }
    if (livenessProbe) {
      void loop(livenessProbe, 'Liveness', (ok, _m, failures) => {
        if (!ok && failures >= (livenessProbe.failureThreshold ?? 3)) { void this.killForProbe(c, 'liveness'); return true; }
        return false;
      });
    }
  }

  private async killForProbe(c: RunningContainer, kind: string): Promise<void> {
    this.ctx.event(this.rt.pod, 'Normal', 'Killing', `Container ${this.name} failed ${kind} probe, will be restarted`, this.fieldPath);
    this.restartRequested = true;
    await c.kill(this.rt.pod.spec.terminationGracePeriodSeconds ?? 30);
  }

  /** The restartContainer fault: the process dies, the restart logic brings it back. */
  async restart(): Promise<void> {
    const c = this.current;
    if (!c?.running) return;
    this.restartRequested = true;
    await c.kill(0);
  }

  async stop(graceSeconds: number): Promise<void> {
    this.abort.abort();
    const c = this.current;
    if (c?.running) {
      this.ctx.event(this.rt.pod, 'Normal', 'Killing', `Stopping container ${this.name}`, this.fieldPath);
      await c.kill(graceSeconds);
    }
    this.ready = false;
    await this.removeBuildahContainer();
  }

  private async removeBuildahContainer(): Promise<void> {
    const name = this.buildahContainer;
    if (!name) return;
    this.buildahContainer = undefined;
    await this.ctx.buildah.run(['rm', name]);
  }
}
