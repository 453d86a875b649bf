// The Endpoints controller: for each Service with a selector, the IPs of matching pods, ready ones
// in `addresses` and the others in `notReadyAddresses`, with named targetPorts resolved per pod.

import type { ApiCore } from '../api-core';
import { byKind } from '../resources';
import type { KubeObject } from '../store';
import { isPodReady } from './replicaset';
import { WorkQueue, nsKey, splitKey } from './work-queue';

function resolvePort(pod: KubeObject, target: number | string | undefined, fallback: number): number | undefined {
  if (target === undefined) return fallback;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

export function startEndpointsController(core: ApiCore, log: (l: string) => void): () => void {
  const svcT = byKind('Service');
  const epT = byKind('Endpoints');
  const podT = byKind('Pod');
  const queue = new WorkQueue('endpoint-controller', (key) => {
    const [ns, name] = splitKey(key);
    const svc = core.tryGet(svcT, ns, name);
    const existing = core.tryGet(epT, ns, name);
    if (!svc) {
      if (existing) core.delete(epT, ns, name);
      return;
    }
    const selector: Record<string, string> | undefined = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) return;
    const pods = core.store.list(podT, ns).filter((p) => !p.metadata.deletionTimestamp && p.status?.podIP
      && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'
      && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
    // Pods with the same resolved ports share a subset, as in the real controller.
    const subsets = new Map<string, { addresses: any[]; notReadyAddresses: any[]; ports: any[] }>();
    for (const pod of pods) {
      const ports: any[] = [];
      for (const sp of svc.spec.ports ?? []) {
        const port = resolvePort(pod, sp.targetPort, sp.port);
        if (port === undefined) continue;
        ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      if (!ports.length) continue;
      const k = JSON.stringify(ports);
      let s = subsets.get(k);
      if (!s) subsets.set(k, (s = { addresses: [], notReadyAddresses: [], ports }));
      const addr = { ip: pod.status.podIP, ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid } };
      (isPodReady(pod) ? s.addresses : s.notReadyAddresses).push(addr);
    }
    const list = [...subsets.values()].map((s) => {
      const out: any = { ports: s.ports };
      if (s.addresses.length) out.addresses = s.addresses.sort((a, b) => a.ip.localeCompare(b.ip) || a.targetRef.name.localeCompare(b.targetRef.name));
      if (s.notReadyAddresses.length) out.notReadyAddresses = s.notReadyAddresses.sort((a, b) => a.ip.localeCompare(b.ip) || a.targetRef.name.localeCompare(b.targetRef.name));
      return out;
    });
    const labels = { ...(svc.metadata.labels ?? {}), 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' };
    if (!existing) {
      core.create(epT, ns, { metadata: { name, namespace: ns, labels }, ...(list.length ? { subsets: list } : {}) }, { manager: 'kube-controller-manager' });
    } else if (JSON.stringify(existing.subsets ?? []) !== JSON.stringify(list) || JSON.stringify(existing.metadata.labels ?? {}) !== JSON.stringify(labels)) {
      const next = { ...existing, metadata: { ...existing.metadata, labels } } as KubeObject;
      if (list.length) next.subsets = list; else delete next.subsets;
      core.update(epT, ns, name, next, { manager: 'kube-controller-manager' });
    }
  }, log);

  const off = core.store.onChange((e) => {
    const ns = e.object.metadata.namespace;
    if (e.resource === svcT) queue.add(nsKey(ns, e.object.metadata.name));
    else if (e.resource === podT) {
      for (const svc of core.store.list(svcT, ns)) {
        const sel = svc.spec?.selector;
        if (!sel || !Object.keys(sel).length) continue;
        const m = (o: KubeObject | undefined) => !!o && Object.entries(sel).every(([k, v]) => o.metadata.labels?.[k] === v);
        if (m(e.object) || m(e.old)) queue.add(nsKey(ns, svc.metadata.name));
      }
    }
  });
  for (const s of core.store.list(svcT)) queue.add(nsKey(s.metadata.namespace, s.metadata.name));
  return () => { off(); queue.stop(); };
}
