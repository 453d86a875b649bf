// Registry credentials for pushes and base-image pulls, found the way the Docker CLI finds them:
// credentials the caller passes win; otherwise ~/.docker/config.json — a per-registry credential
// helper (credHelpers), then the default store (credsStore), then inline `auths` entries.
// Helpers are run as `docker-credential-<name> get` with the server address on stdin.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../ipc/errors';

export interface RegistryCredentials {
  /** Registry host as in image names, e.g. "ghcr.io", "localhost:5000", "docker.io". */
  registry: string;
  username?: string;
  password?: string;
  /** An OAuth identity token (what `docker login` stores for some registries). */
  identityToken?: string;
}

/** Runs a credential helper: name without the "docker-credential-" prefix, stdin text; returns stdout. */
export type CredentialHelperRunner = (helper: string, action: 'get', input: string) => Promise<string>;

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_INDEX = 'https://index.docker.io/v1/';

/** The registry host of an image reference (Docker's rule: a first part with '.' or ':' or "localhost"). */
export function registryOf(imageRef: string): string {
  const slash = imageRef.indexOf('/');
  if (slash < 0) return DOCKER_HUB;
  const first = imageRef.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first === 'index.docker.io' ? DOCKER_HUB : first;
  return DOCKER_HUB;
}

/** Docker's convertToHostname: config.json keys may be URLs ("https://host/v1/"). */
function hostOfKey(key: string): string {
  let h = key.replace(/^https?:\/\//, '');
  h = h.split('/')[0];
  return h === 'index.docker.io' || h === 'registry-1.docker.io' ? DOCKER_HUB : h;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export interface CredentialSources {
  /** Folder holding config.json (DOCKER_CONFIG, or ~/.docker). */
  dockerConfigDir?: string;
  runHelper?: CredentialHelperRunner;
}

/** The credentials to use for one registry, or undefined to go anonymous. */
export async function credentialsFor(registry: string, explicit: RegistryCredentials[] = [], sources: CredentialSources = {}): Promise<RegistryCredentials | undefined> {
  const given = explicit.find((c) => hostOfKey(c.registry) === registry);
  if (given) return given;
  if (!sources.dockerConfigDir) return undefined;
  const config = await readDockerConfig(sources.dockerConfigDir);
  if (!config) return undefined;
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => hostOfKey(k) === registry)?.[1] ?? config.credsStore;
  if (helper) {
    const fromHelper = await fromCredentialHelper(helper, registry, sources.runHelper ?? runCredentialHelper);
    if (fromHelper) return fromHelper;
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (hostOfKey(key) !== registry) continue;
    if (entry.identitytoken) return { registry, identityToken: entry.identitytoken };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { registry, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username) return { registry, username: entry.username, password: entry.password };
  }
  return undefined;
}

/** Every inline `auths` entry plus the given credentials: the X-Registry-Config of a build. */
export async function allKnownCredentials(explicit: RegistryCredentials[] = [], dockerConfigDir?: string): Promise<RegistryCredentials[]> {
  const out = new Map<string, RegistryCredentials>();
  const config = dockerConfigDir ? await readDockerConfig(dockerConfigDir) : undefined;
  for (const key of Object.keys(config?.auths ?? {})) {
    const c = await credentialsFor(hostOfKey(key), [], { dockerConfigDir, runHelper: async () => '' });
    if (c) out.set(c.registry, c);
  }
  for (const c of explicit) out.set(hostOfKey(c.registry), c);
  return [...out.values()];
}

/** The X-Registry-Auth header value: base64url of the AuthConfig JSON. */
export function registryAuthHeader(c: RegistryCredentials | undefined): string {
  return base64url(JSON.stringify(c ? authConfig(c) : {}));
}

/** The X-Registry-Config header value: base64url of {server: AuthConfig}. */
export function registryConfigHeader(all: RegistryCredentials[]): string {
  const map: Record<string, object> = {};
  for (const c of all) map[c.registry === DOCKER_HUB ? DOCKER_HUB_INDEX : c.registry] = authConfig(c);
  return base64url(JSON.stringify(map));
}

function authConfig(c: RegistryCredentials): Record<string, string> {
  const server = c.registry === DOCKER_HUB ? DOCKER_HUB_INDEX : c.registry;
  if (c.identityToken) return { identitytoken: c.identityToken, serveraddress: server };
  return { username: c.username ?? '', password: c.password ?? '', serveraddress: server };
}

/** Go's base64.URLEncoding: URL-safe alphabet *with* '=' padding (Docker and Podman reject it unpadded). */
function base64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

async function readDockerConfig(dir: string): Promise<DockerConfigFile | undefined> {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('PERMISSION_DENIED', `Could not read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as DockerConfigFile;
  } catch {
    throw new AppError('CONFIG_INVALID', `${file} is not valid JSON, so registry logins cannot be read from it.`, 'Fix the file, or run "docker login" again to rewrite it.');
  }
}

async function fromCredentialHelper(helper: string, registry: string, run: CredentialHelperRunner): Promise<RegistryCredentials | undefined> {
  const server = registry === DOCKER_HUB ? DOCKER_HUB_INDEX : registry;
  let out: string;
  try {
    out = await run(helper, 'get', server);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // "credentials not found in native keychain": no login for this registry
    return undefined;
  }
  if (!out.trim()) return undefined;
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(out) as { Username?: string; Secret?: string };
  } catch {
    throw new AppError('INTERNAL', `docker-credential-${helper} answered something that is not JSON.`);
  }
  if (!parsed.Secret) return undefined;
  if (parsed.Username === '<token>') return { registry, identityToken: parsed.Secret };
  return { registry, username: parsed.Username, password: parsed.Secret };
}

/** The default runner: spawns docker-credential-<helper> from PATH. */
export const runCredentialHelper: CredentialHelperRunner = (helper, action, input) =>
  new Promise((resolve, reject) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(helper)) return reject(new AppError('CONFIG_INVALID', `"${helper}" is not a credential helper name.`));
    const child = spawn(`docker-credential-${helper}`, [action], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
    child.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new AppError('NOT_FOUND', `Docker's config uses the credential helper "docker-credential-${helper}", which is not installed.`, 'Install it, remove "credsStore"/"credHelpers" from ~/.docker/config.json, or enter the registry credentials in Settings.'));
      } else reject(err);
    });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(errText.trim() || out.trim() || `exit ${code}`))));
    child.stdin.end(input);
  });
