// A test cluster of two nodes (startTestCluster({ nodes: 2 })): each node has its own loopback
// address, pod subnet, kubelet port and registry; hostPorts and NodePorts are per node; the
// scheduler puts a pod whose hostPort is taken on test-node onto test-node-2; streams reach the
// right node; a Service forwards to a pod on the other node; `localhost:…` images are the node's own.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../index';
import { ApiClient } from './api-client';
import { descendants } from './container-process';
import { freePort } from './registry-process';
import { SLOW, cannotRunNode, createPod, eventually, events, getPod } from './node-test-harness';

const skip = cannotRunNode();
if (skip) console.log(`skipping multi-node test cluster tests: ${skip}`);

describe.skipIf(!!skip)('a test cluster with two nodes', SLOW, () => {
  let cluster: TestCluster;
  let api: ApiClient;
  const lines: string[] = [];
  beforeEach(({ onTestFailed }) => { onTestFailed(() => console.log(`cluster log:\n${lines.slice(-80).join('\n')}`)); });
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 2, nodeOptions: { backoffScale: 0.05 }, log: (l) => { lines.push(l); if (lines.length > 2000) lines.splice(0, 1000); } });
    api = new ApiClient(cluster.server, cluster.tokens.admin, cluster.apiServer.caPem);
  }, 180_000);
  afterAll(async () => {
    api?.close();
    await cluster?.stop();
  });

  const web = (name: string, extra: Record<string, unknown> = {}, image = 'busybox') => ({
    metadata: { name, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 0,
      ...extra,
      containers: [{
        name: 'main', image,
        command: ['sh', '-c', 'mkdir -p /tmp/www && echo "$POD_NAME on $NODE" > /tmp/www/index.html && echo serving && exec httpd -f -p 8080 -h /tmp/www'],
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        ports: [{ containerPort: 8080, ...(extra.hostPort ? { hostPort: extra.hostPort } : {}) }],
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
      }],
    },
  });
  const running = (name: string) => eventually(async () => {
    const p = await getPod(api, name);
    return p.status?.phase === 'Running' && p.status.containerStatuses?.every((c: any) => c.ready) ? p : undefined;
  }, `pod ${name} to be running and ready`);
  let hostPort = 0;
  const refused = (host: string, port: number) => new Promise<boolean>((resolve) => {
    const sock = connect({ host, port });
    sock.on('connect', () => { sock.destroy(); resolve(false); });
    sock.on('error', () => resolve(true));
  });
  const text = async (url: string) => eventually(async () => { const r = await fetch(url); return r.ok ? r.text() : undefined; }, `${url} to answer`, 20_000);

  it('registers both nodes with their own address, pod subnet, kubelet port and registry', async () => {
    expect(cluster.nodes.map((n) => [n.name, n.address])).toEqual([['test-node', '127.0.0.1'], ['test-node-2', '127.0.0.2']]);
    expect(cluster.nodes[0]!.registry).toBe(cluster.registry);
    expect(cluster.nodes[1]!.registry).not.toBe(cluster.registry);
    const [n1, n2] = await Promise.all(['test-node', 'test-node-2'].map((n) => api.get(`/api/v1/nodes/${n}`)));
    expect(n1.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
    expect(n2.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.2' });
    expect(n2.metadata.labels['kubernetes.io/hostname']).toBe('test-node-2');
    expect(n1.status.daemonEndpoints.kubeletEndpoint.Port).not.toBe(n2.status.daemonEndpoints.kubeletEndpoint.Port);
    if (cluster.nodes.every((n) => n.podSubnet)) {
      expect(n1.spec.podCIDR).toBe(`${cluster.nodes[0]!.podSubnet}.0/24`);
      expect(n2.spec.podCIDR).toBe(`${cluster.nodes[1]!.podSubnet}.0/24`);
      expect(n1.spec.podCIDR).not.toBe(n2.spec.podCIDR);
    }
  });

  it('binds a hostPort per node: the same port on both, the second pod scheduled to test-node-2', async () => {
    hostPort = await freePort();
    await createPod(api, web('hp-a', { hostPort }));
    const a = await running('hp-a');
    await createPod(api, web('hp-b', { hostPort }));
    const b = await running('hp-b');
    expect([a.spec.nodeName, b.spec.nodeName]).toEqual(['test-node', 'test-node-2']);
    expect([a.status.hostIP, b.status.hostIP]).toEqual(['127.0.0.1', '127.0.0.2']);
    if (cluster.nodes.every((n) => n.podSubnet)) expect(b.status.podIP.startsWith(`${cluster.nodes[1]!.podSubnet}.`)).toBe(true);
    expect(await text(`http://127.0.0.1:${hostPort}/`)).toBe('hp-a on test-node\n');
    expect(await text(`http://127.0.0.2:${hostPort}/`)).toBe('hp-b on test-node-2\n');
    // Streams go through the API server to the pod's own node.
    const log = await api.request('GET', '/api/v1/namespaces/default/pods/hp-b/log');
    expect([log.status, log.body]).toEqual([200, 'serving\n']);
  });

  it('a Service forwards from a pod on test-node-2 to its endpoint on test-node, and its NodePort answers on both nodes', async () => {
    const svc = await api.ok('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'hp-a' },
      spec: { type: 'NodePort', selector: { app: 'hp-a' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const nodePort = svc.spec.ports[0].nodePort;
    expect(await text(`http://127.0.0.1:${nodePort}/`)).toBe('hp-a on test-node\n');
    expect(await text(`http://127.0.0.2:${nodePort}/`)).toBe('hp-a on test-node\n');
    await createPod(api, {
      metadata: { name: 'client' },
      spec: { nodeName: 'test-node-2', restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'wget -q -O- http://hp-a.default.svc.cluster.local/ && sleep 3600'] }] },
    });
    const log = await eventually(async () => {
      const r = await api.request('GET', '/api/v1/namespaces/default/pods/client/log');
      return r.status === 200 && r.body.includes('hp-a') ? r.body : undefined;
    }, 'the client pod on test-node-2 to fetch from the Service');
    expect(log).toBe('hp-a on test-node\n');
  });

  it('pulls localhost:<port>/… on test-node-2 from test-node-2\'s own localhost', async () => {
    await createPod(api, web('own-registry', { nodeName: 'test-node-2' }, cluster.nodes[1]!.baseImage));
    expect((await running('own-registry')).spec.nodeName).toBe('test-node-2');
    // test-node's registry listens on 127.0.0.1 only: from test-node-2 it is not there.
    await createPod(api, web('other-registry', { nodeName: 'test-node-2' }, cluster.baseImage));
    const waiting = await eventually(async () => {
      const s = (await getPod(api, 'other-registry')).status?.containerStatuses?.[0]?.state?.waiting;
      return /ErrImagePull|ImagePullBackOff/.test(s?.reason ?? '') ? s : undefined;
    }, 'other-registry to fail pulling');
    expect(waiting.reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    const failed = (await events(api, 'default', 'other-registry')).filter((e) => e.reason === 'Failed').map((e) => e.message);
    expect(failed).toContainEqual(expect.stringContaining(`Failed to pull image "${cluster.baseImage}"`));
  });

  it('a Kaniko build on test-node-2 takes FROM and pushes to localhost:<port> on test-node-2', async () => {
    const own = cluster.nodes[1]!.registry;
    await api.ok('POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'context' },
      data: { Dockerfile: `FROM ${own}/library/busybox:latest\nRUN echo built on $(hostname) > /built\nCMD ["cat", "/built"]\n` },
    });
    await createPod(api, {
      metadata: { name: 'kaniko' },
      spec: {
        nodeName: 'test-node-2', restartPolicy: 'Never',
        volumes: [{ name: 'context', configMap: { name: 'context' } }],
        containers: [{ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:latest', args: ['--context=dir:///workspace', `--destination=${own}/built/app:1`], volumeMounts: [{ name: 'context', mountPath: '/workspace' }] }],
      },
    });
    const done = await eventually(async () => { const p = await getPod(api, 'kaniko'); return ['Succeeded', 'Failed'].includes(p.status?.phase) ? p : undefined; }, 'the Kaniko pod to finish');
    const buildLog = (await api.request('GET', '/api/v1/namespaces/default/pods/kaniko/log')).body;
    expect(done.status.phase, buildLog).toBe('Succeeded');
    // Pushed to test-node-2's registry, which listens on 127.0.0.2 only.
    const head = await fetch(`http://${own.replace(/^localhost/, '127.0.0.2')}/v2/built/app/manifests/1`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
    expect(head.status).toBe(200);
    await createPod(api, { metadata: { name: 'built' }, spec: { nodeName: 'test-node-2', restartPolicy: 'Never', containers: [{ name: 'app', image: `${own}/built/app:1` }] } });
    await eventually(async () => (await getPod(api, 'built')).status?.phase === 'Succeeded', 'the built image to run on test-node-2');
    expect((await api.request('GET', '/api/v1/namespaces/default/pods/built/log')).body).toMatch(/^built on /);
  });

  it('stop() leaves no process, namespace, bridge or port of either node', async () => {
    const n2 = await api.get('/api/v1/nodes/test-node-2');
    const kubelet2 = n2.status.daemonEndpoints.kubeletEndpoint.Port;
    const registry2 = Number(cluster.nodes[1]!.registry.split(':')[1]);
    expect(await refused('127.0.0.2', hostPort)).toBe(false);
    api.close();
    await cluster.stop();
    const left = descendants(process.pid).map((pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; } }).filter(Boolean);
    expect(left).toEqual([]);
    expect(existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(`dsn${process.pid}-`)) : []).toEqual([]);
    expect(execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })).not.toMatch(new RegExp(`dsbr${process.pid}|dsv${process.pid}x`));
    for (const [host, port] of [['127.0.0.1', hostPort], ['127.0.0.2', hostPort], ['127.0.0.2', kubelet2], ['127.0.0.2', registry2]] as const) {
      expect(await refused(host, port), `${host}:${port}`).toBe(true);
    }
  });
});
