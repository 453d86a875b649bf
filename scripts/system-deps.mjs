// The Debian packages the tests use. `npm test` installs the missing ones where it runs as root
// with apt (CI, dev containers); elsewhere it prints the exact command and stops.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SYSTEM_DEPS = [
  { command: 'chromium', paths: ['/usr/bin/chromium'], pkg: 'chromium', why: 'the e2e suite drives the UI in Chromium' },
  { command: 'buildah', paths: ['/usr/bin/buildah'], pkg: 'buildah', why: 'the test cluster runs containers with buildah' },
  { command: 'docker-registry', paths: ['/usr/bin/docker-registry'], pkg: 'docker-registry', why: 'the test cluster serves images from a real registry' },
  { command: 'busybox', paths: ['/bin/busybox', '/usr/bin/busybox'], pkg: 'busybox-static', why: 'base images are built from busybox-static' },
  { command: 'podman', paths: ['/usr/bin/podman'], pkg: 'podman', why: 'the Docker builder is tested against podman system service' },
  { command: 'runc', paths: ['/usr/bin/runc', '/usr/sbin/runc'], pkg: 'runc', why: 'podman builds use runc' },
  { command: 'xvfb-run', paths: ['/usr/bin/xvfb-run'], pkg: 'xvfb', why: 'the Electron e2e needs a display' },
  { command: 'ip', paths: ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'], pkg: 'iproute2', why: 'the test cluster gives pods their own network' },
];

export function missingSystemDeps() {
  return SYSTEM_DEPS.filter((d) => !d.paths.some((p) => existsSync(p)));
}

/** Installs what is missing when we can (root + apt-get); returns false with a message otherwise. */
export function ensureSystemDeps({ log = console.log } = {}) {
  const missing = missingSystemDeps();
  if (missing.length === 0) return true;
  const pkgs = [...new Set(missing.map((d) => d.pkg))];
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (isRoot && hasApt) {
    log(`Installing Debian packages the tests need: ${pkgs.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env }) : update;
    if (install.status === 0 && missingSystemDeps().length === 0) return true;
    log('apt-get could not install them; see above.');
    return false;
  }
  log('The tests need these Debian packages, which are not installed:');
  for (const d of missing) log(`  ${d.pkg.padEnd(16)} ${d.why}`);
  log(`Install them with:\n  sudo apt-get install -y ${pkgs.join(' ')}`);
  return false;
}
