// apps/v1 DaemonSets: the API (CRUD, watch, status subresource, validation, kubectl's Table), the
// DaemonSet controller (one pod per node, pinned by node affinity, tolerations, status numbers,
// rolling update) and the scheduler filters it relies on (node affinity matchFields, taints, free
// hostPorts). A fake kubelet plays `test-node`; a second Node object (`node-b`, no kubelet) only
// gets its pods bound.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Watch, type V1DaemonSet } from '@kubernetes/client-node';
import { eventually, rawRequest, startApiOnlyCluster, startFakeKubelet, statusOf, type FakeKubelet, type TestClients } from './test-support';

let c: TestClients;
let kubelet: FakeKubelet;
beforeAll(async () => {
  c = await startApiOnlyCluster();
  kubelet = await startFakeKubelet(c);
  for (const ns of ['ds', 'ports']) await c.core.createNamespace({ body: { metadata: { name: ns } } });
});
afterAll(async () => { await kubelet?.stop(); await c?.cluster.stop(); });

const daemonSet = (name: string, extra: Partial<V1DaemonSet['spec'] & object> = {}, image = 'busybox:1.36', hostPort?: number): V1DaemonSet => ({
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ...(hostPort ? { ports: [{ containerPort: 5000, hostPort }] } : {}) }] } },
    ...extra,
  } as V1DaemonSet['spec'],
});
const podsOf = async (ns: string, app: string) => (await c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
const readyNode = (name: string, taints?: unknown[]) => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  ...(taints ? { spec: { taints } } : {}),
  status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date(), lastTransitionTime: new Date() }] },
});

describe('DaemonSets', () => {
  it('serves apps/v1 daemonsets: discovery, defaults, generation, validation and kubectl columns', async () => {
    const groups = await rawRequest(c.cluster, '/apis/apps/v1', { authorization: `Bearer ${c.cluster.tokens.admin}` });
    expect(groups.body.resources).toContainEqual(expect.objectContaining({ name: 'daemonsets', kind: 'DaemonSet', shortNames: ['ds'], namespaced: true }));
    expect(groups.body.resources).toContainEqual(expect.objectContaining({ name: 'daemonsets/status' }));

    const created = await c.apps.createNamespacedDaemonSet({ namespace: 'ds', body: daemonSet('agent') });
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(created.spec?.revisionHistoryLimit).toBe(10);

    const bad = await statusOf(c.apps.createNamespacedDaemonSet({ namespace: 'ds', body: { ...daemonSet('bad'), spec: { ...daemonSet('bad').spec!, selector: { matchLabels: { app: 'other' } } } } }));
    expect(bad).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(bad.message).toContain('`selector` does not match template `labels`');
    const immutable = await statusOf(c.apps.patchNamespacedDaemonSet({ name: 'agent', namespace: 'ds', body: [{ op: 'replace', path: '/spec/selector/matchLabels/app', value: 'x' }] }));
    expect(immutable.code).toBe(422);
    expect(immutable.message).toContain('field is immutable');

    const table = await rawRequest(c.cluster, '/apis/apps/v1/namespaces/ds/daemonsets', { authorization: `Bearer ${c.cluster.tokens.admin}`, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(table.body.columnDefinitions.map((d: { name: string }) => d.name)).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age']);
  });

  it('runs one pod per node, pinned by node affinity and bound by the scheduler, and reports the status numbers', async () => {
    const ds = await eventually('agent ready on test-node', async () => {
      const d = await c.apps.readNamespacedDaemonSet({ name: 'agent', namespace: 'ds' });
      return d.status?.numberReady === 1 && d.status.observedGeneration === 1 ? d : undefined;
    });
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1, numberMisscheduled: 0, observedGeneration: 1 });
    const [pod] = await podsOf('ds', 'agent');
    expect(pod!.spec?.nodeName).toBe('test-node');
    expect(pod!.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['test-node'] }] }]);
    expect(pod!.spec?.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    expect(pod!.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'agent', controller: true });
    expect(pod!.metadata?.labels).toMatchObject({ 'pod-template-generation': '1', 'controller-revision-hash': expect.any(String) });

    // A second node: a pod for it (bound, never running: no kubelet there); desired 2, ready 1.
    await c.core.createNode({ body: readyNode('node-b') as never });
    const two = await eventually('two pods', async () => { const p = await podsOf('ds', 'agent'); return p.length === 2 && p.every((x) => x.spec?.nodeName) ? p : undefined; });
    expect(two.map((p) => p.spec?.nodeName).sort()).toEqual(['node-b', 'test-node']);
    const status = await eventually('desired 2', async () => { const d = await c.apps.readNamespacedDaemonSet({ name: 'agent', namespace: 'ds' }); return d.status?.desiredNumberScheduled === 2 && d.status.currentNumberScheduled === 2 ? d.status : undefined; });
    expect(status).toMatchObject({ numberReady: 1, numberAvailable: 1, numberUnavailable: 1 });
    await c.core.deleteNode({ name: 'node-b' });
    await eventually('back to one node', async () => (await c.apps.readNamespacedDaemonSet({ name: 'agent', namespace: 'ds' })).status?.desiredNumberScheduled === 1 || undefined);
  });

  it('skips nodes whose taints the pods do not tolerate, and runs there when they do', async () => {
    await c.core.createNode({ body: readyNode('control-plane', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]) as never });
    await c.apps.createNamespacedDaemonSet({ namespace: 'ds', body: daemonSet('plain') });
    await c.apps.createNamespacedDaemonSet({ namespace: 'ds', body: daemonSet('everywhere', { template: { metadata: { labels: { app: 'everywhere' } }, spec: { tolerations: [{ operator: 'Exists' }], containers: [{ name: 'main', image: 'busybox:1.36' }] } } }) });
    const plain = await eventually('plain scheduled', async () => { const d = await c.apps.readNamespacedDaemonSet({ name: 'plain', namespace: 'ds' }); return d.status?.currentNumberScheduled === 1 ? d : undefined; });
    expect(plain.status?.desiredNumberScheduled).toBe(1);
    expect((await podsOf('ds', 'plain')).map((p) => p.spec?.nodeName)).toEqual(['test-node']);
    await eventually('everywhere on both nodes', async () => { const d = await c.apps.readNamespacedDaemonSet({ name: 'everywhere', namespace: 'ds' }); return d.status?.desiredNumberScheduled === 2 && d.status.currentNumberScheduled === 2 || undefined; });
    expect((await podsOf('ds', 'everywhere')).map((p) => p.spec?.nodeName).sort()).toEqual(['control-plane', 'test-node']);
    await c.core.deleteNode({ name: 'control-plane' });
  });

  it('replaces pods of an older template (RollingUpdate) and streams the changes to a watch', async () => {
    const events: string[] = [];
    const watch = await new Watch(c.kc).watch('/apis/apps/v1/namespaces/ds/daemonsets', { fieldSelector: 'metadata.name=agent' }, (type, obj: V1DaemonSet) => events.push(`${type} ${obj.metadata?.generation}`), () => {});
    const [before] = await podsOf('ds', 'agent');
    await c.apps.patchNamespacedDaemonSet({ name: 'agent', namespace: 'ds', body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'busybox:1.37' }] });
    const after = await eventually('new pod ready', async () => {
      const p = await podsOf('ds', 'agent');
      const d = await c.apps.readNamespacedDaemonSet({ name: 'agent', namespace: 'ds' });
      return p.length === 1 && p[0]!.metadata?.uid !== before!.metadata?.uid && d.status?.updatedNumberScheduled === 1 && d.status.numberReady === 1 && d.status.observedGeneration === 2 ? p[0] : undefined;
    });
    expect(after!.spec?.containers[0]?.image).toBe('busybox:1.37');
    expect(after!.metadata?.labels?.['pod-template-generation']).toBe('2');
    await eventually('watch saw generation 2', () => events.includes('MODIFIED 2') || undefined);
    watch.abort();
  });

  it('keeps a pod whose hostPort is taken on its node Pending with the scheduler’s "didn\'t have free ports" and binds it once the port is free', async () => {
    await c.core.createNamespacedPod({ namespace: 'ports', body: { metadata: { name: 'holder' }, spec: { containers: [{ name: 'main', image: 'busybox:1.36', ports: [{ containerPort: 5000, hostPort: 5999 }] }] } } });
    await eventually('holder bound', async () => (await c.core.readNamespacedPod({ name: 'holder', namespace: 'ports' })).spec?.nodeName || undefined);
    await c.apps.createNamespacedDaemonSet({ namespace: 'ports', body: daemonSet('proxy', {}, 'alpine/socat:latest', 5999) });
    const pending = await eventually('proxy pod unschedulable', async () => {
      const [p] = await podsOf('ports', 'proxy');
      return p?.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False') ? p : undefined;
    });
    const cond = pending.status!.conditions!.find((x) => x.type === 'PodScheduled')!;
    expect(cond.message).toBe("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
    const events = (await c.core.listNamespacedEvent({ namespace: 'ports', fieldSelector: `involvedObject.name=${pending.metadata!.name}` })).items;
    expect(events.map((e) => [e.reason, e.message])).toContainEqual(['FailedScheduling', cond.message]);
    const ds = await c.apps.readNamespacedDaemonSet({ name: 'proxy', namespace: 'ports' });
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 0, numberReady: 0 });

    await c.core.deleteNamespacedPod({ name: 'holder', namespace: 'ports' });
    const bound = await eventually('proxy pod bound after the holder is gone', async () => { const [p] = await podsOf('ports', 'proxy'); return p?.spec?.nodeName ? p : undefined; }, 20_000);
    expect(bound.metadata?.uid).toBe(pending.metadata?.uid);
  });

  it('deletes its pods with the DaemonSet', async () => {
    await c.apps.deleteNamespacedDaemonSet({ name: 'plain', namespace: 'ds', propagationPolicy: 'Background' });
    expect((await statusOf(c.apps.readNamespacedDaemonSet({ name: 'plain', namespace: 'ds' }))).code).toBe(404);
    await eventually('plain pods gone', async () => ((await podsOf('ds', 'plain')).length === 0 ? true : undefined));
  });
});


