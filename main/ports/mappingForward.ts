// One enabled port mapping while forwards run: a local listener, and per accepted connection a
// pod looked up at that moment and a WebSocket of its own. Keeps the observed state (listening,
// no ready pod, error, connections, bytes, last pod, HTTP) that the Ports panel shows next to
// what the user asked for; it never claims "listening" for a listener that is not.
import net from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import type { PortMappingStatus } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { findPortOwner } from './portOwner';
import { openPortForwardSocket, pipeTunnel, TunnelOpenError } from './podTunnel';
import type { ReadyPodFinder } from './readyPods';
import { selectorText } from './readyPods';

export interface MappingTarget {
  kubeConfig: KubeConfig;
  namespace: string;
  labelSelector: Record<string, string>;
  bindAddress: string;
  localPort: number;
  remotePort: number;
}

export type ObservedState = Omit<PortMappingStatus, 'key'>;

/** How often a mapping without a ready pod looks again, so the badge recovers on its own. */
const NO_POD_RECHECK_MS = 2000;

export class MappingForward {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private recheck: NodeJS.Timeout | null = null;
  private closed = false;
  /** The current error came from looking up pods (the cluster), so a good lookup clears it. */
  private lookupFailed = false;
  private probing = false;
  private observed: ObservedState;

  constructor(
    readonly target: MappingTarget,
    private readonly pods: ReadyPodFinder,
    private readonly changed: () => void,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.observed = {
      localPort: target.localPort,
      remotePort: target.remotePort,
      bindAddress: target.bindAddress,
      state: 'stopped',
      connections: 0,
      bytesIn: 0,
      bytesOut: 0,
    };
  }

  status(): ObservedState {
    return { ...this.observed };
  }

  /** Whether the listener failed to start (port in use …); saving again retries such mappings. */
  get listenFailed(): boolean {
    return this.server === null && this.observed.state === 'error';
  }

  /** Starts listening; a failure becomes the observed state (the caller never has to catch). */
  async listen(): Promise<void> {
    const { bindAddress, localPort } = this.target;
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => void this.accept(socket));
    const failure = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen({ host: bindAddress, port: localPort, exclusive: true }, () => resolve(null));
    });
    if (this.closed) {
      server.close();
      return;
    }
    if (failure) {
      this.set({ state: 'error', message: await listenErrorText(failure, bindAddress, localPort) });
      return;
    }
    server.on('error', (err) => this.log(`ports: listener ${bindAddress}:${localPort}: ${err.message}`));
    this.server = server;
    this.set({ state: 'listening', message: undefined });
    // Say "no ready pod" up front rather than on the user's first failed request.
    void this.checkPod();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.recheck) clearTimeout(this.recheck);
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
    this.set({ state: 'stopped', message: undefined, connections: 0 });
  }

  private set(patch: Partial<ObservedState>): void {
    const next = { ...this.observed, ...patch };
    for (const k of Object.keys(patch) as Array<keyof ObservedState>) if (patch[k] === undefined) delete next[k];
    this.observed = next;
    this.changed();
  }

  private async checkPod(): Promise<void> {
    if (this.closed || !this.server) return;
    try {
      const pod = await this.pods.find();
      if (this.closed || !this.server) return;
      if (pod === null) return this.noPod();
      if (this.observed.state === 'no-pod' || (this.observed.state === 'error' && this.lookupFailed)) this.set({ state: 'listening', message: undefined });
      this.lookupFailed = false;
      if (this.observed.http === undefined) void this.probeHttp(pod);
    } catch (err) {
      if (this.closed) return;
      this.lookupFailed = true;
      this.set({ state: 'error', message: `Could not look up pods: ${(err as Error).message}` });
      this.scheduleRecheck();
    }
  }

  /**
   * Asks the pod's port once with a HEAD request whether it speaks HTTP, so "Open in browser" is
   * offered before the user's first visit. Only the first bytes of the answer are read; failures
   * change nothing (real connections report errors).
   */
  private async probeHttp(pod: string): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    let opened;
    try {
      const { kubeConfig, namespace, remotePort } = this.target;
      opened = await openPortForwardSocket({ kubeConfig, namespace, pod, remotePort });
      const tunnel = opened;
      tunnel.release();
      const first = await new Promise<Buffer | null>((resolve) => {
        let header = 2;
        const timer = setTimeout(() => resolve(null), 5000);
        const onMessage = (m: Buffer) => {
          if (m[0] !== 0) return;
          let payload = m.subarray(1);
          const skip = Math.min(header, payload.length);
          header -= skip;
          payload = payload.subarray(skip);
          if (payload.length === 0) return;
          clearTimeout(timer);
          resolve(payload);
        };
        tunnel.early.forEach(onMessage);
        tunnel.ws.on('message', onMessage);
        tunnel.ws.once('close', () => {
          clearTimeout(timer);
          resolve(null);
        });
        tunnel.ws.send(Buffer.from('\u0000HEAD / HTTP/1.0\r\nHost: localhost\r\nUser-Agent: devspace-desktop-probe\r\n\r\n', 'latin1'));
      });
      if (first && !this.closed && this.observed.http === undefined) this.set({ http: first.subarray(0, 5).toString('latin1') === 'HTTP/' });
    } catch {
      // The probe is a courtesy; a real connection will say what is wrong.
    } finally {
      opened?.ws.terminate();
      this.probing = false;
    }
  }

  private noPod(): void {
    const { labelSelector, namespace } = this.target;
    this.set({ state: 'no-pod', message: `No ready pod matches ${selectorText(labelSelector)} in namespace ${namespace}; still listening, connections are refused until one is ready.` });
    this.scheduleRecheck();
  }

  private scheduleRecheck(): void {
    if (this.recheck || this.closed) return;
    this.recheck = setTimeout(() => {
      this.recheck = null;
      if (this.observed.state === 'no-pod' || (this.observed.state === 'error' && this.server)) void this.checkPod();
    }, NO_POD_RECHECK_MS);
    this.recheck.unref();
  }

  private async accept(socket: net.Socket): Promise<void> {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    this.set({ connections: this.observed.connections + 1 });
    try {
      await this.forward(socket);
    } finally {
      socket.destroy();
      if (!this.closed) this.set({ connections: Math.max(0, this.observed.connections - 1) });
    }
  }

  private async forward(socket: net.Socket): Promise<void> {
    const { kubeConfig, namespace, remotePort } = this.target;
    let pod: string | null;
    let ws;
    // A cached pod may have just been deleted: on a refused upgrade look once more, uncached.
    for (let attempt = 0; ; attempt++) {
      try {
        pod = await this.pods.find({ fresh: attempt > 0 });
      } catch (err) {
        this.lookupFailed = true;
        this.set({ state: 'error', message: `Could not look up pods: ${err instanceof AppError ? err.message : (err as Error).message}` });
        this.scheduleRecheck();
        return;
      }
      if (this.closed) return;
      if (pod === null) {
        this.noPod();
        return;
      }
      try {
        ws = await openPortForwardSocket({ kubeConfig, namespace, pod, remotePort });
        break;
      } catch (err) {
        this.pods.invalidate();
        if (attempt === 0 && !this.closed) continue;
        const why = err instanceof TunnelOpenError ? err.message : String(err);
        this.set({ state: 'error', pod, message: `Could not open a port-forward to pod ${pod}: ${why}` });
        this.scheduleRecheck();
        return;
      }
    }
    if (this.closed) {
      ws.ws.terminate();
      return;
    }
    this.lookupFailed = false;
    if (this.observed.state !== 'listening' || this.observed.pod !== pod) this.set({ state: 'listening', message: undefined, pod });
    socket.resume();
    const result = await pipeTunnel(socket, ws, {
      onBytesIn: (n, first) => {
        const patch: Partial<ObservedState> = { bytesIn: this.observed.bytesIn + n };
        // The first answer of a connection tells whether the pod speaks HTTP there.
        if (first && this.observed.http !== true) patch.http = first.subarray(0, 5).toString('latin1') === 'HTTP/';
        this.set(patch);
      },
      onBytesOut: (n) => this.set({ bytesOut: this.observed.bytesOut + n }),
    });
    if (result.remoteError !== undefined && !this.closed) {
      this.set({ state: 'error', pod, message: remoteErrorText(result.remoteError, pod, remotePort) });
    }
  }
}

function remoteErrorText(text: string, pod: string, port: number): string {
  const refused = /connection refused/i.test(text);
  const lead = refused ? `Pod ${pod} refused the connection on port ${port}: is the app in it listening on ${port}?` : `The connection to pod ${pod} port ${port} failed.`;
  return `${lead} Still listening; the next connection tries again. (${text.trim().slice(0, 300)})`;
}

async function listenErrorText(err: NodeJS.ErrnoException, bindAddress: string, port: number): Promise<string> {
  if (err.code === 'EADDRINUSE') {
    const owner = await findPortOwner(port).catch(() => null);
    const who = owner ? ` by ${owner.name} (pid ${owner.pid})` : ' by another program';
    return `Local port ${port} on ${bindAddress} is already in use${who}. Stop it or pick another local port, then save again.`;
  }
  if (err.code === 'EACCES') return `Local port ${port} on ${bindAddress} needs administrator rights. Pick a port from 1024 up, then save again.`;
  if (err.code === 'EADDRNOTAVAIL') return `${bindAddress} is not an address of this machine. Use 127.0.0.1 or 0.0.0.0, then save again.`;
  return `Could not listen on ${bindAddress}:${port}: ${err.message}`;
}
