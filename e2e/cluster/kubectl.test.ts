// kubectl 1.32 (the real binary on this machine) against the test cluster: discovery, OpenAPI,
// apply, get (server-side tables), watch, logs through the node proxy, delete; and a clean stop.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, startApiOnlyCluster, startFakeKubelet, type FakeKubelet, type TestClients } from './apiserver/test-support';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
const haveKubectl = existsSync(KUBECTL);
if (!haveKubectl) console.warn(`skipping kubectl tests: ${KUBECTL} is not installed`);

let c: TestClients;
let kubelet: FakeKubelet;
let dir: string;
const kubectl = async (...args: string[]) => (await run(KUBECTL, ['--kubeconfig', c.cluster.kubeconfigPath, ...args], { env: { ...process.env, HOME: dir } })).stdout;

describe.skipIf(!haveKubectl)('kubectl against the test cluster', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubectl-test-'));
    c = await startApiOnlyCluster();
    kubelet = await startFakeKubelet(c);
  });
  afterAll(async () => { await kubelet?.stop(); await c?.cluster.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('applies, re-applies, lists, watches, reads logs and deletes', async () => {
    const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: hello}
spec:
  replicas: 2
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      containers: [{name: main, image: "${image}"}]
---
apiVersion: v1
kind: Service
metadata: {name: hello}
spec:
  selector: {app: hello}
  ports: [{port: 80, targetPort: 8080}]
`;
    const file = join(dir, 'hello.yaml');
    writeFileSync(file, manifest('busybox:1.36'));
    expect(await kubectl('apply', '-f', file)).toBe('deployment.apps/hello created\nservice/hello created\n');
    writeFileSync(file, manifest('busybox:1.37'));
    expect(await kubectl('apply', '-f', file)).toBe('deployment.apps/hello configured\nservice/hello unchanged\n');
    await kubectl('rollout', 'status', 'deployment/hello', '--timeout=20s');
    const d = JSON.parse(await kubectl('get', 'deployment', 'hello', '-o', 'json'));
    expect(d.spec.template.spec.containers[0].image).toBe('busybox:1.37');
    expect(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('busybox:1.37');
    const table = await kubectl('get', 'pods', '-l', 'app=hello');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(table.match(/1\/1\s+Running/g)).toHaveLength(2);

    const watcher = spawn(KUBECTL, ['--kubeconfig', c.cluster.kubeconfigPath, 'get', 'pods', '-w', '-l', 'app=watched'], { env: { ...process.env, HOME: dir } });
    let out = '';
    watcher.stdout.on('data', (b) => { out += b; });
    try {
      await c.core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'watched', labels: { app: 'watched' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
      await eventually('kubectl get -w to show the pod running', () => /watched\s+1\/1\s+Running/.test(out) || undefined);
    } finally { watcher.kill(); }

    expect(await kubectl('logs', 'watched')).toBe('fake log line\n');
    expect(await kubectl('delete', '-f', file)).toBe('deployment.apps "hello" deleted\nservice "hello" deleted\n');
    await eventually('pods gone', async () => (await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=hello' })).items.length === 0 || undefined);
  });

  it('applies a DaemonSet, waits for its rollout, lists it and deletes it', async () => {
    const file = join(dir, 'ds.yaml');
    writeFileSync(file, `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: main, image: "alpine/socat:latest", args: ["TCP-LISTEN:5000,fork", "TCP:example:80"], ports: [{containerPort: 5000, hostPort: 5000}]}]
`);
    expect(await kubectl('apply', '-f', file)).toBe('daemonset.apps/agent created\n');
    expect(await kubectl('rollout', 'status', 'daemonset/agent', '--timeout=20s')).toContain('daemon set "agent" successfully rolled out');
    const table = (await kubectl('get', 'ds', 'agent')).split('\n');
    expect(table[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/);
    expect(table[1]).toMatch(/^agent\s+1\s+1\s+1\s+1\s+1\s+<none>\s+/);
    expect(await kubectl('delete', '-f', file)).toBe('daemonset.apps "agent" deleted\n');
    await eventually('daemon pods gone', async () => (await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=agent' })).items.length === 0 || undefined);
  });

  it('rejects a manifest with a misspelt field, as kubectl validates on the server', async () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typo}\ndata: {a: b}\ndatta: {c: d}\n');
    const err = await run(KUBECTL, ['--kubeconfig', c.cluster.kubeconfigPath, 'apply', '-f', file], { env: { ...process.env, HOME: dir } }).catch((e) => e);
    expect(err.stderr).toContain('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datta"');
  });

  it('shows the limited context the real Forbidden error', async () => {
    const err = await run(KUBECTL, ['--kubeconfig', c.cluster.kubeconfigPath, '--context', 'test-limited', 'get', 'pods', '-n', 'default'], { env: { ...process.env, HOME: dir } }).catch((e) => e);
    expect(err.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "limited" cannot list resource "pods" in API group "" in the namespace "default"');
  });
});

describe('stop()', () => {
  it('closes the port even with an open watch', async () => {
    const t = await startApiOnlyCluster();
    const port = Number(new URL(t.cluster.server).port);
    const { Watch } = await import('@kubernetes/client-node');
    await new Watch(t.kc).watch('/api/v1/pods', {}, () => {}, () => {});
    await t.cluster.stop();
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve('connected'); });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(existsSync(t.cluster.kubeconfigPath)).toBe(false);
  });
});
