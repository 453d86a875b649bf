// A small pretend machine for looking at the UI without the real host (vite dev server +
// dev/preview.html): a home folder with a few projects and a kubeconfig whose behaviour is
// picked by the URL (?kube=ok|unreachable|missing|rbac&project=my-app). Not part of the build.
import type { ApiError, ClusterStatus, DirEntry, KubeContexts, ProjectInfo, RecentProject } from '../../preload/api';
import { createFakeBridge, FakeFailure, type FakeBridge } from './fakeBridge';

const HOME = '/home/dev';

const TREE: Record<string, string[]> = {
  [HOME]: ['.bashrc', '.kube/', 'Documents/', 'Downloads/', 'projects/', 'notes.txt'],
  [`${HOME}/.kube`]: ['config'],
  [`${HOME}/Documents`]: [],
  [`${HOME}/Downloads`]: ['installer.deb'],
  [`${HOME}/projects`]: ['my-app/', 'billing-service/', 'website/', 'README.md'],
  [`${HOME}/projects/my-app`]: ['.devspace/', 'chart/', 'src/', 'Dockerfile', 'package.json'],
  [`${HOME}/projects/billing-service`]: ['cmd/', 'go.mod', 'main.go'],
  [`${HOME}/projects/website`]: ['index.html'],
  '/home': ['dev/'],
  '/': ['home/', 'etc/', 'tmp/'],
};

const unreachable = (server: string): ApiError => ({
  code: 'CLUSTER_UNREACHABLE',
  message: `Cannot reach the cluster at ${server}: connection refused.`,
  hint: 'Check that the cluster is running and that you are on the right network or VPN.',
});

export function createDemoBridge(params: URLSearchParams): FakeBridge {
  const kube = params.get('kube') ?? 'ok';
  const contexts: KubeContexts = {
    sources: [`${HOME}/.kube/config`],
    currentContext: 'dev-cluster',
    contexts: [
      { name: 'dev-cluster', cluster: 'dev', user: 'dev-admin', namespace: 'team-a', server: 'https://dev.k8s.example.com:6443' },
      { name: 'staging', cluster: 'staging', user: 'ci', server: 'https://127.0.0.1:1' },
    ],
  };
  const projects = new Map<string, ProjectInfo>();
  let current: ProjectInfo | null = null;
  let recents: RecentProject[] = [
    { path: `${HOME}/projects/billing-service`, name: 'billing-service', lastOpened: new Date(Date.now() - 3 * 3600e3).toISOString(), available: true },
    { path: `${HOME}/projects/website`, name: 'website', lastOpened: new Date(Date.now() - 4 * 86400e3).toISOString(), available: true },
    { path: `${HOME}/old/prototype`, name: 'prototype', lastOpened: new Date(Date.now() - 40 * 86400e3).toISOString(), available: false, problem: 'Folder no longer exists' },
  ];

  const open = (path: string): ProjectInfo => {
    const entries = TREE[path];
    if (!entries) throw new FakeFailure({ code: 'NOT_FOUND', message: `The folder ${path} does not exist.`, hint: 'Pick another folder.' });
    const project = projects.get(path) ?? {
      path,
      name: path.split('/').pop() ?? path,
      hasDevspaceConfig: entries.includes('.devspace/'),
      hasDockerfile: entries.includes('Dockerfile'),
      hasChart: entries.includes('chart/'),
      selection: {},
    };
    projects.set(path, project);
    current = project;
    recents = [{ path, name: project.name, lastOpened: new Date().toISOString(), available: true }, ...recents.filter((r) => r.path !== path)];
    return project;
  };

  const status = (context?: string, namespace?: string): ClusterStatus => {
    const ctx = contexts.contexts.find((c) => c.name === context);
    if (!ctx) return { state: 'error', error: { code: 'CONTEXT_MISSING', message: `The context "${context}" is not in your kubeconfig.` } };
    if (kube === 'unreachable' || ctx.name === 'staging') return { state: 'error', context: ctx.name, server: ctx.server, error: unreachable(ctx.server!) };
    return { state: 'connected', context: ctx.name, server: ctx.server!, version: 'v1.32.1', namespace: namespace ?? 'default' };
  };

  const initial = params.get('project');
  if (initial) open(`${HOME}/projects/${initial}`);

  return createFakeBridge({
    'app.info': () => ({ version: '0.1.0-dev', mode: 'browser', platform: 'linux', homeDir: HOME, dataDir: `${HOME}/.config/devspace-desktop` }),
    'projects.current': () => current,
    'projects.recent': () => recents,
    'projects.open': (path) => open(path),
    'projects.removeRecent': (path) => (recents = recents.filter((r) => r.path !== path)),
    'fs.list': (path, options) => {
      const names = TREE[path.replace(/\/+$/, '') || '/'];
      if (!names) throw new FakeFailure({ code: 'NOT_FOUND', message: `The folder ${path} does not exist.`, hint: 'Check the path for typos.' });
      const entries: DirEntry[] = names
        .map((n) => ({ name: n.replace(/\/$/, ''), kind: n.endsWith('/') ? ('dir' as const) : ('file' as const) }))
        .map((e) => ({ ...e, path: `${path === '/' ? '' : path}/${e.name}`, hidden: e.name.startsWith('.') }))
        .filter((e) => options?.showHidden || !e.hidden);
      const parent = path === '/' ? null : path.slice(0, path.lastIndexOf('/')) || '/';
      return { path, parent, entries, looksLikeProject: names.some((n) => ['Dockerfile', 'package.json', 'go.mod', 'chart/'].includes(n)) };
    },
    'cluster.contexts': () => {
      if (kube === 'missing')
        throw new FakeFailure({ code: 'KUBECONFIG_MISSING', message: `No kubeconfig found at ${HOME}/.kube/config.`, hint: 'Set KUBECONFIG or create ~/.kube/config, e.g. with your cloud provider\'s CLI.' });
      return contexts;
    },
    'cluster.namespaces': (context) => {
      if (kube === 'unreachable' || context === 'staging') throw new FakeFailure(unreachable('https://127.0.0.1:1'));
      if (kube === 'rbac') return { namespaces: [], canList: false };
      return { namespaces: ['default', 'kube-system', 'team-a', 'team-b'], canList: true };
    },
    'cluster.status': (context, namespace) => status(context, namespace),
    'cluster.select': (selection) => {
      if (current) current.selection = selection;
      return status(selection.context, selection.namespace);
    },
  });
}
