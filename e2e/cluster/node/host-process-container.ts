// A container whose process the node runs directly on the host (for stand-ins of images that
// cannot exist offline): same log, exit and kill behaviour as a buildah container, no exec.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, relative, isAbsolute } from 'node:path';
import { ContainerLog } from './container-log';
import type { ExitInfo, Mount } from './container-process';
import type { RunningContainer } from './node-context';

/** Where a path inside the container lives on the host: in a volume, or under the container's own dir. */
export function hostPathFor(containerPath: string, mounts: Mount[], rootDir: string): string {
  let best: Mount | undefined;
  for (const m of mounts) {
    const rel = relative(m.containerPath, containerPath);
    if (!rel.startsWith('..') && !isAbsolute(rel) && (!best || m.containerPath.length > best.containerPath.length)) best = m;
  }
  return best ? join(best.hostPath, relative(best.containerPath, containerPath)) : join(rootDir, containerPath);
}

export class HostProcessContainer implements RunningContainer {
  readonly log: ContainerLog;
  readonly startedAt = new Date();
  finishedAt: Date | undefined;
  exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  readonly pid = Promise.resolve(undefined);
  readonly stdin = undefined;
  readonly companions = new Set<{ kill(signal?: string): void }>();
  private readonly child: ChildProcess;
  private killedWith: NodeJS.Signals | undefined;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv, logPath: string) {
    this.log = new ContainerLog(logPath);
    this.child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => this.log.write('stdout', d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => this.log.write('stderr', d));
    this.exited = new Promise((resolve) => {
      const done = (info: ExitInfo) => {
        if (this.exit) return;
        this.exit = info;
        this.finishedAt = new Date();
        this.log.end();
        resolve(info);
      };
      this.child.on('error', (e) => done({ exitCode: 128, reason: 'StartError', message: e.message }));
      this.child.on('close', (code, sig) => {
        const exitCode = code ?? (sig === 'SIGKILL' ? 137 : sig === 'SIGTERM' ? 143 : 1);
        done({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' });
      });
    });
  }

  get running(): boolean { return !this.exit; }

  async kill(graceSeconds = 30): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    this.killedWith = graceSeconds <= 0 ? 'SIGKILL' : 'SIGTERM';
    this.child.kill(this.killedWith);
    const t = setTimeout(() => { this.killedWith = 'SIGKILL'; this.child.kill('SIGKILL'); }, graceSeconds * 1000);
    const info = await this.exited;
    clearTimeout(t);
    return info;
  }
}
