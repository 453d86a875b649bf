// What every cluster feature of an open project needs: the project, an API client configuration
// for the context chosen for it, the namespace, and its .devspace/config.yaml (if any).
import type { KubeConfig } from '@kubernetes/client-node';
import type { ProjectInfo, ProjectSelection } from '../../preload/api';
import { AppError } from '../ipc/errors';
import type { LoadedKubeconfig } from '../kube/kubeconfig';
import { readConfig } from '../project/config/parseConfig';
import type { DevspaceConfig } from '../project/config/schema';

export interface ProjectCluster {
  project: ProjectInfo;
  kubeConfig: KubeConfig;
  context: string;
  namespace: string;
  /** null when the project has no .devspace/config.yaml yet. */
  config: DevspaceConfig | null;
}

/** Resolves the open project's cluster; throws NO_PROJECT or the kubeconfig's own errors. */
export type ResolveProjectCluster = () => Promise<ProjectCluster>;

export async function resolveProjectCluster(
  project: ProjectInfo | null,
  selection: ProjectSelection,
  loadKubeconfig: () => Promise<LoadedKubeconfig>,
): Promise<ProjectCluster> {
  if (!project) throw new AppError('NO_PROJECT', 'Open a project first.');
  const kc = await loadKubeconfig();
  const loaded = await readConfig(project.path);
  const config = loaded?.config ?? null;
  // The project's choice in the app wins; then config.yaml's cluster section; then kubeconfig's.
  const context = selection.context ?? config?.cluster?.kubeContext ?? kc.currentContext;
  if (!context) {
    throw new AppError('CONTEXT_MISSING', 'No cluster context is chosen and the kubeconfig has no current context.', 'Pick a context in the Cluster panel.');
  }
  const kubeConfig = kc.kubeConfig(context);
  const info = kc.contexts.find((c) => c.name === context);
  const namespace = selection.namespace ?? config?.cluster?.namespace ?? info?.namespace ?? 'default';
  return { project, kubeConfig, context, namespace, config };
}
