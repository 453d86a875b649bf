// The ReplicaSet controller: keeps spec.replicas pods from the template running (owned through a
// controller ownerReference) and reports replicas, readyReplicas and availableReplicas.

import type { ApiCore } from '../api-core';
import { byKind } from '../resources';
import type { KubeObject } from '../store';
import { WorkQueue, nsKey, splitKey } from './work-queue';

export const isPodReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
export const isPodActive = (p: KubeObject) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
export const controllerOf = (o: KubeObject) => (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);

/** Pods whose readiness has lasted minReadySeconds. */
export function isPodAvailable(p: KubeObject, minReadySeconds: number, now = Date.now()): boolean {
  if (!isPodReady(p)) return false;
  if (!minReadySeconds) return true;
  const c = (p.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
  return !!c?.lastTransitionTime && now - Date.parse(c.lastTransitionTime) >= minReadySeconds * 1000;
}

function deletionRank(p: KubeObject): number {
  if (!p.spec?.nodeName) return 0;
  if (p.status?.phase === 'Pending') return 1;
  if (!isPodReady(p)) return 2;
  return 3;
}

export function startReplicaSetController(core: ApiCore, log: (l: string) => void): () => void {
  const rsT = byKind('ReplicaSet', 'apps');
  const podT = byKind('Pod');
  const queue = new WorkQueue('replicaset-controller', (key) => {
    const [ns, name] = splitKey(key);
    const rs = core.tryGet(rsT, ns, name);
    if (!rs) return;
    const owned = core.store.list(podT, ns).filter((p) => controllerOf(p)?.uid === rs.metadata.uid);
    const active = owned.filter(isPodActive);
    const want = rs.metadata.deletionTimestamp ? active.length : rs.spec.replicas ?? 1;
    if (!rs.metadata.deletionTimestamp && active.length < want) {
      for (let i = active.length; i < want; i++) {
        const tpl = rs.spec.template ?? {};
        let pod: KubeObject;
        try {
          pod = core.create(podT, ns, {
          metadata: {
            generateName: `${name}-`, namespace: ns, labels: { ...(tpl.metadata?.labels ?? {}) },
            ...(tpl.metadata?.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
            spec: structuredClone(tpl.spec),
          }, { manager: 'kube-controller-manager' });
        } catch (e) {
          // As the real controller: a FailedCreate event, then retry later.
          core.recordEvent(rs, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, 'replicaset-controller');
          queue.addAfter(key, 2000);
          break;
        }
        active.push(pod);
        core.recordEvent(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'replicaset-controller');
      }
    } else if (active.length > want) {
      const victims = [...active].sort((a, b) => deletionRank(a) - deletionRank(b) || Date.parse(b.metadata.creationTimestamp) - Date.parse(a.metadata.creationTimestamp)).slice(0, active.length - want);
      for (const v of victims) {
        core.delete(podT, ns, v.metadata.name);
        core.recordEvent(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${v.metadata.name}`, 'replicaset-controller');
      }
      const gone = new Set(victims.map((v) => v.metadata.name));
      active.splice(0, active.length, ...active.filter((p) => !gone.has(p.metadata.name)));
    }
    const tplLabels = rs.spec.template?.metadata?.labels ?? {};
    const minReady = rs.spec.minReadySeconds ?? 0;
    const status: Record<string, unknown> = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => Object.entries(tplLabels).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: active.filter((p) => isPodAvailable(p, minReady)).length,
      observedGeneration: rs.metadata.generation,
    };
    for (const k of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas']) if (status[k] === 0) delete status[k];
    if (JSON.stringify(status) !== JSON.stringify(rs.status ?? {})) {
      core.update(rsT, ns, name, { ...rs, status }, { subresource: 'status' });
    }
    if (minReady && active.some((p) => isPodReady(p) && !isPodAvailable(p, minReady))) queue.addAfter(key, 500);
  }, log);

  const off = core.store.onChange((e) => {
    if (e.resource === rsT) { if (e.type !== 'DELETED') queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)); return; }
    if (e.resource === podT) {
      const owner = controllerOf(e.object);
      if (owner?.kind === 'ReplicaSet') queue.add(nsKey(e.object.metadata.namespace, owner.name));
    }
  });
  for (const rs of core.store.list(rsT)) queue.add(nsKey(rs.metadata.namespace, rs.metadata.name));
  return () => { off(); queue.stop(); };
}
