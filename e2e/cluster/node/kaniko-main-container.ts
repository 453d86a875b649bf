// The Kaniko executor as a pod's main process (`args: [--context=tar://stdin, --destination=…]`,
// `stdin: true, stdinOnce: true`): the app attaches, streams a gzipped tar into stdin and closes
// it; the build runs on the node and the container ends with the executor's exit code. Paths
// inside the container (Dockerfile, /kaniko/.docker/config.json, dir:// contexts) are read from
// the pod's volumes.
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { ContainerLog } from './container-log';
import type { ExitInfo } from './container-process';
import type { Execution } from './exec-session';
import { hostPathFor } from './host-process-container';
import { startKanikoBuild, type KanikoDeps } from './kaniko-stand-in';
import type { RunningContainer, StandInStart } from './node-context';

export class KanikoMainContainer implements RunningContainer {
  readonly log: ContainerLog;
  readonly startedAt = new Date();
  finishedAt: Date | undefined;
  exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  readonly pid = Promise.resolve(undefined);
  readonly stdin: Writable | undefined;
  readonly companions = new Set<{ kill(signal?: string): void }>();
  private readonly execution: Execution;
  private killed = false;

  constructor(deps: KanikoDeps, o: StandInStart) {
    this.log = new ContainerLog(o.logPath);
    let done: (e: ExitInfo) => void = () => {};
    this.exited = new Promise((r) => { done = r; });
    const rootfs = join(o.instanceDir, 'rootfs');
    this.execution = startKanikoBuild(deps, {
      argv: o.argv, env: o.env, namespace: o.pod.metadata.namespace ?? 'default',
      ...(o.container.workingDir ? { workingDir: o.container.workingDir } : {}),
      inContainer: (p) => hostPathFor(p, o.mounts, rootfs),
      out: (channel, data) => this.log.write(channel === 1 ? 'stdout' : 'stderr', data.toString('utf8')),
      exit: (code) => {
        const exitCode = this.killed && code !== 0 ? 137 : code;
        this.exit = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' };
        this.finishedAt = new Date();
        this.log.end();
        done(this.exit);
      },
    });
    if (o.container.stdin) {
      const execution = this.execution;
      this.stdin = new Writable({
        write(chunk: Buffer, _enc, cb) { execution.write(chunk); cb(); },
        final(cb) { execution.endInput(); cb(); },
      });
    } else {
      // No stdin: a tar://stdin context reads an empty stream, as the real executor would.
      this.execution.endInput();
    }
  }

  get running(): boolean { return !this.exit; }

  async kill(): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    this.killed = true;
    this.execution.kill();
    return this.exited;
  }
}
