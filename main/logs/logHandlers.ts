// The `logs.*` requests: the project's pods (from config.yaml's label selectors) and followed log
// streams, each with an id that its `logs.lines` / `logs.state` events carry.
import type { V1Pod } from '@kubernetes/client-node';
import type { LogStreamInfo, ResultOf } from '../../preload/api';
import type { ProjectCluster, ResolveProjectCluster } from '../app/projectCluster';
import type { ApiHandlers } from '../ipc/dispatch';
import { AppError } from '../ipc/errors';
import type { EventBus } from '../ipc/events';
import { type DevContainerTarget, findDevContainer, listPods, projectTargets, terminalTarget } from '../terminal/devContainer';
import type { LogBatcherOptions } from './logBatcher';
import { LogStream } from './logStream';

export interface LogHandlerDeps {
  events: EventBus;
  resolveProjectCluster: ResolveProjectCluster;
  log: (line: string) => void;
  /** Overrides for tests and benches. */
  streamOptions?: { batcher?: LogBatcherOptions; backoff?: { initialMs: number; maxMs: number } };
}

export type LogHandlers = Pick<ApiHandlers, 'logs.start' | 'logs.stop' | 'logs.pods'> & { dispose(): Promise<void> };

type PodSummary = ResultOf<'logs.pods'>[number];

export function createLogHandlers(deps: LogHandlerDeps): LogHandlers {
  const streams = new Map<string, LogStream>();
  let counter = 0;

  return {
    'logs.pods': async () => {
      const pc = await deps.resolveProjectCluster();
      const targets = projectTargets(pc);
      // A project without selectors yet: its namespace's pods, so the viewer is still useful.
      const lists = targets.length > 0 ? await Promise.all(targets.map((t) => listPods(pc, t))) : [await listPods(pc, { namespace: pc.namespace, labelSelector: {} })];
      const seen = new Set<string>();
      const out: PodSummary[] = [];
      for (const pod of lists.flat()) {
        const name = pod.metadata?.name;
        if (!name || seen.has(name)) continue;
        seen.add(name);
        out.push(summary(pod));
      }
      return out;
    },

    'logs.start': async (options): Promise<LogStreamInfo> => {
      const pc = await deps.resolveProjectCluster();
      const { namespace, pod, container, target } = await pickContainer(pc, options.pod, options.container);
      counter++;
      const streamId = `logs-${counter}`;
      const stream = new LogStream({
        ...deps.streamOptions,
        streamId,
        kubeConfig: pc.kubeConfig,
        namespace,
        pod,
        container,
        follow: options.follow ?? true,
        previous: options.previous ?? false,
        timestamps: options.timestamps ?? false,
        ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
        ...(target ? { findReplacement: async () => (await listPods(pc, target)).find((p) => !p.metadata?.deletionTimestamp)?.metadata?.name ?? null } : {}),
        onBatch: (batch) => deps.events.emit('logs.lines', { streamId, ...batch }),
        onState: (state, message) => deps.events.emit('logs.state', { streamId, state, ...(message ? { message } : {}) }),
        log: deps.log,
      });
      streams.set(streamId, stream);
      const { opened, done } = stream.run();
      void done.finally(() => {
        if (streams.get(streamId) === stream && (options.previous || options.follow === false)) streams.delete(streamId);
      });
      try {
        // A followed log answers only when the container writes something (servers send the
        // headers with the first line), so do not wait for it; its failures become state events.
        // A one-shot read ends by itself: wait, so a failure is this request's error.
        if (options.previous || options.follow === false) await opened;
        else void opened.catch(() => undefined);
      } catch (err) {
        streams.delete(streamId);
        stream.stop();
        throw err;
      }
      return { streamId, pod, container };
    },

    'logs.stop': (streamId) => {
      streams.get(streamId)?.stop();
      streams.delete(streamId);
      return null;
    },

    async dispose() {
      for (const s of streams.values()) s.stop();
      streams.clear();
    },
  };
}

/** The pod and container to read: as asked, or the dev container (terminal selector). */
async function pickContainer(pc: ProjectCluster, pod: string | undefined, container: string | undefined): Promise<{ namespace: string; pod: string; container: string; target?: DevContainerTarget }> {
  const targets = projectTargets(pc);
  if (!pod) {
    const target = terminalTarget(pc);
    const dc = await findDevContainer(pc, target, container);
    return { namespace: dc.namespace, pod: dc.pod, container: dc.container, target };
  }
  // Find the pod among the project's (so a replacement can be found by the same labels).
  for (const t of targets.length > 0 ? targets : [{ namespace: pc.namespace, labelSelector: {} }]) {
    const found = (await listPods(pc, t)).find((p) => p.metadata?.name === pod);
    if (!found) continue;
    const names = (found.spec?.containers ?? []).map((c) => c.name);
    const name = container ?? names[0];
    if (!name || !names.includes(name)) {
      throw new AppError('NOT_FOUND', `The pod "${pod}" has no container "${container ?? ''}".`, `Its containers are: ${names.join(', ') || 'none'}.`);
    }
    return { namespace: t.namespace, pod, container: name, ...(Object.keys(t.labelSelector).length > 0 ? { target: t } : {}) };
  }
  throw new AppError('NOT_FOUND', `The pod "${pod}" is not one of this project's pods.`, 'It may have been replaced; pick a pod from the list again.');
}

function summary(pod: V1Pod): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  return {
    name: pod.metadata?.name ?? '',
    containers: (pod.spec?.containers ?? []).map((c) => c.name),
    phase: pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Unknown'),
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
  };
}
