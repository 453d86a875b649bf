// One exec WebSocket into a container, spoken at the channel level (PROTOCOLS.md, Exec): stdin on
// 0, output on 1/2, the final Status on 3, resize on 4. client-node's `Exec` hides the socket's
// close and treats resize as a stream; a terminal needs both, so we use its WebSocket handler
// (`exec.handler`: same auth and TLS as every other request; the class itself is not exported by
// client-node 1.4) and frame the channels ourselves.
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import type WebSocket from 'ws';

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  tty: boolean;
}

export interface ExecCallbacks {
  /** Bytes from stdout/stderr (a TTY merges them into stdout). Empty frames are not passed on. */
  onOutput(data: Buffer): void;
  /** The Status on channel 3; `exitCode` is 0 for Success, the NonZeroExitCode cause otherwise. */
  onStatus(status: V1Status, exitCode: number | undefined): void;
  /** The socket closed (after a Status, or dropped without one). */
  onClose(code: number, reason: string): void;
}

export interface ExecChannel {
  readonly protocol: string;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

const STDIN = 0;
const STATUS = 3;
const RESIZE = 4;

export async function openExec(kc: KubeConfig, req: ExecRequest, cb: ExecCallbacks): Promise<ExecChannel> {
  const params = new URLSearchParams();
  for (const c of req.command) params.append('command', c);
  params.set('container', req.container);
  params.set('stdin', 'true');
  params.set('stdout', 'true');
  params.set('stderr', String(!req.tty));
  params.set('tty', String(req.tty));
  const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/exec?${params}`;
  let statusSeen = false;
  const handler = new Exec(kc).handler;
  const ws = (await handler.connect(path, null, (channel, payload) => {
    if (channel === STATUS) {
      if (payload.length === 0) return true;
      statusSeen = true;
      let status: V1Status;
      try {
        status = JSON.parse(payload.toString('utf8')) as V1Status;
      } catch {
        status = { status: 'Failure', message: payload.toString('utf8') };
      }
      cb.onStatus(status, exitCodeOf(status));
      return true;
    }
    if ((channel === 1 || channel === 2) && payload.length > 0) cb.onOutput(payload);
    return true;
  })) as unknown as WebSocket;
  ws.on('close', (code: number, reason: Buffer) => cb.onClose(code, reason.toString() || (statusSeen ? 'ended' : 'dropped')));
  ws.on('error', () => {
    // 'close' follows an error; the session decides what it means.
  });

  const send = (channel: number, data: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    const frame = Buffer.allocUnsafe(data.length + 1);
    frame[0] = channel;
    data.copy(frame, 1);
    ws.send(frame);
  };
  return {
    protocol: ws.protocol,
    write: (data) => send(STDIN, typeof data === 'string' ? Buffer.from(data, 'utf8') : data),
    resize: (cols, rows) => send(RESIZE, Buffer.from(JSON.stringify({ Width: cols, Height: rows }))),
    close: () => {
      if (ws.readyState === ws.CONNECTING || ws.readyState === ws.OPEN) ws.close();
    },
  };
}

/** 0 for Success; the ExitCode cause of NonZeroExitCode; undefined when the Status says no more. */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message !== undefined) {
    const n = Number(cause.message);
    if (Number.isInteger(n)) return n;
  }
  return undefined;
}
