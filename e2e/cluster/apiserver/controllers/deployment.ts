// The Deployment controller: one ReplicaSet per pod template (name suffix and label
// pod-template-hash, annotation deployment.kubernetes.io/revision), rolled out with RollingUpdate
// (maxSurge/maxUnavailable) or Recreate, and the status fields and Available/Progressing
// conditions `kubectl rollout status` reads (pkg/controller/deployment).

import type { ApiCore } from '../api-core';
import { byKind } from '../resources';
import type { KubeObject } from '../store';
import { timestamp } from '../managed-fields';
import { controllerOf } from './replicaset';
import { WorkQueue, nsKey, splitKey } from './work-queue';

const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
const HASH = 'pod-template-hash';
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => (v as any)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableStringify((v as any)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** FNV-1a over the template, encoded like rand.SafeEncodeString(fmt.Sprint(hash)). */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(stableStringify(template) + (collisionCount ? String(collisionCount) : ''))) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');
}

function withoutHash(template: any): unknown {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) { delete t.metadata.labels[HASH]; }
  return t;
}

/** intstr percentages: maxSurge rounds up, maxUnavailable rounds down. */
export function resolveIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = v.match(/^(\d+)%$/);
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);

function maxUnavailableOf(d: KubeObject): number {
  const replicas = d.spec.replicas ?? 1;
  if (d.spec.strategy?.type !== 'RollingUpdate' || replicas === 0) return 0;
  const surge = resolveIntOrPercent(d.spec.strategy.rollingUpdate?.maxSurge, replicas, true);
  let unavail = resolveIntOrPercent(d.spec.strategy.rollingUpdate?.maxUnavailable, replicas, false);
  if (surge === 0 && unavail === 0) unavail = 1;
  return Math.min(unavail, replicas);
}

export function startDeploymentController(core: ApiCore, log: (l: string) => void): () => void {
  const depT = byKind('Deployment', 'apps');
  const rsT = byKind('ReplicaSet', 'apps');
  const podT = byKind('Pod');

  const scaleRS = (d: KubeObject, rs: KubeObject, to: number, maxReplicas: number) => {
    const from = rs.spec.replicas ?? 0;
    const ann = rs.metadata.annotations ?? {};
    if (from === to && ann[DESIRED] === String(d.spec.replicas) && ann[MAX] === String(maxReplicas)) return rs;
    rs.spec.replicas = to;
    rs.metadata.annotations = { ...ann, [DESIRED]: String(d.spec.replicas), [MAX]: String(maxReplicas) };
    const out = core.update(rsT, rs.metadata.namespace, rs.metadata.name, rs, { manager: 'kube-controller-manager' });
    if (from !== to) core.recordEvent(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, 'deployment-controller');
    return out;
  };

  const reconcile = (key: string) => {
    const [ns, name] = splitKey(key);
    const d = core.tryGet(depT, ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const replicas: number = d.spec.replicas ?? 1;
    let rss = core.store.list(rsT, ns).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid && !rs.metadata.deletionTimestamp);
    const want = stableStringify(withoutHash(d.spec.template));
    let newRS = rss.find((rs) => stableStringify(withoutHash(rs.spec.template)) === want);
    let oldRSs = rss.filter((rs) => rs !== newRS).sort((a, b) => revisionOf(a) - revisionOf(b));
    const maxOldRevision = Math.max(0, ...oldRSs.map(revisionOf));
    const rolling = d.spec.strategy?.type !== 'Recreate';
    const surge = rolling ? resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true) : 0;
    const maxUnavailable = maxUnavailableOf(d);
    let createdNew = false;

    if (!newRS && d.spec.paused) {
      // A paused Deployment gets no new ReplicaSet until it is resumed (sync without createIfNotExisted).
      syncStatus(d, undefined, oldRSs, maxUnavailable, false);
      return;
    }
    if (!newRS) {
      const hash = podTemplateHash(withoutHash(d.spec.template), d.status?.collisionCount ?? 0);
      const template = structuredClone(d.spec.template);
      template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH]: hash } };
      const annotations = { ...Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration' && k !== REVISION)),
        [REVISION]: String(maxOldRevision + 1), [DESIRED]: String(replicas), [MAX]: String(replicas + surge) };
      newRS = core.create(rsT, ns, {
        metadata: { name: `${name}-${hash}`, namespace: ns, labels: { ...(d.spec.template?.metadata?.labels ?? {}), [HASH]: hash }, annotations,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }] },
        spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), [HASH]: hash } }, template },
      }, { manager: 'kube-controller-manager' });
      createdNew = true;
      rss = [...rss, newRS];
    } else if (revisionOf(newRS) <= maxOldRevision) {
      newRS.metadata.annotations = { ...(newRS.metadata.annotations ?? {}), [REVISION]: String(maxOldRevision + 1) };
      newRS = core.update(rsT, ns, newRS.metadata.name, newRS, { manager: 'kube-controller-manager' });
    }

    if (!d.spec.paused) {
      if (!rolling) {
        // Recreate waits until every old pod is gone, terminating ones included.
        const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
        const oldActive = oldRSs.some((rs) => (rs.spec.replicas ?? 0) > 0) || core.store.list(byKind('Pod'), ns).some((p) => oldUids.has(controllerOf(p)?.uid));
        oldRSs = oldRSs.map((rs) => scaleRS(d, rs, 0, replicas));
        if (!oldActive) newRS = scaleRS(d, newRS!, replicas, replicas);
      } else {
        const maxTotal = replicas + surge;
        const cur = newRS!.spec.replicas ?? 0;
        if (cur > replicas) newRS = scaleRS(d, newRS!, replicas, maxTotal);
        else {
          const total = [newRS!, ...oldRSs].reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
          newRS = scaleRS(d, newRS!, total < maxTotal ? Math.min(replicas, cur + (maxTotal - total)) : cur, maxTotal);
        }
        const minAvailable = replicas - maxUnavailable;
        const allCount = [newRS!, ...oldRSs].reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
        const newUnavailable = (newRS!.spec.replicas ?? 0) - (newRS!.status?.availableReplicas ?? 0);
        let budget = allCount - minAvailable - newUnavailable;
        // First old pods that are not available anyway, then available ones down to minAvailable.
        oldRSs = oldRSs.map((rs) => {
          if (budget <= 0) return rs;
          const unhealthy = (rs.spec.replicas ?? 0) - (rs.status?.availableReplicas ?? 0);
          const n = Math.min(budget, Math.max(0, unhealthy));
          if (n <= 0) return rs;
          budget -= n;
          return scaleRS(d, rs, (rs.spec.replicas ?? 0) - n, maxTotal);
        });
        const available = [newRS!, ...oldRSs].reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, rs.spec.replicas ?? 0), 0);
        let down = available - minAvailable;
        oldRSs = oldRSs.map((rs) => {
          if (down <= 0 || (rs.spec.replicas ?? 0) === 0) return rs;
          const n = Math.min(down, rs.spec.replicas ?? 0);
          down -= n;
          return scaleRS(d, rs, (rs.spec.replicas ?? 0) - n, maxTotal);
        });
      }
      // Keep at most revisionHistoryLimit old, empty ReplicaSets.
      const limit = d.spec.revisionHistoryLimit ?? 10;
      const empty = oldRSs.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0);
      for (const rs of empty.slice(0, Math.max(0, empty.length - limit))) core.delete(rsT, ns, rs.metadata.name);
    }
    // The Deployment carries its current revision too (kubectl rollout undo patches against it).
    const revision = newRS!.metadata.annotations?.[REVISION];
    let current = d;
    if (revision && d.metadata.annotations?.[REVISION] !== revision) {
      current = core.update(depT, ns, name, { ...d, metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [REVISION]: revision } } }, { manager: 'kube-controller-manager' });
    }
    syncStatus(current, newRS!, oldRSs, maxUnavailable, createdNew);
  };

  const syncStatus = (d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[], maxUnavailable: number, createdNew: boolean) => {
    const all = newRS ? [newRS, ...oldRSs] : oldRSs;
    const replicas: number = d.spec.replicas ?? 1;
    const sum = (f: (rs: KubeObject) => number) => all.reduce((n, rs) => n + f(rs), 0);
    const prev = d.status ?? {};
    const status: Record<string, any> = {
      observedGeneration: d.metadata.generation,
      replicas: sum((rs) => rs.status?.replicas ?? 0),
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: sum((rs) => rs.status?.availableReplicas ?? 0),
    };
    status.unavailableReplicas = Math.max(0, sum((rs) => rs.spec.replicas ?? 0) - status.availableReplicas);
    if (prev.collisionCount) status.collisionCount = prev.collisionCount;
    const now = timestamp();
    const conds: any[] = structuredClone(prev.conditions ?? []);
    const setCond = (type: string, st: string, reason: string, message: string, touch: boolean) => {
      const i = conds.findIndex((c) => c.type === type);
      const old = conds[i];
      if (old && old.status === st && old.reason === reason && old.message === message && !touch) return;
      const c = { type, status: st, lastUpdateTime: now, lastTransitionTime: old && old.status === st ? old.lastTransitionTime : now, reason, message };
      if (i >= 0) conds[i] = c; else conds.push(c);
    };
    if (status.availableReplicas >= replicas - maxUnavailable) setCond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', false);
    else setCond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', false);
    const rsName = newRS?.metadata.name ?? '';
    const progressing = conds.find((c) => c.type === 'Progressing');
    const complete = status.updatedReplicas === replicas && status.replicas === replicas && status.availableReplicas === replicas;
    const moved = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'].some((k) => (prev[k] ?? 0) !== status[k]) || (prev.observedGeneration ?? 0) < (d.metadata.generation ?? 0);
    if (d.spec.paused) {
      if (progressing?.reason !== 'DeploymentPaused') setCond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', true);
    } else if (progressing?.reason === 'DeploymentPaused') {
      setCond('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', true);
    } else if (d.spec.progressDeadlineSeconds !== undefined) {
      if (createdNew) setCond('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, true);
      else if (complete) { if (progressing?.reason !== 'NewReplicaSetAvailable') setCond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, true); }
      else if (moved || !progressing) setCond('Progressing', 'True', progressing ? 'ReplicaSetUpdated' : 'FoundNewReplicaSet', progressing ? `ReplicaSet "${rsName}" is progressing.` : `Found new replica set "${rsName}"`, true);
      else if (progressing.reason !== 'ProgressDeadlineExceeded' && Date.now() - Date.parse(progressing.lastUpdateTime) > d.spec.progressDeadlineSeconds * 1000) {
        setCond('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, true);
        core.recordEvent(d, 'Warning', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, 'deployment-controller');
      }
    }
    status.conditions = conds;
    if (status.unavailableReplicas === 0) delete status.unavailableReplicas;
    for (const k of ['readyReplicas', 'availableReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
    if (stableStringify(status) !== stableStringify(prev)) core.update(depT, d.metadata.namespace, d.metadata.name, { ...d, status }, { subresource: 'status' });
    if (!complete) queue.addAfter(nsKey(d.metadata.namespace, d.metadata.name), 1000);
  };

  const queue = new WorkQueue('deployment-controller', reconcile, log);
  const off = core.store.onChange((e) => {
    if (e.resource === depT) { if (e.type !== 'DELETED') queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name)); return; }
    if (e.resource === podT && e.type === 'DELETED') {
      // Recreate rollouts wait for old pods to disappear.
      const rsRef = controllerOf(e.object);
      const rs = rsRef ? core.tryGet(rsT, e.object.metadata.namespace, rsRef.name) : undefined;
      const owner = rs && controllerOf(rs);
      if (owner?.kind === 'Deployment') queue.add(nsKey(e.object.metadata.namespace, owner.name));
      return;
    }
    if (e.resource === rsT) {
      const owner = controllerOf(e.object);
      if (owner?.kind === 'Deployment') queue.add(nsKey(e.object.metadata.namespace, owner.name));
    }
  });
  for (const d of core.store.list(depT)) queue.add(nsKey(d.metadata.namespace, d.metadata.name));
  return () => { off(); queue.stop(); };
}
