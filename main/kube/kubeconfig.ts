// The user's kubeconfig, read exactly like kubectl reads it: which files (KUBECONFIG or
// ~/.kube/config), how several files merge (client-go's clientcmd rules), and a client-node
// KubeConfig per context from which every API client of the app is made.
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeContextInfo } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { toClientKubeConfig } from './clientKubeConfig';
import { parseKubeconfigFile, type KubeconfigCluster, type KubeconfigContextEntry, type KubeconfigUser } from './kubeconfigFile';

/** KUBECONFIG split on the platform's delimiter (empty entries dropped, duplicates removed, order kept), else ~/.kube/config. */
export function kubeconfigPaths(env: Record<string, string | undefined>, homeDir: string): string[] {
  const fromEnv = (env['KUBECONFIG'] ?? '').split(path.delimiter).filter((p) => p !== '');
  if (fromEnv.length > 0) return [...new Set(fromEnv)];
  return [path.join(homeDir, '.kube', 'config')];
}

export interface LoadedKubeconfig {
  /** Files actually read, in order. */
  sources: string[];
  currentContext?: string;
  /** Sorted by name, like `kubectl config get-contexts`. */
  contexts: KubeContextInfo[];
  /**
   * A @kubernetes/client-node KubeConfig for one context (default: current), ready to make API
   * clients. The same object is returned for the same context, so exec-plugin and OIDC tokens are
   * cached between calls — so do not change it (e.g. setCurrentContext); ask for another context
   * instead. Throws AppError CONTEXT_MISSING or KUBECONFIG_INVALID.
   */
  kubeConfig(context?: string): KubeConfig;
}

export interface LoadKubeconfigOptions {
  readFile?: (p: string) => Promise<string>;
  /** When given, messages show paths under it as ~/… */
  homeDir?: string;
}

export async function loadKubeconfig(paths: string[], opts: LoadKubeconfigOptions = {}): Promise<LoadedKubeconfig> {
  const readFile = opts.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  const show = (p: string) => displayPath(p, opts.homeDir);
  const sources: string[] = [];
  // client-go's rule: for each map the FIRST file that defines a name wins, whole entry.
  const clusters = new Map<string, KubeconfigCluster>();
  const users = new Map<string, KubeconfigUser>();
  const contexts = new Map<string, KubeconfigContextEntry>();
  let currentContext: string | undefined;

  for (const file of paths) {
    let text: string;
    try {
      text = await readFile(file);
    } catch (err) {
      // kubectl skips KUBECONFIG entries that do not exist.
      if (isMissingFile(err)) continue;
      const reason = (err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (err as Error).message;
      throw new AppError('KUBECONFIG_INVALID', `Cannot read ${show(file)}: ${reason}`, 'Check that the file is a readable kubeconfig, or remove it from KUBECONFIG.', { cause: err });
    }
    const parsed = parseKubeconfigFile(text, file, show(file));
    sources.push(file);
    currentContext ??= parsed.currentContext;
    for (const c of parsed.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of parsed.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of parsed.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
  }

  if (sources.length === 0) {
    const what = paths.length === 1 ? `${show(paths[0]!)} does not exist` : `none of the KUBECONFIG files exist (${paths.map(show).join(', ')})`;
    throw new AppError('KUBECONFIG_MISSING', `No kubeconfig found: ${what}.`, "Create one with your cluster provider's CLI, or set KUBECONFIG.");
  }

  const names = [...contexts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const infos: KubeContextInfo[] = names.map((name) => {
    const c = contexts.get(name)!;
    const server = clusters.get(c.cluster)?.server;
    return { name, cluster: c.cluster, user: c.user, ...(c.namespace ? { namespace: c.namespace } : {}), ...(server ? { server } : {}) };
  });

  const readFileForAuth = readFile;
  const made = new Map<string, KubeConfig>();
  const kubeConfig = (name?: string): KubeConfig => {
    const wanted = name ?? currentContext;
    if (!wanted) {
      throw new AppError('CONTEXT_MISSING', 'No context is selected and the kubeconfig sets no current-context.', contextHint(names));
    }
    const cached = made.get(wanted);
    if (cached) return cached;
    const context = contexts.get(wanted);
    if (!context) throw new AppError('CONTEXT_MISSING', `The context "${wanted}" is not in the kubeconfig.`, contextHint(names));
    const cluster = clusters.get(context.cluster);
    if (!context.cluster || !cluster) {
      throw new AppError(
        'KUBECONFIG_INVALID',
        context.cluster ? `The context "${wanted}" names the cluster "${context.cluster}", which is not in the kubeconfig.` : `The context "${wanted}" names no cluster.`,
        `Add the cluster under clusters: or fix contexts[].context.cluster (files read: ${sources.map(show).join(', ')}).`,
      );
    }
    if (!cluster.server) {
      throw new AppError('KUBECONFIG_INVALID', `The cluster "${cluster.name}" has no server address.`, 'Set clusters[].cluster.server to the API server URL, e.g. https://host:6443.');
    }
    const user = context.user ? users.get(context.user) : undefined;
    if (context.user && !user) {
      throw new AppError(
        'KUBECONFIG_INVALID',
        `The context "${wanted}" names the user "${context.user}", which is not in the kubeconfig.`,
        `Add the user under users: or fix contexts[].context.user (files read: ${sources.map(show).join(', ')}).`,
      );
    }
    const kc = toClientKubeConfig(context, { ...cluster, server: cluster.server }, user, readFileForAuth);
    made.set(wanted, kc);
    return kc;
  };

  return { sources, ...(currentContext ? { currentContext } : {}), contexts: infos, kubeConfig };
}

function contextHint(names: string[]): string {
  if (names.length === 0) return "The kubeconfig has no contexts: create one with your cluster provider's CLI.";
  const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')} … (${names.length} in all)` : names.join(', ');
  return `Pick one of the available contexts: ${shown} (or run 'kubectl config get-contexts').`;
}

function isMissingFile(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function displayPath(p: string, homeDir: string | undefined): string {
  if (!homeDir) return p;
  const rel = path.relative(homeDir, p);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return p;
  return `~${path.sep}${rel}`;
}
