// Which context and namespace a project starts with: the project's saved choice when there is
// one, else the kubeconfig's current context and that context's namespace (what kubectl would use).
import type { KubeContexts, ProjectSelection } from '../../preload/api';

export interface ResolvedSelection {
  /** Undefined only when the kubeconfig has no contexts at all. */
  context?: string;
  namespace?: string;
}

export function defaultNamespaceOf(contexts: KubeContexts | null, context: string | undefined): string {
  return contexts?.contexts.find((c) => c.name === context)?.namespace || 'default';
}

export function initialSelection(contexts: KubeContexts, saved: ProjectSelection): ResolvedSelection {
  // A saved context that has since disappeared from the kubeconfig is kept, not silently replaced:
  // the status check then says it is missing and the user picks another one.
  const context = saved.context ?? contexts.currentContext ?? contexts.contexts[0]?.name;
  if (context === undefined) return {};
  return { context, namespace: saved.namespace ?? defaultNamespaceOf(contexts, context) };
}
