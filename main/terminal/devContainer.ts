// Which pod and container "the dev container" is: config.yaml's `devSpace.terminal` (falling back
// to the first port forwarding's label selector), resolved against the cluster each time a
// session (re)connects, so a replaced pod is found again by its labels.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import type { ApiError } from '../../preload/api';
import type { ProjectCluster } from '../app/projectCluster';
import { AppError } from '../ipc/errors';
import { makeApiClient } from '../kube/apiClient';
import { describeClusterError } from '../kube/clusterErrors';

export interface DevContainerTarget {
  namespace: string;
  labelSelector: Record<string, string>;
  containerName?: string;
}

export interface DevContainer {
  namespace: string;
  pod: string;
  container: string;
  /** Which run of the container this is (pod uid, container id, restarts): a change means it was replaced. */
  instance: string;
}

const NO_SELECTOR_HINT =
  'Add devSpace.terminal.labelSelector (e.g. { app: my-app }) to .devspace/config.yaml, or a devSpace.ports entry with a labelSelector.';

/** The selector the terminal uses; throws NOT_FOUND with a hint when config.yaml names none. */
export function terminalTarget(pc: ProjectCluster): DevContainerTarget {
  const t = pc.config?.devSpace?.terminal;
  const fromTerminal = t?.labelSelector && Object.keys(t.labelSelector).length > 0 ? t.labelSelector : undefined;
  const port = pc.config?.devSpace?.ports?.find((p) => Object.keys(p.labelSelector ?? {}).length > 0);
  const labelSelector = fromTerminal ?? port?.labelSelector;
  if (!labelSelector) {
    throw new AppError('NOT_FOUND', `The project "${pc.project.name}" does not say which pod is its dev container.`, NO_SELECTOR_HINT);
  }
  const namespace = (fromTerminal ? t?.namespace : port?.namespace) ?? pc.namespace;
  return { namespace, labelSelector, ...(t?.containerName ? { containerName: t.containerName } : {}) };
}

/** Every label selector of the project (terminal and port forwardings), deduplicated. */
export function projectTargets(pc: ProjectCluster): DevContainerTarget[] {
  const out: DevContainerTarget[] = [];
  const seen = new Set<string>();
  const add = (labelSelector: Record<string, string> | undefined, namespace: string | undefined) => {
    if (!labelSelector || Object.keys(labelSelector).length === 0) return;
    const ns = namespace ?? pc.namespace;
    const key = `${ns}/${selectorString(labelSelector)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ namespace: ns, labelSelector });
  };
  const t = pc.config?.devSpace?.terminal;
  add(t?.labelSelector, t?.namespace);
  for (const p of pc.config?.devSpace?.ports ?? []) add(p.labelSelector, p.namespace);
  return out;
}

export function selectorString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function isPodReady(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Pods matching the target, newest first. */
export async function listPods(pc: ProjectCluster, target: DevContainerTarget, signal?: AbortSignal): Promise<V1Pod[]> {
  const core = makeApiClient(pc.kubeConfig, CoreV1Api, { timeoutMs: 15_000, ...(signal ? { signal } : {}) });
  try {
    const list = await core.listNamespacedPod({ namespace: target.namespace, labelSelector: selectorString(target.labelSelector) });
    return [...list.items].sort((a, b) => time(b) - time(a));
  } catch (err) {
    throw asAppError(err, pc);
  }
}

/** The newest ready pod of the target and the container to use; NOT_FOUND with a hint otherwise. */
export async function findDevContainer(pc: ProjectCluster, target: DevContainerTarget, containerOverride?: string, signal?: AbortSignal): Promise<DevContainer> {
  const pods = await listPods(pc, target, signal);
  const sel = selectorString(target.labelSelector);
  const ready = pods.find(isPodReady);
  if (!ready) {
    const waiting = pods[0]?.status?.containerStatuses?.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
    const message = pods.length === 0
      ? `No pod in namespace "${target.namespace}" matches ${sel}.`
      : `No pod matching ${sel} in namespace "${target.namespace}" is ready${waiting ? ` (${pods[0]?.metadata?.name}: ${waiting})` : ''}.`;
    throw new AppError('NOT_FOUND', message, pods.length === 0 ? 'Deploy the project (Up) first, or check the labelSelector in .devspace/config.yaml.' : 'Wait for the pod to become ready; the Deployment panel says why it is not.');
  }
  const containers = (ready.spec?.containers ?? []).map((c) => c.name);
  const wanted = containerOverride ?? target.containerName;
  const container = wanted ?? containers[0];
  if (!container || !containers.includes(container)) {
    throw new AppError('NOT_FOUND', `The pod "${ready.metadata?.name}" has no container "${wanted ?? ''}".`, `Its containers are: ${containers.join(', ') || 'none'}. Fix devSpace.terminal.containerName in .devspace/config.yaml.`);
  }
  return { namespace: target.namespace, pod: ready.metadata?.name ?? '', container, instance: containerInstance(ready, container) };
}

/** '' when the container is not running (so any running instance differs from it). */
export function containerInstance(pod: V1Pod, container: string): string {
  const s = pod.status?.containerStatuses?.find((c) => c.name === container);
  if (!s?.state?.running || pod.metadata?.deletionTimestamp) return '';
  return `${pod.metadata?.uid ?? ''}/${s.containerID ?? ''}/${s.restartCount ?? 0}`;
}

/** The current instance of a container of a named pod, '' when it is gone or not running. */
export async function currentInstance(pc: ProjectCluster, dc: DevContainer): Promise<string> {
  const core = makeApiClient(pc.kubeConfig, CoreV1Api, { timeoutMs: 10_000 });
  try {
    return containerInstance(await core.readNamespacedPod({ namespace: dc.namespace, name: dc.pod }), dc.container);
  } catch (err) {
    if ((err as { code?: unknown }).code === 404) return '';
    throw asAppError(err, pc);
  }
}

export function asAppError(err: unknown, pc: ProjectCluster): AppError {
  if (err instanceof AppError) return err;
  const e: ApiError = describeClusterError(err, pc.kubeConfig.getCurrentCluster()?.server);
  return new AppError(e.code, e.message, e.hint, { cause: err });
}

function time(p: V1Pod): number {
  const t = p.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}
