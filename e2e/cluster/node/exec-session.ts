// exec and attach over WebSocket, as the kubelet serves them: channel-prefixed binary frames
// (0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize, 255 close on v5), empty frames on the
// output channels when the stream opens, a real pty for tty=true with resize, and the final Status
// on channel 3 (v4/v5: JSON Status with the exit code; older protocols: the error text).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { ptyInContainer, spawnInContainer, type ContainerTarget } from './container-exec';
import type { ContainerWorker } from './container-worker';

export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/** What exec runs: a process in the container, or something the node runs in its place (stand-ins). */
export interface Execution {
  write(data: Buffer): void;
  endInput(): void;
  resize(cols: number, rows: number): void;
  kill(): void;
}

export interface ExecIO {
  /** Sends output; returns false when the client is behind and the source should pause until `drained`. */
  out(channel: 1 | 2, data: Buffer): boolean;
  drained(cb: () => void): void;
  /** The process ended: exit code, or an error that kept it from starting. */
  exit(code: number, startError?: string): void;
}

/** An exec handler the node provides for some commands in some containers (e.g. /kaniko/executor). */
export type ExecOverride = (c: ContainerWorker, target: ContainerTarget, argv: string[], io: ExecIO) => Execution | undefined;

export function nonZeroExitStatus(argv: string[], code: number): any {
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** Finds argv[0] like execve would with the container's PATH, seen through /proc/<pid>/root. */
export function findExecutable(target: ContainerTarget, command: string): boolean {
  const root = `/proc/${target.pid}/root`;
  const ok = (p: string) => { try { return existsSync(p) && statSync(p).isFile(); } catch { return false; } };
  if (command.includes('/')) return ok(join(root, command.startsWith('/') ? command : join(target.workingDir ?? '/', command)));
  return (target.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((d) => ok(join(root, d, command)));
}

function startProcess(target: ContainerTarget, argv: string[], tty: boolean, stdin: boolean, io: ExecIO): Execution {
  if (tty) {
    const p = ptyInContainer(target, argv, 80, 24);
    p.onData((d) => { if (!io.out(1, Buffer.from(d, 'utf8'))) { p.pause(); io.drained(() => p.resume()); } });
    p.onExit(({ exitCode, signal }) => io.exit(signal ? 128 + signal : exitCode));
    return {
      write: (d) => p.write(d.toString('utf8')),
      endInput: () => p.write('\x04'),
      resize: (cols, rows) => { try { p.resize(Math.max(1, cols), Math.max(1, rows)); } catch { /* process gone */ } },
      kill: () => { try { p.kill('SIGKILL'); } catch { /* gone */ } },
    };
  }
  const child = spawnInContainer(target, argv, stdin);
  let open = 2;
  let code: number | null = null;
  const maybeExit = () => { if (open === 0 && code !== null) io.exit(code); };
  for (const [stream, ch] of [[child.stdout!, 1], [child.stderr!, 2]] as const) {
    stream.on('data', (d: Buffer) => { if (!io.out(ch, d)) { stream.pause(); io.drained(() => stream.resume()); } });
    stream.on('end', () => { open--; maybeExit(); });
  }
  child.on('close', (c, sig) => { code = c ?? (sig === 'SIGKILL' ? 137 : 143); maybeExit(); });
  child.stdin?.on('error', () => {});
  return {
    write: (d) => child.stdin?.write(d),
    endInput: () => child.stdin?.end(),
    resize: () => {},
    kill: () => child.kill('SIGKILL'),
  };
}

export interface ExecRequest { argv: string[]; stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }

/** Serves one exec WebSocket until the process ends or either side goes away. */
export function serveExec(ws: WebSocket, c: ContainerWorker, target: ContainerTarget, r: ExecRequest, override?: ExecOverride): void {
  const protocol = ws.protocol || 'channel.k8s.io';
  const v5 = protocol === 'v5.channel.k8s.io';
  const jsonStatus = v5 || protocol === 'v4.channel.k8s.io';
  const send = (channel: number, data?: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(data?.length ? Buffer.concat([Buffer.from([channel]), data]) : Buffer.from([channel]));
  };
  // Output channels announce themselves with an empty frame (the kubelet's stream init).
  if (r.stdout) send(1);
  if (r.stderr && !r.tty) send(2);
  send(3);
  let finished = false;
  let execution: Execution | undefined;
  const companion = { kill: () => execution?.kill() };
  // Flow control: output waits while more than HIGH_WATER bytes are queued for the client.
  const HIGH_WATER = 4 * 1024 * 1024;
  let waiters: Array<() => void> = [];
  const io: ExecIO = {
    out: (channel, data) => {
      if (channel === 1 && !r.stdout) return true;
      if (channel === 2 && (!r.stderr || r.tty)) return true;
      if (ws.readyState !== ws.OPEN) return true;
      ws.send(Buffer.concat([Buffer.from([channel]), data]), () => {
        if (ws.bufferedAmount < HIGH_WATER / 2 && waiters.length) { const w = waiters; waiters = []; for (const f of w) f(); }
      });
      return ws.bufferedAmount < HIGH_WATER;
    },
    drained: (cb) => { if (ws.bufferedAmount < HIGH_WATER / 2) cb(); else waiters.push(cb); },
    exit: (code, startError) => {
      if (finished) return;
      finished = true;
      c.current?.companions.delete(companion);
      if (startError) {
        // apierrors.NewInternalError, as the kubelet writes it when the exec cannot start.
        send(3, Buffer.from(jsonStatus ? JSON.stringify({ metadata: {}, status: 'Failure', message: `Internal error occurred: ${startError}`, reason: 'InternalError', details: { causes: [{ message: startError }] }, code: 500 }) : startError));
      } else if (jsonStatus) {
        send(3, Buffer.from(JSON.stringify(code === 0 ? { metadata: {}, status: 'Success' } : nonZeroExitStatus(r.argv, code))));
      } else if (code !== 0) {
        send(3, Buffer.from(`command terminated with non-zero exit code: error executing command [${r.argv.join(' ')}], exit code ${code}`));
      }
      ws.close(1000);
    },
  };
  try {
    execution = override?.(c, target, r.argv, io);
    if (!execution) {
      if (!r.argv.length || !findExecutable(target, r.argv[0]!)) {
        io.exit(126, `error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${r.argv[0] ?? ''}": executable file not found in $PATH: unknown`);
        return;
      }
      execution = startProcess(target, r.argv, r.tty, r.stdin, io);
    }
  } catch (e) {
    io.exit(126, (e as Error).message);
    return;
  }
  c.current?.companions.add(companion);
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const data = isBinary ? raw : Buffer.from(raw);
    if (!data.length) return;
    const channel = data[0]!;
    const payload = data.subarray(1);
    if (channel === 0 && r.stdin && payload.length) execution!.write(payload);
    else if (channel === 4) {
      try {
        const size = JSON.parse(payload.toString('utf8'));
        const cols = size.Width ?? size.width, rows = size.Height ?? size.height;
        if (typeof cols === 'number' && typeof rows === 'number') execution!.resize(cols, rows);
      } catch { /* a bad resize is ignored, as Go's decoder error only ends the resize loop */ }
    } else if (channel === 255 && v5 && payload[0] === 0) execution!.endInput();
  });
  ws.on('close', () => { if (!finished) { finished = true; c.current?.companions.delete(companion); execution?.kill(); } });
}

/** attach: the main process's output from now on, and its stdin when the container has stdin: true. */
export function serveAttach(ws: WebSocket, c: ContainerWorker, r: ExecRequest): void {
  const instance = c.current;
  const protocol = ws.protocol || 'channel.k8s.io';
  const v5 = protocol === 'v5.channel.k8s.io';
  const send = (channel: number, data?: Buffer) => { if (ws.readyState === ws.OPEN) ws.send(data?.length ? Buffer.concat([Buffer.from([channel]), data]) : Buffer.from([channel])); };
  if (r.stdout) send(1);
  if (r.stderr && !r.tty) send(2);
  send(3);
  if (!instance) { ws.close(1000); return; }
  const onRecord = (rec: { stream: string; text: string; complete: boolean }) => {
    const ch = rec.stream === 'stderr' && !r.tty ? 2 : 1;
    if ((ch === 1 && r.stdout) || (ch === 2 && r.stderr)) send(ch, Buffer.from(rec.text + (rec.complete ? '\n' : '')));
  };
  const onEnd = () => {
    if (protocol === 'v4.channel.k8s.io' || v5) {
      const code = instance.exit?.exitCode ?? 0;
      send(3, Buffer.from(JSON.stringify(code === 0 ? { metadata: {}, status: 'Success' } : nonZeroExitStatus([], code))));
    }
    ws.close(1000);
  };
  instance.log.on('record', onRecord);
  instance.log.once('end', onEnd);
  if (instance.log.ended) onEnd();
  ws.on('message', (raw: Buffer) => {
    if (raw[0] === 0 && r.stdin && raw.length > 1) instance.stdin?.write(raw.subarray(1));
    if (raw[0] === 255 && v5 && raw[1] === 0) instance.stdin?.end();
  });
  ws.on('close', () => { instance.log.off('record', onRecord); instance.log.off('end', onEnd); });
}
