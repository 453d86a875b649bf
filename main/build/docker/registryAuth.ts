// Registry logins as the Docker Engine API wants them: the X-Registry-Auth header of a push and
// the X-Registry-Config header of a build (base64url JSON). Where the logins come from is
// main/registry/dockerConfig.ts (~/.docker/config.json, credential helpers); this file only adds
// that credentials the caller passes win, and the Engine's encoding.
import { dockerConfigLogins, dockerCredentials, serverAddress, type CredentialHelperRunner } from '../../registry/dockerConfig';
import { normaliseRegistryHost, registryOfImage } from '../../registry/imageRef';
import type { RegistryCredentials as Credentials } from '../../registry/registryClient';

export type { CredentialHelperRunner };

/** Credentials for one registry; `registry` as in image names, e.g. "ghcr.io", "localhost:5000", "docker.io". */
export type RegistryCredentials = Credentials & { registry: string };

export interface CredentialSources {
  /** Folder holding config.json (DOCKER_CONFIG, or ~/.docker); without it only explicit credentials count. */
  dockerConfigDir?: string;
  runHelper?: CredentialHelperRunner;
}

/** The registry host of an image reference (Docker's rule: a first part with '.' or ':' or "localhost"). */
export const registryOf = registryOfImage;

/** The credentials to use for one registry, or undefined to go anonymous. */
export async function credentialsFor(registry: string, explicit: RegistryCredentials[] = [], sources: CredentialSources = {}): Promise<RegistryCredentials | undefined> {
  const host = normaliseRegistryHost(registry);
  const given = explicit.find((c) => normaliseRegistryHost(c.registry) === host);
  if (given) return given;
  if (!sources.dockerConfigDir) return undefined;
  const found = await dockerCredentials(host, { configDir: sources.dockerConfigDir, runHelper: sources.runHelper });
  return found && { registry: host, ...found };
}

/** Every inline `auths` login plus the given credentials: the X-Registry-Config of a build. */
export async function allKnownCredentials(explicit: RegistryCredentials[] = [], dockerConfigDir?: string): Promise<RegistryCredentials[]> {
  const out = new Map<string, RegistryCredentials>();
  if (dockerConfigDir) for (const [registry, c] of await dockerConfigLogins({ configDir: dockerConfigDir })) out.set(registry, { registry, ...c });
  for (const c of explicit) out.set(normaliseRegistryHost(c.registry), c);
  return [...out.values()];
}

/** The X-Registry-Auth header value: base64url of the AuthConfig JSON. */
export function registryAuthHeader(c: RegistryCredentials | undefined): string {
  return base64url(JSON.stringify(c ? authConfig(c) : {}));
}

/** The X-Registry-Config header value: base64url of {server: AuthConfig}. */
export function registryConfigHeader(all: RegistryCredentials[]): string {
  const map: Record<string, object> = {};
  for (const c of all) map[serverAddress(normaliseRegistryHost(c.registry))] = authConfig(c);
  return base64url(JSON.stringify(map));
}

/** Docker's types.AuthConfig: an identity token replaces username and password. */
function authConfig(c: RegistryCredentials): Record<string, string> {
  const server = serverAddress(normaliseRegistryHost(c.registry));
  if (c.identityToken) return { identitytoken: c.identityToken, serveraddress: server };
  return { username: c.username ?? '', password: c.password ?? '', serveraddress: server, ...(c.registryToken ? { registrytoken: c.registryToken } : {}) };
}

/** Go's base64.URLEncoding: URL-safe alphabet *with* '=' padding (Docker and Podman reject it unpadded). */
function base64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
