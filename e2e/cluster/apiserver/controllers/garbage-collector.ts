// Object lifecycle controllers: the garbage collector (dependents whose owners are gone,
// foreground deletion), namespace deletion (empties the namespace, then removes it), the
// service-account controller (a `default` ServiceAccount in every namespace) and the root-CA
// publisher (ConfigMap `kube-root-ca.crt` in every namespace, as in a real cluster).

import type { ApiCore } from '../api-core';
import { byKind, type ResourceType } from '../resources';
import type { KubeObject } from '../store';
import { WorkQueue } from './work-queue';

export function startLifecycleControllers(core: ApiCore, log: (l: string) => void, caPem?: string): () => void {
  const nsT = byKind('Namespace');
  const saT = byKind('ServiceAccount');
  const cmT = byKind('ConfigMap');

  const pass = () => {
    const all: [ResourceType, KubeObject][] = [...core.store.all()].map(([t, o]) => [t, o]);
    const uids = new Map<string, [ResourceType, KubeObject]>();
    for (const e of all) uids.set(e[1].metadata.uid, e);
    const dependents = new Map<string, [ResourceType, KubeObject][]>();
    for (const [t, o] of all) for (const r of o.metadata.ownerReferences ?? []) {
      const list = dependents.get(r.uid) ?? [];
      list.push([t, o]);
      dependents.set(r.uid, list);
    }
    for (const [t, o] of all) {
      const refs: any[] = o.metadata.ownerReferences ?? [];
      const ns = o.metadata.namespace;
      if (refs.length && !o.metadata.deletionTimestamp) {
        const owners = refs.map((r) => uids.get(r.uid)?.[1]);
        if (owners.every((x) => !x)) { safe(() => core.delete(t, ns, o.metadata.name, { propagationPolicy: 'Background' })); continue; }
        if (owners.some((x) => x?.metadata.finalizers?.includes('foregroundDeletion')) && owners.every((x) => !x || x.metadata.deletionTimestamp)) {
          safe(() => core.delete(t, ns, o.metadata.name, { propagationPolicy: 'Foreground' }));
          continue;
        }
      }
      if (o.metadata.deletionTimestamp && o.metadata.finalizers?.includes('foregroundDeletion')) {
        const live = (dependents.get(o.metadata.uid) ?? []).filter(([dt, d]) => core.tryGet(dt, d.metadata.namespace, d.metadata.name));
        if (live.length === 0) {
          const cur = core.tryGet(t, ns, o.metadata.name);
          if (cur) {
            cur.metadata.finalizers = cur.metadata.finalizers.filter((f: string) => f !== 'foregroundDeletion');
            if (!cur.metadata.finalizers.length) delete cur.metadata.finalizers;
            safe(() => core.update(t, ns, o.metadata.name, cur));
          }
        }
      }
    }
    for (const ns of core.store.list(nsT)) {
      const name = ns.metadata.name;
      if (ns.metadata.deletionTimestamp) {
        let remaining = 0;
        for (const [t, o] of [...core.store.all()]) {
          if (!t.namespaced || o.metadata.namespace !== name) continue;
          remaining++;
          if (!o.metadata.deletionTimestamp) safe(() => core.delete(t, name, o.metadata.name, { propagationPolicy: 'Background' }));
        }
        if (remaining === 0) core.removeNow(nsT, undefined, name);
        else queue.addAfter('gc', 250);
      } else {
        if (!core.tryGet(saT, name, 'default')) safe(() => core.create(saT, name, { metadata: { name: 'default', namespace: name } }));
        if (caPem && !core.tryGet(cmT, name, 'kube-root-ca.crt')) {
          safe(() => core.create(cmT, name, { metadata: { name: 'kube-root-ca.crt', namespace: name, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': caPem } }));
        }
      }
    }
  };
  const safe = (f: () => void) => { try { f(); } catch (e) { if ((e as { code?: number }).code !== 404) log(`garbage-collector: ${(e as Error).message}`); } };
  const queue = new WorkQueue('garbage-collector', pass, log);
  const off = core.store.onChange((e) => {
    if (e.type === 'DELETED' || e.object.metadata.deletionTimestamp || e.resource === nsT) queue.add('gc');
  });
  queue.add('gc');
  return () => { off(); queue.stop(); };
}
