// Object lifecycles on the API server's core (no HTTP in between where none is needed):
// garbage collection policies, graceful pod deletion without a node, Recreate rollouts; and the
// watch and list options a client library rarely shows (bookmarks, timeouts, pagination).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './server';
import { byKind } from './resources';
import { eventually } from './test-support';
import { readyNode, markPodsRunning } from './lifecycle-fixtures';

let api: ApiServer;
beforeAll(async () => { api = await startApiServer({ bookmarkIntervalMs: 50 }); });
afterAll(async () => { await api?.stop(); });

const pod = byKind('Pod'), cm = byKind('ConfigMap'), dep = byKind('Deployment', 'apps'), rs = byKind('ReplicaSet', 'apps');

describe('garbage collection', () => {
  it('Background: dependents go after the owner', async () => {
    const owner = api.core.create(cm, 'default', { metadata: { name: 'owner-bg' } });
    api.core.create(cm, 'default', { metadata: { name: 'dep-bg', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-bg', uid: owner.metadata.uid }] } });
    api.core.delete(cm, 'default', 'owner-bg', { propagationPolicy: 'Background' });
    await eventually('dependent gone', () => !api.core.tryGet(cm, 'default', 'dep-bg') || undefined);
  });

  it('Orphan: dependents stay, without the owner reference', async () => {
    const owner = api.core.create(cm, 'default', { metadata: { name: 'owner-or' } });
    api.core.create(cm, 'default', { metadata: { name: 'dep-or', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-or', uid: owner.metadata.uid }] } });
    api.core.delete(cm, 'default', 'owner-or', { propagationPolicy: 'Orphan' });
    await new Promise((r) => setTimeout(r, 100));
    expect(api.core.tryGet(cm, 'default', 'dep-or')?.metadata.ownerReferences).toBeUndefined();
  });

  it('Foreground: the owner waits, with a finalizer, until its dependents are gone', async () => {
    const owner = api.core.create(cm, 'default', { metadata: { name: 'owner-fg' } });
    api.core.create(cm, 'default', { metadata: { name: 'dep-fg', finalizers: ['test/hold'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-fg', uid: owner.metadata.uid, blockOwnerDeletion: true }] } });
    const { object, removed } = api.core.delete(cm, 'default', 'owner-fg', { propagationPolicy: 'Foreground' });
    expect(removed).toBe(false);
    expect(object.metadata.finalizers).toContain('foregroundDeletion');
    await eventually('dependent terminating', () => api.core.tryGet(cm, 'default', 'dep-fg')?.metadata.deletionTimestamp);
    expect(api.core.tryGet(cm, 'default', 'owner-fg')).toBeDefined();
    const held = api.core.get(cm, 'default', 'dep-fg');
    api.core.update(cm, 'default', 'dep-fg', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    await eventually('owner gone', () => !api.core.tryGet(cm, 'default', 'owner-fg') || undefined);
  });
});

describe('pods', () => {
  it('removes a scheduled pod the node never finalises after grace + the server margin', async () => {
    api.core.podForceDeleteGraceMs = 100;
    readyNode(api, 'ghost-node', 1);
    const p = api.core.create(pod, 'default', { metadata: { name: 'abandoned' }, spec: { nodeName: 'ghost-node', containers: [{ name: 'c', image: 'busybox:1.36' }] } });
    expect(p.spec.nodeName).toBe('ghost-node');
    const { object, removed } = api.core.delete(pod, 'default', 'abandoned', { gracePeriodSeconds: 1 });
    expect([removed, object.metadata.deletionGracePeriodSeconds]).toEqual([false, 1]);
    await eventually('pod removed by the server', () => !api.core.tryGet(pod, 'default', 'abandoned') || undefined, 5000);
  });

  it('removes an unscheduled pod at once', () => {
    api.core.create(pod, 'default', { metadata: { name: 'never-ran' }, spec: { nodeSelector: { none: 'x' }, containers: [{ name: 'c', image: 'busybox:1.36' }] } });
    expect(api.core.delete(pod, 'default', 'never-ran').removed).toBe(true);
  });
});

describe('Recreate rollouts', () => {
  it('scales the old ReplicaSet to zero and waits for its pods to go before starting new ones', async () => {
    const stopMarking = markPodsRunning(api, 'default');
    try {
      const body = (image: string) => ({ metadata: { name: 'rec' }, spec: { replicas: 2, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'rec' } }, template: { metadata: { labels: { app: 'rec' } }, spec: { containers: [{ name: 'c', image }] } } } });
      api.core.create(dep, 'default', body('busybox:1.36'));
      await eventually('first rollout', () => api.core.get(dep, 'default', 'rec').status?.availableReplicas === 2 || undefined);
      const seen: string[] = [];
      const off = api.store.onChange((e) => {
        if (e.resource === pod && e.object.metadata.labels?.app === 'rec' && (e.type === 'ADDED' || e.type === 'DELETED')) seen.push(`${e.type} ${e.object.spec.containers[0].image}`);
      });
      const cur = api.core.get(dep, 'default', 'rec');
      api.core.update(dep, 'default', 'rec', { ...cur, spec: { ...cur.spec, template: body('busybox:1.37').spec.template } });
      await eventually('second rollout', () => { const d = api.core.get(dep, 'default', 'rec'); return d.status?.observedGeneration === 2 && d.status.updatedReplicas === 2 && d.status.availableReplicas === 2 && d.status.replicas === 2 || undefined; });
      off();
      expect(seen).toEqual(['DELETED busybox:1.36', 'DELETED busybox:1.36', 'ADDED busybox:1.37', 'ADDED busybox:1.37']);
      expect(api.core.list(rs, 'default', 'app=rec').map((r) => r.spec.replicas).sort()).toEqual([0, 2]);
    } finally { stopMarking(); }
  });
});

describe('paused rollouts', () => {
  it('keeps the old ReplicaSet while paused and rolls out on resume', async () => {
    const body = { metadata: { name: 'paused' }, spec: { replicas: 1, selector: { matchLabels: { app: 'paused' } }, template: { metadata: { labels: { app: 'paused' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } } };
    api.core.create(dep, 'default', body);
    await eventually('first ReplicaSet', () => api.core.list(rs, 'default', 'app=paused').length === 1 || undefined);
    let d = api.core.get(dep, 'default', 'paused');
    d = api.core.update(dep, 'default', 'paused', { ...d, spec: { ...d.spec, paused: true, template: { ...d.spec.template, spec: { containers: [{ name: 'c', image: 'busybox:1.37' }] } } } });
    const cond = await eventually('paused condition', () => api.core.get(dep, 'default', 'paused').status?.conditions?.find((c: any) => c.type === 'Progressing' && c.reason === 'DeploymentPaused'));
    expect(cond.status).toBe('Unknown');
    expect(api.core.list(rs, 'default', 'app=paused')).toHaveLength(1);
    d = api.core.get(dep, 'default', 'paused');
    api.core.update(dep, 'default', 'paused', { ...d, spec: { ...d.spec, paused: false } });
    await eventually('second ReplicaSet', () => api.core.list(rs, 'default', 'app=paused').length === 2 || undefined);
  });
});

describe('list and watch options', () => {
  it('pages a list with limit and continue', async () => {
    for (let i = 0; i < 5; i++) api.core.create(cm, 'default', { metadata: { name: `page-${i}`, labels: { page: 'yes' } } });
    const get = async (q: string) => (await fetchJson(`/api/v1/namespaces/default/configmaps?labelSelector=page%3Dyes&${q}`)).body;
    const first = await get('limit=2');
    expect(first.items.map((i: any) => i.metadata.name)).toEqual(['page-0', 'page-1']);
    expect(first.metadata.remainingItemCount).toBe(3);
    const second = await get(`limit=2&continue=${encodeURIComponent(first.metadata.continue)}`);
    expect(second.items.map((i: any) => i.metadata.name)).toEqual(['page-2', 'page-3']);
    const last = await get(`limit=2&continue=${encodeURIComponent(second.metadata.continue)}`);
    expect(last.items.map((i: any) => i.metadata.name)).toEqual(['page-4']);
    expect(last.metadata.continue).toBeUndefined();
    expect(first.items[0].kind).toBeUndefined();
  });

  it('sends bookmarks when asked and ends the watch after timeoutSeconds', async () => {
    const rv = String(api.store.currentRV());
    const res = await fetchJson(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`);
    const lines = res.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.type === 'BOOKMARK' && l.object.kind === 'ConfigMap' && /^\d+$/.test(l.object.metadata.resourceVersion))).toBe(true);
  });
});

async function fetchJson(path: string): Promise<{ status: number; body: any; text: string }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    https.get(`${api.url}${path}`, { ca: api.caPem, headers: { Authorization: `Bearer ${api.tokens.admin}` } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => { let body; try { body = JSON.parse(text); } catch { body = undefined; } resolve({ status: res.statusCode ?? 0, body, text }); });
    }).on('error', reject);
  });
}
