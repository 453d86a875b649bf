// What every pod on the node shares: the agent's tools, its API client, its event recorder and settings.
import type { ApiClient } from './api-client';
import type { Buildah } from './buildah';
import type { ContainerLog } from './container-log';
import type { ExitInfo } from './container-process';
import type { ImagePuller } from './image-puller';
import type { PodNetwork } from './pod-network';
import type { ObjectLookup } from './pod-volumes';

/** A container's main process however it runs (buildah, or a stand-in on the host). */
export interface RunningContainer {
  readonly log: ContainerLog;
  readonly startedAt: Date;
  finishedAt: Date | undefined;
  exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  /** Main process inside the container's namespaces; undefined when exec is impossible. */
  readonly pid: Promise<number | undefined>;
  readonly stdin: NodeJS.WritableStream | undefined;
  readonly companions: Set<{ kill(signal?: string): void }>;
  readonly running: boolean;
  kill(graceSeconds?: number): Promise<ExitInfo>;
}

export interface StandInStart {
  pod: any; container: any; env: Record<string, string>; argv: string[];
  netnsPath?: string; podIp: string; mounts: Array<{ hostPath: string; containerPath: string; readOnly: boolean }>;
  instanceDir: string; logPath: string;
  /** The pod's /etc/hosts on the host (Service names; kept up to date by the node). */
  hostsFile?: string;
}

/** An image that cannot be pulled offline, replaced on this node by something local. */
export interface StandIn {
  name: string;
  /** Repository names it replaces (registry and tag ignored), e.g. kaniko-project/executor. */
  repositories: string[];
  /** Also serves repositories this accepts (e.g. any name containing "socat"). */
  matches?(repository: string): boolean;
  /** The seeded image to run instead; absent when start() runs the container itself. */
  image?: string;
  /** Runs the container itself; undefined: run the (seeded) image with buildah as usual. */
  start?(o: StandInStart): RunningContainer | undefined;
}

export interface NodeContext {
  nodeName: string;
  hostIP: string;
  dataDir: string;
  buildah: Buildah;
  puller: ImagePuller;
  network: PodNetwork | undefined;
  api: ApiClient;
  lookup: ObjectLookup;
  /** Multiplies every restart and image pull back-off (1 = the kubelet's 10 s doubling to 5 min). */
  backoffScale: number;
  standIns: StandIn[];
  event(pod: any, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
  /** Path of the /etc/hosts file kept up to date for pods of `namespace` (Service DNS). */
  hostsFile(pod: any): string;
  log(line: string): void;
}

export function podKey(pod: any): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}
