// What the Registry panel shows: which registry the project pushes to (its settings), whether it
// is there and ready, and the tags of this project's image with the one the cluster runs marked.
// Read-only: nothing is created, the in-cluster registry is reached through a port-forward.
import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ProjectSettings, RegistryView } from '../../preload/api';
import type { ProjectCluster } from '../app/projectCluster';
import { AppError } from '../ipc/errors';
import { makeApiClient } from '../kube/apiClient';
import { projectSettings } from '../project/config/projectSettings';
import { projectNames } from '../up/upPipeline';
import { credentialsFor, type DockerConfigOptions } from './dockerConfig';
import { normaliseRegistryHost } from './imageRef';
import { InClusterRegistry, inClusterRegistryOptions, type RegistryPasswordStore } from './inClusterRegistry';
import { RegistryClient, type RegistryCredentials } from './registryClient';
import { RegistryError } from './registryErrors';
import { openRegistryTunnel } from './registryTunnel';

export interface RegistryStatusDeps {
  store: RegistryPasswordStore;
  docker: DockerConfigOptions;
  timeoutMs?: number;
}

const EMPTY_DIR_WARNING = 'The in-cluster registry keeps images in an emptyDir volume: pushed images are lost when its pod restarts (the next Up rebuilds and pushes them again).';

export async function registryStatus(pc: ProjectCluster, deps: RegistryStatusDeps): Promise<RegistryView> {
  const settings: ProjectSettings = projectSettings(pc.config);
  const { imageName } = projectNames(pc);
  return settings.registry.kind === 'external'
    ? externalStatus(pc, settings.registry, imageName, deps)
    : inClusterStatus(pc, imageName, settings, deps);
}

async function inClusterStatus(pc: ProjectCluster, imageName: string, settings: ProjectSettings, deps: RegistryStatusDeps): Promise<RegistryView> {
  const registry = new InClusterRegistry(pc.kubeConfig, { store: deps.store, ...inClusterRegistryOptions(settings.inClusterRegistry), ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  const s = await registry.status();
  const pullHost = s.hostPort ? `localhost:${s.hostPort}` : registry.pullHost;
  const base = { kind: 'in-cluster' as const, pushHost: registry.pushHost, pullHost, repository: `${pullHost}/${imageName}`, tags: [], warnings: [] as string[] };
  if (!s.deployed) {
    return { ...base, state: 'not-deployed', message: `The in-cluster registry is not deployed in namespace "${registry.namespace}".`, hint: 'The next Up deploys it (about a minute the first time).' };
  }
  const view: RegistryView = { ...base, state: 'starting', ...(s.storage ? { storage: s.storage } : {}), ...(s.proxy ? { nodes: { ready: s.proxy.ready, total: s.proxy.desired } } : {}) };
  if (s.storage === 'emptyDir') view.warnings.push(EMPTY_DIR_WARNING);
  if (!s.ready || !s.pod) {
    return { ...view, state: 'starting', message: `The in-cluster registry is not ready: ${s.state}.`, hint: `Look at its pod in namespace "${registry.namespace}"; Up waits for it.` };
  }
  if (!s.credentials) {
    return { ...view, state: 'unauthorized', message: 'The in-cluster registry has no password Secret and none is stored on this machine.', hint: 'Run Up to repair it, or remove the registry and let the next Up deploy it again.' };
  }
  let tunnel;
  try {
    tunnel = await openRegistryTunnel({ kubeConfig: pc.kubeConfig, namespace: registry.namespace, pod: s.pod });
  } catch (err) {
    return { ...view, state: 'unreachable', message: `Could not open a port-forward to the registry pod ${s.pod}: ${(err as Error).message}` };
  }
  try {
    const client = new RegistryClient(tunnel.host, { credentials: s.credentials, inCluster: { namespace: registry.namespace }, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
    return await withTags(view, client, imageName, pc, [`${pullHost}/${imageName}`, `${registry.pushHost}/${imageName}`]);
  } finally {
    await tunnel.close();
  }
}

async function externalStatus(pc: ProjectCluster, reg: { url: string; insecure: boolean }, imageName: string, deps: RegistryStatusDeps): Promise<RegistryView> {
  const host = normaliseRegistryHost(reg.url);
  const pathPart = reg.url.replace(/\/+$/, '').split('/').slice(1).join('/');
  const repoPath = pathPart ? `${pathPart}/${imageName}` : imageName;
  const view: RegistryView = { kind: 'external', pushHost: host, pullHost: host, repository: `${host}/${repoPath}`, state: 'starting', tags: [], warnings: [] };
  let credentials: RegistryCredentials | undefined;
  try {
    credentials = await credentialsFor(host, { store: deps.store, docker: deps.docker });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    view.warnings.push(err.message);
  }
  const client = new RegistryClient(host, { ...(credentials ? { credentials } : {}), insecure: reg.insecure, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  return withTags(view, client, repoPath, pc, [`${host}/${repoPath}`, `${reg.url.replace(/\/+$/, '')}/${imageName}`]);
}

/** Login check + tags list; registry failures become the view's state, message and hint. */
async function withTags(view: RegistryView, client: RegistryClient, repository: string, pc: ProjectCluster, imageRepos: string[]): Promise<RegistryView> {
  try {
    await client.checkLogin();
    const tags = await client.tags(repository);
    const current = await deployedTag(pc, imageRepos).catch(() => undefined);
    // The registry lists tags by name; build tags are content hashes, so the running one goes first.
    const sorted = [...tags].sort((a, b) => (a === current ? -1 : b === current ? 1 : a.localeCompare(b)));
    return { ...view, state: 'ready', tags: sorted.map((tag) => ({ tag, current: tag === current })) };
  } catch (err) {
    if (!(err instanceof RegistryError)) throw err;
    const state: RegistryView['state'] = err.problem === 'unauthorized' || err.problem === 'forbidden' ? 'unauthorized' : err.problem === 'unreachable' || err.problem === 'timeout' ? 'unreachable' : 'error';
    return { ...view, state, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  }
}

/** The tag of this project's image that a Deployment in the project's namespace runs (what the last Up deployed). */
async function deployedTag(pc: ProjectCluster, imageRepos: string[]): Promise<string | undefined> {
  const apps = makeApiClient(pc.kubeConfig as KubeConfig, AppsV1Api, {});
  const list = await apps.listNamespacedDeployment({ namespace: pc.namespace });
  for (const d of list.items) {
    for (const c of [...(d.spec?.template?.spec?.containers ?? []), ...(d.spec?.template?.spec?.initContainers ?? [])]) {
      const image = c.image ?? '';
      const at = image.lastIndexOf(':');
      if (at <= image.lastIndexOf('/')) continue;
      if (imageRepos.includes(image.slice(0, at))) return image.slice(at + 1);
    }
  }
  return undefined;
}
