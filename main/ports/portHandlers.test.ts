// Port forwarding against the test cluster: a busybox httpd Deployment, forwarded by the same
// handlers the app wires, checked from this process like a browser would use it.
import { promises as fs, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PortForwarding, PortMappingStatus, PortsView } from '../../preload/api';
import { startTestCluster, type TestCluster } from '../../e2e/cluster';
import { EventBus } from '../ipc/events';
import { createPortHandlers, type PortHandlers } from './portHandlers';
import { clientKubeConfig, createHttpdDeployment, eventually, freePort, httpGet, makeProject, readyPods, scaleDeployment } from './portsTestSupport';

const missing = ['/usr/bin/buildah'].filter((p) => !existsSync(p));
if (missing.length) console.warn(`skipping port-forward tests against the test cluster: ${missing.join(', ')} not installed`);

const LABELS = { app: 'web' };
const BIG_MIB = 32;

function configYaml(localPort: number): string {
  return [
    '# The web app (comments must survive the editor).',
    'version: v1alpha1',
    'devSpace:',
    '  # forwards for the web app',
    '  ports:',
    '  - labelSelector:',
    '      app: web',
    '    portMappings:',
    `    - localPort: ${localPort} # the site`,
    '      remotePort: 8080',
    '',
  ].join('\n');
}

describe.skipIf(missing.length > 0)('port forwarding against the test cluster', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let project: Awaited<ReturnType<typeof makeProject>>;
  let handlers: PortHandlers | null = null;
  let events: EventBus;
  let pushed: PortsView[];
  let sitePort: number;

  beforeAll(async () => {
    cluster = await startTestCluster();
    kc = clientKubeConfig(cluster.kubeconfigPath);
    await createHttpdDeployment(kc, { name: 'web', image: cluster.baseImage, labels: LABELS, bigMiB: BIG_MIB });
    await eventually('a ready web pod', async () => (await readyPods(kc, 'app=web')).length === 1, 90_000);
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const start = async () => {
    sitePort = await freePort();
    project = await makeProject(cluster.kubeconfigPath, configYaml(sitePort));
    events = new EventBus();
    pushed = [];
    events.subscribe((e, p) => e === 'ports.status' && pushed.push(p as PortsView));
    handlers = createPortHandlers({ events, resolveProjectCluster: project.resolve, log: () => {}, statusIntervalMs: 50 });
    return handlers;
  };
  afterEach(async () => {
    await handlers?.dispose();
    handlers = null;
    await project?.cleanup();
  });

  /** The current observed state of the mapping with this local port. */
  const statusOf = async (h: PortHandlers, localPort: number): Promise<PortMappingStatus> => {
    const view = await h['ports.list']();
    const s = view.status.find((x) => x.localPort === localPort);
    if (!s) throw new Error(`no status for local port ${localPort}`);
    return s;
  };

  it('serves the pod over a local port and reports listening, the pod, HTTP and bytes', async () => {
    const h = await start();
    const before = await h['ports.list']();
    expect(before.running).toBe(false);
    expect(before.forwardings).toEqual([{ labelSelector: LABELS, portMappings: [{ localPort: sitePort, remotePort: 8080 }] }]);
    expect(before.status[0]).toMatchObject({ key: '0:0', state: 'stopped' });

    const started = await h['ports.start']();
    expect(started.running).toBe(true);
    expect(started.status[0]).toMatchObject({ state: 'listening', bindAddress: '127.0.0.1', localPort: sitePort });

    const res = await httpGet(sitePort);
    expect(res.status).toBe(200);
    const [pod] = await readyPods(kc, 'app=web');
    expect(res.body.toString()).toBe(`served by ${pod}\n`);

    const s = await eventually('status after the request', async () => {
      const st = await statusOf(h, sitePort);
      return st.connections === 0 && st.bytesIn > 0 && st.http === true ? st : null;
    });
    expect(s).toMatchObject({ state: 'listening', pod, http: true });
    expect(s.bytesOut).toBeGreaterThan(0);
    await eventually('a pushed ports.status with the pod', () => pushed.some((v) => v.status[0]?.pod === pod));

    // A large body arrives whole and in order (two downloads of the same random file agree).
    const a = await httpGet(sitePort, '/big');
    const b = await httpGet(sitePort, '/big');
    expect(a.body.length).toBe(BIG_MIB << 20);
    expect(createHash('sha256').update(a.body).digest('hex')).toBe(createHash('sha256').update(b.body).digest('hex'));
  });

  it('knows the pod speaks HTTP before the first visit, then takes 100 concurrent connections', async () => {
    const h = await start();
    await h['ports.start']();
    // The HEAD probe is not the user's traffic: no bytes or connections are counted for it.
    const probed = await eventually('the HTTP probe', async () => {
      const st = await statusOf(h, sitePort);
      return st.http !== undefined ? st : null;
    });
    expect(probed).toMatchObject({ http: true, bytesIn: 0, bytesOut: 0, connections: 0 });

    const results = await Promise.allSettled(Array.from({ length: 100 }, () => httpGet(sitePort)));
    const failed = results.filter((r) => r.status === 'rejected' || r.value.status !== 200);
    expect(failed.map((r) => (r.status === 'rejected' ? String(r.reason) : r.value.status))).toEqual([]);
    const s = await eventually('connections back to 0', async () => ((await statusOf(h, sitePort)).connections === 0 ? statusOf(h, sitePort) : null));
    expect(s.state).toBe('listening');
  });

  it('reaches the replacement pod after the pod is deleted, without restarting the forward', async () => {
    const h = await start();
    await h['ports.start']();
    const [oldPod] = await readyPods(kc, 'app=web');
    expect((await httpGet(sitePort)).body.toString()).toContain(oldPod);

    await kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: oldPod!, namespace: 'default' });
    const newPod = await eventually('the replacement pod, with the old one gone', async () => {
      const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items.map((p) => p.metadata!.name!);
      const ready = await readyPods(kc, 'app=web');
      return !pods.includes(oldPod!) && ready.length === 1 ? ready[0] : null;
    }, 90_000);

    const res = await httpGet(sitePort);
    expect(res.body.toString()).toBe(`served by ${newPod}\n`);
    expect(await statusOf(h, sitePort)).toMatchObject({ state: 'listening', pod: newPod });
  });

  it('ends an open connection when the API server drops its streams, and serves the next one', async () => {
    const h = await start();
    await h['ports.start']();
    const sock = net.connect(sitePort, '127.0.0.1');
    let received = 0;
    sock.on('data', (c: Buffer) => {
      received += c.length;
      sock.pause(); // a reader that stops reading, so the drop comes mid-transfer
    });
    sock.write('GET /big HTTP/1.0\r\n\r\n');
    await eventually('the download under way', () => received > 0);
    cluster.faults.dropStreams();
    const closed = new Promise((r) => sock.once('close', r));
    sock.on('data', () => setImmediate(() => sock.resume()));
    sock.resume();
    await closed;
    // The reader sees the end of a short body, not a socket that hangs forever.
    expect(received).toBeLessThan(BIG_MIB << 20);
    await eventually('no open connections', async () => (await statusOf(h, sitePort)).connections === 0);
    expect((await httpGet(sitePort)).status).toBe(200);
    expect((await statusOf(h, sitePort)).state).toBe('listening');
  });

  it('says "no ready pod" while none is ready, and recovers when one is', async () => {
    const h = await start();
    await h['ports.start']();
    await scaleDeployment(kc, 'web', 0);
    try {
      await eventually('no pods left', async () => (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items.length === 0, 60_000);
      await expect(httpGet(sitePort)).rejects.toThrow();
      const s = await statusOf(h, sitePort);
      expect(s.state).toBe('no-pod');
      expect(s.message).toContain('app=web');
    } finally {
      await scaleDeployment(kc, 'web', 1);
    }
    await eventually('a ready web pod again', async () => (await readyPods(kc, 'app=web')).length === 1, 90_000);
    await eventually('the badge back to listening', async () => (await statusOf(h, sitePort)).state === 'listening', 30_000);
    expect((await httpGet(sitePort)).status).toBe(200);
  });

  it('names the busy local port and its process, keeps other forwards, and retries on save', async () => {
    const h = await start();
    await h['ports.start']();
    const busyPort = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(busyPort, '127.0.0.1', () => r()));

    // A connection on the unchanged mapping is open (request half sent) while the user saves.
    const open = net.connect(sitePort, '127.0.0.1');
    await new Promise((r) => open.once('connect', r));
    open.write('GET / HTTP/1.0\r\n');

    const next: PortForwarding[] = [{ labelSelector: LABELS, portMappings: [{ localPort: sitePort, remotePort: 8080 }, { localPort: busyPort, remotePort: 8080 }] }];
    const saved = await h['ports.save'](next);
    const busy = saved.status.find((s) => s.localPort === busyPort)!;
    expect(busy.state).toBe('error');
    expect(busy.message).toContain(`Local port ${busyPort}`);
    expect(busy.message).toContain(`(pid ${process.pid})`);
    expect(saved.status.find((s) => s.localPort === sitePort)?.state).toBe('listening');

    const answer = new Promise<string>((resolve) => {
      let text = '';
      open.on('data', (d) => (text += d.toString()));
      open.on('close', () => resolve(text));
    });
    open.write('\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.[01] 200/);

    await new Promise((r) => blocker.close(r));
    const retried = await h['ports.save'](next);
    expect(retried.status.find((s) => s.localPort === busyPort)?.state).toBe('listening');
    expect((await httpGet(busyPort)).status).toBe(200);

    const text = await fs.readFile(path.join(project.dir, '.devspace', 'config.yaml'), 'utf8');
    expect(text).toContain('# forwards for the web app');
    expect(text).toContain('# the site');
    expect(text).toContain(`localPort: ${busyPort}`);
  });

  it('closes a connection to a closed pod port with a visible error and keeps listening', async () => {
    const h = await start();
    const closedPort = await freePort();
    await h['ports.save']([{ labelSelector: LABELS, portMappings: [{ localPort: sitePort, remotePort: 8080 }, { localPort: closedPort, remotePort: 9999 }] }]);
    await h['ports.start']();

    const sock = net.connect(closedPort, '127.0.0.1');
    let received = '';
    sock.on('data', (d) => (received += d.toString()));
    sock.on('error', () => {});
    sock.write('GET / HTTP/1.0\r\n\r\n');
    await new Promise((r) => sock.once('close', r));
    expect(received).toBe('');

    const s = await eventually('the error on the mapping', async () => {
      const st = await statusOf(h, closedPort);
      return st.state === 'error' ? st : null;
    });
    expect(s.message).toMatch(/refused the connection on port 9999/);
    // The listener stays: a new connection is still accepted locally.
    const again = net.connect(closedPort, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      again.once('connect', () => resolve());
      again.once('error', reject);
    });
    again.destroy();
    expect((await statusOf(h, sitePort)).state).toBe('listening');
  });

  it('refuses invalid mappings without writing, warns about privileged ports, stops cleanly', async () => {
    const h = await start();
    const file = path.join(project.dir, '.devspace', 'config.yaml');
    const original = await fs.readFile(file, 'utf8');
    await expect(h['ports.save']([{ labelSelector: LABELS, portMappings: [{ localPort: 0, remotePort: 8080 }] }])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(h['ports.save']([{ labelSelector: LABELS, portMappings: [{ localPort: 3000, remotePort: 1 }, { localPort: 3000, remotePort: 2 }] }])).rejects.toThrow(/local port 3000 is already used/);
    expect(await fs.readFile(file, 'utf8')).toBe(original);

    // Not running, so nothing binds port 80; the warning is still shown.
    const view = await h['ports.save']([{ labelSelector: LABELS, portMappings: [{ localPort: 80, remotePort: 8080 }, { localPort: sitePort, remotePort: 8080, enabled: false }] }]);
    expect(view.warnings.join(' ')).toMatch(/Local port 80 is privileged/);
    expect(view.status.map((s) => s.state)).toEqual(['stopped', 'disabled']);
    const text = await fs.readFile(file, 'utf8');
    expect(text).toContain('# forwards for the web app');
    expect(text).toContain('enabled: false');

    await h['ports.save']([{ labelSelector: LABELS, portMappings: [{ localPort: sitePort, remotePort: 8080 }] }]);
    await h['ports.start']();
    expect((await httpGet(sitePort)).status).toBe(200);
    const stopped = await h['ports.stop']();
    expect(stopped.running).toBe(false);
    expect(stopped.status[0]?.state).toBe('stopped');
    await expect(httpGet(sitePort)).rejects.toThrow(/ECONNREFUSED/);
  });
});
