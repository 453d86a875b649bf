// Why a pod is not becoming ready, in plain words and with the pod's own message: image pulls
// (which image, which registry, credentials?), crash loops (exit code and last log lines),
// scheduling, readiness probes and missing Secrets/ConfigMaps. The one place that reads these
// reasons: rollouts word its messages as they are; the Kaniko build pod (main/build/kaniko/podReady.ts)
// takes its `kind` and `detail` and words them for its executor image.
import { registryOfImage } from '../registry/imageRef';

export interface PodJson {
  metadata?: { name?: string; namespace?: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string; message?: string; signal?: number; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface EventJson {
  type?: string;
  reason?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
}

/** What kind of trouble, whatever the Kubernetes reason's spelling. */
export type PodProblemKind = 'image-pull' | 'crash-loop' | 'cannot-start' | 'crashed' | 'unschedulable' | 'unready' | 'failed' | 'stopped';

export interface PodProblem {
  pod: string;
  container?: string;
  kind: PodProblemKind;
  /** The Kubernetes reason: ImagePullBackOff, CrashLoopBackOff, FailedScheduling, Unhealthy, … */
  reason: string;
  /** The cluster's own words (the kubelet's or scheduler's message, the exit), when it said any. */
  detail?: string;
  message: string;
  hint?: string;
  /** True when waiting longer will not help (the user has to change something). */
  fatal: boolean;
  /** For crash loops: the container whose previous logs explain it. */
  previousLogOf?: string;
}

/** Which pod to judge how: the caller's own container only, and whether the pod must keep running. */
export interface PodProblemScope {
  /** Only this container counts (a build pod's executor); default every container. */
  container?: string;
  /** A stopped container, or a pod that ended, is a problem (kind `stopped`): for pods that must keep running, not ones the kubelet restarts. */
  mustKeepRunning?: boolean;
}

const PULL_FAILURES = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const START_FAILURES = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'StartError']);
const CRASH_HINT = 'Fix the command or the program it runs. While developing you can keep the container up with command: ["sleep", "infinity"] in the values and start the program from the terminal.';

function pullHint(message: string, registry: string): string {
  if (/unauthori[sz]ed|authentication required|denied|401|403|no basic auth credentials/i.test(message)) {
    return `The registry ${registry} refused the pull: the pod needs an image pull secret with valid credentials for ${registry} (pullSecrets in the chart values).`;
  }
  if (/not found|manifest unknown|name unknown|404/i.test(message)) {
    return `The image is not in ${registry}: check the name and tag, and that the build pushed it there.`;
  }
  if (/connection refused|no such host|i\/o timeout|dial tcp|timeout|unreachable|EOF/i.test(message)) {
    return `The node cannot reach the registry ${registry}: is it running and reachable from the cluster's nodes?`;
  }
  return `Check that the image exists in ${registry} and that the node may pull it.`;
}

function statusesOf(pod: PodJson, only?: string): { c: ContainerStatus; init: boolean }[] {
  const all = [...(pod.status?.initContainerStatuses ?? []).map((c) => ({ c, init: true })), ...(pod.status?.containerStatuses ?? []).map((c) => ({ c, init: false }))];
  return only === undefined ? all : all.filter(({ c }) => c.name === only);
}

/** "code 137 (OOMKilled)": a plain "Error" reason adds nothing. */
function exitPhrase(t: NonNullable<ContainerState['terminated']>): string {
  return `code ${t.exitCode ?? '?'}${t.reason && t.reason !== 'Error' ? ` (${t.reason})` : ''}`;
}

/**
 * The most telling problem of one pod, or undefined when it looks fine or is simply still starting.
 * `events` are the pod's events, newest last. With `crashedSince` (epoch ms), a container that
 * exited non-zero after that moment counts as a crash even when it is running again.
 */
export function podProblem(pod: PodJson, events: EventJson[] = [], crashedSince?: number, scope: PodProblemScope = {}): PodProblem | undefined {
  const name = pod.metadata?.name ?? '';
  if (pod.metadata?.deletionTimestamp) return undefined;
  const statuses = statusesOf(pod, scope.container);
  for (const { c } of statuses) {
    const w = c.state?.waiting;
    const reason = w?.reason ?? '';
    const what = `The container "${c.name}" of pod ${name}`;
    const specImage = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === c.name)?.image;
    const image = specImage ?? c.image ?? '';
    if (PULL_FAILURES.has(reason)) {
      const registry = registryOfImage(image);
      // ImagePullBackOff's own message is only "Back-off pulling image …"; the cause is in the
      // kubelet's Failed event (or the ErrImagePull message before it).
      const failures = events.filter((e) => e.reason === 'Failed');
      const failed = (failures.filter((e) => /^Failed to pull image/.test(e.message ?? '')).at(-1) ?? failures.at(-1))?.message;
      const detail = (reason === 'ImagePullBackOff' && failed ? failed : w?.message) || failed || '';
      return {
        pod: name,
        container: c.name,
        kind: 'image-pull',
        reason,
        ...(detail ? { detail } : {}),
        message: `${what} cannot pull its image "${image}" from ${registry} (${reason})${detail ? `: ${detail}` : '.'}`,
        hint: reason === 'InvalidImageName' ? `"${image}" is not a valid image reference; fix the image values of the chart.` : pullHint(detail, registry),
        fatal: reason !== 'ErrImagePull' && reason !== 'RegistryUnavailable',
      };
    }
    if (reason === 'CrashLoopBackOff') {
      const t = c.lastState?.terminated;
      return {
        pod: name,
        container: c.name,
        kind: 'crash-loop',
        reason,
        ...(w?.message ? { detail: w.message } : {}),
        message: `${what} keeps crashing (CrashLoopBackOff, ${c.restartCount ?? 0} restarts).${t ? ` It last exited with ${exitPhrase(t)}.` : ''}`,
        hint: CRASH_HINT,
        fatal: true,
        previousLogOf: c.name,
      };
    }
    if (START_FAILURES.has(reason)) {
      const detail = w?.message ?? '';
      const missing = /(secret|configmap) "([^"]+)" not found/i.exec(detail);
      return {
        pod: name,
        container: c.name,
        kind: 'cannot-start',
        reason,
        ...(detail ? { detail } : {}),
        message: `${what} cannot start (${reason}): ${detail || 'no message from the node'}`,
        hint: missing
          ? `Create the ${missing[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap'} "${missing[2]}" in namespace ${pod.metadata?.namespace ?? ''}, or remove the reference from the chart.`
          : 'Check the container settings in the chart (env, volumes, command).',
        fatal: true,
      };
    }
  }
  if (crashedSince !== undefined) {
    for (const { c } of statuses) {
      const t = c.lastState?.terminated;
      if (t && t.exitCode !== 0 && t.finishedAt && Date.parse(t.finishedAt) >= crashedSince) {
        return {
          pod: name,
          container: c.name,
          kind: 'crashed',
          reason: 'Crashed',
          message: `The container "${c.name}" of pod ${name} crashed: it exited with ${exitPhrase(t)} and was restarted (${c.restartCount ?? 0} restarts).`,
          hint: CRASH_HINT,
          fatal: true,
          previousLogOf: c.name,
        };
      }
    }
  }
  if (scope.mustKeepRunning) {
    const stopped = statuses.find(({ c }) => c.state?.terminated);
    const phase = pod.status?.phase;
    if (stopped || phase === 'Failed' || phase === 'Succeeded') {
      const t = stopped?.c.state?.terminated;
      const detail = t ? `exit code ${t.exitCode}${t.reason ? `, ${t.reason}` : ''}${t.message ? `: ${t.message}` : ''}` : (pod.status?.reason ?? phase ?? '');
      return {
        pod: name,
        ...(stopped ? { container: stopped.c.name } : {}),
        kind: 'stopped',
        reason: t?.reason ?? phase ?? 'Terminated',
        detail,
        message: `Pod ${name} stopped (${detail}).`,
        fatal: true,
      };
    }
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (pod.status?.phase === 'Pending' && scheduled?.status === 'False') {
    const ev = latest(events, 'FailedScheduling');
    const detail = ev?.message || scheduled.message || '';
    return {
      pod: name,
      kind: 'unschedulable',
      reason: 'FailedScheduling',
      ...(detail ? { detail } : {}),
      message: `Pod ${name} cannot be scheduled onto a node${detail ? `: ${detail}` : '.'}`,
      hint: 'The cluster has no node that fits the pod: lower its resource requests, fix its node selector or tolerations, or add nodes.',
      fatal: false,
    };
  }
  if (pod.status?.phase === 'Running') {
    const notReady = statuses.find(({ c, init }) => !init && c.state?.running && !c.ready);
    if (notReady) {
      const ev = latest(events, 'Unhealthy');
      if (ev) {
        return {
          pod: name,
          container: notReady.c.name,
          kind: 'unready',
          reason: 'Unhealthy',
          ...(ev.message ? { detail: ev.message } : {}),
          message: `The container "${notReady.c.name}" of pod ${name} runs but is not ready: ${ev.message ?? ''}`.trim(),
          hint: 'The readiness probe fails: check that the program listens on the probed port and path, or relax the probe in the chart.',
          fatal: false,
        };
      }
    }
  }
  if (pod.status?.phase === 'Failed') {
    return { pod: name, kind: 'failed', reason: 'Failed', message: `Pod ${name} failed.`, fatal: false };
  }
  return undefined;
}

function latest(events: EventJson[], reason: string): EventJson | undefined {
  return events.filter((e) => e.reason === reason).at(-1);
}

/** Pod state for the UI, one line per container. */
export function podSummary(pod: PodJson): { name: string; phase: string; ready: boolean; restarts: number; containers: { name: string; state: string; reason?: string }[] } {
  const cs = pod.status?.containerStatuses ?? [];
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Pending'),
    ready: cs.length > 0 && cs.every((c) => c.ready),
    restarts: cs.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    containers: cs.map((c) => {
      const s = c.state ?? {};
      const state = s.running ? 'running' : s.terminated ? 'terminated' : 'waiting';
      const reason = s.waiting?.reason ?? s.terminated?.reason;
      return { name: c.name, state, ...(reason ? { reason } : {}) };
    }),
  };
}
