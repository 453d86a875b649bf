// Test support for the node agent's tests: the real API server (../apiserver) with this node agent
// attached, an admin API client, WebSocket helpers for exec/port-forward through the API server's
// proxy, and the reason to skip when this machine lacks root or the Debian tools.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startApiServer, type ApiServer } from '../apiserver/server';
import { ApiClient } from './api-client';
import { startNodeAgent, type NodeAgent, type NodeAgentOptions } from './index';

/** Why the node agent cannot run here, or undefined when it can. */
export function cannotRunNode(): string | undefined {
  if (process.getuid?.() !== 0) return 'the node agent needs root (buildah chroot isolation, network namespaces)';
  for (const [tool, pkg] of [['buildah', 'buildah'], ['docker-registry', 'docker-registry'], ['nsenter', 'util-linux'], ['ip', 'iproute2']] as const) {
    try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); } catch { return `${tool} is missing (Debian package ${pkg})`; }
  }
  try { execFileSync('test', ['-x', '/bin/busybox']); } catch { return '/bin/busybox is missing (Debian package busybox-static)'; }
  return undefined;
}

export interface NodeTestCluster {
  /** The agent's and API server's last log lines, for a failing test's report. */
  logTail(n?: number): string;
  apiServer: ApiServer;
  agent: NodeAgent;
  /** Admin client of the API server. */
  api: ApiClient;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startNodeTestCluster(options: Partial<NodeAgentOptions> = {}): Promise<NodeTestCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'node-agent-test-'));
  const lines: string[] = [];
  const log = (l: string) => { lines.push(l); if (lines.length > 2000) lines.splice(0, 1000); if (process.env.TEST_NODE_LOG) console.log(l); };
  const apiServer = await startApiServer({ log });
  let agent: NodeAgent;
  try {
    agent = await startNodeAgent({ apiServer: apiServer.url, token: apiServer.tokens.node, ca: apiServer.caPem, nodeName: 'test-node', dataDir, log, backoffScale: 0.05, ...options });
  } catch (e) {
    await apiServer.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const api = new ApiClient(apiServer.url, apiServer.tokens.admin, apiServer.caPem);
  return {
    apiServer, agent, api, dataDir,
    logTail: (n = 60) => lines.slice(-n).join('\n'),
    async stop() {
      api.close();
      await agent.stop();
      await apiServer.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value (not undefined/false) or the time is up. */
/** Integration tests share two cores with everything else: generous limits, never timed assertions. */
export const SLOW = { timeout: 120_000 };

export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function createPod(api: ApiClient, pod: any, ns = 'default'): Promise<any> {
  return api.ok('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', ...pod });
}

export function getPod(api: ApiClient, name: string, ns = 'default'): Promise<any> {
  return api.get(`/api/v1/namespaces/${ns}/pods/${name}`);
}

export function waitForRunning(api: ApiClient, name: string, ns = 'default'): Promise<any> {
  return eventually(async () => {
    const p = await getPod(api, name, ns);
    return p.status?.phase === 'Running' && p.status.containerStatuses?.every((c: any) => c.ready) ? p : undefined;
  }, `pod ${ns}/${name} to be running and ready`);
}

export async function events(api: ApiClient, ns = 'default', pod?: string): Promise<any[]> {
  const list = await api.get(`/api/v1/namespaces/${ns}/events`);
  return (list.items ?? []).filter((e: any) => !pod || e.involvedObject?.name === pod);
}

export interface ChannelSocket {
  ws: WebSocket;
  protocol: string;
  frames: Array<{ channel: number; data: Buffer }>;
  text(channel: number): string;
  send(channel: number, data: string | Buffer): void;
  closed: Promise<number>;
  waitFor(pred: () => boolean, what: string): Promise<void>;
}

/** Opens a channel-protocol WebSocket to `path` through the API server, as the app does. */
export function openChannelSocket(c: NodeTestCluster, path: string, protocols: string[]): Promise<ChannelSocket> {
  const url = `${c.apiServer.url.replace(/^https/, 'wss')}${path}`;
  const ws = new WebSocket(url, protocols, { ca: c.apiServer.caPem, headers: { Authorization: `Bearer ${c.apiServer.tokens.admin}` } });
  const frames: Array<{ channel: number; data: Buffer }> = [];
  ws.on('message', (d: Buffer) => frames.push({ channel: d[0]!, data: d.subarray(1) }));
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })));
    });
    ws.on('error', reject);
    ws.on('open', () => resolve({
      ws, protocol: ws.protocol, frames, closed,
      text: (ch) => Buffer.concat(frames.filter((f) => f.channel === ch).map((f) => f.data)).toString('utf8'),
      send: (ch, data) => ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(data)])),
      waitFor: (pred, what) => eventually(() => pred(), what, 20_000).then(() => undefined),
    }));
  });
}

export function execPath(pod: string, command: string[], o: { ns?: string; container?: string; stdin?: boolean; tty?: boolean } = {}): string {
  const q = new URLSearchParams();
  for (const c of command) q.append('command', c);
  if (o.container) q.set('container', o.container);
  q.set('stdin', String(!!o.stdin));
  q.set('stdout', 'true');
  q.set('stderr', String(!o.tty));
  q.set('tty', String(!!o.tty));
  return `/api/v1/namespaces/${o.ns ?? 'default'}/pods/${pod}/exec?${q}`;
}
