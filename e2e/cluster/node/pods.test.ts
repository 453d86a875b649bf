// Pods on the test node, observed through the API server as the app sees them: they run, log,
// restart with back-off, fail to pull with the registry's reason, and go away when deleted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, RegistryProcess } from './registry-process';
import { Buildah } from './buildah';
import { SLOW, cannotRunNode, createPod, eventually, events, getPod, startNodeTestCluster, waitForRunning, type NodeTestCluster } from './node-test-harness';

const skip = cannotRunNode();
if (skip) console.log(`skipping node agent pod tests: ${skip}`);

describe.skipIf(!!skip)('pods on the test node', SLOW, () => {
  let c: NodeTestCluster;
  beforeEach(({ onTestFailed }) => { onTestFailed(() => console.log(`node agent log:\n${c?.logTail()}`)); });
  beforeAll(async () => { c = await startNodeTestCluster(); }, SLOW.timeout);
  afterAll(async () => { await c?.stop(); });

  const podLog = async (name: string, query = '') => {
    const r = await c.api.request('GET', `/api/v1/namespaces/default/pods/${name}/log${query}`);
    return r;
  };

  it('registers a Ready node with its kubelet port', async () => {
    const node = await c.api.get('/api/v1/nodes/test-node');
    expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBe(c.agent.kubeletPort);
    expect(node.status.conditions.find((x: any) => x.type === 'Ready').status).toBe('True');
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
  });

  it('runs a busybox pod with env from a Secret and the downward API, and serves its log', async () => {
    await c.api.ok('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'greeting' }, data: { word: Buffer.from('hello').toString('base64') } });
    await createPod(c.api, {
      metadata: { name: 'echo' },
      spec: {
        restartPolicy: 'Never',
        containers: [{
          name: 'main', image: c.agent.baseImage, workingDir: '/tmp',
          command: ['sh', '-c', 'echo "$WORD from $POD_NAME in $(pwd) at $POD_IP"; echo oops >&2'],
          env: [
            { name: 'WORD', valueFrom: { secretKeyRef: { name: 'greeting', key: 'word' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          ],
        }],
      },
    });
    const pod = await eventually(async () => { const p = await getPod(c.api, 'echo'); return p.status?.phase === 'Succeeded' ? p : undefined; }, 'pod echo to succeed');
    const cs = pod.status.containerStatuses[0];
    expect(cs.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cs.imageID).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(pod.status.podIP).toMatch(/^10\.244\.\d+\.\d+$|^127\.0\.0\.1$/);
    const log = await podLog('echo');
    expect(log.status).toBe(200);
    // stdout and stderr are two pipes: like a real runtime, the log has no order between them.
    expect(log.body.endsWith('\n')).toBe(true);
    expect(log.body.split('\n').filter(Boolean).sort()).toEqual([`hello from echo in /tmp at ${pod.status.podIP}`, 'oops']);
    const stamped = await podLog('echo', '?timestamps=true&tailLines=1');
    expect(stamped.body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (oops|hello from echo in \/tmp at \S+)\n$/);
    const reasons = (await events(c.api, 'default', 'echo')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']));
  });

  it('restarts a crashing container with back-off and keeps the previous log', async () => {
    await createPod(c.api, { metadata: { name: 'crash' }, spec: { containers: [{ name: 'main', image: c.agent.baseImage, command: ['sh', '-c', 'echo run; exit 3'] }] } });
    const pod = await eventually(async () => {
      const p = await getPod(c.api, 'crash');
      const cs = p.status?.containerStatuses?.[0];
      return cs?.state?.waiting?.reason === 'CrashLoopBackOff' && cs.restartCount >= 1 ? p : undefined;
    }, 'CrashLoopBackOff');
    const cs = pod.status.containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(cs.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=main pod=crash_default/);
    expect(pod.status.phase).toBe('Running');
    expect((await podLog('crash', '?previous=true')).body).toBe('run\n');
    expect((await events(c.api, 'default', 'crash')).some((e) => e.reason === 'BackOff' && e.type === 'Warning')).toBe(true);
  });

  it('answers like the kubelet when there is no previous container', async () => {
    await createPod(c.api, { metadata: { name: 'steady' }, spec: { containers: [{ name: 'main', image: c.agent.baseImage, command: ['sleep', '3600'] }] } });
    await waitForRunning(c.api, 'steady');
    const r = await podLog('steady', '?previous=true');
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('previous terminated container "main" in pod "steady" not found');
  });

  it('counts a restart forced by the restartContainer fault', async () => {
    await createPod(c.api, { metadata: { name: 'victim' }, spec: { containers: [{ name: 'main', image: c.agent.baseImage, command: ['sleep', '3600'] }] } });
    await waitForRunning(c.api, 'victim');
    await c.agent.restartContainer('default', 'victim');
    const pod = await eventually(async () => {
      const p = await getPod(c.api, 'victim');
      const cs = p.status.containerStatuses[0];
      return cs.restartCount === 1 && cs.state.running ? p : undefined;
    }, 'restarted container');
    expect(pod.status.containerStatuses[0].lastState.terminated.exitCode).toBe(137);
  });

  it('reports ErrImagePull then ImagePullBackOff for an image the registry does not have', async () => {
    await createPod(c.api, { metadata: { name: 'missing' }, spec: { containers: [{ name: 'main', image: `${c.agent.registry}/nope/missing:1.0` }] } });
    const seen = new Set<string>();
    const pod = await eventually(async () => {
      const p = await getPod(c.api, 'missing');
      const w = p.status?.containerStatuses?.[0]?.state?.waiting;
      if (w) seen.add(w.reason);
      return w?.reason === 'ImagePullBackOff' ? p : undefined;
    }, 'ImagePullBackOff');
    expect(pod.status.phase).toBe('Pending');
    const evs = await events(c.api, 'default', 'missing');
    const failed = evs.find((e) => e.reason === 'Failed' && e.message.startsWith('Failed to pull image'));
    expect(failed?.message).toMatch(/manifest unknown/);
    expect(evs.some((e) => e.reason === 'BackOff' && e.message === `Back-off pulling image "${c.agent.registry}/nope/missing:1.0"`)).toBe(true);
    const logs = await c.api.request('GET', '/api/v1/namespaces/default/pods/missing/log');
    expect(logs.status).toBe(400);
    expect(logs.body.message).toBe('container "main" in pod "missing" is waiting to start: trying and failing to pull image');
  });

  it('never reaches beyond the machine: Docker Hub names come from the node registry, other registries fail', async () => {
    await createPod(c.api, { metadata: { name: 'hub' }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } });
    await createPod(c.api, { metadata: { name: 'gcr' }, spec: { containers: [{ name: 'main', image: 'gcr.io/some-project/app:1' }] } });
    const failure = (pod: string) => eventually(async () => (await events(c.api, 'default', pod)).find((e) => e.message.startsWith('Failed to pull image'))?.message, `pull failure of ${pod}`);
    expect(await failure('hub')).toMatch(new RegExp(`${c.agent.registry}/library/nginx.*manifest unknown`));
    expect(await failure('gcr')).toMatch(/lookup gcr\.io: no such host/);
  });

  it('pulls from a registry with credentials only with the right imagePullSecret', async () => {
    const dir = join(c.dataDir, 'auth-registry');
    const htpasswd = join(c.dataDir, 'htpasswd');
    writeFileSync(htpasswd, `dev:${bcrypt.hashSync('secret', 5)}\n`);
    const reg = new RegistryProcess(dir, await freePort(), () => {}, htpasswd);
    await reg.start();
    try {
      const b = new Buildah(join(c.dataDir, 'copy'));
      await b.ok(['pull', '--quiet', '--tls-verify=false', c.agent.baseImage]);
      await b.ok(['push', '--quiet', '--tls-verify=false', '--creds', 'dev:secret', c.agent.baseImage, `docker://${reg.address}/private/busybox:1`]);
      await b.run(['rmi', '--all', '--force']);
      const secret = (name: string, password: string) => c.api.ok('POST', '/api/v1/namespaces/default/secrets', {
        apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/dockerconfigjson', metadata: { name },
        data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [reg.address]: { auth: Buffer.from(`dev:${password}`).toString('base64') } } })).toString('base64') },
      });
      await secret('good-creds', 'secret');
      await secret('bad-creds', 'wrong');
      // Always: with IfNotPresent the node would (like a real one) run the denied pod from the image
      // the allowed pod pulled, without asking the registry again.
      const spec = (s: string) => ({ imagePullSecrets: [{ name: s }], containers: [{ name: 'main', image: `${reg.address}/private/busybox:1`, imagePullPolicy: 'Always', command: ['sleep', '3600'] }] });
      await createPod(c.api, { metadata: { name: 'denied' }, spec: spec('bad-creds') });
      await createPod(c.api, { metadata: { name: 'allowed' }, spec: spec('good-creds') });
      await waitForRunning(c.api, 'allowed');
      const denied = await eventually(async () => {
        const w = (await getPod(c.api, 'denied')).status?.containerStatuses?.[0]?.state?.waiting;
        return w?.reason === 'ErrImagePull' || w?.reason === 'ImagePullBackOff' ? w : undefined;
      }, 'pull failure');
      const failed = (await events(c.api, 'default', 'denied')).find((e) => e.message.startsWith('Failed to pull image'));
      expect(failed?.message ?? denied.message).toMatch(/unauthorized|authentication required/i);
    } finally {
      await reg.stop();
    }
  });

  it('keeps running pods after the API server drops every watch', async () => {
    c.apiServer.faults.dropStreams();
    await createPod(c.api, { metadata: { name: 'after-drop' }, spec: { containers: [{ name: 'main', image: c.agent.baseImage, command: ['sleep', '3600'] }] } });
    const pod = await waitForRunning(c.api, 'after-drop');
    expect(pod.spec.nodeName).toBe('test-node');
  });

  it('stops the containers and finalises deletion', async () => {
    await createPod(c.api, { metadata: { name: 'doomed' }, spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'main', image: c.agent.baseImage, command: ['sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done'] }] } });
    await waitForRunning(c.api, 'doomed');
    const r = await c.api.request('DELETE', '/api/v1/namespaces/default/pods/doomed');
    expect(r.status).toBe(200);
    await eventually(async () => (await c.api.request('GET', '/api/v1/namespaces/default/pods/doomed')).status === 404, 'pod removed');
    expect((await events(c.api, 'default', 'doomed')).some((e) => e.reason === 'Killing')).toBe(true);
  });
});
