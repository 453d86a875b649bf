// One run of a container's main process: `buildah run --isolation chroot` inside the pod's network
// namespace, its output captured into the container log, its real exit code recovered from
// buildah's messages, and a way to kill it (SIGTERM, then SIGKILL after the grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Buildah } from './buildah';
import { ContainerLog } from './container-log';

export interface Mount { hostPath: string; containerPath: string; readOnly: boolean }

export interface ContainerProcessSpec {
  container: string;             // the buildah working container
  argv: string[];
  env: Record<string, string>;
  workingDir?: string;
  user?: string;
  hostname: string;
  netnsPath?: string;            // absent: host network
  mounts: Mount[];
  stdin: boolean;
  logPath: string;
}

export interface ExitInfo { exitCode: number; reason: 'Completed' | 'Error' | 'StartError' | 'OOMKilled'; message?: string; signal?: string }

/** Lines buildah itself prints on stderr after the process; they are not the container's output. */
const BUILDAH_NOISE = /(subprocess exited (with status (\d+)|on (\w+))|Error: exit status \d+|process failed to start with error: (.*?)(?=process exited with error|subprocess exited|$)|process exited with error: [^\n]*?(?=subprocess exited|$))/g;

const SIGNAL_CODES: Record<string, number> = { hangup: 129, interrupt: 130, quit: 131, killed: 137, terminated: 143, 'broken pipe': 141, aborted: 134, 'segmentation fault': 139 };

/** Children of `pid`, recursively, from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch { /* the process just ended */ }
  }
  const out: number[] = [];
  const walk = (p: number) => { for (const c of children.get(p) ?? []) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

function cmdline(pid: number): string[] {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; }
}

export class ContainerProcess {
  readonly log: ContainerLog;
  readonly startedAt = new Date();
  finishedAt: Date | undefined;
  exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  /** The container's main process (in the chroot), once buildah has started it. */
  readonly pid: Promise<number | undefined>;
  readonly stdin: Writable | undefined;
  /** Exec sessions and helpers that must end with the container. */
  readonly companions = new Set<{ kill(signal?: string): void }>();
  private readonly child: ChildProcess;
  private killedWith: string | undefined;
  private tail = '';
  /** buildah's closing stderr as received, for diagnosing an exit that could not be read. */
  rawTail = '';

  constructor(buildah: Buildah, readonly spec: ContainerProcessSpec) {
    this.log = new ContainerLog(spec.logPath);
    const args = ['run', '--isolation', 'chroot', '--network', 'host', '--hostname', spec.hostname];
    for (const [k, v] of Object.entries(spec.env)) args.push('--env', `${k}=${v}`);
    if (spec.workingDir) args.push('--workingdir', spec.workingDir);
    if (spec.user) args.push('--user', spec.user);
    for (const m of spec.mounts) args.push('--volume', `${m.hostPath}:${m.containerPath}:${m.readOnly ? 'ro' : 'rw'}`);
    args.push(spec.container, '--', ...spec.argv);
    const command = spec.netnsPath ? 'nsenter' : 'buildah';
    const argv = spec.netnsPath ? [`--net=${spec.netnsPath}`, 'buildah', ...args] : args;
    this.child = spawn(command, argv, { env: buildah.env, stdio: [spec.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    this.stdin = this.child.stdin ?? undefined;
    this.stdin?.on('error', () => {});
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => this.log.write('stdout', d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => this.onStderr(d));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e) => this.finish(resolve, { exitCode: 128, reason: 'StartError', message: `cannot start buildah: ${e.message}` }));
      this.child.on('close', (code) => this.finish(resolve, this.exitInfo(code ?? 1)));
    });
    this.pid = this.findPid();
  }

  /** Holds back text that may be buildah's own closing messages; passes the rest to the log. */
  private onStderr(d: string): void {
    this.tail += d;
    const keep = this.tail.search(/(subprocess exited|process failed to start|process exited with error|Error: exit status)/);
    const cut = keep >= 0 ? keep : this.tail.lastIndexOf('\n') + 1;
    if (cut > 0) { this.log.write('stderr', this.tail.slice(0, cut)); this.tail = this.tail.slice(cut); }
    if (this.tail.length > 8192) { this.log.write('stderr', this.tail); this.tail = ''; }
  }

  private exitInfo(buildahCode: number): ExitInfo {
    this.rawTail = this.tail;
    let exitCode: number | undefined;
    let signal: string | undefined;
    let startError: string | undefined;
    for (const m of this.tail.matchAll(BUILDAH_NOISE)) {
      if (m[3] !== undefined && exitCode === undefined) exitCode = Number(m[3]);
      if (m[4] !== undefined) signal = m[4];
      if (m[5] !== undefined && m[5].trim()) startError = m[5].trim();
    }
    const rest = this.tail.replace(BUILDAH_NOISE, '');
    if (rest.trim()) this.log.write('stderr', rest);
    this.tail = '';
    if (startError) {
      return { exitCode: 128, reason: 'StartError', message: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${startError}: unknown` };
    }
    if (signal) return { exitCode: SIGNAL_CODES[signal] ?? 137, reason: 'Error', signal };
    if (exitCode === undefined && buildahCode === 0) return { exitCode: 0, reason: 'Completed' };
    if (this.killedWith && exitCode === undefined) return { exitCode: this.killedWith === 'SIGKILL' ? 137 : 143, reason: 'Error' };
    const code = exitCode ?? buildahCode;
    return { exitCode: code, reason: code === 0 ? 'Completed' : 'Error' };
  }

  private finish(resolve: (e: ExitInfo) => void, info: ExitInfo): void {
    if (this.exit) return;
    this.exit = info;
    this.finishedAt = new Date();
    this.log.end();
    for (const c of this.companions) c.kill('SIGKILL');
    resolve(info);
  }

  private async findPid(): Promise<number | undefined> {
    const root = this.child.pid;
    if (!root) return undefined;
    for (let i = 0; i < 500 && !this.exit; i++) {
      for (const p of descendants(root)) {
        const parent = Number(readFileSafe(`/proc/${p}/stat`).split(') ')[1]?.split(' ')[1]);
        if (cmdline(parent)[0] === 'buildah-chroot-exec') return p;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  }

  get running(): boolean { return !this.exit; }

  /** Stops the container like the kubelet: SIGTERM to the main process, SIGKILL after the grace period. */
  async kill(graceSeconds = 30): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    const pid = await Promise.race([this.pid, new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000))]);
    // A grace period of 0 is an immediate SIGKILL (what the restartContainer fault relies on).
    this.killedWith = graceSeconds <= 0 ? 'SIGKILL' : 'SIGTERM';
    if (pid && graceSeconds > 0) signal(pid, 'SIGTERM'); else this.killTree('SIGKILL');
    const timer = setTimeout(() => { this.killedWith = 'SIGKILL'; this.killTree('SIGKILL'); }, graceSeconds * 1000);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }

  private killTree(sig: NodeJS.Signals): void {
    const root = this.child.pid;
    if (!root) return;
    for (const p of descendants(root).reverse()) signal(p, sig);
    signal(root, sig);
    for (const c of this.companions) c.kill(sig);
  }
}

function readFileSafe(p: string): string {
  try { return readFileSync(p, 'utf8'); } catch { return ''; }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* already gone */ }
}
