// Credentials the user already has from `docker login`: ~/.docker/config.json (or $DOCKER_CONFIG)
// with `auths` entries, `credsStore` and `credHelpers` (docker-credential-<helper> get, the
// server address on stdin, JSON on stdout) — the lookup order of docker/cli's config package.
// The one credential reader of that file: registry checks before Up and the Docker Engine builder
// (main/build/docker/registryAuth.ts, which only adds the Engine's header encoding) both use it.
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFile as fsReadFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../ipc/errors';
import { DOCKER_HUB, normaliseRegistryHost } from './imageRef';
import type { RegistryCredentials } from './registryClient';

export type SpawnLike = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

/** What one `docker-credential-<helper> get` did: exit code (null when killed or not started), output, start error. */
export interface HelperRun {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

/** Runs `docker-credential-<helper> get` with `server` on stdin. Tests pass their own. */
export type CredentialHelperRunner = (helper: string, server: string) => Promise<HelperRun>;

export interface DockerConfigOptions {
  /** The folder holding config.json; wins over `env.DOCKER_CONFIG` and `homeDir`. */
  configDir?: string;
  /** Default: the user's home folder. */
  homeDir?: string;
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => Promise<string>;
  /** Runs credential helpers; default: `spawn` them (found on `env.PATH`). */
  runHelper?: CredentialHelperRunner;
  /** Starts the default runner's helpers. */
  spawn?: SpawnLike;
  /** Deadline for one helper call (it may wait for a keychain prompt). Default 30 s. */
  helperTimeoutMs?: number;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** Where docker keeps it: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(homeDir: string, env: NodeJS.ProcessEnv = {}): string {
  return join(env.DOCKER_CONFIG || join(homeDir, '.docker'), 'config.json');
}

/** The address docker hands helpers and uses as the `auths` key: Docker Hub keeps its v1 URL. */
export function serverAddress(host: string): string {
  return host === DOCKER_HUB ? 'https://index.docker.io/v1/' : host;
}

/**
 * Credentials docker would use for `host`, or undefined. Helper first (credHelpers[host], then
 * credsStore), then the `auths` entry — helpers that do not know the host fall through.
 */
export async function dockerCredentials(host: string, opts: DockerConfigOptions = {}): Promise<RegistryCredentials | undefined> {
  const key = normaliseRegistryHost(host);
  const { path, config } = await loadConfig(opts);
  if (!config) return undefined;

  const helperEntry = Object.entries(config.credHelpers ?? {}).find(([h]) => normaliseRegistryHost(h) === key);
  const helper = helperEntry?.[1] || config.credsStore;
  if (helper) {
    const fromHelper = await askHelper(helper, serverAddress(key), opts, path);
    if (fromHelper) return fromHelper;
  }
  const entry = Object.entries(config.auths ?? {}).find(([h]) => normaliseRegistryHost(h) === key)?.[1];
  return entry ? fromAuthEntry(entry, key, path) : undefined;
}

/**
 * Every inline `auths` login, keyed by normalised host (helpers are not asked: a build's
 * X-Registry-Config carries what the file holds). An entry that cannot be decoded is left out
 * rather than failing logins for every other registry.
 */
export async function dockerConfigLogins(opts: DockerConfigOptions = {}): Promise<Map<string, RegistryCredentials>> {
  const { path, config } = await loadConfig(opts);
  const logins = new Map<string, RegistryCredentials>();
  for (const [key, entry] of Object.entries(config?.auths ?? {})) {
    const host = normaliseRegistryHost(key);
    if (logins.has(host)) continue; // the first entry of a host is the one dockerCredentials reads
    try {
      const creds = fromAuthEntry(entry, host, path);
      if (creds) logins.set(host, creds);
    } catch {
      // malformed "auth": dockerCredentials names it when that registry is asked for
    }
  }
  return logins;
}

async function loadConfig(opts: DockerConfigOptions): Promise<{ path: string; config: DockerConfigFile | undefined }> {
  const path = opts.configDir ? join(opts.configDir, 'config.json') : dockerConfigPath(opts.homeDir ?? homedir(), opts.env ?? process.env);
  return { path, config: await readConfig(path, opts.readFile ?? ((p) => fsReadFile(p, 'utf8'))) };
}

async function readConfig(path: string, readFile: (p: string) => Promise<string>): Promise<DockerConfigFile | undefined> {
  let text: string;
  try {
    text = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('PERMISSION_DENIED', `Docker's config ${path} cannot be read: ${(err as Error).message}`, 'Fix its permissions, or enter the registry credentials under Logins in the Registry panel.', { cause: err });
  }
  try {
    const doc = JSON.parse(text) as unknown;
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as DockerConfigFile;
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `Docker's config ${path} is not valid JSON: ${(err as Error).message}`, 'Fix the file (or move it away), or enter the registry credentials under Logins in the Registry panel.', { cause: err });
  }
  throw new AppError('CONFIG_INVALID', `Docker's config ${path} is not a JSON object.`, 'Fix the file (or move it away).');
}

function fromAuthEntry(e: AuthEntry, host: string, path: string): RegistryCredentials | undefined {
  const creds: RegistryCredentials = {};
  if (e.auth) {
    const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new AppError('CONFIG_INVALID', `The "auth" of ${host} in ${path} is not base64 of "user:password".`, `Run "docker login ${host}" again, or enter the credentials under Logins in the Registry panel.`);
    creds.username = decoded.slice(0, colon);
    creds.password = decoded.slice(colon + 1);
  } else if (e.username) {
    creds.username = e.username;
    if (e.password !== undefined) creds.password = e.password;
  }
  if (e.identitytoken) creds.identityToken = e.identitytoken;
  if (e.registrytoken) creds.registryToken = e.registrytoken;
  return Object.keys(creds).length ? creds : undefined;
}

/** The default runner: `docker-credential-<helper> get` from `env.PATH`, killed after `timeoutMs`. */
export function spawnCredentialHelper(env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000, spawn: SpawnLike = nodeSpawn): CredentialHelperRunner {
  return (helper, server) =>
    new Promise<HelperRun>((resolve) => {
      let out = '';
      let err = '';
      let child: ChildProcess;
      try {
        child = spawn(`docker-credential-${helper}`, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (e) {
        resolve({ code: null, stdout: '', stderr: '', error: e as NodeJS.ErrnoException });
        return;
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ code: null, stdout: out, stderr: err, error: e });
      });
      child.once('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stdout: out, stderr: err });
      });
      child.stdin?.on('error', () => {}); // a helper that exits without reading stdin
      child.stdin?.end(server);
    });
}

/** `docker-credential-<helper> get`: "credentials not found" is not an error, it means "ask elsewhere". */
async function askHelper(helper: string, server: string, opts: DockerConfigOptions, configPath: string): Promise<RegistryCredentials | undefined> {
  const command = `docker-credential-${helper}`;
  // The name becomes part of a command: "../x" would run a program outside PATH.
  if (!/^[A-Za-z0-9_.-]+$/.test(helper)) {
    throw new AppError('CONFIG_INVALID', `"${helper}" in ${configPath} is not a credential helper name.`, `Fix "credsStore"/"credHelpers" in ${configPath}, or enter the credentials under Logins in the Registry panel.`);
  }
  const run = opts.runHelper ?? spawnCredentialHelper(opts.env ?? process.env, opts.helperTimeoutMs, opts.spawn);
  const { code, stdout, stderr, error } = await run(helper, server);
  if (error) {
    throw new AppError(
      'PERMISSION_DENIED',
      `Docker's credential helper "${command}" (named in ${configPath}) could not be started: ${error.code === 'ENOENT' ? 'not found on PATH' : error.message}.`,
      `Install ${command}, remove "${helper}" from ${configPath}, or enter the credentials under Logins in the Registry panel.`,
      { cause: error },
    );
  }
  if (code !== 0) {
    const message = `${stdout} ${stderr}`.trim();
    if (/credentials not found/i.test(message)) return undefined;
    throw new AppError(
      'PERMISSION_DENIED',
      `Docker's credential helper "${command}" failed for ${server}: ${message.split('\n')[0] || `exit code ${code}`}.`,
      `Run "echo ${server} | ${command} get" in a terminal to see why (the keychain may be locked), or enter the credentials under Logins in the Registry panel.`,
    );
  }
  let doc: { Username?: unknown; Secret?: unknown };
  try {
    doc = JSON.parse(stdout) as typeof doc;
  } catch {
    throw new AppError('PERMISSION_DENIED', `Docker's credential helper "${command}" printed something that is not JSON for ${server}.`, `Run "echo ${server} | ${command} get" in a terminal to check it.`);
  }
  const username = typeof doc.Username === 'string' ? doc.Username : '';
  const secret = typeof doc.Secret === 'string' ? doc.Secret : '';
  if (!secret) return undefined;
  // docker/cli: the username "<token>" marks an identity (refresh) token.
  return username === '<token>' ? { identityToken: secret } : { username, password: secret };
}

/** Credentials for a registry: what the user saved in the app wins over docker's config. */
export async function credentialsFor(
  host: string,
  sources: { store?: { get(host: string): Promise<{ username: string; password: string } | undefined> }; docker?: DockerConfigOptions },
): Promise<RegistryCredentials | undefined> {
  const saved = await sources.store?.get(host);
  if (saved) return { username: saved.username, password: saved.password };
  return sources.docker ? dockerCredentials(host, sources.docker) : undefined;
}
