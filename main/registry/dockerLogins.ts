// The logins `docker login` left on this machine, listed read-only for the Registry panel:
// ~/.docker/config.json (or $DOCKER_CONFIG) `auths` entries, and the hosts its credential helpers
// know (`docker-credential-<helper> list`, which prints {serverURL: username} without secrets).
// Secrets are never returned: an `auths` password shows as a mask, a helper's is not even read.
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { RegistryLogin } from '../../preload/api';
import { maskSecret } from './credentials';
import { dockerConfigLogins, dockerConfigPath, type SpawnLike } from './dockerConfig';
import type { RegistryCredentials } from './registryClient';
import { normaliseRegistryHost } from './imageRef';

export interface DockerLoginsOptions {
  homeDir: string;
  env: NodeJS.ProcessEnv;
  spawn?: SpawnLike;
  /** Per helper `list` call. Default 10 s. */
  helperTimeoutMs?: number;
  log?: (line: string) => void;
}

interface ConfigFile {
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** Logins from docker's config, one per host (a helper's entry wins over `auths`, as docker reads them). */
export async function dockerLogins(opts: DockerLoginsOptions): Promise<RegistryLogin[]> {
  const file = dockerConfigPath(opts.homeDir, opts.env);
  let config: ConfigFile;
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
    config = doc as ConfigFile;
  } catch (err) {
    // Missing is normal; a broken file is reported when a build needs it (dockerConfig.ts), not here.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') opts.log?.(`registry: cannot read ${file}: ${(err as Error).message}`);
    return [];
  }
  const out = new Map<string, RegistryLogin>();
  let inline = new Map<string, RegistryCredentials>();
  try {
    inline = await dockerConfigLogins({ homeDir: opts.homeDir, env: opts.env });
  } catch (err) {
    opts.log?.(`registry: cannot read ${file}: ${(err as Error).message}`);
  }
  for (const [host, c] of inline) {
    if (c.username) out.set(host, { host, username: c.username, passwordMask: maskSecret(c.password ?? ''), source: 'docker-config' });
    else if (c.identityToken) out.set(host, { host, username: '(identity token)', passwordMask: maskSecret(c.identityToken), source: 'docker-config' });
    // An empty entry ({}) only says a helper holds the login: the helper's list fills it in below.
  }
  const helpers = new Map<string, 'all' | Set<string>>();
  if (config.credsStore) helpers.set(config.credsStore, 'all');
  for (const [h, helper] of Object.entries(config.credHelpers ?? {})) {
    if (!helper) continue;
    const hosts = helpers.get(helper);
    if (hosts === 'all') continue;
    helpers.set(helper, (hosts ?? new Set()).add(normaliseRegistryHost(h)));
  }
  for (const [helper, hosts] of helpers) {
    const listed = await helperList(helper, opts);
    for (const [server, username] of Object.entries(listed)) {
      const host = normaliseRegistryHost(server);
      if (hosts !== 'all' && !hosts.has(host)) continue;
      out.set(host, { host, username: username === '<token>' ? '(identity token)' : username, passwordMask: '••••••', source: 'docker-config', helper: `docker-credential-${helper}` });
    }
  }
  return [...out.values()].sort((a, b) => a.host.localeCompare(b.host));
}

/** `docker-credential-<helper> list`; a helper that is missing or fails lists nothing (logged). */
async function helperList(helper: string, opts: DockerLoginsOptions): Promise<Record<string, string>> {
  const command = `docker-credential-${helper}`;
  const spawn = opts.spawn ?? nodeSpawn;
  const result = await new Promise<{ code: number | null; out: string; error?: string }>((resolve) => {
    let out = '';
    let child: ChildProcess;
    try {
      child = spawn(command, ['list'], { env: opts.env, stdio: ['pipe', 'pipe', 'ignore'] });
    } catch (e) {
      resolve({ code: null, out: '', error: (e as Error).message });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.helperTimeoutMs ?? 10_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', (e) => (clearTimeout(timer), resolve({ code: null, out, error: e.message })));
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, out })));
    child.stdin?.on('error', () => {});
    child.stdin?.end();
  });
  if (result.error || result.code !== 0) {
    opts.log?.(`registry: ${command} list failed: ${result.error ?? `exit code ${result.code}`}`);
    return {};
  }
  try {
    const doc = JSON.parse(result.out) as unknown;
    if (!doc || typeof doc !== 'object') return {};
    return Object.fromEntries(Object.entries(doc as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    opts.log?.(`registry: ${command} list printed something that is not JSON`);
    return {};
  }
}
