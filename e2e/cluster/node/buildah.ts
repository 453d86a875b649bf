// Runs the buildah CLI against storage that belongs to one node agent (its dataDir), so the
// test cluster never touches the machine's global container storage and stop() can remove it all.
import { spawn, type SpawnOptions } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildahResult { code: number; stdout: string; stderr: string }

export class NodeError extends Error {
  constructor(readonly code: string, message: string, readonly hint?: string) { super(message); }
}

/** Settings every buildah call of one agent shares: storage, registries, temp dir. */
export class Buildah {
  readonly env: NodeJS.ProcessEnv;
  readonly tmpDir: string;
  readonly registriesConf: string;

  constructor(readonly dataDir: string) {
    const storage = join(dataDir, 'storage');
    const runroot = join(dataDir, 'run');
    this.tmpDir = join(dataDir, 'tmp');
    for (const d of [storage, runroot, this.tmpDir]) mkdirSync(d, { recursive: true });
    const storageConf = join(dataDir, 'storage.conf');
    // vfs: plain directories, no overlay mounts left behind if the agent dies.
    writeFileSync(storageConf, `[storage]\ndriver = "vfs"\nrunroot = "${runroot}"\ngraphroot = "${storage}"\n`);
    this.registriesConf = join(dataDir, 'registries.conf');
    writeFileSync(this.registriesConf, 'unqualified-search-registries = ["docker.io"]\n');
    const containersConf = join(dataDir, 'containers.conf');
    writeFileSync(containersConf, '[engine]\n[containers]\n');
    this.env = {
      ...process.env,
      CONTAINERS_STORAGE_CONF: storageConf,
      CONTAINERS_REGISTRIES_CONF: this.registriesConf,
      CONTAINERS_CONF: containersConf,
      TMPDIR: this.tmpDir,
      // Never read the machine's or the user's registry credentials.
      REGISTRY_AUTH_FILE: join(dataDir, 'no-auth.json'),
    };
    writeFileSync(join(dataDir, 'no-auth.json'), '{"auths":{}}');
  }

  /**
   * Points docker.io (and so `busybox`) at the agent's own registry, which holds the seeded images.
   * It is a rewrite, not a mirror: a mirror falls back to the real Docker Hub, and the test
   * cluster must never reach beyond this machine. Well-known public registries are blocked too.
   * `nodeAddress`: the node's own loopback address when it is not 127.0.0.1 (node N of a multi-node
   * cluster): `localhost[:port]/…` is rewritten to it, so e.g. a Kaniko build's FROM localhost:P/…
   * pulls from this node's localhost.
   */
  mirrorDockerHub(registry: string, nodeAddress?: string): void {
    const blocked = ['index.docker.io', 'registry-1.docker.io', 'gcr.io', '*.gcr.io', 'quay.io', 'ghcr.io', 'registry.k8s.io', 'k8s.gcr.io', 'mcr.microsoft.com', 'public.ecr.aws', '*.amazonaws.com', 'registry.gitlab.com', '*.azurecr.io', '*.pkg.dev', 'docker.pkg.github.com', 'registry.access.redhat.com', 'registry.redhat.io'];
    writeFileSync(this.registriesConf, [
      'unqualified-search-registries = ["docker.io"]',
      '',
      '[[registry]]',
      'prefix = "docker.io"',
      `location = "${registry}"`,
      'insecure = true',
      '',
      '[[registry]]',
      `location = "${registry}"`,
      'insecure = true',
      '',
      ...(nodeAddress && nodeAddress !== '127.0.0.1' ? ['[[registry]]', 'prefix = "localhost"', `location = "${nodeAddress}"`, 'insecure = true', ''] : []),
      ...blocked.flatMap((b) => ['[[registry]]', `prefix = "${b}"`, `location = "${b.replace(/^\*\./, '')}"`, 'blocked = true', '']),
    ].join('\n'));
  }

  spawn(args: string[], options: SpawnOptions = {}) {
    return spawn('buildah', args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  }

  run(args: string[], options: { input?: string; onOutput?: (chunk: string) => void } = {}): Promise<BuildahResult> {
    return new Promise((resolve, reject) => {
      const child = this.spawn(args, { stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; options.onOutput?.(d); });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; options.onOutput?.(d); });
      child.on('error', (e) => reject(new NodeError('BuildahMissing', `cannot run buildah: ${e.message}`, 'install the Debian package buildah')));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      if (options.input !== undefined) child.stdin!.end(options.input);
    });
  }

  /** Like run() but throws with buildah's own message when it fails. */
  async ok(args: string[], options: { input?: string; onOutput?: (chunk: string) => void } = {}): Promise<string> {
    const r = await this.run(args, options);
    if (r.code !== 0) throw new NodeError('BuildahFailed', lastErrorLine(r.stderr) || `buildah ${args[0]} exited with ${r.code}`);
    return r.stdout;
  }
}

/** buildah prints progress before the error; the last "Error: …" line is what a user needs. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = [...lines].reverse().find((l) => /^Error: /.test(l)) ?? lines.at(-1) ?? '';
  return err.replace(/^Error: /, '');
}
