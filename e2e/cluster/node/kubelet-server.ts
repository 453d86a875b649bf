// The kubelet's streaming server on 127.0.0.1:<kubeletPort>: …/log, …/exec, …/attach and
// …/portforward of pods on this node. The API server proxies to it and adds X-Test-Node-Token;
// requests without the node token are refused.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHANNEL_PROTOCOLS, serveAttach, serveExec, type ExecOverride } from './exec-session';
import type { Kubelet } from './kubelet';
import { rejectUpgrade, sendStatus } from './kube-status';
import { pickContainer, serveLog } from './log-stream';
import { parsePorts, PORT_FORWARD_PROTOCOLS, servePortForward } from './port-forward-session';

const ROUTE = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|exec|attach|portforward)$/;

export class KubeletServer {
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly streams = new Set<() => void>();
  port = 0;

  constructor(private readonly kubelet: Kubelet, private readonly token: string, private readonly execOverride?: ExecOverride) {
    this.wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (offered: Set<string>, req: IncomingMessage) => {
        const sub = ROUTE.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[3];
        const ours = sub === 'portforward' ? PORT_FORWARD_PROTOCOLS : CHANNEL_PROTOCOLS;
        return ours.find((p) => offered.has(p)) ?? false;
      },
    });
    this.server = createServer((req, res) => {
      const route = this.route(req);
      if (typeof route === 'string') return sendStatus(res, route === 'token' ? 401 : 404, route === 'token' ? 'Unauthorized: the kubelet accepts only requests from the API server' : `the server could not find the requested resource`);
      const { pod, sub, q } = route;
      if (sub === 'log') return serveLog(req, res, pod, q, (close) => this.track(close));
      sendStatus(res, 400, 'Upgrade request required');
    });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Registers an open stream so dropStreams() can cut it; returns the unregister function. */
  private track(close: () => void): () => void {
    this.streams.add(close);
    return () => { this.streams.delete(close); };
  }

  private route(req: IncomingMessage) {
    if (req.headers['x-test-node-token'] !== this.token) return 'token';
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const m = ROUTE.exec(url.pathname);
    if (!m) return 'notfound';
    const pod = this.kubelet.pod(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    if (!pod) return 'notfound';
    return { pod, sub: m[3]!, q: url.searchParams };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const route = this.route(req);
    if (route === 'token') return rejectUpgrade(socket, 401, 'Unauthorized: the kubelet accepts only requests from the API server');
    if (route === 'notfound') return rejectUpgrade(socket, 404, 'pod not found on this node');
    const { pod, sub, q } = route;
    const accept = (serve: (ws: WebSocket) => void) => this.wss.handleUpgrade(req, socket, head, (ws) => {
      const untrack = this.track(() => ws.terminate());
      ws.on('close', untrack);
      ws.on('error', () => ws.terminate());
      serve(ws);
    });
    if (sub === 'portforward') {
      const ports = parsePorts(q);
      if (typeof ports === 'string') return rejectUpgrade(socket, 400, ports);
      if (!pod.podIp) return rejectUpgrade(socket, 400, `pod ${pod.name} has no IP address yet`);
      return accept((ws) => servePortForward(ws, { name: pod.name, uid: pod.uid, podIp: pod.podIp, ...(pod.netnsPath ? { netnsPath: pod.netnsPath } : {}) }, ports));
    }
    if (sub === 'exec' || sub === 'attach') {
      const picked = pickContainer(pod, q.get('container'));
      if (typeof picked === 'string') return rejectUpgrade(socket, 400, picked);
      const r = { argv: q.getAll('command'), stdin: q.get('stdin') === 'true' || q.get('stdin') === '1', stdout: q.get('stdout') !== 'false' && q.get('stdout') !== '0', stderr: q.get('stderr') !== 'false' && q.get('stderr') !== '0', tty: q.get('tty') === 'true' || q.get('tty') === '1' };
      if (sub === 'exec' && !r.argv.length) return rejectUpgrade(socket, 400, 'you must specify at least 1 command');
      if (!picked.current?.running) return rejectUpgrade(socket, 400, `container ${picked.name} is not running (state: ${Object.keys(picked.state)[0]})`);
      if (sub === 'attach') return accept((ws) => serveAttach(ws, picked, r));
      void picked.target().then((target) => {
        if (!target) return rejectUpgrade(socket, 400, `container ${picked.name} is not running`);
        accept((ws) => serveExec(ws, picked, target, r, this.execOverride));
      });
      return;
    }
    rejectUpgrade(socket, 400, `${sub} does not take an upgrade`);
  }

  /** `host`: the node's address (the API server dials the Node's InternalIP). */
  async listen(host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => { this.server.once('error', reject); this.server.listen(0, host, () => resolve()); });
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** The dropStreams fault: every open exec/attach/log/port-forward stream ends now. */
  dropStreams(): void {
    for (const close of [...this.streams]) close();
    this.streams.clear();
  }

  async close(): Promise<void> {
    this.dropStreams();
    for (const ws of this.wss.clients) ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
