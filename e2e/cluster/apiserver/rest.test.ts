// REST semantics of the test cluster's API server, through @kubernetes/client-node as the app uses it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, Watch, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { rawRequest, clientFor, eventually, startApiOnlyCluster, statusOf, type TestClients } from './test-support';

let c: TestClients;
beforeAll(async () => { c = await startApiOnlyCluster(); });
afterAll(async () => { await c?.cluster.stop(); });

const deployment = (name: string, image = 'busybox:1.36'): V1Deployment => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ports: [{ containerPort: 8080 }] }] } } },
});

describe('objects', () => {
  it('creates, gets, lists, updates and deletes a ConfigMap with real metadata', async () => {
    const created = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'settings', labels: { tier: 'web' } }, data: { a: '1' } } });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const got = await c.core.readNamespacedConfigMap({ name: 'settings', namespace: 'default' });
    expect(got.data).toEqual({ a: '1' });
    const list = await c.core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier in (web,db)' });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['settings']);
    // != also matches objects without the label, such as the cluster's kube-root-ca.crt.
    const others = (await c.core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier!=web' })).items.map((i) => i.metadata?.name);
    expect(others).toContain('kube-root-ca.crt');
    expect(others).not.toContain('settings');
    const updated = await c.core.replaceNamespacedConfigMap({ name: 'settings', namespace: 'default', body: { ...got, data: { a: '2' } } });
    expect(Number(updated.metadata!.resourceVersion)).toBeGreaterThan(Number(got.metadata!.resourceVersion));
    await c.core.deleteNamespacedConfigMap({ name: 'settings', namespace: 'default' });
    expect((await statusOf(c.core.readNamespacedConfigMap({ name: 'settings', namespace: 'default' })))).toMatchObject({ code: 404, reason: 'NotFound', message: 'configmaps "settings" not found' });
  });

  it('answers 409 AlreadyExists for a duplicate and 409 Conflict for a stale update', async () => {
    const body = { metadata: { name: 'dup' }, data: { x: 'y' } };
    const first = await c.core.createNamespacedConfigMap({ namespace: 'default', body });
    expect(await statusOf(c.core.createNamespacedConfigMap({ namespace: 'default', body }))).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
    await c.core.replaceNamespacedConfigMap({ name: 'dup', namespace: 'default', body: { ...first, data: { x: 'z' } } });
    const stale = await statusOf(c.core.replaceNamespacedConfigMap({ name: 'dup', namespace: 'default', body: { ...first, data: { x: 'w' } } }));
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(stale.message).toContain('the object has been modified; please apply your changes to the latest version and try again');
  });

  it('gives generateName a 5-character suffix', async () => {
    const s = await c.core.createNamespacedSecret({ namespace: 'default', body: { metadata: { generateName: 'token-' }, stringData: { k: 'v' } } });
    expect(s.metadata?.name).toMatch(/^token-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s.data).toEqual({ k: Buffer.from('v').toString('base64') });
    expect(s.type).toBe('Opaque');
  });

  it('requires the namespace to exist', async () => {
    expect(await statusOf(c.core.createNamespacedConfigMap({ namespace: 'nowhere', body: { metadata: { name: 'x' } } }))).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
  });

  it('rejects an invalid Deployment with 422 and field causes', async () => {
    const bad = deployment('web-bad');
    delete bad.spec!.template.spec!.containers[0].image;
    const s = await statusOf(c.apps.createNamespacedDeployment({ namespace: 'default', body: bad }));
    expect(s).toMatchObject({ code: 422, reason: 'Invalid', message: 'Deployment.apps "web-bad" is invalid: spec.template.spec.containers[0].image: Required value' });
    expect(s.details.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers[0].image' }]);
    const mismatch = deployment('web-mismatch');
    mismatch.spec!.template.metadata!.labels = { app: 'other' };
    expect((await statusOf(c.apps.createNamespacedDeployment({ namespace: 'default', body: mismatch }))).message).toContain('spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`');
    const badName = { metadata: { name: 'Web_1' }, data: {} };
    expect((await statusOf(c.core.createNamespacedConfigMap({ namespace: 'default', body: badName }))).code).toBe(422);
  });

  it('defaults pods, deployments and services like the real server', async () => {
    const d = await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('defaults', 'busybox') });
    expect(d.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(d.spec!.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(d.spec!.template.spec!.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' });
    const svc = await c.core.createNamespacedService({ namespace: 'default', body: { metadata: { name: 'defaults' }, spec: { selector: { app: 'defaults' }, ports: [{ port: 80 }] } } });
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
    expect(svc.spec!.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    const changedIP = await statusOf(c.core.replaceNamespacedService({ name: 'defaults', namespace: 'default', body: { ...svc, spec: { ...svc.spec, clusterIP: '10.96.99.99', clusterIPs: ['10.96.99.99'] } } }));
    expect(changedIP).toMatchObject({ code: 422 });
  });
});

describe('authentication and authorisation', () => {
  it('answers 401 without or with a bad token', async () => {
    const anonymous = await rawRequest(c.cluster, '/api/v1/namespaces', {});
    expect([anonymous.status, anonymous.body.reason, anonymous.body.message]).toEqual([401, 'Unauthorized', 'Unauthorized']);
    const kc = clientFor(c.cluster, 'test-admin');
    kc.users[0] = { ...kc.users[0], token: 'wrong' } as any;
    const core = kc.makeApiClient(CoreV1Api);
    expect((await statusOf(core.listNamespace())).code).toBe(401);
  });

  it('lets the limited user work in namespace limited only, with the real 403 message', async () => {
    const core = clientFor(c.cluster, 'test-limited').makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'limited', body: { metadata: { name: 'mine' } } });
    expect((await core.listNamespacedConfigMap({ namespace: 'limited' })).items.map((i) => i.metadata?.name)).toContain('mine');
    expect(await statusOf(core.listNamespacedPod({ namespace: 'default' }))).toMatchObject({
      code: 403, reason: 'Forbidden', message: 'pods is forbidden: User "limited" cannot list resource "pods" in API group "" in the namespace "default"',
    });
    expect((await statusOf(core.listNode())).message).toBe('nodes is forbidden: User "limited" cannot list resource "nodes" in API group "" at the cluster scope');
    const apps = clientFor(c.cluster, 'test-limited').makeApiClient(AppsV1Api);
    expect((await statusOf(apps.readNamespacedDeployment({ name: 'x', namespace: 'default' }))).message).toBe('deployments.apps "x" is forbidden: User "limited" cannot get resource "deployments" in API group "apps" in the namespace "default"');
  });
});

describe('patches', () => {
  it('merges containers by name with a strategic merge patch, and honours $patch: delete', async () => {
    const d = deployment('smp');
    d.spec!.template.spec!.containers.push({ name: 'sidecar', image: 'busybox:1.36', env: [{ name: 'A', value: '1' }] });
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: d });
    const patch = { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.37', env: [{ name: 'B', value: '2' }] }] } } } };
    const out = await c.apps.patchNamespacedDeployment({ name: 'smp', namespace: 'default', body: patch }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
    const cs = out.spec!.template.spec!.containers;
    expect(cs.map((x) => [x.name, x.image])).toEqual([['main', 'busybox:1.36'], ['sidecar', 'busybox:1.37']]);
    expect(cs[1].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(out.metadata!.generation).toBe(2);
    const del = await c.apps.patchNamespacedDeployment({ name: 'smp', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
    expect(del.spec!.template.spec!.containers.map((x) => x.name)).toEqual(['main']);
  });

  it('applies merge and JSON patches; a merge patch replaces lists', async () => {
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'mp', labels: { a: '1', b: '2' } }, data: { k: 'v' } } });
    const m = await c.core.patchNamespacedConfigMap({ name: 'mp', namespace: 'default', body: { metadata: { labels: { a: null, c: '3' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(m.metadata!.labels).toEqual({ b: '2', c: '3' });
    const j = await c.core.patchNamespacedConfigMap({ name: 'mp', namespace: 'default', body: [{ op: 'replace', path: '/data/k', value: 'w' }, { op: 'add', path: '/data/n', value: 'x' }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
    expect(j.data).toEqual({ k: 'w', n: 'x' });
    expect((await statusOf(c.core.patchNamespacedConfigMap({ name: 'mp', namespace: 'default', body: [{ op: 'test', path: '/data/k', value: 'nope' }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)))).code).toBe(422);
  });

  it('copies the ServiceAccount\'s imagePullSecrets into a pod that names none (ServiceAccount admission)', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'sa-pull' } } });
    // the service-account controller creates `default`; the app patches its pull secret into it
    await eventually('the default ServiceAccount', () => c.core.readNamespacedServiceAccount({ name: 'default', namespace: 'sa-pull' }).catch(() => undefined));
    await c.core.patchNamespacedServiceAccount({ name: 'default', namespace: 'sa-pull', body: { imagePullSecrets: [{ name: 'reg-a' }] } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await c.core.createNamespacedServiceAccount({ namespace: 'sa-pull', body: { metadata: { name: 'builder' }, imagePullSecrets: [{ name: 'reg-b' }] } });
    const pod = (name: string, spec: object = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec } });
    const plain = await c.core.createNamespacedPod({ namespace: 'sa-pull', body: pod('plain') });
    expect(plain.spec?.imagePullSecrets).toEqual([{ name: 'reg-a' }]);
    const other = await c.core.createNamespacedPod({ namespace: 'sa-pull', body: pod('other', { serviceAccountName: 'builder' }) });
    expect(other.spec?.imagePullSecrets).toEqual([{ name: 'reg-b' }]);
    const own = await c.core.createNamespacedPod({ namespace: 'sa-pull', body: pod('own', { imagePullSecrets: [{ name: 'mine' }] }) });
    expect(own.spec?.imagePullSecrets).toEqual([{ name: 'mine' }]);
    const missing = await statusOf(c.core.createNamespacedPod({ namespace: 'sa-pull', body: pod('missing', { serviceAccountName: 'nobody' }) }));
    expect(missing.code).toBe(403);
    expect(missing.message).toBe('pods "missing" is forbidden: error looking up service account sa-pull/nobody: serviceaccount "nobody" not found');
  });

  it('takes a uid in a patch as a precondition: a status patch for a deleted pod does not land on its successor', async () => {
    const pod = { metadata: { name: 'uidpre' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } };
    const first = await c.core.createNamespacedPod({ namespace: 'default', body: pod });
    await c.core.deleteNamespacedPod({ name: 'uidpre', namespace: 'default', gracePeriodSeconds: 0 });
    const second = await c.core.createNamespacedPod({ namespace: 'default', body: pod });
    const late = { metadata: { uid: first.metadata!.uid }, status: { phase: 'Succeeded' } };
    const err = await statusOf(c.core.patchNamespacedPodStatus({ name: 'uidpre', namespace: 'default', body: late }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)));
    expect(err.code).toBe(409);
    expect(err.message).toContain(`Precondition failed: UID in precondition: ${first.metadata!.uid}, UID in object meta: ${second.metadata!.uid}`);
    expect((await c.core.readNamespacedPod({ name: 'uidpre', namespace: 'default' })).status?.phase).toBe('Pending');
    const ok = await c.core.patchNamespacedPodStatus({ name: 'uidpre', namespace: 'default', body: { ...late, metadata: { uid: second.metadata!.uid } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(ok.status?.phase).toBe('Succeeded');
  });

  it('server-side apply creates, reports conflicts between managers, forces, and removes dropped fields', async () => {
    const objects = KubernetesObjectApi.makeApiClient(c.kc);
    const cm = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'default' }, data });
    const created = await objects.patch(cm({ a: '1', b: '2' }), undefined, undefined, 'tool-a', undefined, PatchStrategy.ServerSideApply);
    expect((created as any).data).toEqual({ a: '1', b: '2' });
    expect((created.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields?.map((m) => [m.manager, m.operation])).toEqual([['tool-a', 'Apply']]);
    const conflict = await statusOf(objects.patch(cm({ a: 'other' }), undefined, undefined, 'tool-b', undefined, PatchStrategy.ServerSideApply));
    expect(conflict).toMatchObject({ code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "tool-a" using v1: .data.a' });
    const forced = await objects.patch(cm({ a: 'other' }), undefined, undefined, 'tool-b', true, PatchStrategy.ServerSideApply);
    expect((forced as any).data).toEqual({ a: 'other', b: '2' });
    // tool-a no longer owns a; dropping b from its config removes b.
    const dropped = await objects.patch(cm({}), undefined, undefined, 'tool-a', undefined, PatchStrategy.ServerSideApply);
    expect((dropped as any).data).toEqual({ a: 'other' });
  });
});

describe('watch', () => {
  it('resumes from a resourceVersion and streams ADDED, MODIFIED and DELETED', async () => {
    const list = await c.core.listNamespacedConfigMap({ namespace: 'default' });
    const rv = list.metadata!.resourceVersion!;
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w1', labels: { watch: 'me' } } } });
    await c.core.patchNamespacedConfigMap({ name: 'w1', namespace: 'default', body: { data: { x: '1' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w2' } } });
    await c.core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
    const seen: string[] = [];
    const ctrl = await new Watch(c.kc).watch('/api/v1/namespaces/default/configmaps', { resourceVersion: rv, labelSelector: 'watch=me' }, (type, obj) => seen.push(`${type} ${obj.metadata.name}`), () => {});
    await eventually('three events', () => seen.length >= 3 || undefined);
    ctrl.abort();
    expect(seen).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
  });

  it('sends ERROR 410 Expired for a resourceVersion older than the history window', async () => {
    const start = (await c.core.listNamespacedConfigMap({ namespace: 'default' })).metadata!.resourceVersion!;
    c.cluster.apiServer.setWatchHistoryWindow(3);
    try {
      for (let i = 0; i < 5; i++) await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { generateName: 'churn-' } } });
      const events: { type: string; obj: any }[] = [];
      let done = false;
      await new Watch(c.kc).watch('/api/v1/namespaces/default/configmaps', { resourceVersion: start }, (type, obj) => events.push({ type, obj }), () => { done = true; });
      await eventually('the watch to end', () => done || undefined);
      expect(events).toHaveLength(1);
      expect(events[0].type).toBe('ERROR');
      expect(events[0].obj).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    } finally { c.cluster.apiServer.setWatchHistoryWindow(1000); }
  });

  it('turns a change that stops matching a field selector into DELETED', async () => {
    const rv = (await c.core.listNamespacedPod({ namespace: 'default' })).metadata!.resourceVersion!;
    await c.core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'fs' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    const seen: string[] = [];
    const ctrl = await new Watch(c.kc).watch('/api/v1/namespaces/default/pods', { resourceVersion: rv, fieldSelector: 'status.phase=Pending' }, (type, obj) => seen.push(`${type} ${obj.metadata.name}`), () => {});
    await eventually('ADDED', () => seen.length >= 1 || undefined);
    const pod = await c.core.readNamespacedPod({ name: 'fs', namespace: 'default' });
    await c.core.replaceNamespacedPodStatus({ name: 'fs', namespace: 'default', body: { ...pod, status: { ...pod.status, phase: 'Failed' } } });
    await eventually('DELETED', () => seen.includes('DELETED fs') || undefined);
    ctrl.abort();
    // The scheduler may have touched the still-pending pod in between (MODIFIED).
    expect(seen[0]).toBe('ADDED fs');
    expect(seen[seen.length - 1]).toBe('DELETED fs');
    expect(seen.filter((e) => e.startsWith('ADDED') || e.startsWith('DELETED'))).toEqual(['ADDED fs', 'DELETED fs']);
  });
});

describe('faults and counters', () => {
  it('fails the next matching requests with the given code, then recovers', async () => {
    c.cluster.faults.failRequests({ count: 1, code: 503, pathPrefix: '/api/v1/namespaces/default/configmaps', verb: 'list' });
    expect((await statusOf(c.core.listNamespacedConfigMap({ namespace: 'default' }))).code).toBe(503);
    await expect(c.core.listNamespacedConfigMap({ namespace: 'default' })).resolves.toBeTruthy();
  });

  it('counts the API calls the client makes', async () => {
    c.cluster.requests.reset();
    await c.core.listNamespacedConfigMap({ namespace: 'default' });
    await c.core.readNamespace({ name: 'default' });
    expect(c.cluster.requests.count()).toBe(2);
    expect(c.cluster.requests.count({ verb: 'list' })).toBe(1);
    expect(c.cluster.requests.count({ pathPrefix: '/api/v1/namespaces/default' })).toBe(2);
  });
});

describe('access reviews', () => {
  it('tells a user what it may do (SelfSubjectAccessReview)', async () => {
    const { AuthorizationV1Api } = await import('@kubernetes/client-node');
    const limited = clientFor(c.cluster, 'test-limited').makeApiClient(AuthorizationV1Api);
    const ask = async (namespace: string) => (await limited.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { verb: 'create', resource: 'deployments', group: 'apps', namespace } } } })).status?.allowed;
    expect(await ask('limited')).toBe(true);
    expect(await ask('default')).toBe(false);
  });
});

describe('immutability and generation', () => {
  it('bumps generation on spec changes only and keeps a Deployment selector immutable', async () => {
    const d = await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('gen') });
    expect(d.metadata?.generation).toBe(1);
    const labelled = await c.apps.patchNamespacedDeployment({ name: 'gen', namespace: 'default', body: { metadata: { labels: { extra: 'yes' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await c.apps.patchNamespacedDeployment({ name: 'gen', namespace: 'default', body: { spec: { replicas: 2 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(scaled.metadata?.generation).toBe(2);
    const sel = await statusOf(c.apps.patchNamespacedDeployment({ name: 'gen', namespace: 'default', body: { spec: { selector: { matchLabels: { app: 'gen', v: '2' } }, template: { metadata: { labels: { app: 'gen', v: '2' } } } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)));
    expect(sel).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(sel.message).toContain('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"gen", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable');
  });

  it('keeps the data of an immutable ConfigMap', async () => {
    const cm = await c.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'frozen' }, immutable: true, data: { a: '1' } } });
    const s = await statusOf(c.core.replaceNamespacedConfigMap({ name: 'frozen', namespace: 'default', body: { ...cm, data: { a: '2' } } }));
    expect(s).toMatchObject({ code: 422, message: 'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set' });
  });

  it('answers 405 for PUT on a collection and 404 for an unknown resource', async () => {
    const admin = { Authorization: `Bearer ${c.cluster.tokens.admin}`, 'Content-Type': 'application/json' };
    expect((await rawRequest(c.cluster, '/api/v1/namespaces/default/configmaps', admin, 'PUT')).status).toBe(405);
    expect((await rawRequest(c.cluster, '/api/v1/namespaces/default/widgets', admin)).body).toMatchObject({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
  });
});

describe('typed secrets', () => {
  it('requires a valid .dockerconfigjson in an image pull secret', async () => {
    const body = (config: string) => ({ metadata: { generateName: 'pull-' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': config } });
    await expect(c.core.createNamespacedSecret({ namespace: 'default', body: body('{"auths":{}}') })).resolves.toBeTruthy();
    const s = await statusOf(c.core.createNamespacedSecret({ namespace: 'default', body: body('not json') }));
    expect(s).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(s.details.causes[0].field).toBe('data[.dockerconfigjson]');
    expect((await statusOf(c.core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'nokey' }, type: 'kubernetes.io/dockerconfigjson', data: {} } }))).message).toBe('Secret "nokey" is invalid: data[.dockerconfigjson]: Required value');
  });
});

describe('unknown fields', () => {
  const body = { metadata: { name: 'typo' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', imagePullPolicyy: 'Never' }] } };

  // Raw requests: client-node's serializer itself drops fields its models lack.
  it('rejects them with fieldValidation=Strict, naming each field', async () => {
    const res = await rawRequestWithBody(c.cluster, '/api/v1/namespaces/default/pods?fieldValidation=Strict', 'POST', { ...body, metadata: { name: 'typo-strict' } });
    expect(res.body).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"' });
  });

  it('drops them by default and warns, as decoding into the real types does', async () => {
    const res = await rawRequestWithBody(c.cluster, '/api/v1/namespaces/default/pods', 'POST', body);
    expect(res.status).toBe(201);
    expect(res.headers.warning).toBe('299 - "unknown field \\"spec.containers[0].imagePullPolicyy\\""');
    const stored = await c.core.readNamespacedPod({ name: 'typo', namespace: 'default' });
    expect(Object.keys(stored.spec!.containers[0])).not.toContain('imagePullPolicyy');
  });
});

async function rawRequestWithBody(cluster: typeof c.cluster, path: string, method: string, body: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const https = await import('node:https');
  const { readFileSync } = await import('node:fs');
  return new Promise((resolve, reject) => {
    const req = https.request(`${cluster.server}${path}`, { method, ca: readFileSync(cluster.caPath), headers: { Authorization: `Bearer ${cluster.tokens.admin}`, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
