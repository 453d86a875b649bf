// The registry proxy: a DaemonSet that makes `localhost:<hostPort>` reach the in-cluster registry
// on every node, not only on the node where the registry pod runs (what minikube's registry addon
// does with kube-registry-proxy). Each node runs one small TCP forwarder pod holding hostPort
// <hostPort> and forwarding every connection to the registry Service. Container runtimes pull from
// `localhost:<hostPort>` over plain HTTP without node configuration, so multi-node clusters work.
//
// The registry Deployment therefore holds no hostPort (registryManifests.ts); InClusterRegistry's
// ensure() applies it first, then this DaemonSet, then waits for the registry and the proxy. A
// registry from before the proxy held the port itself: Recreate ends its old pod and frees the
// port, and the proxy pod on that node stays Pending ("didn't have free ports") until then.
//
// Image: `alpine/socat` (the alpine-docker project's image: Alpine + socat, entrypoint `socat`,
// rebuilt with socat and Alpine releases; a few MB). Chosen over kube-registry-proxy (nginx-based,
// unmaintained since 2022) and over haproxy/nginx images (need a config file, i.e. a ConfigMap).
// Its version tags follow socat's release numbers; the default is `latest` with pull policy
// IfNotPresent, so a node pulls it once. Pass `image` to pin a tag or use a mirror.
import { createHash } from 'node:crypto';
import type { CoreV1Event, KubeConfig, V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import { AppError } from '../ipc/errors';
import { APPLY, applyParams, call, clusterApis, getOrUndefined, MANAGED_BY, realClock, statusOf, type Clock, type ClusterCallOptions } from './clusterApply';
import { REGISTRY_NAME, REGISTRY_PORT } from './registryManifests';

export const PROXY_NAME = 'devspace-registry-proxy';
export const DEFAULT_PROXY_IMAGE = 'alpine/socat:latest';
/**
 * Its own component label (not the registry's `registry`): code that lists "the registry pods" by
 * REGISTRY_SELECTOR (the tunnel, ensure()'s wait) must not pick a proxy pod.
 */
export const PROXY_COMPONENT = { 'app.kubernetes.io/component': 'registry-proxy' } as const;
export const PROXY_LABELS = { ...MANAGED_BY, ...PROXY_COMPONENT, 'app.kubernetes.io/name': PROXY_NAME } as const;
export const PROXY_SELECTOR = Object.entries(PROXY_LABELS).map(([k, v]) => `${k}=${v}`).join(',');
/** On the DaemonSet: a digest of what ensureRegistryProxy() applied, so a second call sees nothing differs. */
const CONFIG_ANNOTATION = 'devspace.sh/registry-proxy-config';

export interface RegistryProxyParams {
  namespace: string;
  /** The port every node answers on as localhost:<hostPort>. */
  hostPort: number;
  /** Default DEFAULT_PROXY_IMAGE. */
  image?: string;
}

/** The registry Service's cluster DNS name, where every proxy forwards to. */
export function registryServiceHost(namespace: string): string {
  return `${REGISTRY_NAME}.${namespace}.svc.cluster.local`;
}

export function registryProxyManifest(p: RegistryProxyParams): V1DaemonSet {
  const image = p.image ?? DEFAULT_PROXY_IMAGE;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: PROXY_NAME, namespace: p.namespace, labels: { ...PROXY_LABELS } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': PROXY_NAME, ...PROXY_COMPONENT } },
      // One node at a time: the others keep serving pulls while a node's proxy is replaced.
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { ...PROXY_LABELS } },
        spec: {
          containers: [
            {
              name: 'proxy',
              image,
              imagePullPolicy: 'IfNotPresent',
              // socat: `fork` serves connections in parallel (a pull fetches layers at once),
              // `reuseaddr` rebinds at once after a restart; the Service name resolves per connection.
              args: [`TCP-LISTEN:${REGISTRY_PORT},fork,reuseaddr`, `TCP:${registryServiceHost(p.namespace)}:${REGISTRY_PORT}`],
              ports: [{ name: 'registry', containerPort: REGISTRY_PORT, hostPort: p.hostPort, protocol: 'TCP' }],
              // Ready only when the whole way works: this pod → the registry Service → the registry,
              // which answers `GET /` with 200 even with auth on (Distribution's liveness route). A
              // TCP check would pass while this node cannot reach the registry, and pulls fail.
              readinessProbe: { httpGet: { path: '/', port: REGISTRY_PORT }, periodSeconds: 2, failureThreshold: 3 },
              resources: { requests: { cpu: '5m', memory: '8Mi' } },
            },
          ],
          // Every node, control-plane and tainted ones included: any of them may run a pod that
          // pulls from localhost:<hostPort>.
          tolerations: [{ operator: 'Exists' }],
          // socat needs no API access and no Service environment variables.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // socat ends at once on SIGTERM; a short grace frees the hostPort quickly on updates.
          terminationGracePeriodSeconds: 5,
        },
      },
    },
  };
}

function configDigest(p: RegistryProxyParams): string {
  return createHash('sha256').update(JSON.stringify(registryProxyManifest(p))).digest('hex');
}


export interface EnsureRegistryProxyOptions extends RegistryProxyParams, ClusterCallOptions {
  onProgress?: (message: string) => void;
  /** Wait until every node's proxy is ready (default true). */
  wait?: boolean;
  /** Default 180 s (the first pull of the proxy image on each node). */
  readyTimeoutMs?: number;
  /** Poll interval, default 1 s. */
  pollMs?: number;
  clock?: Clock;
}

export interface RegistryProxyNode {
  node: string;
  pod: string;
  ready: boolean;
  /** 'ready', or what the pod is stuck on, in plain words. */
  state: string;
}

export interface RegistryProxyStatus {
  deployed: boolean;
  /** Nodes that should run a proxy (desiredNumberScheduled). */
  desired: number;
  /** Nodes whose proxy is ready (numberReady). */
  ready: number;
  /** Nodes running the current template (updatedNumberScheduled). */
  updated: number;
  /** The status describes the current spec (observedGeneration). */
  current: boolean;
  hostPort?: number;
  image?: string;
  nodes: RegistryProxyNode[];
}

/** All proxies current and ready on every node that should run one. */
function daemonSetReady(ds: V1DaemonSet): boolean {
  const s = ds.status;
  if (!s) return false;
  const desired = s.desiredNumberScheduled ?? 0;
  return (s.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0) && desired > 0
    && (s.updatedNumberScheduled ?? 0) === desired && (s.numberReady ?? 0) === desired && (s.numberAvailable ?? 0) === desired;
}

/**
 * Whether a DaemonSet read elsewhere (InClusterRegistry's parallel reads on a warm Up) is exactly
 * what ensureRegistryProxy() would apply for `p` and, unless `wait` is false, ready on every node.
 */
export function registryProxyInPlace(ds: V1DaemonSet | undefined, p: RegistryProxyParams, wait = true): boolean {
  if (!ds || ds.metadata?.deletionTimestamp) return false;
  if (ds.metadata?.annotations?.[CONFIG_ANNOTATION] !== configDigest({ namespace: p.namespace, hostPort: p.hostPort, ...(p.image ? { image: p.image } : {}) })) return false;
  return !wait || daemonSetReady(ds);
}

/** What ensureRegistryProxy() returns: the DaemonSet's numbers (no pod listing), and whether it wrote. */
export type RegistryProxySummary = Omit<RegistryProxyStatus, 'nodes'> & { applied: boolean };

function summary(ds: V1DaemonSet, applied: boolean): RegistryProxySummary {
  const container = ds.spec?.template?.spec?.containers?.[0];
  const s = ds.status;
  const hostPort = container?.ports?.find((p) => p.hostPort)?.hostPort;
  return {
    deployed: true,
    desired: s?.desiredNumberScheduled ?? 0,
    ready: s?.numberReady ?? 0,
    updated: s?.updatedNumberScheduled ?? 0,
    current: (s?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0),
    ...(hostPort ? { hostPort } : {}),
    ...(container?.image ? { image: container.image } : {}),
    applied,
  };
}

/**
 * Creates or updates the proxy DaemonSet (server-side apply) and waits until it is ready on every
 * node. A second call when nothing differs and all proxies are ready is one GET and no write.
 */
export async function ensureRegistryProxy(kc: KubeConfig, opts: EnsureRegistryProxyOptions): Promise<RegistryProxySummary> {
  const { apps, server } = clusterApis(kc, opts);
  const progress = opts.onProgress ?? (() => {});
  const params: RegistryProxyParams = { namespace: opts.namespace, hostPort: opts.hostPort, ...(opts.image ? { image: opts.image } : {}) };
  const digest = configDigest(params);
  let ds = await getOrUndefined(server, `Reading the registry proxy DaemonSet "${PROXY_NAME}"`, () => apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace: opts.namespace }));
  const inPlace = !!ds && !ds.metadata?.deletionTimestamp && ds.metadata?.annotations?.[CONFIG_ANNOTATION] === digest;
  if (ds && inPlace && opts.wait === false) return summary(ds, false);
  if (ds && inPlace && daemonSetReady(ds)) {
    progress(`The registry proxy is ready on ${ds.status?.desiredNumberScheduled} node(s)`);
    return summary(ds, false);
  }
  if (!inPlace) {
    progress(`Deploying the registry proxy on every node (localhost:${opts.hostPort})`);
    const body = registryProxyManifest(params);
    body.metadata = { ...body.metadata, annotations: { [CONFIG_ANNOTATION]: digest } };
    ds = await call(server, `Deploying the registry proxy DaemonSet "${PROXY_NAME}"`, () =>
      apps.patchNamespacedDaemonSet({ name: PROXY_NAME, namespace: opts.namespace, body, ...applyParams }, APPLY),
    );
  }
  if (opts.wait !== false) ds = await waitUntilReady(kc, opts, progress);
  return summary(ds!, !inPlace);
}

async function waitUntilReady(kc: KubeConfig, opts: EnsureRegistryProxyOptions, progress: (m: string) => void): Promise<V1DaemonSet> {
  const { apps, server } = clusterApis(kc, opts);
  const clock = opts.clock ?? realClock;
  const timeoutMs = opts.readyTimeoutMs ?? 180_000;
  const deadline = clock.now() + timeoutMs;
  let last = '';
  for (;;) {
    const ds = await call(server, `Reading the registry proxy DaemonSet "${PROXY_NAME}"`, () => apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace: opts.namespace }));
    if (daemonSetReady(ds)) {
      progress(`The registry proxy is ready on ${ds.status?.desiredNumberScheduled} node(s)`);
      return ds;
    }
    const status = await registryProxyStatus(kc, opts.namespace, opts);
    const stuck = status.nodes.filter((n) => !n.ready);
    const line = `${status.ready}/${status.desired} node(s) ready${stuck.length ? `; ${stuck.map((n) => `${n.node || n.pod}: ${n.state}`).join('; ')}` : ''}`;
    if (line !== last) progress(`Waiting for the registry proxy: ${line}`);
    last = line;
    if (clock.now() >= deadline) {
      const portTaken = stuck.find((n) => /port .* is taken|free ports/.test(n.state));
      throw new AppError(
        'CLUSTER_ERROR',
        status.desired === 0
          ? `The registry proxy in namespace "${opts.namespace}" runs on no node: the cluster has no node it may be scheduled to.`
          : `The registry proxy in namespace "${opts.namespace}" is not ready on every node within ${Math.round(timeoutMs / 1000)} s: ${line}.`,
        portTaken
          ? `Port ${opts.hostPort} is taken on ${portTaken.node ? `node "${portTaken.node}"` : 'a node'}. Free it or pick another port under Settings → In-cluster registry.`
          : /ErrImagePull|ImagePullBackOff|InvalidImageName/.test(line)
            ? `The nodes cannot pull "${opts.image ?? DEFAULT_PROXY_IMAGE}". If the cluster has no internet access, mirror it and set the proxy image under Settings → In-cluster registry.`
            : `Look at the pods (kubectl -n ${opts.namespace} describe pods -l app.kubernetes.io/name=${PROXY_NAME}), then run Up again.`,
      );
    }
    await clock.sleep(opts.pollMs ?? 1000, opts.signal);
  }
}

/** Deletes the proxy DaemonSet (its pods go with it). Nothing there is not an error. */
export async function removeRegistryProxy(kc: KubeConfig, namespace: string, opts: ClusterCallOptions = {}): Promise<void> {
  const { apps, server } = clusterApis(kc, opts);
  const list = await getOrUndefined(server, `Listing registry proxy DaemonSets in "${namespace}"`, () => apps.listNamespacedDaemonSet({ namespace, labelSelector: PROXY_SELECTOR }));
  const names = new Set([PROXY_NAME, ...(list?.items ?? []).map((d) => d.metadata?.name).filter((n): n is string => !!n)]);
  for (const name of names) {
    await getOrUndefined(server, `Deleting the registry proxy DaemonSet "${name}"`, () => apps.deleteNamespacedDaemonSet({ name, namespace, propagationPolicy: 'Background' }));
  }
}

/** What is deployed now, read only: nodes that should run a proxy, how many are ready, and what each pod is doing. */
export async function registryProxyStatus(kc: KubeConfig, namespace: string, opts: ClusterCallOptions = {}): Promise<RegistryProxyStatus> {
  const { apps, core, server } = clusterApis(kc, opts);
  const ds = await getOrUndefined(server, `Reading the registry proxy DaemonSet "${PROXY_NAME}"`, () => apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace }));
  if (!ds) return { deployed: false, desired: 0, ready: 0, updated: 0, current: false, nodes: [] };
  const pods = (await call(server, 'Listing the registry proxy pods', () => core.listNamespacedPod({ namespace, labelSelector: PROXY_SELECTOR }))).items;
  const nodes: RegistryProxyNode[] = [];
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    nodes.push({ node: targetNode(pod) ?? '', pod: pod.metadata?.name ?? '', ready: podReady(pod), state: podReady(pod) ? 'ready' : await describeProxyPod(kc, pod, opts) });
  }
  nodes.sort((a, b) => a.node.localeCompare(b.node));
  const { applied: _unused, ...numbers } = summary(ds, false);
  return { ...numbers, nodes };
}

function podReady(p: V1Pod): boolean {
  return (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The node a daemon pod is for: its nodeName, or (before scheduling) the node its affinity names. */
function targetNode(p: V1Pod): string | undefined {
  if (p.spec?.nodeName) return p.spec.nodeName;
  for (const t of p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const f = t.matchFields?.find((r) => r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1);
    if (f) return f.values![0];
  }
  return undefined;
}

/**
 * What a proxy pod is stuck on, in plain words. A pod the scheduler cannot place because the
 * hostPort is taken names the node and, when we may list pods there, the pod holding the port.
 */
async function describeProxyPod(kc: KubeConfig, pod: V1Pod, opts: ClusterCallOptions): Promise<string> {
  const { core, server } = clusterApis(kc, opts);
  const cs = pod.status?.containerStatuses?.[0];
  const waiting = cs?.state?.waiting;
  if (waiting?.reason && waiting.reason !== 'ContainerCreating') return `${waiting.reason}${waiting.message ? ` (${firstLine(waiting.message)})` : ''}`;
  if (cs?.state?.terminated) return `exited (${cs.state.terminated.reason ?? cs.state.terminated.exitCode})`;
  if (cs?.state?.running) return 'running, not ready yet';
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const ns = pod.metadata?.namespace ?? '';
  const events = await getOrUndefined(server, 'Reading the registry proxy pod events', () =>
    core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${pod.metadata?.name ?? ''}` }),
  ).catch(() => undefined);
  const latest = (reason: string) => (events?.items ?? []).filter((e: CoreV1Event) => e.reason === reason).sort((a, b) => String(a.lastTimestamp ?? '').localeCompare(String(b.lastTimestamp ?? ''))).pop();
  const hostPort = pod.spec?.containers?.[0]?.ports?.find((p) => p.hostPort)?.hostPort;
  const failedHostPort = latest('FailedHostPort');
  const schedulerSays = unscheduled?.message ?? latest('FailedScheduling')?.message;
  if (schedulerSays && /free ports/.test(schedulerSays) && hostPort) {
    const holder = await podHoldingPort(kc, targetNode(pod), hostPort, pod, opts);
    return `port ${hostPort} is taken on this node${holder ? ` by pod ${holder}` : ''} (scheduler: ${firstLine(schedulerSays)})`;
  }
  if (failedHostPort && hostPort) return `port ${hostPort} is taken on this node (${firstLine(failedHostPort.message ?? '')})`;
  if (schedulerSays) return `not scheduled (${firstLine(schedulerSays)})`;
  if (waiting?.reason) return waiting.reason;
  return pod.status?.phase ?? 'Pending';
}

async function podHoldingPort(kc: KubeConfig, node: string | undefined, port: number, self: V1Pod, opts: ClusterCallOptions): Promise<string | undefined> {
  if (!node) return undefined;
  const { core } = clusterApis(kc, opts);
  try {
    const pods = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
    const holder = pods.items.find((p) => p.metadata?.uid !== self.metadata?.uid && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'
      && (p.spec?.containers ?? []).some((c) => (c.ports ?? []).some((cp) => cp.hostPort === port)));
    return holder ? `${holder.metadata?.namespace}/${holder.metadata?.name}${holder.metadata?.deletionTimestamp ? ', which is terminating' : ''}` : undefined;
  } catch (err) {
    if (statusOf(err) === 403) return undefined; // may not list pods cluster-wide: say less
    return undefined;
  }
}

function firstLine(s: string): string {
  const line = s.trim().split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
