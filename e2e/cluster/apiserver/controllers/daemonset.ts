// The DaemonSet controller (pkg/controller/daemon): one pod per node the DaemonSet should run on
// (its nodeSelector / node affinity select the node and its pods tolerate the node's NoSchedule and
// NoExecute taints). Like the real one since 1.12 it does not set nodeName: each pod gets a required
// node affinity `matchFields metadata.name In [<node>]` and the scheduler binds it, so scheduler
// filters (free hostPorts) apply and show as FailedScheduling. Daemon pods get the default daemon
// tolerations, labels `controller-revision-hash` and `pod-template-generation`. RollingUpdate
// replaces pods of an older template at most maxUnavailable nodes at a time (OnDelete waits for
// the user); failed pods are deleted and recreated (FailedDaemonPod); pods of deleted nodes are
// force-deleted (what podgc does). Status: desired/current/
// ready/available/updated/misscheduled numbers and observedGeneration, as `kubectl rollout status
// daemonset` reads them.

import type { ApiCore } from '../api-core';
import { byKind } from '../resources';
import type { KubeObject } from '../store';
import { podTemplateHash, resolveIntOrPercent } from './deployment';
import { isPodActive, isPodAvailable, isPodReady, controllerOf } from './replicaset';
import { matchesNodeSelection, untoleratedTaint } from './node-fit';
import { WorkQueue, nsKey, splitKey } from './work-queue';

const HASH = 'controller-revision-hash';
const GENERATION = 'pod-template-generation';

/** util.AddOrUpdateDaemonPodTolerations (k8s.io/kubernetes/pkg/controller/daemon/util). */
function daemonTolerations(spec: any): any[] {
  const add = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ...(spec.hostNetwork ? [{ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }] : []),
  ];
  const own: any[] = (spec.tolerations ?? []).filter((t: any) => !add.some((a) => a.key === t.key && a.effect === t.effect));
  return [...own, ...add];
}

/** The node a daemon pod is for: its nodeName, or the one its matchFields affinity names (util.GetTargetNodeName). */
function targetNode(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const t of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const f = (t.matchFields ?? []).find((r: any) => r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1);
    if (f) return f.values[0];
  }
  return undefined;
}

/** Node affinity for one node: the user's terms each get `metadata.name In [node]` (util.ReplaceDaemonSetPodNodeNameNodeAffinity). */
function pinnedAffinity(affinity: any, node: string): any {
  const field = { key: 'metadata.name', operator: 'In', values: [node] };
  const terms: any[] = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const pinned = terms.length
    ? terms.map((t) => ({ ...t, matchFields: [...(t.matchFields ?? []).filter((r: any) => r.key !== 'metadata.name'), field] }))
    : [{ matchFields: [field] }];
  return { ...(affinity ?? {}), nodeAffinity: { ...(affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: pinned } } };
}

export function startDaemonSetController(core: ApiCore, log: (l: string) => void): () => void {
  const dsT = byKind('DaemonSet', 'apps');
  const podT = byKind('Pod');
  const nodeT = byKind('Node');
  /** Failed pods seen per DaemonSet/node: recreated with a back-off, like the real controller. */
  const failedBackoff = new Map<string, number>();

  const reconcile = (key: string) => {
    const [ns, name] = splitKey(key);
    const ds = core.tryGet(dsT, ns, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = podTemplateHash(ds.spec.template);
    const generation = String(ds.metadata.generation ?? 1);
    const isUpdated = (p: KubeObject) => p.metadata.labels?.[HASH] === hash || (!p.metadata.labels?.[HASH] && p.metadata.labels?.[GENERATION] === generation);
    const owned = core.store.list(podT, ns).filter((p) => controllerOf(p)?.uid === ds.metadata.uid);
    const byNode = new Map<string, KubeObject[]>();
    for (const p of owned) {
      const n = targetNode(p);
      if (!n) continue;
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const template = { ...ds.spec.template, spec: ds.spec.template?.spec ?? {} };
    const probe = { metadata: { uid: '' }, spec: { ...template.spec, tolerations: daemonTolerations(template.spec) } } as KubeObject;
    const nodes = core.store.list(nodeT);
    const shouldRun = (n: KubeObject) => matchesNodeSelection(probe, n) && !untoleratedTaint(probe, n);
    const minReady = ds.spec.minReadySeconds ?? 0;
    const rolling = (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const desired = nodes.filter(shouldRun);
    const maxUnavailable = Math.max(rolling ? resolveIntOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired.length, false) : 0, 1);
    let retryMs = 0;

    const create = (node: string) => {
      const spec = structuredClone(template.spec);
      spec.affinity = pinnedAffinity(spec.affinity, node);
      spec.tolerations = daemonTolerations(spec);
      try {
        const pod = core.create(podT, ns, {
          metadata: {
            generateName: `${name}-`, namespace: ns,
            labels: { ...(template.metadata?.labels ?? {}), [HASH]: hash, [GENERATION]: generation },
            ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          spec,
        }, { manager: 'kube-controller-manager' });
        core.recordEvent(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'daemonset-controller');
      } catch (e) {
        core.recordEvent(ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, 'daemonset-controller');
        retryMs = 2000;
      }
    };
    const remove = (p: KubeObject, reason?: string) => {
      try { core.delete(podT, ns, p.metadata.name); } catch { return; }
      if (reason) core.recordEvent(ds, 'Warning', 'FailedDaemonPod', reason, 'daemonset-controller');
      else core.recordEvent(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
    };

    // Pods for nodes that no longer exist: the pod garbage collector force-deletes them (podgc's orphaned pods).
    for (const [nodeName, pods] of byNode) {
      if (nodes.some((n) => n.metadata.name === nodeName)) continue;
      for (const p of pods) { try { core.delete(podT, ns, p.metadata.name, { gracePeriodSeconds: 0 }); } catch { /* gone */ } }
    }

    // Unavailable nodes count against maxUnavailable during a rolling update.
    let unavailable = desired.filter((n) => !(byNode.get(n.metadata.name) ?? []).some((p) => isPodActive(p) && isPodAvailable(p, minReady))).length;
    for (const n of nodes) {
      const nodeName = n.metadata.name;
      const pods = byNode.get(nodeName) ?? [];
      const active = pods.filter(isPodActive);
      const failed = pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Failed');
      if (!shouldRun(n)) {
        for (const p of active) remove(p);
        continue;
      }
      for (const p of failed) {
        const bk = `${key}/${nodeName}`;
        const waitUntil = failedBackoff.get(bk) ?? 0;
        if (Date.now() < waitUntil) { retryMs = Math.max(retryMs, waitUntil - Date.now()); continue; }
        failedBackoff.set(bk, Date.now() + 1000);
        remove(p, `Found failed daemon pod ${ns}/${p.metadata.name} on node ${nodeName}, will try to kill it`);
      }
      if (active.length === 0 && !pods.some((p) => p.metadata.deletionTimestamp) && !failed.length) { create(nodeName); continue; }
      if (active.length > 1) {
        // Keep one: the updated, oldest one (the real controller keeps the oldest).
        const keep = [...active].sort((a, b) => Number(isUpdated(b)) - Number(isUpdated(a)) || Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp))[0]!;
        for (const p of active) if (p !== keep) remove(p);
        continue;
      }
      const old = active.find((p) => !isUpdated(p));
      if (old && rolling) {
        const available = isPodAvailable(old, minReady);
        // An unavailable old pod goes at once; an available one only while the budget allows.
        if (!available) remove(old);
        else if (unavailable < maxUnavailable) { unavailable++; remove(old); }
      }
    }

    // Status, from the pods as they are now.
    const now = core.store.list(podT, ns).filter((p) => controllerOf(p)?.uid === ds.metadata.uid && isPodActive(p));
    const onNode = (n: KubeObject) => now.filter((p) => targetNode(p) === n.metadata.name && p.spec?.nodeName === n.metadata.name);
    const scheduled = desired.filter((n) => onNode(n).length > 0);
    const ready = desired.filter((n) => onNode(n).some(isPodReady));
    const available = desired.filter((n) => onNode(n).some((p) => isPodAvailable(p, minReady)));
    const updated = desired.filter((n) => onNode(n).some(isUpdated));
    const misscheduled = nodes.filter((n) => !shouldRun(n) && onNode(n).length > 0);
    const status: Record<string, unknown> = {
      currentNumberScheduled: scheduled.length,
      numberMisscheduled: misscheduled.length,
      desiredNumberScheduled: desired.length,
      numberReady: ready.length,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: updated.length,
      numberAvailable: available.length,
      numberUnavailable: desired.length - available.length,
    };
    // Zero counters are omitted on the wire (omitempty), as the real server sends them.
    for (const k of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled']) if (status[k] === 0) delete status[k];
    const cur = core.tryGet(dsT, ns, name);
    if (cur && JSON.stringify(status) !== JSON.stringify(cur.status ?? {})) {
      core.update(dsT, ns, name, { ...cur, status }, { subresource: 'status' });
    }
    if (minReady && now.some((p) => isPodReady(p) && !isPodAvailable(p, minReady))) retryMs = retryMs || 500;
    if (retryMs) queue.addAfter(key, retryMs);
  };

  const queue = new WorkQueue('daemonset-controller', reconcile, log);
  const all = () => { for (const ds of core.store.list(dsT)) queue.add(nsKey(ds.metadata.namespace, ds.metadata.name)); };
  const off = core.store.onChange((e) => {
    if (e.resource === dsT) { if (e.type !== 'DELETED') queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)); return; }
    if (e.resource === podT) {
      const owner = controllerOf(e.object);
      if (owner?.kind === 'DaemonSet') queue.add(nsKey(e.object.metadata.namespace, owner.name));
      return;
    }
    if (e.resource === nodeT) all();
  });
  all();
  return () => { off(); queue.stop(); };
}
