// exec, port-forward and log streaming through the API server's proxy to the kubelet, checked
// frame by frame against PROTOCOLS.md.
import https from 'node:https';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPty } from './container-exec';
import { SLOW, cannotRunNode, createPod, eventually, execPath, getPod, openChannelSocket, startNodeTestCluster, waitForRunning, type NodeTestCluster } from './node-test-harness';

const skip = cannotRunNode();
if (skip) console.log(`skipping node agent stream tests: ${skip}`);

const ALL = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
const HTTPD = ['sh', '-c', 'mkdir -p /www && echo "served by $HOSTNAME" > /www/index.html && exec httpd -f -p 8080 -h /www'];

describe.skipIf(!!skip)('streams of pods on the test node', SLOW, () => {
  let c: NodeTestCluster;
  beforeEach(({ onTestFailed }) => { onTestFailed(() => console.log(`node agent log:\n${c?.logTail()}`)); });
  beforeAll(async () => {
    c = await startNodeTestCluster();
    await createPod(c.api, { metadata: { name: 'shell' }, spec: { containers: [{ name: 'main', image: c.agent.baseImage, command: ['sleep', '3600'], env: [{ name: 'GREETING', value: 'hi there' }] }] } });
    await createPod(c.api, { metadata: { name: 'web-a' }, spec: { containers: [{ name: 'web', image: c.agent.baseImage, command: HTTPD, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }] } });
    await createPod(c.api, { metadata: { name: 'web-b' }, spec: { containers: [{ name: 'web', image: c.agent.baseImage, command: HTTPD, ports: [{ containerPort: 8080 }] }] } });
    await Promise.all(['shell', 'web-a', 'web-b'].map((n) => waitForRunning(c.api, n)));
  }, SLOW.timeout);
  afterAll(async () => { await c?.stop(); });

  it('exec on v5: empty frames first, output, then a Success Status on channel 3', async () => {
    const s = await openChannelSocket(c, execPath('shell', ['sh', '-c', 'echo $GREETING; echo err >&2']), ALL);
    expect(s.protocol).toBe('v5.channel.k8s.io');
    expect(await s.closed).toBe(1000);
    expect(s.frames.slice(0, 3).map((f) => [f.channel, f.data.length])).toEqual([[1, 0], [2, 0], [3, 0]]);
    expect(s.text(1)).toBe('hi there\n');
    expect(s.text(2)).toBe('err\n');
    expect(JSON.parse(s.text(3))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('exec reports a non-zero exit code in the Status', async () => {
    const s = await openChannelSocket(c, execPath('shell', ['sh', '-c', 'exit 3']), ['v4.channel.k8s.io', 'channel.k8s.io']);
    expect(s.protocol).toBe('v4.channel.k8s.io');
    await s.closed;
    const status = JSON.parse(s.text(3));
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    expect(status.message).toMatch(/^command terminated with non-zero exit code: /);
  });

  it('exec of a command the image lacks fails with the runtime message', async () => {
    const s = await openChannelSocket(c, execPath('shell', ['no-such-tool']), ALL);
    await s.closed;
    const status = JSON.parse(s.text(3));
    expect(status.status).toBe('Failure');
    expect(status.message).toContain('executable file not found in $PATH');
  });

  it('exec passes stdin and closes it on the v5 close frame', async () => {
    const s = await openChannelSocket(c, execPath('shell', ['cat'], { stdin: true }), ALL);
    s.send(0, 'abc');
    s.ws.send(Buffer.from([255, 0]));
    await s.closed;
    expect(s.text(1)).toBe('abc');
    expect(JSON.parse(s.text(3)).status).toBe('Success');
  });

  it('exec with a TTY follows resize messages', async (ctx) => {
    if (!loadPty()) { console.log('skipping TTY exec test: node-pty is not built here (npm install-scripts)'); ctx.skip(); }
    const s = await openChannelSocket(c, execPath('shell', ['sh'], { stdin: true, tty: true }), ALL);
    s.send(4, JSON.stringify({ Width: 100, Height: 40 }));
    s.send(0, 'stty size\r');
    await s.waitFor(() => s.text(1).includes('40 100'), 'stty size 40 100');
    s.send(4, JSON.stringify({ width: 132, height: 50 }));
    s.send(0, 'stty size; exit 0\r');
    await s.closed;
    expect(s.text(1)).toContain('50 132');
    expect(s.frames.some((f) => f.channel === 2 && f.data.length > 0)).toBe(false);
    expect(JSON.parse(s.text(3)).status).toBe('Success');
  });

  it('dropStreams ends open exec streams', async () => {
    const s = await openChannelSocket(c, execPath('shell', ['sleep', '600']), ALL);
    await s.waitFor(() => s.frames.length >= 3, 'stream init frames');
    c.agent.dropStreams();
    await s.closed;
    expect(s.text(3)).toBe('');
  });

  it('port-forward reaches the pod: port header on both channels, then the HTTP answer', async () => {
    const s = await openChannelSocket(c, '/api/v1/namespaces/default/pods/web-a/portforward?ports=8080', ['v4.channel.k8s.io', 'portforward.k8s.io']);
    expect(s.protocol).toBe('v4.channel.k8s.io');
    await s.waitFor(() => s.frames.length >= 2, 'port frames');
    const port = Buffer.alloc(2); port.writeUInt16LE(8080);
    expect(s.frames.slice(0, 2)).toEqual([{ channel: 0, data: port }, { channel: 1, data: port }]);
    s.send(0, 'GET / HTTP/1.0\r\nHost: x\r\n\r\n');
    await s.closed;
    const answer = Buffer.concat(s.frames.slice(2).filter((f) => f.channel === 0).map((f) => f.data)).toString();
    expect(answer).toMatch(/^HTTP\/1\.[01] 200 OK/);
    expect(answer).toContain('served by web-a');
  });

  it('port-forward reaches a server that listens only on localhost inside the pod, like the kubelet', async () => {
    await createPod(c.api, { metadata: { name: 'local-only' }, spec: { containers: [{ name: 'web', image: c.agent.baseImage, command: ['sh', '-c', 'mkdir -p /www && echo local > /www/index.html && exec httpd -f -p 127.0.0.1:8081 -h /www'] }] } });
    await waitForRunning(c.api, 'local-only');
    const s = await openChannelSocket(c, '/api/v1/namespaces/default/pods/local-only/portforward?ports=8081', ['v4.channel.k8s.io']);
    s.send(0, 'GET / HTTP/1.0\r\n\r\n');
    await s.closed;
    expect(Buffer.concat(s.frames.slice(2).filter((f) => f.channel === 0).map((f) => f.data)).toString()).toMatch(/200 OK[\s\S]*local\n$/);
  });

  it('port-forward to a closed port reports the error on the error channel', async () => {
    const s = await openChannelSocket(c, '/api/v1/namespaces/default/pods/web-a/portforward?ports=9999', ['portforward.k8s.io']);
    await s.waitFor(() => s.frames.filter((f) => f.channel === 1).length >= 2, 'error text');
    expect(s.frames.filter((f) => f.channel === 1)[1]!.data.toString()).toMatch(/^error forwarding port 9999 to pod web-a, uid .*connection refused/);
  });

  it('gives each pod its own network namespace and IP (two pods on port 8080)', async (ctx) => {
    if (c.agent.networkMode !== 'pod') { console.log('skipping per-pod network test: this machine gives pods the host network'); ctx.skip(); }
    const a = await getPod(c.api, 'web-a');
    const b = await getPod(c.api, 'web-b');
    expect(a.status.podIP).not.toBe(b.status.podIP);
    for (const [pod, name] of [[a, 'web-a'], [b, 'web-b']] as const) {
      const body = await new Promise<string>((resolve, reject) => {
        const sock = connect({ host: pod.status.podIP, port: 8080 }, () => sock.end('GET / HTTP/1.0\r\n\r\n'));
        let d = ''; sock.on('data', (x) => { d += x; }); sock.on('end', () => resolve(d)); sock.on('error', reject);
      });
      expect(body).toContain(`served by ${name}`);
    }
  });

  it('resolves Services by name inside pods and forwards the Service port to the targetPort', async () => {
    await c.api.ok('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { 'app.kubernetes.io/name': 'web-a' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    await c.api.ok('PATCH', '/api/v1/namespaces/default/pods/web-a', { metadata: { labels: { 'app.kubernetes.io/name': 'web-a' } } }, 'application/merge-patch+json');
    const fetchIn = async (url: string) => {
      const s = await openChannelSocket(c, execPath('shell', ['wget', '-q', '-O', '-', url]), ALL);
      await s.closed;
      return s.text(1);
    };
    await eventually(async () => (await fetchIn('http://web/')) === 'served by web-a\n', 'http://web/ to answer from web-a');
    expect(await fetchIn('http://web.default.svc.cluster.local/')).toBe('served by web-a\n');
    expect(await fetchIn('http://web.default:80/')).toBe('served by web-a\n');
  });

  it('follows a log as lines arrive', async () => {
    await createPod(c.api, { metadata: { name: 'ticker' }, spec: { containers: [{ name: 'main', image: c.agent.baseImage, command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'] }] } });
    await waitForRunning(c.api, 'ticker');
    const url = new URL(`${c.apiServer.url}/api/v1/namespaces/default/pods/ticker/log?follow=true&tailLines=1`);
    const text = await new Promise<string>((resolve, reject) => {
      const req = https.get(url, { ca: c.apiServer.caPem, headers: { Authorization: `Bearer ${c.apiServer.tokens.admin}` } }, (res) => {
        let d = '';
        res.on('data', (x) => { d += x; if (d.split('\n').length > 3) { req.destroy(); resolve(d); } });
      });
      req.on('error', (e) => { if (!req.destroyed) reject(e); });
    });
    const ticks = text.split('\n').filter(Boolean).map((l) => Number(l.split(' ')[1]));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.slice(1)).toEqual(ticks.slice(1).map((_, i) => ticks[0]! + i + 1));
  });

  it('attaches to the main process: its stdin in, its output out', async () => {
    await createPod(c.api, { metadata: { name: 'reader' }, spec: { containers: [{ name: 'main', image: c.agent.baseImage, stdin: true, command: ['sh', '-c', 'while read l; do echo "got $l"; done'] }] } });
    await waitForRunning(c.api, 'reader');
    const s = await openChannelSocket(c, '/api/v1/namespaces/default/pods/reader/attach?stdin=true&stdout=true&stderr=true', ALL);
    s.send(0, 'one\n');
    await s.waitFor(() => s.text(1) === 'got one\n', 'echo of attached stdin');
    s.ws.close();
    await s.closed;
  });

  it('refuses requests that do not come through the API server', async () => {
    const r = await fetch(`http://127.0.0.1:${c.agent.kubeletPort}/api/v1/namespaces/default/pods/shell/log`);
    expect(r.status).toBe(401);
  });
});
