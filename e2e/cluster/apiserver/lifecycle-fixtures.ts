// Core-level stand-ins for a node, for tests that drive the API server's core directly.

import type { ApiServer } from './server';
import { byKind } from './resources';

/** A Node object that is Ready, with `port` as its (unused) kubelet port. */
export function readyNode(api: ApiServer, name: string, port: number): void {
  const now = new Date().toISOString();
  api.core.create(byKind('Node'), undefined, { metadata: { name }, status: { daemonEndpoints: { kubeletEndpoint: { Port: port } }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now }] } });
}

/** Marks every pod bound to a node in `ns` Running and Ready, and finalises deletions; returns the stop function. */
export function markPodsRunning(api: ApiServer, ns: string): () => void {
  const podT = byKind('Pod');
  readyNodeOnce(api);
  let ip = 100;
  const tick = () => {
    for (const p of api.core.list(podT, ns)) {
      if (!p.spec.nodeName) continue;
      if (p.metadata.deletionTimestamp) { api.core.delete(podT, ns, p.metadata.name, { gracePeriodSeconds: 0 }); continue; }
      if (p.status?.phase === 'Running') continue;
      const t = new Date().toISOString();
      api.core.update(podT, ns, p.metadata.name, { ...p, status: { ...p.status, phase: 'Running', podIP: `10.244.1.${ip++ % 250}`,
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }, { type: 'PodScheduled', status: 'True', lastTransitionTime: t }] } }, { subresource: 'status' });
    }
  };
  const timer = setInterval(tick, 20);
  return () => clearInterval(timer);
}

function readyNodeOnce(api: ApiServer): void {
  if (!api.core.tryGet(byKind('Node'), undefined, 'core-node')) readyNode(api, 'core-node', 1);
}
