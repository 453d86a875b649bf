// The main process's implementation of the contract (preload/api.ts), shared by both transports.
import os from 'node:os';
import type { ClusterStatus, KubeContexts, ProjectInfo, ProjectSelection, RecentProject } from '../../preload/api';
import { listFolder, normaliseAbsolute } from '../fs/folderListing';
import type { ApiHandlers } from '../ipc/dispatch';
import { AppError } from '../ipc/errors';
import { type LoadedKubeconfig, kubeconfigPaths, loadKubeconfig } from '../kube/kubeconfig';
import { clusterStatus, listNamespaces } from '../kube/status';
import { createLogHandlers } from '../logs/logHandlers';
import { createPortHandlers } from '../ports/portHandlers';
import { inspectProject, projectProblem } from '../project/projectFolder';
import { createTerminalHandlers } from '../terminal/terminalHandlers';
import { CredentialStore, fileKeySecretBox } from '../registry/credentials';
import { createUpHandlers } from '../up/upHandlers';
import { createDeployHandlers } from '../deploy/deployHandlers';
import { createRegistryHandlers } from '../registry/registryHandlers';
import { createSettingsHandlers } from '../project/settingsHandlers';
import { createAppStateStore, touchRecent } from './appState';
import { type ResolveProjectCluster, resolveProjectCluster } from './projectCluster';
import type { AppContext } from './context';

export interface AppHandlers extends ApiHandlers {
  /** Opens a project on behalf of the app itself (menu, second instance, command line). */
  openProjectPath(path: string): Promise<ProjectInfo>;
  /** Stops terminals, port forwards and log streams (app quit, host stop). */
  dispose(): Promise<void>;
}

export function createHandlers(ctx: AppContext): AppHandlers {
  const store = createAppStateStore(ctx.dataDir, ctx.log);
  let current: ProjectInfo | null = null;

  const loadConfig = (): Promise<LoadedKubeconfig> => loadKubeconfig(kubeconfigPaths(ctx.env, ctx.homeDir), { homeDir: ctx.homeDir });

  const selectionFor = async (projectPath: string): Promise<ProjectSelection> => (await store.read()).projects[projectPath] ?? {};

  const openProject = async (requested: string): Promise<ProjectInfo> => {
    const dir = normaliseAbsolute(requested);
    const info = await inspectProject(dir, await selectionFor(dir));
    if (current && current.path !== info.path) await leaveProject();
    await store.update((s) => touchRecent(s, info.path, ctx.now()));
    current = info;
    ctx.events.emit('project.changed', info);
    return info;
  };

  const recents = async (): Promise<RecentProject[]> => {
    const state = await store.read();
    return Promise.all(
      state.recents.map(async (e) => {
        const problem = await projectProblem(e.path);
        const name = e.path.split(/[\\/]/).filter(Boolean).pop() ?? e.path;
        return { path: e.path, name, lastOpened: e.lastOpened, available: !problem, ...(problem ? { problem } : {}) };
      }),
    );
  };

  const projectCluster: ResolveProjectCluster = async () => resolveProjectCluster(current, current ? await selectionFor(current.path) : {}, loadConfig);
  // One store for every registry password (the in-cluster registry's, the user's logins): its writes
  // are queued, and two stores on the same file could lose one another's.
  const credentials = new CredentialStore(ctx.dataDir, ctx.secretBox ?? fileKeySecretBox(ctx.dataDir));
  const featureDeps = { events: ctx.events, resolveProjectCluster: projectCluster, log: ctx.log };
  const { dispose: disposeTerminals, ...terminals } = createTerminalHandlers({ ...featureDeps, now: ctx.now });
  const { dispose: disposePorts, ...ports } = createPortHandlers(featureDeps);
  const { dispose: disposeLogs, ...logs } = createLogHandlers(featureDeps);
  const { dispose: disposeUp, ...up } = createUpHandlers({
    ...featureDeps,
    dataDir: ctx.dataDir,
    env: ctx.env,
    homeDir: ctx.homeDir || os.homedir(),
    startPorts: async () => ports['ports.start'](),
    registryStore: credentials,
    // The first Up wrote config.yaml (and a Dockerfile, chart): every window shows the project anew.
    projectFilesChanged: async () => {
      if (!current) return;
      current = await inspectProject(current.path, await selectionFor(current.path));
      ctx.events.emit('project.changed', current);
    },
    // up.stop: the dev-container sessions end; the deployment keeps running.
    stopSessions: async () => {
      await Promise.allSettled([ports['ports.stop'](), disposeTerminals(), disposeLogs()]);
    },
  });
  const deployHandlers = createDeployHandlers(featureDeps);
  const registry = createRegistryHandlers({
    ...featureDeps,
    dataDir: ctx.dataDir,
    homeDir: ctx.homeDir || os.homedir(),
    env: ctx.env,
    store: credentials,
  });
  const settings = createSettingsHandlers({ events: ctx.events, currentProject: () => current, log: ctx.log });
  // Terminals and log streams belong to the open project: another project closes them.
  const leaveProject = async () => {
    await Promise.allSettled([disposeTerminals(), disposeLogs()]);
  };

  const status = async (context?: string, namespace?: string): Promise<ClusterStatus> => {
    let config: LoadedKubeconfig;
    try {
      config = await loadConfig();
    } catch (err) {
      if (err instanceof AppError) return { state: 'error', ...(context ? { context } : {}), error: err.toApiError() };
      throw err;
    }
    const sel = current ? await selectionFor(current.path) : {};
    const ctxName = context ?? sel.context ?? config.currentContext;
    const ns = namespace ?? (ctxName === sel.context ? sel.namespace : undefined);
    return clusterStatus(config, ctxName, ns);
  };

  return {
    ...terminals,
    ...ports,
    ...logs,
    ...up,
    ...deployHandlers,
    ...registry,
    ...settings,
    openProjectPath: openProject,
    dispose: async () => {
      await Promise.allSettled([disposeUp(), disposeTerminals(), disposePorts(), disposeLogs()]);
    },

    'app.info': () => ({
      version: ctx.version,
      mode: ctx.mode,
      platform: process.platform,
      homeDir: ctx.homeDir || os.homedir(),
      dataDir: ctx.dataDir,
    }),

    'projects.pick': async () => {
      if (!ctx.pickFolder) {
        throw new AppError('INVALID_ARGUMENT', 'There is no native folder dialog in browser mode.', 'Use the folder browser to pick a project.');
      }
      const picked = await ctx.pickFolder();
      return picked ? openProject(picked) : null;
    },
    'projects.open': (path) => openProject(path),
    'projects.current': () => current,
    'projects.close': async () => {
      await leaveProject();
      current = null;
      ctx.events.emit('project.changed', null);
      return null;
    },
    'projects.recent': () => recents(),
    'projects.removeRecent': async (path) => {
      await store.update((s) => ({ ...s, recents: s.recents.filter((e) => e.path !== path) }));
      return recents();
    },

    'fs.list': (path, options) => listFolder(path, options ?? {}),

    'cluster.contexts': async (): Promise<KubeContexts> => {
      const config = await loadConfig();
      return {
        sources: config.sources,
        ...(config.currentContext ? { currentContext: config.currentContext } : {}),
        contexts: config.contexts,
      };
    },
    'cluster.namespaces': async (context) => listNamespaces(await loadConfig(), context),
    'cluster.status': (context, namespace) => status(context, namespace),
    'cluster.select': async (selection) => {
      if (!current) throw new AppError('NO_PROJECT', 'Open a project first.', 'The cluster choice is remembered per project.');
      const projectPath = current.path;
      const clean: ProjectSelection = {
        ...(selection.context ? { context: selection.context } : {}),
        ...(selection.namespace ? { namespace: selection.namespace } : {}),
      };
      await store.update((s) => ({ ...s, projects: { ...s.projects, [projectPath]: clean } }));
      current = { ...current, selection: clean };
      ctx.events.emit('project.changed', current);
      return status(clean.context, clean.namespace);
    },
  };
}
