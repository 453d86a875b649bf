// The store driven through our own contract: a fake bridge answers the requests.
import { describe, expect, it, vi } from 'vitest';
import type { ClusterStatus, KubeContexts, ProjectInfo, RecentProject } from '../../preload/api';
import { createApi } from '../api/client';
import { createFakeBridge, FakeFailure, type FakeHandlers } from '../dev/fakeBridge';
import { connectEvents, createAppStore } from './appStore';

const HOME = '/home/dev';

const contexts: KubeContexts = {
  sources: [`${HOME}/.kube/config`],
  currentContext: 'alpha',
  contexts: [
    { name: 'alpha', cluster: 'a', user: 'u', namespace: 'team-a', server: 'https://127.0.0.1:1' },
    { name: 'beta', cluster: 'b', user: 'u', server: 'https://127.0.0.1:2' },
  ],
};

const project = (name: string, selection: ProjectInfo['selection'] = {}): ProjectInfo => ({
  path: `${HOME}/projects/${name}`,
  name,
  hasDevspaceConfig: false,
  hasDockerfile: true,
  hasChart: false,
  selection,
});

const connected = (context: string, namespace: string): ClusterStatus => ({ state: 'connected', context, namespace, server: `https://${context}`, version: '1.32.1' });

function setup(handlers: FakeHandlers = {}) {
  const recents: RecentProject[] = [];
  const bridge = createFakeBridge({
    'app.info': () => ({ version: '1', mode: 'browser', platform: 'linux', homeDir: HOME, dataDir: '/data' }),
    'projects.current': () => null,
    'projects.recent': () => recents,
    'projects.open': (path) => {
      if (!path.startsWith(`${HOME}/projects/`)) throw new FakeFailure({ code: 'NOT_FOUND', message: `The folder ${path} does not exist.`, hint: 'Pick another folder.' });
      const p = project(path.split('/').pop()!);
      recents.unshift({ path, name: p.name, lastOpened: '2026-01-01T00:00:00Z', available: true });
      return p;
    },
    'projects.removeRecent': (path) => {
      recents.splice(0, recents.length, ...recents.filter((r) => r.path !== path));
      return recents;
    },
    'cluster.contexts': () => contexts,
    'cluster.namespaces': () => ({ namespaces: ['default', 'team-a'], canList: true }),
    'cluster.status': (context, namespace) => connected(context!, namespace!),
    'cluster.select': (s) => connected(s.context!, s.namespace!),
    ...handlers,
  });
  const api = createApi(bridge);
  const store = createAppStore(api);
  connectEvents(api, store);
  const callsTo = (method: string) => bridge.calls.filter(([m]) => m === method).map(([, args]) => args);
  return { bridge, store, callsTo };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('opening projects', () => {
  it('starts on the welcome screen with the recent projects when none is open', async () => {
    const { store } = setup({ 'projects.recent': () => [{ path: '/gone', name: 'gone', lastOpened: '2026-01-01T00:00:00Z', available: false, problem: 'Folder no longer exists' }] });
    await store.getState().start();
    const s = store.getState();
    expect(s.started).toBe(true);
    expect(s.project).toBeNull();
    expect(s.recents.map((r) => [r.name, r.available, r.problem])).toEqual([['gone', false, 'Folder no longer exists']]);
  });

  it('shows the project the app already has open, with its cluster', async () => {
    const { store } = setup({ 'projects.current': () => project('my-app', { context: 'beta', namespace: 'web' }) });
    await store.getState().start();
    await vi.waitFor(() => expect(store.getState().cluster.status?.state).toBe('connected'));
    expect(store.getState().project?.name).toBe('my-app');
    expect(store.getState().cluster).toMatchObject({ context: 'beta', namespace: 'web' });
  });

  it('opens a folder, lists it in recents and checks the kubeconfig current context in its namespace', async () => {
    const { store, callsTo } = setup();
    await store.getState().start();
    expect(await store.getState().openProject(`${HOME}/projects/my-app`)).toBeNull();
    await vi.waitFor(() => expect(store.getState().cluster.checking).toBe(false));
    const s = store.getState();
    expect(s.project?.path).toBe(`${HOME}/projects/my-app`);
    expect(s.recents.map((r) => r.name)).toEqual(['my-app']);
    expect(s.cluster.context).toBe('alpha');
    expect(s.cluster.namespace).toBe('team-a');
    // Opening only looks: nothing is saved for the project until the user picks.
    expect(callsTo('cluster.status')).toEqual([['alpha', 'team-a']]);
    expect(callsTo('cluster.select')).toEqual([]);
  });

  it('keeps a failed open as a message naming the folder, and stays on the welcome screen', async () => {
    const { store } = setup();
    await store.getState().start();
    const error = await store.getState().openProject('/tmp/deleted');
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'The folder /tmp/deleted does not exist.', hint: 'Pick another folder.' });
    expect(store.getState().project).toBeNull();
    expect(store.getState().openFailure).toEqual({ path: '/tmp/deleted', error });
  });

  it('turns an unexpected failure into a one-line message, never a stack trace', async () => {
    const { store } = setup({
      'projects.open': () => {
        throw new Error('boom\n    at secret (/internal.js:1:1)');
      },
    });
    await store.getState().start();
    // A handler that throws something other than FakeFailure breaks the bridge itself, like a transport bug.
    const error = await store.getState().openProject(`${HOME}/projects/x`);
    expect(error?.code).toBe('INTERNAL');
    expect(error?.message).toBe('boom');
  });

  it('removes a recent project, and forgets the failure message about it', async () => {
    const { store } = setup();
    await store.getState().start();
    await store.getState().openProject(`${HOME}/projects/a`);
    await store.getState().openProject(`${HOME}/projects/b`);
    store.getState().closeProject();
    await store.getState().openProject('/tmp/c');
    expect(store.getState().openFailure?.path).toBe('/tmp/c');
    await store.getState().removeRecent(`${HOME}/projects/a`);
    expect(store.getState().recents.map((r) => r.name)).toEqual(['b']);
    expect(store.getState().openFailure?.path).toBe('/tmp/c');
    await store.getState().removeRecent('/tmp/c');
    expect(store.getState().openFailure).toBeNull();
  });

  it('closing goes back to the welcome screen and clears the cluster panel', async () => {
    const { store } = setup();
    await store.getState().start();
    await store.getState().openProject(`${HOME}/projects/a`);
    await vi.waitFor(() => expect(store.getState().cluster.status).not.toBeNull());
    store.getState().closeProject();
    expect(store.getState().project).toBeNull();
    expect(store.getState().cluster.contexts).toBeNull();
    expect(store.getState().cluster.status).toBeNull();
  });

  it('"Open project…" uses the native dialog in Electron', async () => {
    const { store, callsTo } = setup({
      'app.info': () => ({ version: '1', mode: 'electron', platform: 'linux', homeDir: HOME, dataDir: '/data' }),
      'projects.pick': () => project('picked'),
    });
    await store.getState().start();
    await store.getState().pickProject();
    expect(callsTo('projects.pick')).toHaveLength(1);
    expect(store.getState().folderBrowserOpen).toBe(false);
    expect(store.getState().project?.name).toBe('picked');
  });

  it('"Open project…" opens the folder browser in a browser, and a successful open closes it', async () => {
    const { store, callsTo } = setup();
    await store.getState().start();
    await store.getState().pickProject();
    expect(callsTo('projects.pick')).toEqual([]);
    expect(store.getState().folderBrowserOpen).toBe(true);
    await store.getState().openProject(`${HOME}/projects/my-app`);
    expect(store.getState().folderBrowserOpen).toBe(false);
  });

  it('a cancelled native dialog changes nothing', async () => {
    const { store } = setup({
      'app.info': () => ({ version: '1', mode: 'electron', platform: 'linux', homeDir: HOME, dataDir: '/data' }),
      'projects.pick': () => null,
    });
    await store.getState().start();
    await store.getState().pickProject();
    expect(store.getState().project).toBeNull();
    expect(store.getState().openFailure).toBeNull();
  });
});

describe('the cluster panel', () => {
  async function openedProject(handlers: FakeHandlers = {}, selection: ProjectInfo['selection'] = {}) {
    const t = setup({ 'projects.current': () => project('my-app', selection), ...handlers });
    await t.store.getState().start();
    await vi.waitFor(() => expect(t.store.getState().cluster.loadingContexts || t.store.getState().cluster.checking).toBe(false));
    return t;
  }

  it('explains a missing kubeconfig instead of offering contexts', async () => {
    const missing = { code: 'KUBECONFIG_MISSING' as const, message: 'No kubeconfig found at /home/dev/.kube/config.', hint: 'Set KUBECONFIG.' };
    const { store, callsTo } = await openedProject({
      'cluster.contexts': () => {
        throw new FakeFailure(missing);
      },
    });
    expect(store.getState().cluster.contextsError).toEqual(missing);
    expect(store.getState().cluster.contexts).toBeNull();
    expect(callsTo('cluster.status')).toEqual([]);
  });

  it('switching context saves it with that context’s default namespace and shows the new status', async () => {
    const unreachable = { code: 'CLUSTER_UNREACHABLE' as const, message: 'Cannot reach https://127.0.0.1:2.', hint: 'Is the cluster running?' };
    const { store, callsTo } = await openedProject({ 'cluster.select': (s) => ({ state: 'error', context: s.context, error: unreachable }) });
    await store.getState().chooseContext('beta');
    expect(callsTo('cluster.select')).toEqual([[{ context: 'beta', namespace: 'default' }]]);
    expect(store.getState().cluster.status).toEqual({ state: 'error', context: 'beta', error: unreachable });
    expect(store.getState().project?.selection).toEqual({ context: 'beta', namespace: 'default' });
  });

  it('a failing select call is shown as the status, with its message and hint', async () => {
    const { store } = await openedProject({
      'cluster.select': () => {
        throw new FakeFailure({ code: 'NO_PROJECT', message: 'No project is open.', hint: 'Open a project first.' });
      },
    });
    await store.getState().chooseNamespace('web');
    expect(store.getState().cluster.status).toEqual({ state: 'error', context: 'alpha', error: { code: 'NO_PROJECT', message: 'No project is open.', hint: 'Open a project first.' } });
  });

  it('a slow answer for a context the user already left does not overwrite the newer one', async () => {
    const slow = deferred<ClusterStatus>();
    const { store } = await openedProject({
      'cluster.select': (s) => (s.context === 'beta' ? slow.promise : connected(s.context!, s.namespace!)),
    });
    const toBeta = store.getState().chooseContext('beta');
    await store.getState().chooseContext('alpha');
    slow.resolve(connected('beta', 'default'));
    await toBeta;
    expect(store.getState().cluster.context).toBe('alpha');
    expect(store.getState().cluster.status).toMatchObject({ state: 'connected', context: 'alpha' });
  });

  it('typed namespaces are trimmed, and an empty one is ignored', async () => {
    const { store, callsTo } = await openedProject({ 'cluster.namespaces': () => ({ namespaces: [], canList: false }) });
    await store.getState().chooseNamespace('   ');
    await store.getState().chooseNamespace('  web  ');
    expect(callsTo('cluster.select')).toEqual([[{ context: 'alpha', namespace: 'web' }]]);
    expect(store.getState().cluster.namespaces).toEqual({ namespaces: [], canList: false });
  });

  it('keeps a saved context that left the kubeconfig, so the status can say so', async () => {
    const { store } = await openedProject(
      { 'cluster.status': (context) => ({ state: 'error', context, error: { code: 'CONTEXT_MISSING', message: `The context "${context}" is not in your kubeconfig.` } }) },
      { context: 'gone', namespace: 'x' },
    );
    expect(store.getState().cluster.context).toBe('gone');
    expect(store.getState().cluster.status).toMatchObject({ state: 'error', error: { code: 'CONTEXT_MISSING' } });
  });

  it('Retry reads the kubeconfig again, so a kubeconfig written since is picked up', async () => {
    let written = false;
    const { store } = await openedProject({
      'cluster.contexts': () => {
        if (!written) throw new FakeFailure({ code: 'KUBECONFIG_MISSING', message: 'No kubeconfig.' });
        return contexts;
      },
    });
    expect(store.getState().cluster.contextsError?.code).toBe('KUBECONFIG_MISSING');
    written = true;
    await store.getState().retryCluster();
    expect(store.getState().cluster.contextsError).toBeNull();
    expect(store.getState().cluster.status).toMatchObject({ state: 'connected', context: 'alpha' });
  });
});

describe('pushed events', () => {
  it('follows project.changed, including back to no project', async () => {
    const { bridge, store } = setup();
    await store.getState().start();
    bridge.emit('project.changed', project('from-menu'));
    await vi.waitFor(() => expect(store.getState().cluster.status).not.toBeNull());
    expect(store.getState().project?.name).toBe('from-menu');
    bridge.emit('project.changed', null);
    expect(store.getState().project).toBeNull();
  });

  it('menu "open-project" opens the picker', async () => {
    const { bridge, store } = setup();
    await store.getState().start();
    bridge.emit('menu.command', { command: 'open-project' });
    await vi.waitFor(() => expect(store.getState().folderBrowserOpen).toBe(true));
  });

  it('cluster.contextsChanged shows the new contexts and checks again', async () => {
    const { bridge, store, callsTo } = setup({ 'projects.current': () => project('my-app') });
    await store.getState().start();
    await vi.waitFor(() => expect(store.getState().cluster.status).not.toBeNull());
    const changed: KubeContexts = { ...contexts, contexts: [...contexts.contexts, { name: 'gamma', cluster: 'g', user: 'u' }] };
    bridge.emit('cluster.contextsChanged', changed);
    await vi.waitFor(() => expect(store.getState().cluster.contexts?.contexts.map((c) => c.name)).toEqual(['alpha', 'beta', 'gamma']));
    await vi.waitFor(() => expect(callsTo('cluster.status')).toHaveLength(2));
  });

  it('after a lost connection comes back, refreshes what may have changed meanwhile', async () => {
    const { store, callsTo } = setup();
    await store.getState().start();
    store.getState().setConnected(false);
    expect(store.getState().connected).toBe(false);
    const before = callsTo('projects.recent').length;
    store.getState().setConnected(true);
    await vi.waitFor(() => expect(callsTo('projects.recent').length).toBe(before + 1));
    expect(store.getState().connected).toBe(true);
  });
});
