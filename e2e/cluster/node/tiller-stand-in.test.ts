// The Tiller image stand-in on the test node: a pod from a Tiller image gets a real gRPC
// ReleaseService on its IP's port 44134 and probes on 44135; Tiller's version check, errors and
// ConfigMap storage as Tiller has them. (The app's client over port-forward is tested in
// main/deploy/tiller/tiller.test.ts.)
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodDefinition, type MethodName } from '../../../main/deploy/tiller/hapi';
import { SLOW, cannotRunNode, createPod, eventually, getPod, startNodeTestCluster, type NodeTestCluster } from './node-test-harness';

const skip = cannotRunNode();
if (skip) console.log(`skipping Tiller stand-in tests: ${skip}`);

describe.skipIf(!!skip)('Tiller stand-in', SLOW, () => {
  let c: NodeTestCluster;
  let client: grpc.Client;

  const call = (method: MethodName, req: object, version?: string) => new Promise<any>((resolve, reject) => {
    const def = methodDefinition(method);
    const md = new grpc.Metadata();
    if (version !== undefined) md.set('x-helm-api-client', version);
    client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, md, (err, v) => (err ? reject(err) : resolve(v)));
  });

  beforeAll(async () => {
    c = await startNodeTestCluster();
    await c.api.ok('POST', '/api/v1/namespaces', { metadata: { name: 'tiller-home' } });
    await createPod(c.api, {
      metadata: { name: 'tiller', labels: { app: 'helm', name: 'tiller' } },
      spec: { containers: [{
        name: 'tiller', image: 'gcr.io/kubernetes-helm/tiller:v2.16.0',
        env: [{ name: 'TILLER_NAMESPACE', value: 'tiller-home' }],
        readinessProbe: { httpGet: { path: '/readiness', port: 44135 }, periodSeconds: 1 },
        livenessProbe: { httpGet: { path: '/liveness', port: 44135 }, periodSeconds: 1 },
      }] },
    });
    const pod = await eventually(async () => {
      const p = await getPod(c.api, 'tiller');
      return p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True') && p;
    }, 'the Tiller pod to become ready');
    client = new grpc.Client(`${pod.status.podIP}:44134`, grpc.credentials.createInsecure());
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await c?.stop();
  });

  it('starts like Tiller: ready by its probe, Tiller\'s start lines in the log', async () => {
    const log = await c.api.request('GET', '/api/v1/namespaces/default/pods/tiller/log');
    expect(log.body).toContain('Starting Tiller v2.17.0 (tls=false)');
    expect(log.body).toContain('Storage driver is ConfigMap');
    const p = await getPod(c.api, 'tiller');
    expect(p.status.containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0, state: { running: expect.anything() } });
  });

  it('answers GetVersion without a client version, and refuses other calls without a compatible one', async () => {
    expect((await call('GetVersion', {})).version).toMatchObject({ semVer: 'v2.17.0', gitTreeState: 'clean' });
    const none = await call('GetHistory', { name: 'x' }).catch((e) => e);
    expect(none).toMatchObject({ code: grpc.status.UNKNOWN, details: 'incompatible versions client[] server[v2.17.0]' });
    const newer = await call('GetHistory', { name: 'x' }, 'v2.18.0').catch((e) => e);
    expect(newer.details).toBe('incompatible versions client[v2.18.0] server[v2.17.0]');
    const missing = await call('GetReleaseStatus', { name: 'nope' }, 'v2.17.0').catch((e) => e);
    expect(missing).toMatchObject({ code: grpc.status.UNKNOWN, details: 'release: "nope" not found' });
  });

  it('installs a chart into the requested namespace and stores the release in Tiller\'s namespace', async () => {
    const chart = {
      metadata: { name: 'cfg', version: '1.0.0', apiVersion: 'v1' },
      values: { raw: 'greeting: hi\n' },
      templates: [{ name: 'templates/cm.yaml', data: Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cfg\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  revision: {{ .Release.Revision | quote }}\n') }],
      dependencies: [], files: [],
    };
    const r = await call('InstallRelease', { chart, name: 'one', namespace: 'default', values: { raw: 'greeting: hello\n' } }, 'v2.17.0');
    expect(r.release).toMatchObject({ name: 'one', version: 1, namespace: 'default', info: { status: { code: 'DEPLOYED' }, description: 'Install complete' } });
    const cm = await c.api.get('/api/v1/namespaces/default/configmaps/one-cfg');
    expect(cm.data).toEqual({ greeting: 'hello', revision: '1' });
    const stored = await c.api.get('/api/v1/namespaces/tiller-home/configmaps/one.v1');
    expect(stored.metadata.labels).toMatchObject({ NAME: 'one', OWNER: 'TILLER', STATUS: 'DEPLOYED', VERSION: '1' });
    expect(Number(stored.metadata.labels.CREATED_AT)).toBeGreaterThan(0);
    const dry = await call('InstallRelease', { chart, name: 'two', namespace: 'default', dryRun: true }, 'v2.17.0');
    expect(dry.release.manifest).toContain('greeting: "hi"');
    expect((await c.api.request('GET', '/api/v1/namespaces/default/configmaps/two-cfg')).status).toBe(404);
    const bad = await call('InstallRelease', { chart: { ...chart, templates: [{ name: 'templates/x.yaml', data: Buffer.from('apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n') }] }, name: 'three', namespace: 'default' }, 'v2.17.0').catch((e) => e);
    expect(bad.details).toBe('release three failed: unable to recognize "": no matches for kind "Gadget" in version "example.com/v1"');
    expect((await c.api.get('/api/v1/namespaces/tiller-home/configmaps/three.v1')).metadata.labels.STATUS).toBe('FAILED');
  });

  it('with wait, fails the release when its Deployment never becomes ready', async () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: stuck\nspec:\n  selector:\n    matchLabels: {app: stuck}\n  template:\n    metadata:\n      labels: {app: stuck}\n    spec:\n      containers:\n        - name: c\n          image: localhost:1/nowhere:v1\n';
    const chart = { metadata: { name: 'stuck', version: '1.0.0' }, templates: [{ name: 'templates/d.yaml', data: Buffer.from(deployment) }], dependencies: [], files: [] };
    const err = await call('InstallRelease', { chart, name: 'stuck', namespace: 'default', wait: true, timeout: 2 }, 'v2.17.0').catch((e) => e);
    expect(err.details).toBe('release stuck failed: timed out waiting for the condition');
    const stored = await c.api.get('/api/v1/namespaces/tiller-home/configmaps/stuck.v1');
    expect(stored.metadata.labels.STATUS).toBe('FAILED');
  });
});
