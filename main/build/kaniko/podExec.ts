// Running one command in the build pod over the exec WebSocket (client-node's Exec, v5/v4 channel
// protocol), with stdin fed from a stream and the exit code taken from the final Status.
// Stdin is framed here rather than by client-node: its handler sends every chunk at once with no
// backpressure (a 500 MB context would sit in memory) and, on v4, ends stdin by closing the whole
// socket (losing the exit status). Here a chunk waits when more than STDIN_HIGH_WATER bytes are
// queued, and end of input is the v5 close frame [255, 0].
import { PassThrough, Writable, type Readable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import WebSocket from 'ws';
import { AppError } from '../../ipc/errors';

const STDIN_HIGH_WATER = 4 << 20;

export interface PodExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  /** Bytes for the command's stdin; it gets EOF when the stream ends. */
  stdin?: Readable;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Closes the stream; the promise then rejects with CANCELLED. */
  signal?: AbortSignal;
}

export interface PodExecResult {
  /** undefined when the server ended without a Status (a v4 server after stdin was closed). */
  exitCode: number | undefined;
  status: V1Status | undefined;
}

/** Runs `command` in the container and resolves when it ended (any exit code); rejects when it could not run. */
export async function execInPod(kc: KubeConfig, req: PodExecRequest): Promise<PodExecResult> {
  const what = `"${req.command.join(' ')}" in pod ${req.namespace}/${req.pod}`;
  if (req.signal?.aborted) throw cancelled(what);
  const sink = (fn?: (b: Buffer) => void) => new Writable({ write(chunk: Buffer, _enc, cb) { fn?.(chunk); cb(); } });
  const stdout = sink(req.onStdout);
  const stderr = sink(req.onStderr);
  // A stdin placeholder client-node only uses to ask for stdin=true; nothing is ever written to it.
  const stdinMarker = req.stdin ? new PassThrough() : null;
  let status: V1Status | undefined;
  let conn: WebSocket;
  try {
    conn = await new Exec(kc, connector(kc)).exec(req.namespace, req.pod, req.container, req.command, stdout, stderr, stdinMarker, false, (s) => { status = s; });
  } catch (err) {
    throw connectError(err, what);
  }
  const closed = new Promise<void>((resolve) => conn.once('close', () => resolve()));
  const onAbort = () => conn.terminate();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (req.stdin) await sendStdin(conn, req.stdin, req.signal);
    await closed;
  } catch (err) {
    conn.terminate();
    if (req.signal?.aborted) throw cancelled(what);
    throw err;
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
  }
  if (req.signal?.aborted) throw cancelled(what);
  return { exitCode: exitCodeOf(status), status };
}

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
type Connector = NonNullable<ConstructorParameters<typeof Exec>[1]>;

/**
 * The WebSocket side of client-node's Exec, done here for three reasons: its own handler is not
 * exported and falls back to process.stdout/stdin for server close frames, and it reports a
 * refused upgrade as a bare "Unexpected server response" without the API server's Status message.
 * Only v5 and v4 are offered: older protocols carry no exit code.
 */
function connector(kc: KubeConfig): Connector {
  return {
    async connect(path, _textHandler, binaryHandler) {
      const server = kc.getCurrentCluster()?.server;
      if (!server) throw new AppError('KUBECONFIG_INVALID', `The context "${kc.getCurrentContext()}" has no cluster.`);
      const opts: WebSocket.ClientOptions = {};
      await kc.applyToHTTPSOptions(opts);
      return new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${server.replace(/^http/, 'ws')}${path}`, PROTOCOLS, opts);
        ws.binaryType = 'nodebuffer';
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
        ws.once('unexpected-response', (request, res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => { body += d; });
          res.on('end', () => {
            request.destroy();
            let message = body.trim();
            try { message = (JSON.parse(body) as { message?: string }).message ?? message; } catch { /* not a Status */ }
            reject(Object.assign(new Error(`Unexpected server response: ${res.statusCode}${message ? ` (${message})` : ''}`), { httpStatus: res.statusCode }));
          });
        });
        ws.on('message', (data: Buffer, isBinary: boolean) => {
          // Text frames and server close frames (255) carry nothing we need.
          if (!isBinary || data.length === 0 || data[0] === 255) return;
          if (binaryHandler && !binaryHandler(data[0]!, data.subarray(1))) ws.close();
        });
      });
    },
  };
}

async function sendStdin(conn: WebSocket, stdin: Readable, signal?: AbortSignal): Promise<void> {
  const send = (frame: Buffer) => new Promise<void>((resolve, reject) => conn.send(frame, (err) => (err ? reject(err) : resolve())));
  for await (const chunk of stdin) {
    if (signal?.aborted || conn.readyState !== conn.OPEN) break;
    const data = chunk as Buffer;
    const frame = Buffer.allocUnsafe(data.length + 1);
    frame[0] = 0;
    data.copy(frame, 1);
    const sent = send(frame);
    if (conn.bufferedAmount > STDIN_HIGH_WATER) await sent;
    else sent.catch(() => {}); // a failed send also closes the socket, which ends the wait below
  }
  if (conn.readyState !== conn.OPEN) return;
  // v5: close stdin only; older protocols have no half-close, so the socket itself is closed and
  // the caller checks the result another way.
  if (conn.protocol === 'v5.channel.k8s.io') await send(Buffer.from([255, 0]));
  else conn.close();
}

/** 0 for Success; the ExitCode cause for NonZeroExitCode; throws for other failures (the command did not run). */
export function exitCodeOf(status: V1Status | undefined): number | undefined {
  if (!status) return undefined;
  if (status.status === 'Success') return 0;
  const code = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  if (status.reason === 'NonZeroExitCode' && code !== undefined && /^\d+$/.test(code)) return Number(code);
  throw new AppError('CLUSTER_ERROR', `The command could not run in the build pod: ${status.message ?? status.reason ?? 'unknown failure'}.`, 'Check that the executor image is the Kaniko debug image (it has a shell), and look at the pod\'s events.');
}

function cancelled(what: string): AppError {
  return new AppError('CANCELLED', `Running ${what} was cancelled.`);
}

function connectError(err: unknown, what: string): AppError {
  const msg = (err as { message?: string } | undefined)?.message ?? String(err);
  const status = /Unexpected server response: (\d+)/.exec(msg)?.[1];
  if (status === '403') {
    return new AppError('CLUSTER_FORBIDDEN', `The cluster does not allow running ${what} (403).`, 'Your user needs the "create" permission on pods/exec in this namespace (ask the cluster admin), or use the Docker builder.', { cause: err });
  }
  if (status === '401') return new AppError('CLUSTER_UNAUTHORIZED', `The cluster refused the credentials for running ${what} (401).`, 'Log in to the cluster again, then retry.', { cause: err });
  return new AppError('CLUSTER_ERROR', `Running ${what} failed: ${msg}`, 'Check that the cluster is reachable and the build pod is still running.', { cause: err });
}
