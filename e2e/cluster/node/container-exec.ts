// Runs another process inside a running container, as `kubectl exec` does: nsenter into the main
// process's mount, UTS and network namespaces and its chroot, with the container's environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { IPty } from 'node-pty';

export interface ContainerTarget { pid: number; env: Record<string, string>; workingDir?: string }

function nsenterArgs(t: ContainerTarget): string[] {
  // -r/-w take the chroot and working directory from the target process.
  return ['-t', String(t.pid), '-m', '-u', '-n', '-r', '-w', '--'];
}

export function spawnInContainer(t: ContainerTarget, argv: string[], stdin: boolean): ChildProcess {
  return spawn('nsenter', [...nsenterArgs(t), ...argv], { env: t.env, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
}

const require = createRequire(import.meta.url);
let pty: typeof import('node-pty') | undefined | null;
/** node-pty is optional: without it, TTY exec is refused with a clear message. */
export function loadPty(): typeof import('node-pty') | undefined {
  if (pty === undefined) {
    try { pty = require('node-pty') as typeof import('node-pty'); } catch { pty = null; }
  }
  return pty ?? undefined;
}

export function ptyInContainer(t: ContainerTarget, argv: string[], cols: number, rows: number): IPty {
  const p = loadPty();
  if (!p) throw new Error('TTY exec needs the npm package node-pty, which is not installed');
  return p.spawn('/usr/bin/nsenter', [...nsenterArgs(t), ...argv], { name: 'xterm', cols, rows, env: { TERM: 'xterm', ...t.env } });
}

/** Runs argv to completion inside the container (probes), with a timeout. */
export function runInContainer(t: ContainerTarget, argv: string[], timeoutMs: number): Promise<{ code: number; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawnInContainer(t, argv, false);
    let output = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { output += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { output += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: 126, output: e.message, timedOut }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 137, output, timedOut }); });
  });
}
