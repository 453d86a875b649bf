// The registry image stand-in, pod volumes, init containers, probes and hostPort on the test node.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { SLOW, cannotRunNode, createPod, eventually, events, execPath, getPod, openChannelSocket, startNodeTestCluster, waitForRunning, type NodeTestCluster } from './node-test-harness';
import { freePort } from './registry-process';

const skip = cannotRunNode();
if (skip) console.log(`skipping stand-in and volume tests: ${skip}`);
const ALL = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

describe.skipIf(!!skip)('registry stand-in, volumes, init containers, probes, hostPort', SLOW, () => {
  let c: NodeTestCluster;
  beforeEach(({ onTestFailed }) => { onTestFailed(() => console.log(`node agent log:\n${c?.logTail()}`)); });
  beforeAll(async () => { c = await startNodeTestCluster(); }, SLOW.timeout);
  afterAll(async () => { await c?.stop(); });

  const run = async (pod: string, cmd: string[]) => {
    const s = await openChannelSocket(c, execPath(pod, cmd), ALL);
    await s.closed;
    return { out: s.text(1), status: JSON.parse(s.text(3)) };
  };

  it('runs registry:2 with the htpasswd file and env the pod gives it, on a forwarded hostPort', async () => {
    const hostPort = await freePort();
    await c.api.ok('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry-auth' }, stringData: undefined, data: { htpasswd: Buffer.from(`dev:${bcrypt.hashSync('pw', 5)}\n`).toString('base64') } });
    await createPod(c.api, {
      metadata: { name: 'registry' },
      spec: {
        containers: [{
          name: 'registry', image: 'registry:2', ports: [{ containerPort: 5000, hostPort }],
          env: [{ name: 'REGISTRY_AUTH', value: 'htpasswd' }, { name: 'REGISTRY_AUTH_HTPASSWD_REALM', value: 'Registry Realm' }, { name: 'REGISTRY_AUTH_HTPASSWD_PATH', value: '/auth/htpasswd' }],
          volumeMounts: [{ name: 'auth', mountPath: '/auth', readOnly: true }, { name: 'data', mountPath: '/var/lib/registry' }],
          readinessProbe: { tcpSocket: { port: 5000 }, periodSeconds: 1 },
        }],
        volumes: [{ name: 'auth', secret: { secretName: 'registry-auth' } }, { name: 'data', emptyDir: {} }],
      },
    });
    await waitForRunning(c.api, 'registry');
    const anon = await fetch(`http://127.0.0.1:${hostPort}/v2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Basic realm="Registry Realm"');
    const authed = await fetch(`http://127.0.0.1:${hostPort}/v2/`, { headers: { Authorization: `Basic ${Buffer.from('dev:pw').toString('base64')}` } });
    expect(authed.status).toBe(200);
  });

  it('serves a NodePort Service on 127.0.0.1:<nodePort>', async () => {
    await c.api.ok('PATCH', '/api/v1/namespaces/default/pods/registry', { metadata: { labels: { app: 'registry' } } }, 'application/merge-patch+json');
    const svc = await c.api.ok('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'registry' }, spec: { type: 'NodePort', selector: { app: 'registry' }, ports: [{ port: 80, targetPort: 5000 }] } });
    const nodePort = svc.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThan(0);
    const status = await eventually(async () => (await fetch(`http://127.0.0.1:${nodePort}/v2/`).catch(() => undefined))?.status, 'the NodePort to answer');
    expect(status).toBe(401);
  });

  it('mounts Secret, ConfigMap, emptyDir and PVC volumes, after init containers ran in order', async () => {
    await c.api.ok('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { 'app.conf': 'mode=dev\n', other: 'x' } });
    await c.api.ok('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' }, data: { token: Buffer.from('s3cret').toString('base64') } });
    const spec = (name: string) => ({
      metadata: { name },
      spec: {
        initContainers: [
          { name: 'first', image: c.agent.baseImage, command: ['sh', '-c', 'echo first >> /shared/order'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
          { name: 'second', image: c.agent.baseImage, command: ['sh', '-c', 'echo second >> /shared/order'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
        ],
        containers: [{
          name: 'main', image: c.agent.baseImage, command: ['sh', '-c', `echo ${name} >> /data/visits; sleep 3600`],
          envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }],
          volumeMounts: [
            { name: 'shared', mountPath: '/shared' }, { name: 'data', mountPath: '/data' },
            { name: 'cfg', mountPath: '/etc/app' }, { name: 'secret', mountPath: '/var/run/secret', readOnly: true },
          ],
        }],
        volumes: [
          { name: 'shared', emptyDir: {} }, { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'cfg', configMap: { name: 'settings', items: [{ key: 'app.conf', path: 'app.conf' }] } },
          { name: 'secret', secret: { secretName: 'token' } },
        ],
      },
    });
    await createPod(c.api, spec('vol-1'));
    await waitForRunning(c.api, 'vol-1');
    const r = await run('vol-1', ['sh', '-c', 'cat /shared/order /etc/app/app.conf /var/run/secret/token; echo; ls /etc/app; echo $CFG_other; touch /var/run/secret/x 2>/dev/null || echo read-only']);
    expect(r.out).toBe('first\nsecond\nmode=dev\ns3cret\napp.conf\nx\nread-only\n');
    const pod = await getPod(c.api, 'vol-1');
    expect(pod.status.initContainerStatuses.map((s: any) => s.state.terminated?.reason)).toEqual(['Completed', 'Completed']);
    await createPod(c.api, spec('vol-2'));
    await waitForRunning(c.api, 'vol-2');
    expect((await run('vol-2', ['cat', '/data/visits'])).out).toBe('vol-1\nvol-2\n');
  });

  it('holds a container whose Secret key is missing in CreateContainerConfigError', async () => {
    await createPod(c.api, { metadata: { name: 'no-secret' }, spec: { containers: [{ name: 'main', image: c.agent.baseImage, command: ['sleep', '3600'], env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k' } } }] }] } });
    const w = await eventually(async () => {
      const s = (await getPod(c.api, 'no-secret')).status?.containerStatuses?.[0]?.state?.waiting;
      return s?.reason === 'CreateContainerConfigError' ? s : undefined;
    }, 'CreateContainerConfigError');
    expect(w.message).toBe('secret "absent" not found');
  });

  it('is not Ready while the readiness probe fails, and restarts on liveness failure', async () => {
    await createPod(c.api, {
      metadata: { name: 'probed' },
      spec: { containers: [{
        name: 'main', image: c.agent.baseImage, command: ['sleep', '3600'],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
        livenessProbe: { exec: { command: ['sh', '-c', 'test ! -e /tmp/die'] }, periodSeconds: 1, failureThreshold: 1 },
      }] },
    });
    await eventually(async () => (await getPod(c.api, 'probed')).status?.containerStatuses?.[0]?.state?.running, 'probed running');
    const notReady = await getPod(c.api, 'probed');
    expect(notReady.status.containerStatuses[0].ready).toBe(false);
    expect(notReady.status.conditions.find((x: any) => x.type === 'Ready').status).toBe('False');
    await run('probed', ['touch', '/tmp/ready']);
    await waitForRunning(c.api, 'probed');
    await run('probed', ['touch', '/tmp/die']);
    const restarted = await eventually(async () => {
      const p = await getPod(c.api, 'probed');
      return p.status.containerStatuses[0].restartCount >= 1 ? p : undefined;
    }, 'liveness restart');
    expect(restarted.status.containerStatuses[0].lastState.terminated).toBeDefined();
    const evs = await events(c.api, 'default', 'probed');
    expect(evs.some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Readiness probe failed:'))).toBe(true);
    expect(evs.some((e) => e.reason === 'Killing' && e.message === 'Container main failed liveness probe, will be restarted')).toBe(true);
  });
});
