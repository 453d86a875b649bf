// The `registry.*` requests: which registry the project pushes to and its state, removing the
// in-cluster registry, and the user's registry logins (encrypted in the app's store). A login is
// checked against the registry before it is saved; passwords are never returned or logged.
import { CoreV1Api } from '@kubernetes/client-node';
import type { RegistryLogin } from '../../preload/api';
import type { ResolveProjectCluster } from '../app/projectCluster';
import type { ApiHandlers } from '../ipc/dispatch';
import type { EventBus } from '../ipc/events';
import { AppError } from '../ipc/errors';
import { makeApiClient } from '../kube/apiClient';
import { CredentialStore, fileKeySecretBox, type SecretBox } from './credentials';
import { dockerLogins } from './dockerLogins';
import { normaliseRegistryHost } from './imageRef';
import { projectSettings } from '../project/config/projectSettings';
import { InClusterRegistry, inClusterRegistryOptions } from './inClusterRegistry';
import { removePullSecrets } from './pullSecrets';
import { RegistryClient } from './registryClient';
import { providerHint, RegistryError } from './registryErrors';
import { registryStatus } from './registryStatus';

export interface RegistryHandlerDeps {
  events: EventBus;
  resolveProjectCluster: ResolveProjectCluster;
  log: (line: string) => void;
  dataDir: string;
  homeDir: string;
  env: Record<string, string | undefined>;
  /** Electron's safeStorage box; default the file-key box in dataDir. */
  secretBox?: SecretBox;
  /** The app's one credential store (shared with Up, so their writes queue behind each other); default one on secretBox. */
  store?: CredentialStore;
  /** Deadline per registry request (login check, tags). Default 15 s. */
  registryTimeoutMs?: number;
}

export type RegistryHandlers = Pick<ApiHandlers, 'registry.status' | 'registry.remove' | 'registry.logins' | 'registry.login' | 'registry.logout'>;

/** Keys the in-cluster registry keeps its own password under (`devspace-registry.<ns>@<server>`): not a user login. */
function isInClusterKey(host: string): boolean {
  return host.includes('@');
}

const HOST_PATTERN = /^(?:localhost|\[[0-9a-f:]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?$/;

export function createRegistryHandlers(deps: RegistryHandlerDeps): RegistryHandlers {
  const store = deps.store ?? new CredentialStore(deps.dataDir, deps.secretBox ?? fileKeySecretBox(deps.dataDir));
  const docker = { homeDir: deps.homeDir, env: deps.env };
  const timeout = deps.registryTimeoutMs ? { timeoutMs: deps.registryTimeoutMs } : {};

  const logins = async (): Promise<RegistryLogin[]> => {
    const app: RegistryLogin[] = (await store.list())
      .filter((l) => !isInClusterKey(l.host))
      .map((l) => ({ host: l.host, username: l.username, passwordMask: l.password, source: 'app' }));
    const fromDocker = await dockerLogins({ ...docker, log: deps.log });
    // The app's login wins over docker's for the same host (credentialsFor reads them in that order).
    return [...app, ...fromDocker.filter((d) => !app.some((a) => a.host === d.host))].sort((a, b) => a.host.localeCompare(b.host));
  };

  const login = async (input: { host: string; username: string; password: string; insecure?: boolean }): Promise<RegistryLogin> => {
    const host = normaliseRegistryHost(input.host);
    const username = input.username.trim();
    if (!host) throw new AppError('INVALID_ARGUMENT', 'Enter the registry host.', 'For example ghcr.io, docker.io or registry.example.com:5000.');
    if (!HOST_PATTERN.test(host) || input.host.includes('@')) {
      throw new AppError('INVALID_ARGUMENT', `"${input.host.trim()}" is not a registry host.`, 'Enter just the host (and port), e.g. ghcr.io or registry.example.com:5000; the user name goes in its own field.');
    }
    if (!username) throw new AppError('INVALID_ARGUMENT', `Enter the user name for ${host}.`);
    if (!input.password) throw new AppError('INVALID_ARGUMENT', `Enter the password or access token for ${host}.`);
    const client = new RegistryClient(host, { credentials: { username, password: input.password }, ...(input.insecure ? { insecure: true } : {}), ...timeout });
    try {
      await client.checkLogin();
    } catch (err) {
      if (err instanceof RegistryError && (err.problem === 'unauthorized' || err.problem === 'forbidden')) {
        throw new AppError('REGISTRY_UNAUTHORIZED', `${host} rejected the login of "${username}": wrong user name or password.`, providerHint(host), { cause: err });
      }
      throw err;
    }
    await store.set(host, { username, password: input.password });
    deps.log(`registry: saved the login of "${username}" for ${host}`);
    const saved = (await store.list()).find((l) => l.host === host);
    return { host, username, passwordMask: saved?.password ?? '••••••', source: 'app' };
  };

  const logout = async (hostInput: string): Promise<RegistryLogin[]> => {
    const host = normaliseRegistryHost(hostInput);
    if (!host || isInClusterKey(host)) throw new AppError('INVALID_ARGUMENT', `"${hostInput}" is not a registry login of the app.`);
    const deleted = await store.delete(host);
    if (!deleted && (await dockerLogins(docker)).some((l) => l.host === host)) {
      throw new AppError('NOT_FOUND', `The login for ${host} comes from Docker's config, not from the app.`, `Run "docker logout ${host}" to remove it there.`);
    }
    if (deleted) deps.log(`registry: removed the login for ${host}`);
    return logins();
  };

  const remove = async (): Promise<null> => {
    const pc = await deps.resolveProjectCluster();
    const registry = new InClusterRegistry(pc.kubeConfig, { store, ...inClusterRegistryOptions(projectSettings(pc.config).inClusterRegistry), ...timeout });
    const status = await registry.status();
    const pullHost = status.hostPort ? `localhost:${status.hostPort}` : registry.pullHost;
    await registry.remove();
    // Pull secrets Up made for this registry, in every namespace we may see (else the project's).
    const core = makeApiClient(pc.kubeConfig, CoreV1Api, {});
    let namespaces = [pc.namespace];
    try {
      const secrets = await core.listSecretForAllNamespaces({ labelSelector: 'app.kubernetes.io/managed-by=devspace-desktop,app.kubernetes.io/component=pull-secret' });
      const mine = secrets.items.filter((s) => s.metadata?.annotations?.['devspace.sh/registry'] === pullHost).map((s) => s.metadata?.namespace ?? '');
      namespaces = [...new Set([...mine.filter(Boolean), pc.namespace])];
    } catch (err) {
      deps.log(`registry: cannot list pull secrets in all namespaces (${(err as Error).message}); cleaning "${pc.namespace}" only`);
    }
    for (const ns of namespaces) await removePullSecrets(pc.kubeConfig, ns, [pullHost]);
    deps.log(`registry: removed the in-cluster registry in "${registry.namespace}" and its pull secrets in ${namespaces.join(', ')}`);
    return null;
  };

  return {
    'registry.status': async () => registryStatus(await deps.resolveProjectCluster(), { store, docker, ...timeout }),
    'registry.remove': () => remove(),
    'registry.logins': () => logins(),
    'registry.login': (input) => login(input),
    'registry.logout': (host) => logout(host),
  };
}
