// The node's image registry: Debian's docker-registry (distribution 2.8) run with our own config on
// 127.0.0.1 and a storage dir under the agent's dataDir. Pods pull from it as `localhost:<port>`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { NodeError } from './buildah';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The config the registry:2 image ships, with our address and storage. */
export function registryConfig(o: { addr: string; rootDir: string; htpasswdPath?: string; realm?: string }): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(o.rootDir)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${JSON.stringify(o.addr)}`,
    ...(o.htpasswdPath ? ['auth:', '  htpasswd:', `    realm: ${JSON.stringify(o.realm ?? 'basic-realm')}`, `    path: ${JSON.stringify(o.htpasswdPath)}`] : []),
    '',
  ].join('\n');
}

/** Waits until something answers HTTP on 127.0.0.1:port /v2/ (any status counts). */
export async function waitForHttp(port: number, host = '127.0.0.1', timeoutMs = 15_000, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(`http://${host}:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (!alive() || Date.now() > deadline) throw new NodeError('RegistryNotStarted', `the registry on ${host}:${port} did not start`, 'check that the Debian package docker-registry is installed');
      await new Promise((r) => setTimeout(r, 30));
    }
  }
}

export class RegistryProcess {
  private child: ChildProcess | undefined;
  private readonly configPath: string;
  private output = '';

  /**
   * `htpasswdPath`: turn on basic auth with that file, as a registry with credentials.
   * `host`: the loopback address to listen on (the node's own, node-address.ts); its name stays `localhost:PORT`.
   */
  constructor(readonly dir: string, readonly port: number, private readonly log: (line: string) => void = () => {}, htpasswdPath?: string, readonly host = '127.0.0.1') {
    mkdirSync(join(dir, 'data'), { recursive: true });
    this.configPath = join(dir, 'config.yml');
    writeFileSync(this.configPath, registryConfig({ addr: `${host}:${port}`, rootDir: join(dir, 'data'), ...(htpasswdPath ? { htpasswdPath } : {}) }));
  }

  get address(): string { return `localhost:${this.port}`; }
  /** host:port where it really listens (the node's localhost). */
  get hostAddress(): string { return `${this.host}:${this.port}`; }
  get running(): boolean { return this.child !== undefined; }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn('docker-registry', ['serve', this.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let exited = false;
    child.on('error', () => { exited = true; });
    child.on('exit', () => { exited = true; if (this.child === child) this.child = undefined; });
    // Its request-level errors (HEAD of unknown blobs) are normal during pushes: keep them out of the log.
    for (const s of [child.stdout!, child.stderr!]) s.setEncoding('utf8').on('data', (d: string) => { this.output = (this.output + d).slice(-4000); });
    try {
      await waitForHttp(this.port, this.host, 15_000, () => !exited);
    } catch (e) {
      await this.stop();
      this.log(`registry: ${this.output.trim()}`);
      throw new NodeError('RegistryNotStarted', `docker-registry did not start on ${this.host}:${this.port}: ${this.output.trim().split('\n').at(-1) ?? (e as Error).message}`, 'install the Debian package docker-registry');
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await killAndWait(child);
  }
}

export function killAndWait(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(t); resolve(); });
    child.kill('SIGTERM');
  });
}
