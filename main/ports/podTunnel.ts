// One local TCP connection carried to one port of one pod over its own WebSocket
// (`…/pods/{pod}/portforward?ports=N`, subprotocol v4.channel.k8s.io or portforward.k8s.io).
// Written on `ws` directly rather than client-node's PortForward so we control backpressure in
// both directions, see the error channel's text, and learn why an upgrade was refused.
import { createServer, type Socket } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';

export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'portforward.k8s.io'];

/** Pause the local socket when this much is queued for the WebSocket; resume below LOW. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 << 10;

export interface TunnelTarget {
  kubeConfig: KubeConfig;
  namespace: string;
  pod: string;
  remotePort: number;
}

/** Why a tunnel could not be opened; `status` is the HTTP status of a refused upgrade. */
export class TunnelOpenError extends Error {
  override readonly name = 'TunnelOpenError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface TunnelEvents {
  /** Bytes that reached the local client (from the pod). */
  onBytesIn?(n: number, first: Buffer | null): void;
  /** Bytes sent to the pod. */
  onBytesOut?(n: number): void;
  /** Text the server sent on the error channel, e.g. "error forwarding port 8080 to pod …". */
  onRemoteError?(text: string): void;
}

/**
 * An upgraded WebSocket plus what arrived before anyone listened: the server's port headers (and
 * even an error and the close) often come in the same TCP packet as the upgrade answer.
 */
export interface OpenedTunnel {
  ws: WebSocket;
  early: Buffer[];
  closedEarly: boolean;
  release(): void;
}

/** Opens the WebSocket for one connection; resolves once the upgrade succeeded. */
export async function openPortForwardSocket(target: TunnelTarget, signal?: AbortSignal): Promise<OpenedTunnel> {
  const cluster = target.kubeConfig.getCurrentCluster();
  if (!cluster) throw new TunnelOpenError('The kubeconfig context has no cluster.');
  const opts: { headers?: Record<string, string>; agent?: unknown } & Record<string, unknown> = {};
  await target.kubeConfig.applyToHTTPSOptions(opts as never);
  const base = cluster.server.replace(/^http/, 'ws').replace(/\/+$/, '');
  const url = `${base}/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/portforward?ports=${target.remotePort}`;
  const ws = new WebSocket(url, PORT_FORWARD_PROTOCOLS, {
    ...(opts as object),
    perMessageDeflate: false,
    handshakeTimeout: 15_000,
    maxPayload: 64 << 20,
  });
  const opened: OpenedTunnel = { ws, early: [], closedEarly: false, release: () => {} };
  const keep = (data: Buffer) => opened.early.push(data);
  const closed = () => (opened.closedEarly = true);
  ws.on('message', keep);
  ws.on('close', closed);
  opened.release = () => {
    ws.off('message', keep);
    ws.off('close', closed);
  };
  return new Promise<OpenedTunnel>((resolve, reject) => {
    const abort = () => {
      ws.terminate();
      reject(new TunnelOpenError('cancelled'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);
    ws.once('open', () => {
      done();
      resolve(opened);
    });
    ws.once('unexpected-response', (_req, res) => {
      // The API server answers a refused upgrade with a Status object; its message says why
      // (pod not found, forbidden, pod not running).
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body.length < 4096 ? (body += c) : undefined));
      res.on('end', () => {
        done();
        let message = `the API server answered ${res.statusCode}`;
        try {
          const status = JSON.parse(body) as { message?: string };
          if (status.message) message = status.message;
        } catch {
          if (body.trim()) message += `: ${body.trim().slice(0, 200)}`;
        }
        ws.terminate();
        reject(new TunnelOpenError(message, res.statusCode));
      });
    });
    ws.once('error', (err) => {
      done();
      reject(new TunnelOpenError(err.message));
    });
  });
}

/**
 * Pipes `socket` through `ws` until either side ends. Resolves when both are closed; the result
 * says whether the server reported an error for this connection.
 */
export function pipeTunnel(socket: Socket, opened: OpenedTunnel, events: TunnelEvents = {}): Promise<{ remoteError?: string }> {
  const { ws } = opened;
  opened.release();
  return new Promise((resolve) => {
    // The server's first frame on each channel is the port (2 bytes, little endian), not data.
    let dataHeader = 2;
    let errorHeader = 2;
    let firstData = true;
    let remoteError: string | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      resolve(remoteError === undefined ? {} : { remoteError });
    };

    const onMessage = (msg: Buffer) => {
      if (msg.length === 0) return;
      const channel = msg[0]!;
      let payload = msg.subarray(1);
      if (channel === 0) {
        if (dataHeader > 0) {
          const skip = Math.min(dataHeader, payload.length);
          dataHeader -= skip;
          payload = payload.subarray(skip);
        }
        if (payload.length === 0) return;
        events.onBytesIn?.(payload.length, firstData ? payload : null);
        firstData = false;
        // Backpressure towards the pod: stop reading the WebSocket while the local client is slow.
        if (!socket.write(payload)) ws.pause();
      } else if (channel === 1) {
        if (errorHeader > 0) {
          const skip = Math.min(errorHeader, payload.length);
          errorHeader -= skip;
          payload = payload.subarray(skip);
        }
        if (payload.length === 0) return;
        remoteError = (remoteError ?? '') + payload.toString('utf8');
        events.onRemoteError?.(remoteError);
      }
    };
    for (const msg of opened.early) onMessage(msg);
    ws.on('message', onMessage);
    socket.on('drain', () => ws.resume());

    let paused = false;
    socket.on('data', (chunk: Buffer) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const frame = Buffer.allocUnsafe(chunk.length + 1);
      frame[0] = 0;
      chunk.copy(frame, 1);
      events.onBytesOut?.(chunk.length);
      ws.send(frame, { binary: true }, () => {
        if (paused && ws.bufferedAmount < LOW_WATER) {
          paused = false;
          socket.resume();
        }
      });
      // Backpressure towards the pod: the WebSocket's queue is the signal.
      if (ws.bufferedAmount > HIGH_WATER && !paused) {
        paused = true;
        socket.pause();
      }
    });

    // The v4 protocol has no half-close: a local EOF is kept until the pod's side ends, so a
    // client that shuts down its sending side still gets the whole answer.
    socket.on('close', () => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      if (ws.readyState === WebSocket.CLOSED) finish();
    });
    socket.on('error', () => socket.destroy());
    const onClose = () => {
      if (remoteError !== undefined) socket.destroy();
      else socket.end();
      if (socket.destroyed) finish();
      else socket.once('close', finish);
    };
    if (opened.closedEarly) onClose();
    else ws.on('close', onClose);
    ws.on('error', () => {
      socket.destroy();
      finish();
    });
  });
}

/** A local listener whose every connection is carried to a pod's port (kubectl port-forward's shape). */
export interface LocalPodTunnel {
  /** "127.0.0.1:PORT" */
  address: string;
  port: number;
  /** Text the API server or node sent on the error channel of the last failed connection. */
  lastError(): string | undefined;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:0; each accepted connection gets its own port-forward WebSocket to
 * `remotePort` of the pod `pod` names (looked up per connection when it is a function, so a
 * replaced pod needs no new listener). Used for Tiller's gRPC port and for pushes from the local
 * Docker daemon to the in-cluster registry.
 */
export async function listenPodTunnel(kubeConfig: KubeConfig, namespace: string, pod: string | (() => Promise<string>), remotePort: number): Promise<LocalPodTunnel> {
  const podName = typeof pod === 'string' ? () => Promise.resolve(pod) : pod;
  const sockets = new Set<Socket>();
  let lastError: string | undefined;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Hold the client's bytes until the WebSocket is open (pipeTunnel resumes the socket).
    socket.pause();
    podName()
      .then((name) => openPortForwardSocket({ kubeConfig, namespace, pod: name, remotePort }))
      .then(
        (ws) => {
          if (socket.destroyed) {
            ws.ws.terminate();
            return;
          }
          void pipeTunnel(socket, ws, { onRemoteError: (t) => { lastError = t; } });
          socket.resume();
        },
        (e: Error) => {
          lastError = e.message;
          socket.destroy();
        },
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    lastError: () => lastError,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
