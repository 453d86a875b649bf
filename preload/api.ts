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
  | 'ALREADY_EXISTS'
  | 'BUILD_FAILED'
  | 'DOCKER_UNAVAILABLE'
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

/** The files a project's first Up would write, for the user to review before anything is written. */
export interface FirstUpPreview {
  /** Whether the project needs generated files before its first Up. */
  needed: boolean;
  files: Array<{ path: string /* project-relative */; content: string; reason: string /* e.g. "no Dockerfile: generated for a Node.js project (npm)" */ }>;
  warnings: string[];
}

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

// ---------- terminals, ports, logs (the dev container) ----------

/** Which pods a terminal, port forwarding or log stream targets (from .devspace/config.yaml). */
export interface PodTarget {
  namespace?: string;
  labelSelector: Record<string, string>;
  containerName?: string;
}

export type TerminalState = 'connecting' | 'open' | 'reconnecting' | 'exited' | 'error';

export interface TerminalSessionInfo {
  id: string;
  title: string;
  state: TerminalState;
  pod?: string;
  container?: string;
  /** Set when the shell exited. */
  exitCode?: number;
  /** Why it is reconnecting / failed, in the user's words. */
  message?: string;
}

export interface PortMapping {
  localPort: number;
  remotePort: number;
  /** Local address to listen on (default 127.0.0.1). */
  bindAddress?: string;
  /** false keeps the mapping in the file but does not forward it. */
  enabled?: boolean;
}

export interface PortForwarding {
  resourceType?: 'pod';
  namespace?: string;
  labelSelector: Record<string, string>;
  portMappings: PortMapping[];
}

/** The observed state of one mapping, next to what the user asked for. */
export interface PortMappingStatus {
  /** `${forwardingIndex}:${mappingIndex}` */
  key: string;
  localPort: number;
  remotePort: number;
  bindAddress: string;
  state: 'listening' | 'no-pod' | 'error' | 'stopped' | 'disabled';
  message?: string;
  /** The pod the last connection went to. */
  pod?: string;
  connections: number;
  bytesIn: number;
  bytesOut: number;
  /** The remote port answered HTTP, so "Open in browser" makes sense. */
  http?: boolean;
}

export interface PortsView {
  forwardings: PortForwarding[];
  status: PortMappingStatus[];
  running: boolean;
  /** Warnings about the mappings (privileged ports, …) that do not stop saving. */
  warnings: string[];
}

export interface LogStreamOptions {
  pod?: string;
  container?: string;
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  /** Follow pods selected by the project's terminal/ports label selector when no pod is given. */
  follow?: boolean;
}

export interface LogStreamInfo {
  streamId: string;
  pod: string;
  container: string;
}

// ---------- Up ----------

export type UpStepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled' | 'not-run';

export interface UpStep {
  id: string;
  title: string;
  state: UpStepState;
  detail?: string;
  progress?: number;
  startedAt?: string;
  durationMs?: number;
  error?: ApiError;
}

export interface UpRun {
  runId: string;
  state: 'running' | 'ready' | 'failed' | 'cancelled';
  steps: UpStep[];
  /** The first failure, named after its step. */
  error?: ApiError & { step: string };
  startedAt: string;
  durationMs?: number;
  /** Finished steps, all steps, and 0..1 counting the running steps' own progress (taskbar, tab title). */
  progress: { finished: number; total: number; fraction: number };
}

export interface BuildLog {
  runId: string;
  /** Raw lines with the builder's ANSI colour codes; the newest at the end (bounded). */
  lines: string[];
  /** Lines dropped from the start to keep it bounded. */
  dropped: number;
  /** The Dockerfile step being run or last run, e.g. { index: 3, total: 7, instruction: 'RUN npm ci' }. */
  step?: { index: number; total: number; instruction: string };
}

// ---------- project settings ----------

/** The project's choices that Up follows, kept in .devspace/config.yaml (never credentials). */
export interface ProjectSettings {
  /** Where the image is built: a Kaniko pod in the cluster (default) or the local Docker daemon (DOCKER_HOST or the default socket). */
  builder: 'kaniko' | 'docker';
  /** Where the image is pushed: the private registry the app deploys into the cluster (default), or an external one. */
  registry: { kind: 'in-cluster' } | { kind: 'external'; /** e.g. "ghcr.io/acme", "registry.example.com:5000/team" */ url: string; insecure: boolean };
  /** How the chart is installed: Helm 3-compatible releases (default) or through Tiller (Helm 2). */
  deployEngine: 'helm3' | 'tiller';
  /** The Kaniko executor image; absent = the app's default. */
  kanikoImage?: string;
  /**
   * The in-cluster registry's own settings (config.yaml `internalRegistry:`), kept whichever
   * registry is chosen; an absent field is the app's default. The registry is shared by every
   * project on the cluster that names the same namespace.
   */
  inClusterRegistry?: InClusterRegistrySettings;
}

export interface InClusterRegistrySettings {
  /** The port every node answers on as localhost:<port> (default 5000). */
  port?: number;
  /** Where the registry and its proxy run (default "devspace-registry"). */
  namespace?: string;
  /** The registry image (default "registry:2"); a mirror for clusters without internet access. */
  image?: string;
  /** The image of the proxy on every node (default "alpine/socat:latest"). */
  proxyImage?: string;
}

// ---------- registry ----------

/** A saved login for a registry; the password is never sent back, only a mask. */
export interface RegistryLogin {
  /** Registry host as Docker names it, e.g. "docker.io", "ghcr.io", "localhost:5000". */
  host: string;
  username: string;
  /** e.g. "••••••••" — never the password itself. */
  passwordMask: string;
  /** 'app': saved in the app's encrypted store; 'docker-config': read from ~/.docker/config.json (or its credential helper). */
  source: 'app' | 'docker-config';
  helper?: string;
}

export interface RegistryView {
  kind: 'in-cluster' | 'external';
  /** Where builds push to, and what the cluster's nodes pull from (in-cluster: localhost:<port> on each node). */
  pushHost: string;
  pullHost: string;
  /** This project's image repository, e.g. "localhost:5000/my-app". */
  repository: string;
  state: 'ready' | 'not-deployed' | 'starting' | 'unreachable' | 'unauthorized' | 'error';
  message?: string;
  hint?: string;
  /** In-cluster only: 'pvc', or 'emptyDir' (images are lost when the registry pod restarts). */
  storage?: 'pvc' | 'emptyDir';
  /** In-cluster only: nodes whose registry proxy answers localhost:<port> (they can pull), of the nodes that should run one. */
  nodes?: { ready: number; total: number };
  /** Tags of this project's image, newest first where the registry tells; `current` = the tag the last Up deployed. */
  tags: Array<{ tag: string; current: boolean }>;
  warnings: string[];
}

// ---------- deployment ----------

export interface DeploymentRevision {
  revision: number;
  /** Helm's words: deployed, superseded, failed, pending-install, pending-upgrade, pending-rollback, uninstalled. */
  status: string;
  updated: string; // ISO time
  description?: string;
  chart?: string;
}

export interface DeploymentPod {
  name: string;
  phase: string;
  /** "1/1" */
  ready: string;
  restarts: number;
  startedAt?: string;
  node?: string;
  /** Why it is not ready, in plain words with the pod's own message (ImagePullBackOff, CrashLoopBackOff …). */
  problem?: string;
}

export interface DeploymentEvent {
  type: string; // Normal | Warning
  reason: string;
  message: string;
  /** "Pod/my-app-7d9f-x2" */
  object: string;
  count: number;
  lastSeen?: string;
}

export interface DeploymentView {
  release: string;
  namespace: string;
  engine: 'helm3' | 'tiller';
  /** The latest revision; null when nothing is deployed yet. */
  current: DeploymentRevision | null;
  /** Newest first. */
  history: DeploymentRevision[];
  pods: DeploymentPod[];
  /** Recent events of the release's objects and pods, newest first. */
  events: DeploymentEvent[];
  /** Set when the latest revision failed and this earlier one is what still runs: the UI offers rolling back to it. */
  rollbackTo?: number;
}

/** The rendered manifests the next deploy would apply (with the image of the latest build). */
export interface ManifestPreview {
  release: string;
  objects: Array<{ kind: string; name: string; /** chart template it came from */ source: string; yaml: string }>;
  notes?: string;
  warnings: string[];
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

  /** Opens a terminal into the dev container (target and command from config.yaml `terminal:`). */
  'terminal.open': { args: [options?: { title?: string; command?: string[]; container?: string }]; result: TerminalSessionInfo };
  'terminal.write': { args: [id: string, data: string]; result: null };
  'terminal.resize': { args: [id: string, cols: number, rows: number]; result: null };
  'terminal.rename': { args: [id: string, title: string]; result: TerminalSessionInfo };
  'terminal.close': { args: [id: string]; result: null };
  'terminal.list': { args: []; result: TerminalSessionInfo[] };

  /** The mappings from config.yaml with their observed state. */
  'ports.list': { args: []; result: PortsView };
  /** Validates and writes the mappings to config.yaml (comments kept), then applies them. */
  'ports.save': { args: [forwardings: PortForwarding[]]; result: PortsView };
  'ports.start': { args: []; result: PortsView };
  'ports.stop': { args: []; result: PortsView };

  'logs.start': { args: [options: LogStreamOptions]; result: LogStreamInfo };
  'logs.stop': { args: [streamId: string]; result: null };
  'logs.pods': { args: []; result: Array<{ name: string; containers: string[]; phase: string; restarts: number }> };

  /** What the first Up would write (config, Dockerfile, chart), without writing anything. */
  'up.preview': { args: []; result: FirstUpPreview };
  /** Starts Up for the open project; the run's progress arrives as `up.run` events. A first Up needs `acceptGenerated: true`. */
  'up.start': { args: [options?: { forceRebuild?: boolean; acceptGenerated?: boolean }]; result: UpRun };
  'up.cancel': { args: []; result: UpRun | null };
  'up.current': { args: []; result: UpRun | null };
  /** The build log of the latest run (kept after it ends, also when the build failed). */
  'up.buildLog': { args: []; result: BuildLog | null };
  /** Stops the terminals, port forwards and log streams of the project; the deployment keeps running. */
  'up.stop': { args: []; result: null };
  /** Uninstalls the project's release (the UI asks first); the registry and its images stay. */
  'up.purge': { args: []; result: { release: string; removed: number } };

  /** The project's builder, registry and deploy engine (from config.yaml, defaults filled in). */
  'settings.get': { args: []; result: ProjectSettings };
  /** Writes the settings to config.yaml, keeping the user's comments and formatting. */
  'settings.update': { args: [settings: ProjectSettings]; result: ProjectSettings };

  /** Which registry the project pushes to, its state and this project's tags. */
  'registry.status': { args: []; result: RegistryView };
  /** Removes the in-cluster registry and everything the app created for it (the UI asks first). */
  'registry.remove': { args: []; result: null };
  'registry.logins': { args: []; result: RegistryLogin[] };
  /** Checks the login against the registry, then saves it encrypted; a wrong password is an error and nothing is saved. */
  'registry.login': { args: [login: { host: string; username: string; password: string; insecure?: boolean }]; result: RegistryLogin };
  'registry.logout': { args: [host: string]; result: RegistryLogin[] };

  /** The project's release: revisions, pods and recent events. */
  'deploy.status': { args: []; result: DeploymentView };
  /** Rolls the release back to a revision (a new revision, as `helm rollback` does). */
  'deploy.rollback': { args: [revision: number]; result: DeploymentView };
  /** The manifests the next deploy would apply, rendered without touching the cluster. */
  'deploy.manifests': { args: []; result: ManifestPreview };
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
  /** Terminal output (UTF-8 text); the transport batches these per frame. */
  'terminal.data': { id: string; data: string };
  'terminal.state': TerminalSessionInfo;
  'ports.status': PortsView;
  /** A batch of log lines of one stream; `dropped` counts lines skipped to keep memory bounded. */
  'logs.lines': { streamId: string; lines: string[]; dropped?: number };
  'logs.state': { streamId: string; state: 'following' | 'ended' | 'reconnecting' | 'error'; message?: string };
  /** The whole run after each step change (small: a dozen steps). */
  'up.run': UpRun;
  /** New build log lines (raw, with the builder's ANSI colours), batched. */
  'up.buildLog': { runId: string; lines: string[] };
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
