// One exec WebSocket into a container, spoken at the channel level (PROTOCOLS.md, Exec): stdin on
// 0, output on 1/2, the final Status on 3, resize on 4, and on v5 the close frame [255, 0] that
// ends stdin alone. Used by the terminal (TTY, resize) and the Kaniko build (stdin streaming of the
// context, exit status). client-node's `Exec` is not used: it sends stdin with no backpressure, on
// v4 ends stdin by closing the whole socket, hides the socket's close, and its WebSocket handler
// (not exported) falls back to process.stdout/stdin on server close frames and reports a refused
// upgrade as a bare "Unexpected server response" without the API server's message.
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import WebSocket from 'ws';
import { AppError } from '../ipc/errors';

/** Only v5 and v4: older protocols carry no exit code. */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const RESIZE = 4;
const CLOSE = 255;

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  tty: boolean;
  /** Whether the command gets a stdin at all. */
  stdin: boolean;
}

export interface ExecCallbacks {
  /** Bytes from stdout (1) or stderr (2; a TTY merges it into stdout). Empty frames are not passed on. */
  onOutput?(data: Buffer, channel: 1 | 2): void;
  /** The Status on channel 3; `exitCode` is 0 for Success, the NonZeroExitCode cause otherwise. */
  onStatus?(status: V1Status, exitCode: number | undefined): void;
  /** The socket closed (after a Status, or dropped without one). */
  onClose?(code: number, reason: string): void;
}

export interface ExecChannel {
  /** The subprotocol the server chose. */
  readonly protocol: string;
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  readonly isOpen: boolean;
  /** Bytes queued in the socket, not yet handed to the OS (for backpressure). */
  readonly bufferedAmount: number;
  /** Stdin bytes; resolves when sent. Never rejects: a failed send closes the socket. Dropped when not open. */
  write(data: string | Buffer): Promise<void>;
  resize(cols: number, rows: number): void;
  /** End of stdin. v5 closes stdin alone; v4 has no half-close, so the socket itself is closed (and the Status is lost). */
  closeStdin(): Promise<void>;
  /** Closes the socket politely. */
  close(): void;
  /** Drops the socket at once (cancel). */
  terminate(): void;
}

export async function openExec(kc: KubeConfig, req: ExecRequest, cb: ExecCallbacks): Promise<ExecChannel> {
  const params = new URLSearchParams();
  for (const c of req.command) params.append('command', c);
  params.set('container', req.container);
  params.set('stdin', String(req.stdin));
  params.set('stdout', 'true');
  params.set('stderr', String(!req.tty));
  params.set('tty', String(req.tty));
  let statusSeen = false;
  let onClosed!: () => void;
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  // The handlers are attached before the socket opens: the first frames may come with the upgrade.
  const ws = await connect(kc, `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/exec?${params}`, (socket) => {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      // Text frames and server close frames carry nothing we need.
      if (!isBinary || data.length === 0 || data[0] === CLOSE) return;
      const channel = data[0]!;
      const payload = data.subarray(1);
      if (channel === STATUS) {
        if (payload.length === 0) return;
        statusSeen = true;
        const status = parseStatus(payload);
        cb.onStatus?.(status, exitCodeOf(status));
      } else if ((channel === STDOUT || channel === STDERR) && payload.length > 0) {
        cb.onOutput?.(payload, channel);
      }
    });
    let opened = false;
    socket.once('open', () => (opened = true));
    socket.once('close', (code: number, reason: Buffer) => {
      onClosed();
      if (opened) cb.onClose?.(code, reason.toString() || (statusSeen ? 'ended' : 'dropped')); // a refused upgrade rejects instead
    });
    socket.on('error', () => {
      // Before 'open' the connect promise rejects; after it, 'close' follows and the caller decides what it means.
    });
  });

  const send = (channel: number, data: Buffer): Promise<void> => {
    if (ws.readyState !== ws.OPEN) return Promise.resolve();
    const frame = Buffer.allocUnsafe(data.length + 1);
    frame[0] = channel;
    data.copy(frame, 1);
    return new Promise<void>((resolve) => ws.send(frame, () => resolve()));
  };
  return {
    protocol: ws.protocol,
    closed,
    get isOpen() {
      return ws.readyState === ws.OPEN;
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    write: (data) => send(STDIN, typeof data === 'string' ? Buffer.from(data, 'utf8') : data),
    resize: (cols, rows) => void send(RESIZE, Buffer.from(JSON.stringify({ Width: cols, Height: rows }))),
    closeStdin: async () => {
      if (ws.protocol === 'v5.channel.k8s.io') await send(CLOSE, Buffer.from([STDIN]));
      else if (ws.readyState === ws.OPEN) ws.close();
    },
    close: () => {
      if (ws.readyState === ws.CONNECTING || ws.readyState === ws.OPEN) ws.close();
    },
    terminate: () => ws.terminate(),
  };
}

/** A Status frame; text that is not JSON becomes a Failure carrying that text. */
function parseStatus(payload: Buffer): V1Status {
  try {
    return JSON.parse(payload.toString('utf8')) as V1Status;
  } catch {
    return { status: 'Failure', message: payload.toString('utf8') };
  }
}

/** 0 for Success; the ExitCode cause of NonZeroExitCode; undefined when the Status gives no code (the command did not run). */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const code = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  return code !== undefined && /^\d+$/.test(code) ? Number(code) : undefined;
}

/** The WebSocket, with the kubeconfig's auth and TLS; a refused upgrade rejects with the server's message and `httpStatus`. */
async function connect(kc: KubeConfig, path: string, listen: (ws: WebSocket) => void): Promise<WebSocket> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new AppError('KUBECONFIG_INVALID', `The context "${kc.getCurrentContext()}" has no cluster.`);
  const opts: WebSocket.ClientOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${server.replace(/^http/, 'ws')}${path}`, EXEC_PROTOCOLS, opts);
    ws.binaryType = 'nodebuffer';
    listen(ws);
    ws.once('error', reject);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (request, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => {
        request.destroy();
        let message = body.trim();
        try {
          message = (JSON.parse(body) as { message?: string }).message ?? message;
        } catch {
          // not a Status
        }
        reject(Object.assign(new Error(`Unexpected server response: ${res.statusCode}${message ? ` (${message})` : ''}`), { httpStatus: res.statusCode }));
      });
    });
  });
}
