// One terminal tab's life on the main side: a TTY exec into the dev container that outlives the
// container. When the stream drops or the pod is replaced it says so (`reconnecting` + why) and
// connects again — to whichever pod the label selector finds ready — with back-off; the tab and its
// scrollback (kept by the renderer) stay. When the shell itself exits, the tab shows the exit code
// and does not reconnect.
import type { TerminalSessionInfo, TerminalState } from '../../preload/api';
import type { ProjectCluster, ResolveProjectCluster } from '../app/projectCluster';
import { AppError } from '../ipc/errors';
import { currentInstance, type DevContainer, findDevContainer, terminalTarget } from './devContainer';
import { type ExecChannel, openExec } from '../kube/execChannel';
import { TerminalOutput } from './terminalOutput';

/** bash where the image has it, else sh (busybox, alpine). */
export const DEFAULT_SHELL = ['sh', '-c', 'command -v bash >/dev/null 2>&1 && exec bash || exec sh'];

export interface TerminalSessionOptions {
  id: string;
  title: string;
  command?: string[];
  container?: string;
  resolveProjectCluster: ResolveProjectCluster;
  onData(data: string): void;
  onState(info: TerminalSessionInfo): void;
  log(line: string): void;
  /** Waits between reconnect attempts; tests and benches pass their own. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  backoff?: { initialMs: number; maxMs: number };
  /** How long to watch the pod after a non-zero exit to tell "container restarted" from "shell exited". */
  restartCheck?: { timeoutMs: number; intervalMs: number };
}

export class TerminalSession {
  private info: TerminalSessionInfo;
  private channel: ExecChannel | null = null;
  private size: { cols: number; rows: number } | null = null;
  private generation = 0;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly output: TerminalOutput;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly o: TerminalSessionOptions) {
    this.info = { id: o.id, title: o.title, state: 'connecting' };
    this.output = new TerminalOutput(o.onData);
    this.sleep = o.sleep ?? abortableSleep;
  }

  snapshot(): TerminalSessionInfo {
    return { ...this.info };
  }

  /** Connects the first time; a failure here is the caller's (no tab is kept). */
  async start(): Promise<TerminalSessionInfo> {
    await this.connect();
    return this.snapshot();
  }

  write(data: string): void {
    // Keystrokes typed while reconnecting are dropped: replaying them into a fresh shell later
    // could run half-typed commands.
    if (this.info.state === 'open') void this.channel?.write(data);
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    this.channel?.resize(cols, rows);
  }

  rename(title: string): TerminalSessionInfo {
    this.info = { ...this.info, title };
    this.o.onState(this.snapshot());
    return this.snapshot();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.generation++;
    this.channel?.close();
    this.channel = null;
    this.output.dispose();
  }

  private setState(state: TerminalState, extra: Partial<TerminalSessionInfo> = {}): void {
    const { message: _m, exitCode: _e, ...rest } = this.info;
    this.info = { ...rest, state, ...extra };
    this.o.onState(this.snapshot());
  }

  private async connect(): Promise<void> {
    const pc = await this.o.resolveProjectCluster();
    const target = terminalTarget(pc);
    const dc = await findDevContainer(pc, target, this.o.container, this.abort.signal);
    const command = this.o.command ?? pc.config?.devSpace?.terminal?.command ?? DEFAULT_SHELL;
    if (this.closed) return;
    const gen = ++this.generation;
    let status: { exitCode: number | undefined; message: string } | null = null;
    const channel = await openExec(pc.kubeConfig, { namespace: dc.namespace, pod: dc.pod, container: dc.container, command, tty: true, stdin: true }, {
      onOutput: (bytes) => {
        if (gen === this.generation) this.output.push(bytes);
      },
      onStatus: (st, exitCode) => {
        status = { exitCode, message: st.message ?? st.status ?? 'the command ended' };
      },
      onClose: () => {
        if (gen === this.generation) void this.ended(pc, dc, status);
      },
    }).catch((err: unknown) => {
      throw new AppError('CLUSTER_ERROR', `Could not open a terminal in pod "${dc.pod}" (container "${dc.container}"): ${messageOf(err)}`, 'Check that the container is running; the Logs panel shows its output.', { cause: err });
    });
    if (this.closed || gen !== this.generation) {
      channel.close();
      return;
    }
    this.channel = channel;
    if (this.size) channel.resize(this.size.cols, this.size.rows);
    this.setState('open', { pod: dc.pod, container: dc.container });
  }

  private async ended(pc: ProjectCluster, dc: DevContainer, status: { exitCode: number | undefined; message: string } | null): Promise<void> {
    this.channel = null;
    this.output.resetDecoder();
    if (this.closed) return;
    // A plain exit code is the shell's own (`exit 3`).
    if (status?.exitCode !== undefined && status.exitCode <= 128) return this.exited(status.exitCode);
    if (status) {
      // A killed container ends our shell by a signal too (137 = SIGKILL): only the pod can tell
      // a restart from a shell the user killed, so watch it for a moment.
      const replaced = await this.waitForReplacement(pc, dc);
      if (this.closed) return;
      if (!replaced) {
        if (status.exitCode !== undefined) return this.exited(status.exitCode);
        this.output.flush();
        return this.setState('error', { message: status.message });
      }
      return this.reconnect(`The container "${dc.container}" of pod "${dc.pod}" stopped or was replaced`);
    }
    return this.reconnect(`The connection to pod "${dc.pod}" was lost`);
  }

  private exited(code: number): void {
    this.output.flush();
    this.setState('exited', { exitCode: code, message: `The shell exited with code ${code}.` });
  }

  private async waitForReplacement(pc: ProjectCluster, dc: DevContainer): Promise<boolean> {
    const { timeoutMs, intervalMs } = this.o.restartCheck ?? { timeoutMs: 3000, intervalMs: 200 };
    for (let waited = 0; ; waited += intervalMs) {
      try {
        if ((await currentInstance(pc, dc)) !== dc.instance) return true;
      } catch {
        return true; // cannot tell: reconnecting will say why if the cluster is gone
      }
      if (waited >= timeoutMs || this.closed) return false;
      await this.sleep(intervalMs, this.abort.signal).catch(() => undefined);
    }
  }

  private async reconnect(reason: string): Promise<void> {
    const { initialMs, maxMs } = this.o.backoff ?? { initialMs: 250, maxMs: 10_000 };
    this.output.flush();
    this.setState('reconnecting', { message: `${reason}; reconnecting…` });
    this.o.log(`terminal ${this.o.id}: ${reason}; reconnecting`);
    let delay = initialMs;
    while (!this.closed) {
      try {
        await this.sleep(delay, this.abort.signal);
      } catch {
        return; // closed
      }
      try {
        await this.connect();
        if (!this.closed) this.output.pushText(`\r\n\x1b[2m[reconnected to pod ${this.info.pod}]\x1b[0m\r\n`);
        return;
      } catch (err) {
        if (this.closed) return;
        this.setState('reconnecting', { message: `${reason}; retrying in ${Math.round(Math.min(delay * 2, maxMs) / 100) / 10} s: ${messageOf(err)}` });
        delay = Math.min(delay * 2, maxMs);
      }
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
