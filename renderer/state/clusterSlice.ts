// The cluster panel: kubeconfig contexts, the project's context and namespace, and whether the
// cluster answers. Every status request carries a sequence number so a slow answer for a context
// the user has already left never overwrites the answer for the one they chose.
import type { ApiError, ClusterStatus, DevspaceApi, KubeContexts, NamespaceList, ProjectSelection } from '../../preload/api';
import type { GetState, SetState } from './appStore';
import { defaultNamespaceOf, initialSelection } from './clusterSelection';
import { errorValue, statusFromError } from './errorValue';

export interface ClusterView {
  contexts: KubeContexts | null;
  /** Why there are no contexts to show, e.g. KUBECONFIG_MISSING or KUBECONFIG_INVALID. */
  contextsError: ApiError | null;
  loadingContexts: boolean;
  context?: string;
  namespace?: string;
  namespaces: NamespaceList | null;
  namespacesError: ApiError | null;
  status: ClusterStatus | null;
  checking: boolean;
}

export interface ClusterSlice {
  cluster: ClusterView;
  loadCluster(saved: ProjectSelection): Promise<void>;
  chooseContext(context: string): Promise<void>;
  chooseNamespace(namespace: string): Promise<void>;
  retryCluster(): Promise<void>;
  contextsChanged(contexts: KubeContexts): Promise<void>;
  resetCluster(): void;
}

const EMPTY: ClusterView = {
  contexts: null,
  contextsError: null,
  loadingContexts: false,
  namespaces: null,
  namespacesError: null,
  status: null,
  checking: false,
};

export function createClusterSlice(api: DevspaceApi, set: SetState, get: GetState): ClusterSlice {
  let loadSeq = 0;
  let statusSeq = 0;
  let namespacesSeq = 0;

  const patch = (p: Partial<ClusterView>) => set((s) => ({ cluster: { ...s.cluster, ...p } }));

  const loadNamespaces = async (context: string) => {
    const seq = ++namespacesSeq;
    patch({ namespaces: null, namespacesError: null });
    try {
      const namespaces = await api.cluster.namespaces(context);
      if (seq === namespacesSeq) patch({ namespaces });
    } catch (err) {
      if (seq === namespacesSeq) patch({ namespacesError: errorValue(err) });
    }
  };

  /** Runs one status-producing call and shows its answer if it is still the latest. */
  const showStatus = async (context: string | undefined, request: () => Promise<ClusterStatus>) => {
    const seq = ++statusSeq;
    patch({ checking: true });
    let status: ClusterStatus;
    try {
      status = await request();
    } catch (err) {
      status = statusFromError(context, err);
    }
    if (seq === statusSeq) patch({ status, checking: false });
  };

  /** Shows `contexts` and checks the chosen context, keeping `wanted` where it still applies. */
  const showContexts = async (contexts: KubeContexts, wanted: ProjectSelection) => {
    const { context, namespace } = initialSelection(contexts, wanted);
    patch({ contexts, contextsError: null, loadingContexts: false, context, namespace });
    if (context === undefined) {
      ++statusSeq;
      patch({ status: null, checking: false, namespaces: null, namespacesError: null });
      return;
    }
    await Promise.all([loadNamespaces(context), showStatus(context, () => api.cluster.status(context, namespace))]);
  };

  /** Persists the choice for the project and shows the status the host returns for it. */
  const select = async (selection: Required<ProjectSelection>) => {
    const project = get().project;
    if (project) set({ project: { ...project, selection } });
    await showStatus(selection.context, () => api.cluster.select(selection));
  };

  return {
    cluster: EMPTY,

    async loadCluster(saved) {
      const seq = ++loadSeq;
      // Keep what is shown while reloading (Retry), so the panel does not flash empty.
      patch({ loadingContexts: true, context: saved.context, namespace: saved.namespace });
      let contexts: KubeContexts;
      try {
        contexts = await api.cluster.contexts();
      } catch (err) {
        if (seq !== loadSeq) return;
        ++statusSeq;
        patch({ ...EMPTY, contextsError: errorValue(err) });
        return;
      }
      if (seq === loadSeq) await showContexts(contexts, saved);
    },

    async chooseContext(context) {
      const { cluster } = get();
      if (context === cluster.context) return;
      // Each context has its own default namespace; the old one rarely exists in the new cluster.
      const namespace = defaultNamespaceOf(cluster.contexts, context);
      patch({ context, namespace });
      await Promise.all([loadNamespaces(context), select({ context, namespace })]);
    },

    async chooseNamespace(input) {
      const namespace = input.trim();
      const { context, namespace: current } = get().cluster;
      if (!namespace || namespace === current || context === undefined) return;
      patch({ namespace });
      await select({ context, namespace });
    },

    async retryCluster() {
      const { context, namespace } = get().cluster;
      const saved = get().project?.selection ?? {};
      // The kubeconfig may have been fixed since (written, or a context added): read it again.
      await get().loadCluster({ context: context ?? saved.context, namespace: namespace ?? saved.namespace });
    },

    async contextsChanged(contexts) {
      if (!get().project) return;
      ++loadSeq; // a load in flight read the old files
      const { context, namespace } = get().cluster;
      const saved = get().project?.selection ?? {};
      await showContexts(contexts, { context: context ?? saved.context, namespace: namespace ?? saved.namespace });
    },

    resetCluster() {
      ++loadSeq;
      ++statusSeq;
      ++namespacesSeq;
      set({ cluster: EMPTY });
    },
  };
}
