// The scheduler: binds pending pods without a node to a Ready node that the pod's nodeSelector and
// required node affinity select, whose taints it tolerates and where its hostPorts are free; with
// none, marks PodScheduled=False/Unschedulable and records FailedScheduling.

import type { ApiCore } from '../api-core';
import { byKind } from '../resources';
import type { KubeObject } from '../store';
import { bindPod } from '../rest-handler';
import { timestamp } from '../managed-fields';
import { WorkQueue, nsKey, splitKey } from './work-queue';
import { FREE_PORTS_REASON, hostPortConflicts, matchesNodeSelection, toleratesUnschedulable, untoleratedTaint } from './node-fit';

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
    // Filter plugins in the scheduler's order: NodeAffinity (+ nodeSelector), TaintToleration, NodePorts.
    const pods = core.store.list(podT);
    const reasons = new Map<string, { count: number; resolvable: boolean }>();
    const fail = (reason: string, resolvable: boolean) => { const r = reasons.get(reason) ?? { count: 0, resolvable }; r.count++; reasons.set(reason, r); };
    const fits = ready.filter((n) => {
      if (n.spec?.unschedulable && !toleratesUnschedulable(pod)) { fail('node(s) were unschedulable', false); return false; }
      if (!matchesNodeSelection(pod, n)) { fail("node(s) didn't match Pod's node affinity/selector", false); return false; }
      const taint = untoleratedTaint(pod, n);
      if (taint) { fail(`node(s) had untolerated taint ${taint}`, false); return false; }
      if (hostPortConflicts(pod, n.metadata.name, pods).length) { fail(FREE_PORTS_REASON, true); return false; }
      return true;
    });
    // Nodes that are not Ready carry the node.kubernetes.io/not-ready:NoSchedule taint.
    for (let i = ready.length; i < nodes.length; i++) fail('node(s) had untolerated taint {node.kubernetes.io/not-ready: }', false);
    if (fits.length) {
      const node = fits[0].metadata.name;
      const bound = bindPod(core, pod, node);
      core.recordEvent(bound, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`, 'default-scheduler');
      return;
    }
    const list = (entries: [string, number][]) => entries.sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${n} ${r}`).join(', ');
    const unresolvable = [...reasons.values()].filter((r) => !r.resolvable).reduce((n, r) => n + r.count, 0);
    const resolvable = [...reasons.values()].filter((r) => r.resolvable).reduce((n, r) => n + r.count, 0);
    const preemption = list([...(resolvable ? [['No preemption victims found for incoming pod', resolvable] as [string, number]] : []), ...(unresolvable ? [['Preemption is not helpful for scheduling', unresolvable] as [string, number]] : [])]);
    const why = nodes.length === 0 ? 'no nodes available to schedule pods'
      : ready.length === 0 ? `0/${nodes.length} nodes are available: ${nodes.length} node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`
      : `0/${nodes.length} nodes are available: ${list([...reasons].map(([r, v]) => [r, v.count]))}. preemption: 0/${nodes.length} nodes are available: ${preemption}.`;
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
