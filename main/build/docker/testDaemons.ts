// Test support: a real Docker Engine API (Podman's `podman system service`) and real registries
// (Debian's docker-registry), each started in its own temp folder and stopped without leftovers.
// Podman here needs runc + cgroupfs, chroot isolation for RUN steps, and vfs storage (no mounts
// left behind). Registries listen on 127.0.0.1 only, optionally with htpasswd auth.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';

export function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited early (${child.exitCode}): ${log()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms: ${log()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface TestRegistry {
  host: string; // "127.0.0.1:port"
  stop(): Promise<void>;
}

export async function startRegistry(auth?: { username: string; password: string }): Promise<TestRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ds-registry-'));
  const port = await freePort();
  let authBlock = '';
  if (auth) {
    writeFileSync(path.join(dir, 'htpasswd'), `${auth.username}:${bcrypt.hashSync(auth.password, 5)}\n`);
    authBlock = `auth:\n  htpasswd:\n    realm: devspace-test\n    path: ${path.join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(
    path.join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${authBlock}`,
  );
  let log = '';
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).status < 500, 'docker-registry', child, () => log);
  return {
    host: `127.0.0.1:${port}`,
    async stop() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestEngine {
  socketPath: string;
  stop(): Promise<void>;
}

/** Podman's Docker-compatible API on a socket of its own; `insecureRegistries` are plain HTTP. */
export async function startPodmanEngine(insecureRegistries: string[]): Promise<TestEngine> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ds-podman-'));
  const socketPath = path.join(dir, 'podman.sock');
  writeFileSync(path.join(dir, 'containers.conf'), '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n');
  writeFileSync(path.join(dir, 'storage.conf'), `[storage]\ndriver = "vfs"\nrunroot = "${path.join(dir, 'runroot')}"\ngraphroot = "${path.join(dir, 'root')}"\n`);
  writeFileSync(
    path.join(dir, 'registries.conf'),
    `unqualified-search-registries = []\n${insecureRegistries.map((r) => `[[registry]]\nlocation = "${r}"\ninsecure = true\n`).join('')}`,
  );
  mkdirSync(path.join(dir, 'tmp'));
  const env = {
    ...process.env,
    CONTAINERS_CONF: path.join(dir, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: path.join(dir, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: path.join(dir, 'registries.conf'),
    BUILDAH_ISOLATION: 'chroot',
    TMPDIR: path.join(dir, 'tmp'),
    XDG_RUNTIME_DIR: path.join(dir, 'runroot'),
  };
  let log = '';
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socketPath}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  await waitFor(async () => existsSync(socketPath) && (await ping(socketPath)), 'podman system service', child, () => log);
  return {
    socketPath,
    async stop() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function ping(socketPath: string): Promise<boolean> {
  const http = await import('node:http');
  return new Promise((resolve) => {
    const req = http.request({ socketPath, path: '/_ping' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}
