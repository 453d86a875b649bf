// Base images the node's registry starts with, built from Debian's busybox-static: a busybox image
// (pushed as library/busybox:latest) and the Kaniko executor stand-in. Building them costs a few
// buildah calls, so the registry's storage after seeding is cached on disk, keyed by the busybox
// binary, and later starts copy the cached files straight into the new registry.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buildah, NodeError } from './buildah';

export const BUSYBOX = '/bin/busybox';
/** Bump when what is seeded changes, so old caches are not reused. */
const SEED_FORMAT = 3;

export const SEEDED = {
  busybox: 'library/busybox:latest',
  kaniko: 'stand-ins/kaniko-executor:debug',
} as const;

export function defaultCacheRoot(): string {
  return process.env.TEST_CLUSTER_CACHE ?? join(tmpdir(), 'devspace-test-cluster-cache');
}

/** busybox's version line plus the binary's size and mtime: a new Debian package gives a new key. */
export function busyboxKey(): string {
  if (!existsSync(BUSYBOX)) throw new NodeError('BusyboxMissing', `${BUSYBOX} is missing`, 'install the Debian package busybox-static');
  const version = execFileSync(BUSYBOX, [], { encoding: 'utf8' }).split('\n')[0] ?? '';
  const st = statSync(BUSYBOX);
  return createHash('sha256').update(`${SEED_FORMAT}\n${version}\n${st.size}\n${st.mtimeMs}`).digest('hex').slice(0, 16);
}

/** Fills `rootfs` with busybox, its applet links, /etc/passwd and /tmp. */
export function writeBusyboxRootfs(rootfs: string): void {
  for (const d of ['bin', 'etc', 'tmp', 'root', 'var', 'usr/bin', 'usr/sbin', 'sbin']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  writeFileSync(join(rootfs, 'bin/busybox'), readFileSync(BUSYBOX), { mode: 0o755 });
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const a of applets) {
    const p = join(rootfs, 'bin', a);
    if (!existsSync(p)) symlinkSync('busybox', p);
  }
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

async function buildScratch(b: Buildah, fill: (rootfs: string) => void, config: string[], push: string): Promise<void> {
  const ctr = (await b.ok(['from', '--quiet', 'scratch'])).trim();
  try {
    const rootfs = (await b.ok(['mount', ctr])).trim();
    fill(rootfs);
    await b.ok(['config', ...config, ctr]);
    await b.ok(['commit', '--quiet', ctr, `seed-${process.pid}`]);
    await b.ok(['push', '--quiet', '--tls-verify=false', `seed-${process.pid}`, `docker://${push}`]);
    await b.ok(['rmi', '-f', `seed-${process.pid}`]);
  } finally {
    await b.run(['rm', ctr]);
  }
}

/** What the Kaniko debug image has: busybox under /busybox, /kaniko/executor, /workspace. */
function writeKanikoRootfs(rootfs: string): void {
  writeBusyboxRootfs(rootfs);
  symlinkSync('bin', join(rootfs, 'busybox'));
  mkdirSync(join(rootfs, 'kaniko/.docker'), { recursive: true });
  mkdirSync(join(rootfs, 'workspace'), { recursive: true });
  // Exec of /kaniko/executor is taken over by the node agent (see kaniko-stand-in.ts); this
  // script only runs when a pod uses the executor as its main process, which the stand-in cannot do.
  writeFileSync(join(rootfs, 'kaniko/executor'), '#!/bin/sh\necho "kaniko stand-in: run /kaniko/executor through exec into a running pod (the test cluster builds there)" >&2\nexit 1\n', { mode: 0o755 });
}

/**
 * Makes sure the registry storage under `registryDataDir` holds the seeded images. Call before the
 * registry starts (cache hit: a file copy) — returns false when the cache is cold and
 * `seedInto` must run once the registry is up.
 */
export function restoreSeedCache(registryDataDir: string, cacheRoot = defaultCacheRoot()): boolean {
  const cached = join(cacheRoot, busyboxKey(), 'registry');
  if (!existsSync(join(cached, 'docker'))) return false;
  cpSync(cached, registryDataDir, { recursive: true });
  return true;
}

/** Builds and pushes the seeded images into the running registry, then fills the cache. */
export async function seedInto(b: Buildah, registry: string, registryDataDir: string, cacheRoot = defaultCacheRoot()): Promise<void> {
  await buildScratch(b, writeBusyboxRootfs, ['--env', `PATH=${PATH}`, '--cmd', 'sh'], `${registry}/${SEEDED.busybox}`);
  await buildScratch(b, writeKanikoRootfs, ['--env', `PATH=/usr/local/bin:/kaniko:/busybox:${PATH}`, '--env', 'DOCKER_CONFIG=/kaniko/.docker/', '--entrypoint', '["/kaniko/executor"]', '--workingdir', '/workspace'], `${registry}/${SEEDED.kaniko}`);
  const dir = join(cacheRoot, busyboxKey());
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    cpSync(registryDataDir, join(tmp, 'registry'), { recursive: true });
    mkdirSync(cacheRoot, { recursive: true });
    if (!existsSync(dir)) renameSync(tmp, dir);
  } catch {
    // Another agent filled the cache at the same time; theirs is as good as ours.
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
