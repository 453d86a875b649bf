// The scheduler: binds pending pods without a node to a Ready node whose labels match the pod's
// nodeSelector; with none, marks PodScheduled=False/Unschedulable and records FailedScheduling.

import type { ApiCore } from '../api-core';
import { byKind } from '../resources';
import type { KubeObject } from '../store';
import { bindPod } from '../rest-handler';
import { timestamp } from '../managed-fields';
import { WorkQueue, nsKey, splitKey } from './work-queue';

const RETRY_MS = 1000;

export function startScheduler(core: ApiCore, log: (l: string) => void): () => void {
  const podT = byKind('Pod');
  const nodeT = byKind('Node');
  const queue = new WorkQueue('scheduler', (key) => {
    const [ns, name] = splitKey(key);
    const pod = core.tryGet(podT, ns, name);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return;
    if ((pod.spec?.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return;
    const nodes = core.store.list(nodeT);
    const ready = nodes.filter(isReady);
    const fits = ready.filter((n) => !n.spec?.unschedulable && Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => n.metadata.labels?.[k] === v));
    if (fits.length) {
      const node = fits[0].metadata.name;
      const bound = bindPod(core, pod, node);
      core.recordEvent(bound, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`, 'default-scheduler');
      return;
    }
    const why = nodes.length === 0 ? 'no nodes available to schedule pods'
      : ready.length === 0 ? `0/${nodes.length} nodes are available: ${nodes.length} node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`
      : `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
    const cond = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
    if (!cond || cond.status !== 'False' || cond.message !== why) {
      pod.status.conditions = [...(pod.status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled'),
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: why, lastProbeTime: null, lastTransitionTime: timestamp() }];
      const stored = core.store.put(podT, pod, 'MODIFIED');
      core.recordEvent(stored, 'Warning', 'FailedScheduling', why, 'default-scheduler');
    }
    queue.addAfter(key, RETRY_MS);
  }, log);

  const off = core.store.onChange((e) => {
    if (e.resource === podT && e.type !== 'DELETED' && !e.object.spec?.nodeName) queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    if (e.resource === nodeT && e.type !== 'DELETED' && isReady(e.object) && !(e.old && isReady(e.old))) {
      for (const p of core.store.list(podT)) if (!p.spec?.nodeName) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
    }
  });
  for (const p of core.store.list(podT)) if (!p.spec?.nodeName) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
  return () => { off(); queue.stop(); };
}

export function isReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}
