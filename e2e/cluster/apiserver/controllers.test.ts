// The controllers inside the API server (scheduler, Deployment, ReplicaSet, Endpoints, garbage
// collector, namespaces) and the stream proxy, with a fake kubelet playing the node.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { eventually, rawRequest, startApiOnlyCluster, startFakeKubelet, statusOf, type FakeKubelet, type TestClients } from './test-support';

let c: TestClients;
let kubelet: FakeKubelet | undefined;
beforeAll(async () => { c = await startApiOnlyCluster(); });
afterAll(async () => { await kubelet?.stop(); await c?.cluster.stop(); });

const deployment = (name: string, replicas: number, image = 'busybox:1.36'): V1Deployment => ({
  metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ports: [{ name: 'http', containerPort: 8080 }] }] } } },
});
const eventsFor = async (ns: string, name: string) => (await c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name}` })).items;

describe('scheduling', () => {
  it('marks a pod Unschedulable with a FailedScheduling event while no node is Ready, and binds it once one is', async () => {
    await c.core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'early' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    const cond = await eventually('PodScheduled=False', async () => (await c.core.readNamespacedPod({ name: 'early', namespace: 'default' })).status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False'));
    expect(cond.reason).toBe('Unschedulable');
    expect((await eventsFor('default', 'early')).map((e) => [e.type, e.reason])).toContainEqual(['Warning', 'FailedScheduling']);

    kubelet = await startFakeKubelet(c, { ready: (p: V1Pod) => p.metadata?.labels?.ready !== 'no' });
    const pod = await eventually('pod running on test-node', async () => { const p = await c.core.readNamespacedPod({ name: 'early', namespace: 'default' }); return p.status?.phase === 'Running' ? p : undefined; });
    expect(pod.spec?.nodeName).toBe('test-node');
    expect(pod.status?.conditions?.find((x) => x.type === 'PodScheduled')?.status).toBe('True');
    const scheduled = (await eventsFor('default', 'early')).find((e) => e.reason === 'Scheduled');
    expect(scheduled?.message).toBe('Successfully assigned default/early to test-node');
  });

  it('deletes a scheduled pod gracefully: deletionTimestamp first, gone once the node finalises', async () => {
    const deleted = await c.core.deleteNamespacedPod({ name: 'early', namespace: 'default' });
    expect(deleted.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(deleted.metadata?.deletionGracePeriodSeconds).toBe(30);
    await eventually('pod gone', async () => (await statusOf(c.core.readNamespacedPod({ name: 'early', namespace: 'default' }))).code === 404 || undefined);
  });
});

describe('deployments', () => {
  it('rolls out a Deployment through a ReplicaSet to available pods', async () => {
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web', 3) });
    const d = await eventually('web available', async () => {
      const x = await c.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
      return x.status?.availableReplicas === 3 && x.status.conditions?.find((k) => k.type === 'Progressing')?.reason === 'NewReplicaSetAvailable' ? x : undefined;
    });
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.conditions?.find((k) => k.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    const rss = (await c.apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' })).items;
    expect(rss).toHaveLength(1);
    const hash = rss[0].metadata!.labels!['pod-template-hash'];
    expect(rss[0].metadata!.name).toBe(`web-${hash}`);
    expect(rss[0].metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('1');
    expect(rss[0].metadata!.ownerReferences![0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    const pods = (await c.core.listNamespacedPod({ namespace: 'default', labelSelector: `app=web,pod-template-hash=${hash}` })).items;
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.metadata!.ownerReferences![0]).toMatchObject({ kind: 'ReplicaSet', name: `web-${hash}` });
    const reasons = (await eventsFor('default', 'web')).map((e) => e.reason);
    expect(reasons).toContain('ScalingReplicaSet');
  });

  it('rolls out a template change to a new ReplicaSet and scales the old one to zero', async () => {
    const cur = await c.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    cur.spec!.template.spec!.containers[0].image = 'busybox:1.37';
    await c.apps.replaceNamespacedDeployment({ name: 'web', namespace: 'default', body: cur });
    const d = await eventually('rollout complete', async () => {
      const x = await c.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
      const done = x.status?.observedGeneration === 2 && x.status.updatedReplicas === 3 && x.status.replicas === 3 && x.status.availableReplicas === 3;
      return done && x.status?.conditions?.find((k) => k.type === 'Progressing')?.reason === 'NewReplicaSetAvailable' ? x : undefined;
    });
    expect(d.metadata?.generation).toBe(2);
    const rss = (await c.apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' })).items;
    const rev = (n: string) => rss.find((r) => r.metadata?.annotations?.['deployment.kubernetes.io/revision'] === n);
    expect(rev('2')?.spec?.template?.spec?.containers[0]?.image).toBe('busybox:1.37');
    expect(rev('2')?.spec?.replicas).toBe(3);
    expect(rev('1')?.spec?.replicas).toBe(0);
    await eventually('old pods gone', async () => (await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items.every((p) => p.spec!.containers[0].image === 'busybox:1.37') || undefined);
  });

  it('scales through the scale subresource', async () => {
    const s = await c.apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: { metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1 } } });
    expect(s.spec?.replicas).toBe(1);
    await eventually('one pod left', async () => (await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items.length === 1 || undefined);
  });

  it('deletes a Deployment in the foreground with its ReplicaSets and pods', async () => {
    await c.apps.deleteNamespacedDeployment({ name: 'web', namespace: 'default', propagationPolicy: 'Foreground' });
    await eventually('deployment, replicasets and pods gone', async () => {
      const d = await statusOf(c.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' }));
      const rs = (await c.apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' })).items.length;
      const pods = (await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items.length;
      return d.code === 404 && rs === 0 && pods === 0 || undefined;
    });
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    const d = deployment('stuck', 1);
    d.spec!.progressDeadlineSeconds = 1;
    d.spec!.template.metadata!.labels!.ready = 'no';
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: d });
    const cond = await eventually('deadline exceeded', async () => (await c.apps.readNamespacedDeployment({ name: 'stuck', namespace: 'default' })).status?.conditions?.find((k) => k.type === 'Progressing' && k.reason === 'ProgressDeadlineExceeded'));
    expect(cond).toMatchObject({ status: 'False', message: expect.stringMatching(/^ReplicaSet "stuck-\w+" has timed out progressing\.$/) });
    await c.apps.deleteNamespacedDeployment({ name: 'stuck', namespace: 'default' });
  });
});

describe('admission', () => {
  it('refuses pods of a missing ServiceAccount; the ReplicaSet reports FailedCreate until it exists', async () => {
    const d = deployment('needs-sa', 1);
    d.spec!.template.spec!.serviceAccountName = 'builder';
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: d });
    const failed = await eventually('FailedCreate', async () => (await c.core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'reason=FailedCreate' })).items.find((e) => e.involvedObject.name?.startsWith('needs-sa-')));
    expect(failed.message).toMatch(/^Error creating: pods "needs-sa-\w+-" is forbidden: error looking up service account default\/builder: serviceaccount "builder" not found$/);
    await c.core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'builder' } } });
    await eventually('pod created', async () => (await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=needs-sa' })).items.length === 1 || undefined);
    await c.apps.deleteNamespacedDeployment({ name: 'needs-sa', namespace: 'default' });
  });
});

describe('services', () => {
  it('fills Endpoints with ready pod IPs, not-ready ones apart, and resolves named target ports', async () => {
    await c.core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'api' }, spec: { selector: { svc: 'api' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } } });
    const pod = (name: string, ready: boolean): V1Pod => ({ metadata: { name, labels: { svc: 'api', ...(ready ? {} : { ready: 'no' }) } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', ports: [{ name: 'http', containerPort: 9090 }] }] } });
    await c.core.createNamespacedPod({ namespace: 'default', body: pod('api-1', true) });
    await c.core.createNamespacedPod({ namespace: 'default', body: pod('api-2', false) });
    const ep = await eventually('endpoints', async () => {
      const e = await c.core.readNamespacedEndpoints({ name: 'api', namespace: 'default' });
      const s = e.subsets?.[0];
      return s?.addresses?.length === 1 && s.notReadyAddresses?.length === 1 ? e : undefined;
    });
    const s = ep.subsets![0];
    expect(s.ports).toEqual([{ name: 'web', port: 9090, protocol: 'TCP' }]);
    expect(s.addresses![0].targetRef).toMatchObject({ kind: 'Pod', name: 'api-1' });
    expect(s.notReadyAddresses![0].targetRef).toMatchObject({ kind: 'Pod', name: 'api-2' });
    expect(s.addresses![0].ip).toMatch(/^10\.244\./);
  });
});

describe('namespaces', () => {
  it('gets a default ServiceAccount, and deleting it removes everything inside', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'temp' } } });
    await eventually('default service account', async () => (await c.core.readNamespacedServiceAccount({ name: 'default', namespace: 'temp' })) ?? undefined);
    await c.core.createNamespacedConfigMap({ namespace: 'temp', body: { metadata: { name: 'cfg' } } });
    await c.core.createNamespacedPod({ namespace: 'temp', body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    await eventually('pod scheduled', async () => (await c.core.readNamespacedPod({ name: 'p', namespace: 'temp' })).spec?.nodeName || undefined);
    // The real server answers with the Namespace (client-node types it as a Status).
    const ns = (await c.core.deleteNamespace({ name: 'temp' })) as unknown as { status?: { phase?: string } };
    expect(ns.status?.phase).toBe('Terminating');
    expect((await statusOf(c.core.createNamespacedConfigMap({ namespace: 'temp', body: { metadata: { name: 'late' } } }))).code).toBe(403);
    await eventually('namespace gone', async () => (await statusOf(c.core.readNamespace({ name: 'temp' }))).code === 404 || undefined);
    expect((await c.core.listNamespacedConfigMap({ namespace: 'temp' })).items).toHaveLength(0);
  });

  it('refuses to delete the default namespace', async () => {
    expect((await statusOf(c.core.deleteNamespace({ name: 'default' })))).toMatchObject({ code: 403, message: 'namespaces "default" is forbidden: this namespace may not be deleted' });
  });
});

describe('stream proxy to the node', () => {
  it('forwards pods/log to the node with the node token and streams the answer back', async () => {
    await c.core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'logger' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    await eventually('running', async () => (await c.core.readNamespacedPod({ name: 'logger', namespace: 'default' })).status?.phase === 'Running' || undefined);
    const res = await rawRequest(c.cluster, '/api/v1/namespaces/default/pods/logger/log?container=c&tailLines=5', { Authorization: `Bearer ${c.cluster.tokens.admin}` });
    expect([res.status, res.text]).toEqual([200, 'fake log line\n']);
    const seen = kubelet!.streamRequests.at(-1)!;
    expect(seen.url).toBe('/api/v1/namespaces/default/pods/logger/log?container=c&tailLines=5');
    expect(seen.headers['x-test-node-token']).toBe(c.cluster.apiServer.tokens.node);
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('answers 404 for a missing pod, 400 for an unscheduled one and 403 without pods/exec rights', async () => {
    const admin = { Authorization: `Bearer ${c.cluster.tokens.admin}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' };
    expect((await rawRequest(c.cluster, '/api/v1/namespaces/default/pods/ghost/log', { Authorization: admin.Authorization })).body).toMatchObject({ code: 404, message: 'pods "ghost" not found' });
    await c.core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'pinned' }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    expect((await rawRequest(c.cluster, '/api/v1/namespaces/default/pods/pinned/log', { Authorization: admin.Authorization })).body).toMatchObject({ code: 400, message: 'pod pinned does not have a host assigned' });
    const limited = await rawRequest(c.cluster, '/api/v1/namespaces/default/pods/logger/exec?command=true&stdout=true', { ...admin, Authorization: `Bearer ${c.cluster.tokens.limited}` });
    expect(limited.status).toBe(403);
    // An allowed upgrade reaches the node unchanged: path, query, Upgrade and Sec-WebSocket-* headers, plus the node token.
    const before = kubelet!.streamRequests.length;
    await rawRequest(c.cluster, '/api/v1/namespaces/default/pods/logger/exec?command=echo&command=ok&stdout=true', admin);
    const fwd = kubelet!.streamRequests.slice(before)[0];
    expect(fwd).toMatchObject({ method: 'GET', url: '/api/v1/namespaces/default/pods/logger/exec?command=echo&command=ok&stdout=true' });
    expect(fwd.headers).toMatchObject({ upgrade: 'websocket', 'sec-websocket-protocol': 'v5.channel.k8s.io', 'sec-websocket-key': admin['Sec-WebSocket-Key'], 'x-test-node-token': c.cluster.apiServer.tokens.node });
    expect(limited.body.message).toBe('pods "logger" is forbidden: User "limited" cannot create resource "pods/exec" in API group "" in the namespace "default"');
  });
});
