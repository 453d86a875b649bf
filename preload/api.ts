// THE contract between the renderer and the main process (types only, no runtime code).
//
// Every request is one entry of `ApiRequests` keyed "<area>.<method>"; every pushed event one entry
// of `ApiEvents`. Both transports (Electron IPC and the browser host's WebSocket) carry exactly
// these, so renaming a channel here is a compile error on both sides. On the wire a request is
// answered with `WireResult`; the client turns a failure back into a thrown `DevspaceError`.

// ---------- error envelope ----------

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_METHOD'
  | 'NOT_FOUND'
  | 'NOT_A_DIRECTORY'
  | 'PERMISSION_DENIED'
  | 'NO_PROJECT'
  | 'KUBECONFIG_MISSING'
  | 'KUBECONFIG_INVALID'
  | 'CONTEXT_MISSING'
  | 'CLUSTER_UNREACHABLE'
  | 'CLUSTER_TLS'
  | 'CLUSTER_UNAUTHORIZED'
  | 'CLUSTER_FORBIDDEN'
  | 'CLUSTER_ERROR'
  | 'CONFIG_INVALID'
  | 'REGISTRY_UNAUTHORIZED'
  | 'REGISTRY_UNREACHABLE'
  | 'REGISTRY_TLS'
  | 'REGISTRY_ERROR'
  | 'CANCELLED'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  /** A sentence the user understands; names the thing that failed. */
  message: string;
  /** What to do about it, e.g. "run 'kubectl config get-contexts' or pick a context in Settings". */
  hint?: string;
}

export type WireResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------- shared shapes ----------

export interface AppInfo {
  version: string;
  /** 'electron' inside the desktop window, 'browser' when served by the browser host. */
  mode: 'electron' | 'browser';
  platform: string;
  homeDir: string;
  dataDir: string;
}

export interface RecentProject {
  path: string;
  name: string;
  lastOpened: string; // ISO time
  /** False when the folder no longer exists or cannot be read; the UI says so and offers removal. */
  available: boolean;
  problem?: string;
}

export interface ProjectSelection {
  context?: string;
  namespace?: string;
}

export interface ProjectInfo {
  path: string;
  name: string;
  hasDevspaceConfig: boolean;
  hasDockerfile: boolean;
  hasChart: boolean;
  selection: ProjectSelection;
}

export interface DirEntry {
  name: string;
  path: string;
  kind: 'dir' | 'file' | 'other';
  hidden: boolean;
  /** For folders: whether it looks like a project (see DirListing.looksLikeProject). */
  looksLikeProject?: boolean;
}

export interface DirListing {
  path: string;
  parent: string | null;
  entries: DirEntry[];
  /** Whether the folder looks like a project (Dockerfile, chart/, .devspace/, package.json …). */
  looksLikeProject: boolean;
}

export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
}

export interface KubeContexts {
  /** Files read, in KUBECONFIG order. */
  sources: string[];
  currentContext?: string;
  contexts: KubeContextInfo[];
}

export type ClusterStatus =
  | { state: 'connected'; context: string; server: string; version: string; namespace: string }
  | { state: 'error'; context?: string; server?: string; error: ApiError };

export interface NamespaceList {
  namespaces: string[];
  /** False when the user may not list namespaces (RBAC); the UI then lets them type one. */
  canList: boolean;
}

// ---------- requests ----------

/** Every request: arguments tuple and result. Key = "<area>.<method>". */
export interface ApiRequests {
  'app.info': { args: []; result: AppInfo };

  /** Native folder dialog (Electron only); null when cancelled. In browser mode use fs.list. */
  'projects.pick': { args: []; result: ProjectInfo | null };
  'projects.open': { args: [path: string]; result: ProjectInfo };
  'projects.current': { args: []; result: ProjectInfo | null };
  /** Closes the open project (every window/tab returns to the welcome screen). */
  'projects.close': { args: []; result: null };
  'projects.recent': { args: []; result: RecentProject[] };
  'projects.removeRecent': { args: [path: string]; result: RecentProject[] };

  /** Server-side folder browsing for browser mode (absolute paths only). */
  'fs.list': { args: [path: string, options?: { showHidden?: boolean }]; result: DirListing };

  'cluster.contexts': { args: []; result: KubeContexts };
  'cluster.namespaces': { args: [context: string]; result: NamespaceList };
  'cluster.status': { args: [context?: string, namespace?: string]; result: ClusterStatus };
  /** Stores the choice for the open project and returns its new status. */
  'cluster.select': { args: [selection: ProjectSelection]; result: ClusterStatus };
}

export type ApiMethod = keyof ApiRequests;
export type ArgsOf<M extends ApiMethod> = ApiRequests[M]['args'];
export type ResultOf<M extends ApiMethod> = ApiRequests[M]['result'];

// ---------- pushed events ----------

export interface ApiEvents {
  /** The open project changed (opened from a menu, a second instance, another browser tab …). */
  'project.changed': ProjectInfo | null;
  /** The kubeconfig files changed on disk. */
  'cluster.contextsChanged': KubeContexts;
  /** A command from the app menu the renderer should perform. */
  'menu.command': { command: 'open-project' | 'settings' | 'about' };
}

export type ApiEventName = keyof ApiEvents;

// ---------- what the renderer sees ----------

type Area<G extends string> = {
  [K in ApiMethod as K extends `${G}.${infer M}` ? M : never]: (
    ...args: ArgsOf<K>
  ) => Promise<ResultOf<K>>;
};

type AreaOf<K> = K extends `${infer G}.${string}` ? G : never;
type AreaName = AreaOf<ApiMethod>;

/** The grouped, typed client: `api.projects.open(path)`, `api.on('project.changed', cb)`. */
export type DevspaceApi = { [G in AreaName]: Area<G> } & {
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
};

/**
 * The minimal bridge each transport provides (preload's contextBridge object in Electron,
 * a WebSocket client in the browser). The renderer builds `DevspaceApi` on top of it.
 */
export interface DevspaceBridge {
  invoke(method: string, args: unknown[]): Promise<WireResult<unknown>>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}
