// Where Up pushes the project's image and where the cluster pulls it from, for both kinds of
// registry the settings allow: the in-cluster registry the app deploys, or an external one (any
// v2 registry) checked with the user's login before anything is built, so a wrong password fails
// in a second rather than after the build.
import os from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../ipc/errors';
import { credentialsFor } from '../registry/dockerConfig';
import { imageRepositoryIn, normaliseRegistryHost } from '../registry/imageRef';
import type { InClusterRegistryInfo, RegistryPasswordStore } from '../registry/inClusterRegistry';
import { ensurePullSecrets, pullSecretName } from '../registry/pullSecrets';
import { RegistryClient, type RegistryCredentials } from '../registry/registryClient';
import { providerHint, RegistryError } from '../registry/registryErrors';

/** The registry an Up run uses, whichever kind it is. */
export interface UpRegistry {
  kind: 'in-cluster' | 'external';
  /** Registry host builders push to from inside the cluster (Kaniko): in-cluster, the Service address. */
  pushHost: string;
  /** Registry host in the pod spec's image names. */
  pullHost: string;
  /** The project's image repository as pods name it, e.g. `localhost:5000/app`, `ghcr.io/acme/app`. */
  repository: string;
  /** The same repository under pushHost. */
  pushRepository: string;
  /** Plain HTTP (or unverified TLS) allowed for pushes. */
  insecure: boolean;
  /** Absent: anonymous. */
  credentials?: RegistryCredentials;
  /** Set for the in-cluster registry. */
  inCluster?: InClusterRegistryInfo;
  /** Where the credentials came from, for the step's detail. */
  credentialSource?: 'app' | 'docker-config' | 'in-cluster';
}

export function inClusterUpRegistry(info: InClusterRegistryInfo, imageName: string): UpRegistry {
  return {
    kind: 'in-cluster',
    pushHost: info.pushHost,
    pullHost: info.pullHost,
    repository: `${info.pullHost}/${imageName}`,
    pushRepository: `${info.pushHost}/${imageName}`,
    insecure: true,
    credentials: info.credentials,
    inCluster: info,
    credentialSource: 'in-cluster',
  };
}

export interface ExternalRegistryCheck {
  url: string;
  insecure: boolean;
  imageName: string;
  /** The app's encrypted logins (`registry.login` saves there), keyed by host. */
  store: Pick<RegistryPasswordStore, 'get'>;
  homeDir?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The fetch the registry client uses (default the global one). */
  fetch?: typeof fetch;
}

/**
 * Finds the login for an external registry (the app's store first, then ~/.docker/config.json and
 * its credential helpers) and checks it against the registry (`GET /v2/`). Errors say what to do:
 * 401 → log in in the Registry panel; plain HTTP → mark it insecure; unreachable → the address.
 */
export async function checkExternalRegistry(c: ExternalRegistryCheck): Promise<UpRegistry> {
  const { host, repository } = imageRepositoryIn(c.url, c.imageName);
  const saved = await c.store.get(host);
  let credentials: RegistryCredentials | undefined;
  let source: UpRegistry['credentialSource'];
  if (saved) {
    credentials = { username: saved.username, password: saved.password };
    source = 'app';
  } else {
    credentials = await credentialsFor(host, { docker: { homeDir: c.homeDir ?? os.homedir(), env: c.env ?? process.env } });
    if (credentials) source = 'docker-config';
  }
  const client = new RegistryClient(host, {
    ...(credentials ? { credentials } : {}),
    ...(c.insecure ? { insecure: true } : {}),
    ...(c.signal ? { signal: c.signal } : {}),
    ...(c.fetch ? { fetch: c.fetch } : {}),
  });
  try {
    await client.checkLogin();
  } catch (err) {
    throw explainRegistryFailure(err, host, credentials);
  }
  return {
    kind: 'external',
    pushHost: host,
    pullHost: host,
    repository,
    pushRepository: repository,
    insecure: c.insecure,
    ...(credentials ? { credentials } : {}),
    ...(source ? { credentialSource: source } : {}),
  };
}

function explainRegistryFailure(err: unknown, host: string, credentials: RegistryCredentials | undefined): unknown {
  if (!(err instanceof RegistryError)) return err;
  if (err.problem === 'unauthorized' || err.problem === 'forbidden') {
    const hint = credentials
      ? `Log in to ${host} again in the Registry panel with a valid username and password or access token (or run "docker login ${host}"). ${providerHint(host)}`
      : `Log in to ${host} in the Registry panel (or run "docker login ${host}"). ${providerHint(host)}`;
    return new AppError('REGISTRY_UNAUTHORIZED', err.message, hint, { cause: err });
  }
  return err; // http-to-https / tls (REGISTRY_TLS with the insecure hint), unreachable (REGISTRY_UNREACHABLE)
}

/** Pull secrets for the registry in the project's namespace; none for anonymous registries (or token-only logins, which nodes cannot use). */
export async function pullSecretsFor(kc: KubeConfig, namespace: string, reg: UpRegistry, log: (line: string) => void, signal?: AbortSignal): Promise<string[]> {
  const c = reg.credentials;
  if (!c) return [];
  if (c.username === undefined || c.password === undefined) {
    log(`registry: the login for ${reg.pullHost} is a token the cluster's nodes cannot use; no pull secret was made`);
    return [];
  }
  return ensurePullSecrets(kc, namespace, [{ host: reg.pullHost, username: c.username, password: c.password }], { ...(signal ? { signal } : {}) });
}

/** The names `pullSecretsFor` will return, known before it runs (so the deploy check need not wait for it). */
export function pullSecretNamesFor(reg: UpRegistry): string[] {
  const c = reg.credentials;
  return c && c.username !== undefined && c.password !== undefined ? [pullSecretName(reg.pullHost)] : [];
}

export function registryDetail(reg: UpRegistry): string {
  if (reg.kind === 'in-cluster') {
    const w = reg.inCluster?.warnings ?? [];
    return `in-cluster registry ${reg.pullHost}${w.length ? ` (${w.join('; ')})` : ''}`;
  }
  const who = reg.credentials?.username ? ` as "${reg.credentials.username}"${reg.credentialSource === 'docker-config' ? ' (from Docker\'s config)' : ''}` : reg.credentials ? ' with a token' : ' (anonymous)';
  return `${normaliseRegistryHost(reg.pullHost)}${who}${reg.insecure ? ', insecure' : ''}`;
}
