// Running one command in the build pod over the exec channel (main/kube/execChannel.ts), with stdin
// fed from a stream and the exit code taken from the final Status. A chunk waits when more than
// STDIN_HIGH_WATER bytes are queued in the socket (a 500 MB context never sits in memory), and end
// of input is the v5 stdin close, so the exit status still arrives.
import type { Readable } from 'node:stream';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import { AppError } from '../../ipc/errors';
import { exitCodeOf, openExec, type ExecChannel } from '../../kube/execChannel';

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
  let status: V1Status | undefined;
  let channel: ExecChannel;
  try {
    channel = await openExec(kc, { namespace: req.namespace, pod: req.pod, container: req.container, command: req.command, tty: false, stdin: !!req.stdin }, {
      onOutput: (data, ch) => (ch === 1 ? req.onStdout : req.onStderr)?.(data),
      onStatus: (s) => {
        status = s;
      },
    });
  } catch (err) {
    throw connectError(err, what);
  }
  const onAbort = () => channel.terminate();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (req.stdin) await sendStdin(channel, req.stdin, req.signal);
    await channel.closed;
  } catch (err) {
    channel.terminate();
    if (req.signal?.aborted) throw cancelled(what);
    throw err;
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
  }
  if (req.signal?.aborted) throw cancelled(what);
  return { exitCode: buildExitCode(status), status };
}

async function sendStdin(channel: ExecChannel, stdin: Readable, signal?: AbortSignal): Promise<void> {
  for await (const chunk of stdin) {
    if (signal?.aborted || !channel.isOpen) break;
    const sent = channel.write(chunk as Buffer);
    if (channel.bufferedAmount > STDIN_HIGH_WATER) await sent;
  }
  // On v4 this closes the socket; the caller then checks the result another way.
  if (channel.isOpen) await channel.closeStdin();
}

/** The exit code; a Status that is neither Success nor an exit code means the command did not run. */
function buildExitCode(status: V1Status | undefined): number | undefined {
  if (!status) return undefined;
  const code = exitCodeOf(status);
  if (code !== undefined) return code;
  throw new AppError('CLUSTER_ERROR', `The command could not run in the build pod: ${status.message ?? status.reason ?? 'unknown failure'}.`, 'Check that the executor image is the Kaniko debug image (it has a shell), and look at the pod\'s events.');
}

function cancelled(what: string): AppError {
  return new AppError('CANCELLED', `Running ${what} was cancelled.`);
}

function connectError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const msg = (err as { message?: string } | undefined)?.message ?? String(err);
  const status = (err as { httpStatus?: number } | undefined)?.httpStatus;
  if (status === 403) {
    return new AppError('CLUSTER_FORBIDDEN', `The cluster does not allow running ${what} (403).`, 'Your user needs the "create" permission on pods/exec in this namespace (ask the cluster admin), or use the Docker builder.', { cause: err });
  }
  if (status === 401) return new AppError('CLUSTER_UNAUTHORIZED', `The cluster refused the credentials for running ${what} (401).`, 'Log in to the cluster again, then retry.', { cause: err });
  return new AppError('CLUSTER_ERROR', `Running ${what} failed: ${msg}`, 'Check that the cluster is reachable and the build pod is still running.', { cause: err });
}
