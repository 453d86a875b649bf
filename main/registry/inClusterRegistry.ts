// The private registry the app deploys into the user's cluster when they name no other: auth on
// (htpasswd, bcrypt, a generated password), pushes from inside the cluster through its Service,
// node pulls through `localhost:<hostPort>`, which the registry proxy DaemonSet answers on every
// node (registryProxy.ts). ensure() is idempotent and waits until it is ready;
// remove() deletes everything it made. What clusters need for node pulls: ./README.md.
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import type { KubeConfig, V1Deployment, V1Namespace, V1Pod, V1Secret } from '@kubernetes/client-node';
import bcrypt from 'bcryptjs';
import type { InClusterRegistrySettings } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { APPLY, applyParams, call, clusterApis, clusterError, getOrUndefined, realClock, statusOf, type ClusterApis, type ClusterCallOptions, type Clock } from './clusterApply';
import type { RegistryLogin } from './credentials';
import {
  AUTH_SECRET_NAME,
  authSecretManifest,
  DATA_CLAIM_NAME,
  dataClaimManifest,
  deploymentManifest,
  namespaceManifest,
  REGISTRY_LABELS,
  REGISTRY_NAME,
  REGISTRY_PORT,
  REGISTRY_SELECTOR,
  serviceManifest,
  type RegistryManifestParams,
} from './registryManifests';
import { ensureRegistryProxy, PROXY_NAME, registryProxyInPlace, registryProxyStatus, removeRegistryProxy, type EnsureRegistryProxyOptions } from './registryProxy';

export const DEFAULT_REGISTRY_NAMESPACE = 'devspace-registry';
export const REGISTRY_USERNAME = 'devspace';
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
/** On the registry Deployment: a digest of everything ensure() applied, so a later ensure() can see that nothing differs. */
const CONFIG_ANNOTATION = 'devspace.sh/registry-config';
/** On the registry Deployment: the storage warning ensure() gave when it applied (emptyDir). */
const STORAGE_WARNING_ANNOTATION = 'devspace.sh/registry-storage-warning';

/** Where the registry's password is kept on this machine (CredentialStore or anything alike). */
export interface RegistryPasswordStore {
  get(host: string): Promise<RegistryLogin | undefined>;
  set(host: string, login: RegistryLogin): Promise<void>;
  delete(host: string): Promise<boolean>;
}

export type { Clock } from './clusterApply';

export interface InClusterRegistryOptions extends ClusterCallOptions {
  store: RegistryPasswordStore;
  namespace?: string;
  /** Default `registry:2`. */
  image?: string;
  /** The port every node answers on as `localhost:<hostPort>`. Default 5000. */
  hostPort?: number;
  /** The registry proxy's image (a TCP forwarder on every node). Default `alpine/socat:latest` (registryProxy.ts). */
  proxyImage?: string;
  /** PVC size when the cluster has a default StorageClass. Default 10Gi. */
  storageSize?: string;
  /** Wait for the registry pod to be ready (default true). */
  wait?: boolean;
  /** Deadline for readiness. Default 180 s (the first pull of the registry image takes a while). */
  readyTimeoutMs?: number;
  onProgress?: (message: string) => void;
  randomBytes?: (n: number) => Buffer;
  clock?: Clock;
  /**
   * bcrypt cost; Distribution accepts any. Default 4 (bcrypt's minimum): the registry checks the
   * hash on every request (each layer of each push and pull, every Up's "is the image there?"),
   * about 60 ms of its CPU at cost 10; and the cost only slows guessing a weak password from a
   * leaked hash, while ours is 256 random bits kept in the same Secret as the hash.
   */
  bcryptRounds?: number;
}

export interface InClusterRegistryInfo {
  namespace: string;
  /** For pushes from inside the cluster (Kaniko): plain HTTP, pass `--insecure-registry <pushHost>`. */
  pushHost: string;
  /** For image names in pod specs: nodes pull from `localhost:<hostPort>`. */
  pullHost: string;
  credentials: { username: string; password: string };
  /** Things the user should know, e.g. images not surviving a registry restart. */
  warnings: string[];
}

/** The registry as it is deployed now (InClusterRegistry.status()). */
export interface InClusterRegistryStatus {
  deployed: boolean;
  ready: boolean;
  /** 'ready', or what the pod is doing (`describePods`). */
  state: string;
  storage?: 'pvc' | 'emptyDir';
  /** The port nodes pull from as localhost:<hostPort>: the proxy DaemonSet's (or, on a registry from before the proxy, its own pod's). */
  hostPort?: number;
  /** The registry proxy on the nodes: how many should run one and how many are ready. */
  proxy?: { desired: number; ready: number };
  /** A ready registry pod, e.g. to port-forward to. */
  pod?: string;
  credentials?: { username: string; password: string };
}

/** The options the project's settings give (config.yaml `internalRegistry:`); absent = defaults. */
export function inClusterRegistryOptions(s: InClusterRegistrySettings | undefined): Pick<InClusterRegistryOptions, 'hostPort' | 'namespace' | 'image' | 'proxyImage'> {
  return {
    ...(s?.port !== undefined ? { hostPort: s.port } : {}),
    ...(s?.namespace ? { namespace: s.namespace } : {}),
    ...(s?.image ? { image: s.image } : {}),
    ...(s?.proxyImage ? { proxyImage: s.proxyImage } : {}),
  };
}

export class InClusterRegistry {
  readonly namespace: string;
  private readonly image: string;
  private readonly hostPort: number;
  private readonly clock: Clock;
  private readonly random: (n: number) => Buffer;
  private readonly api: ClusterApis;

  constructor(private readonly kc: KubeConfig, private readonly opts: InClusterRegistryOptions) {
    this.namespace = opts.namespace ?? DEFAULT_REGISTRY_NAMESPACE;
    this.image = opts.image ?? 'registry:2';
    this.hostPort = opts.hostPort ?? 5000;
    this.clock = opts.clock ?? realClock;
    this.random = opts.randomBytes ?? nodeRandomBytes;
    this.api = clusterApis(kc, opts);
  }

  get pushHost(): string {
    return `${REGISTRY_NAME}.${this.namespace}.svc.cluster.local:${REGISTRY_PORT}`;
  }

  get pullHost(): string {
    return `localhost:${this.hostPort}`;
  }

  /** The credential store key: one per cluster and namespace (every cluster's registry is `localhost:5000`). */
  get storeKey(): string {
    const server = this.api.server.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
    return `${REGISTRY_NAME}.${this.namespace}@${server}`;
  }

  /** Creates what is missing, updates what differs, then (unless `wait: false`) waits until the registry pod is ready. */
  async ensure(): Promise<InClusterRegistryInfo> {
    const { core, apps, server } = this.api;
    const ns = this.namespace;
    const progress = this.opts.onProgress ?? (() => {});
    const warnings: string[] = [];

    progress(`Preparing the in-cluster registry in namespace "${ns}"`);
    const seen = await this.alreadyInPlace();
    if ('info' in seen) {
      progress('The in-cluster registry is ready');
      return seen.info;
    }
    let existingNs = seen.namespace;
    if (existingNs?.metadata?.deletionTimestamp) {
      // A remove() a moment ago: objects cannot be created in a terminating namespace.
      existingNs = await this.waitForNamespaceGone(progress);
    }
    // A namespace the user made stays theirs: we neither label it nor delete it later.
    if (!existingNs) await call(server, `Creating namespace "${ns}"`, () => core.patchNamespace({ name: ns, body: namespaceManifest(ns), ...applyParams }, APPLY));

    // The Secret read above still holds unless the namespace was being deleted meanwhile.
    const credentials = await this.password(existingNs === seen.namespace ? { secret: seen.secret } : undefined);
    const params: RegistryManifestParams = {
      namespace: ns,
      image: this.image,
      hostPort: this.hostPort,
      username: credentials.username,
      password: credentials.password,
      htpasswd: credentials.htpasswd,
      storageSize: this.opts.storageSize ?? '10Gi',
    };

    const storage = await this.storage();
    if (storage.claim) params.dataClaim = DATA_CLAIM_NAME;
    if (storage.warning) warnings.push(storage.warning);

    await call(server, `Saving the registry password Secret "${AUTH_SECRET_NAME}"`, () =>
      core.patchNamespacedSecret({ name: AUTH_SECRET_NAME, namespace: ns, body: authSecretManifest(params), ...applyParams }, APPLY),
    );
    if (params.dataClaim) {
      await call(server, `Creating the registry storage claim "${DATA_CLAIM_NAME}"`, () =>
        core.patchNamespacedPersistentVolumeClaim({ name: DATA_CLAIM_NAME, namespace: ns, body: dataClaimManifest(params), ...applyParams }, APPLY),
      );
    }
    const deployment = deploymentManifest(params);
    deployment.metadata = {
      ...deployment.metadata,
      annotations: { ...deployment.metadata?.annotations, [CONFIG_ANNOTATION]: configDigest(params, storage.warning), ...(storage.warning ? { [STORAGE_WARNING_ANNOTATION]: storage.warning } : {}) },
    };
    await call(server, `Deploying the registry "${REGISTRY_NAME}"`, () =>
      apps.patchNamespacedDeployment({ name: REGISTRY_NAME, namespace: ns, body: deployment, ...applyParams }, APPLY),
    );
    await call(server, `Creating the registry Service "${REGISTRY_NAME}"`, () =>
      core.patchNamespacedService({ name: REGISTRY_NAME, namespace: ns, body: serviceManifest(params), ...applyParams }, APPLY),
    );
    // The proxy is applied before either is waited for: on a registry from before the proxy, its
    // old pod holds the hostPort until the Recreate above ends it, and the proxy pod on that node is
    // scheduled once it is gone.
    await ensureRegistryProxy(this.kc, { ...this.proxyOptions(progress), wait: false });
    const stored = await this.opts.store.get(this.storeKey);
    if (stored?.username !== credentials.username || stored.password !== credentials.password) {
      await this.opts.store.set(this.storeKey, { username: credentials.username, password: credentials.password });
    }

    if (this.opts.wait !== false) {
      await this.waitUntilReady(progress);
      await ensureRegistryProxy(this.kc, this.proxyOptions(progress));
    }
    return { namespace: ns, pushHost: this.pushHost, pullHost: this.pullHost, credentials: { username: credentials.username, password: credentials.password }, warnings };
  }

  private proxyOptions(progress: (m: string) => void): EnsureRegistryProxyOptions {
    const o = this.opts;
    return {
      namespace: this.namespace,
      hostPort: this.hostPort,
      onProgress: progress,
      clock: this.clock,
      ...(o.proxyImage ? { image: o.proxyImage } : {}),
      ...(o.readyTimeoutMs !== undefined ? { readyTimeoutMs: o.readyTimeoutMs } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    };
  }

  /**
   * What is deployed now, read only (creates nothing): whether the Deployment exists and is
   * ready, its storage, the hostPort nodes pull from, a ready pod (to reach the registry through a
   * port-forward) and the login (the cluster Secret's, else this machine's stored one).
   */
  async status(): Promise<InClusterRegistryStatus> {
    const { core, apps, server } = this.api;
    const ns = this.namespace;
    const d = await getOrUndefined(server, `Reading the registry Deployment "${REGISTRY_NAME}"`, () => apps.readNamespacedDeployment({ name: REGISTRY_NAME, namespace: ns }));
    if (!d) return { deployed: false, ready: false, state: `no registry Deployment in namespace "${ns}"` };
    const spec = d.spec?.template?.spec;
    // A registry from before the proxy holds the hostPort itself.
    const ownPort = spec?.containers?.[0]?.ports?.find((p) => p.containerPort === REGISTRY_PORT)?.hostPort;
    const data = spec?.volumes?.find((v) => v.name === 'data');
    const s = d.status ?? {};
    const current = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
    const [pods, proxy] = await Promise.all([
      call(server, 'Listing the registry pods', () => core.listNamespacedPod({ namespace: ns, labelSelector: REGISTRY_SELECTOR })),
      registryProxyStatus(this.kc, ns, this.opts),
    ]);
    const readyPod = pods.items.find((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const registryReady = current && (s.availableReplicas ?? 0) >= 1 && !!readyPod;
    const proxyReady = proxy.deployed ? proxy.current && proxy.desired > 0 && proxy.ready === proxy.desired : !!ownPort;
    const ready = registryReady && proxyReady;
    const hostPort = proxy.hostPort ?? ownPort;
    const proxyState = !proxy.deployed
      ? `the registry proxy (DaemonSet "${PROXY_NAME}") is not deployed, so nodes cannot pull from localhost:${this.hostPort}`
      : `registry proxy ${proxy.ready}/${proxy.desired} node(s) ready${proxy.nodes.filter((n) => !n.ready).map((n) => `; ${n.node || n.pod}: ${n.state}`).join('')}`;
    const secret = await getOrUndefined(server, `Reading the registry password Secret "${AUTH_SECRET_NAME}"`, () => core.readNamespacedSecret({ name: AUTH_SECRET_NAME, namespace: ns }));
    const field = (k: string) => (secret?.data?.[k] ? Buffer.from(secret.data[k], 'base64').toString('utf8') : undefined);
    const stored = await this.opts.store.get(this.storeKey);
    const username = field('username') ?? stored?.username;
    const password = field('password') ?? stored?.password;
    return {
      deployed: true,
      ready,
      state: ready ? 'ready' : registryReady ? proxyState : describePods(pods.items),
      storage: data?.persistentVolumeClaim ? 'pvc' : 'emptyDir',
      ...(hostPort ? { hostPort } : {}),
      ...(proxy.deployed ? { proxy: { desired: proxy.desired, ready: proxy.ready } } : {}),
      ...(readyPod?.metadata?.name ? { pod: readyPod.metadata.name } : {}),
      ...(username && password ? { credentials: { username, password } } : {}),
    };
  }

  /**
   * A warm Up's ensure(): one round of reads in parallel (namespace, password Secret, Deployment,
   * Service) instead of reads, applies and a readiness poll one after another. The registry is
   * in place when the Deployment carries the digest of exactly what ensure() would apply now and
   * is ready (unless `wait: false`); else undefined, and ensure() goes the whole way. Storage is
   * what the Deployment uses: a default StorageClass added since is taken up on the next change.
   */
  private async alreadyInPlace(): Promise<{ info: InClusterRegistryInfo } | { namespace: V1Namespace | undefined; secret: V1Secret | undefined }> {
    const { core, apps, server } = this.api;
    const ns = this.namespace;
    const [namespace, secret, d, svc, proxy] = await Promise.all([
      getOrUndefined(server, `Reading namespace "${ns}"`, () => core.readNamespace({ name: ns })),
      getOrUndefined(server, `Reading the registry password Secret "${AUTH_SECRET_NAME}"`, () => core.readNamespacedSecret({ name: AUTH_SECRET_NAME, namespace: ns })),
      getOrUndefined(server, `Reading the registry Deployment "${REGISTRY_NAME}"`, () => apps.readNamespacedDeployment({ name: REGISTRY_NAME, namespace: ns })),
      getOrUndefined(server, `Reading the registry Service "${REGISTRY_NAME}"`, () => core.readNamespacedService({ name: REGISTRY_NAME, namespace: ns })),
      getOrUndefined(server, `Reading the registry proxy DaemonSet "${PROXY_NAME}"`, () => apps.readNamespacedDaemonSet({ name: PROXY_NAME, namespace: ns })),
    ]);
    // What ensure() reads anyway when it has to go the whole way.
    const seen = { namespace, secret };
    if (!namespace || namespace.metadata?.deletionTimestamp || !secret || !d || d.metadata?.deletionTimestamp || !svc || svc.metadata?.deletionTimestamp) return seen;
    const digest = d.metadata?.annotations?.[CONFIG_ANNOTATION];
    if (!digest) return seen;
    const login = verifiedLogin(secret);
    if (!login) return seen;
    const claim = (d.spec?.template?.spec?.volumes ?? []).some((v) => v.name === 'data' && !!v.persistentVolumeClaim);
    const warning = claim ? undefined : d.metadata?.annotations?.[STORAGE_WARNING_ANNOTATION];
    const params: RegistryManifestParams = {
      namespace: ns, image: this.image, hostPort: this.hostPort, ...login, storageSize: this.opts.storageSize ?? '10Gi',
      ...(claim ? { dataClaim: DATA_CLAIM_NAME } : {}),
    };
    if (digest !== configDigest(params, warning)) return seen;
    if (this.opts.wait !== false && !deploymentReady(d)) return seen;
    if (!registryProxyInPlace(proxy, { namespace: ns, hostPort: this.hostPort, ...(this.opts.proxyImage ? { image: this.opts.proxyImage } : {}) }, this.opts.wait !== false)) return seen;
    const stored = await this.opts.store.get(this.storeKey);
    if (stored?.username !== login.username || stored.password !== login.password) {
      await this.opts.store.set(this.storeKey, { username: login.username, password: login.password });
    }
    return { info: { namespace: ns, pushHost: this.pushHost, pullHost: this.pullHost, credentials: { username: login.username, password: login.password }, warnings: warning ? [warning] : [] } };
  }

  /** Deletes everything ensure() created (by label), the namespace only if ensure() created it, and the stored password. */
  async remove(): Promise<void> {
    const { core, apps, server } = this.api;
    const ns = this.namespace;
    const names = (list: { items: { metadata?: { name?: string } }[] } | undefined) => (list?.items ?? []).map((i) => i.metadata?.name).filter((n): n is string => !!n);
    const gone = <T>(doing: string, f: () => Promise<T>) => getOrUndefined(server, doing, f);
    const selector = { namespace: ns, labelSelector: REGISTRY_SELECTOR };

    await removeRegistryProxy(this.kc, ns, this.opts);
    for (const name of names(await gone(`Listing registry Deployments in "${ns}"`, () => apps.listNamespacedDeployment(selector)))) {
      await gone(`Deleting Deployment "${name}"`, () => apps.deleteNamespacedDeployment({ name, namespace: ns, propagationPolicy: 'Background' }));
    }
    for (const name of names(await gone(`Listing registry Services in "${ns}"`, () => core.listNamespacedService(selector)))) {
      await gone(`Deleting Service "${name}"`, () => core.deleteNamespacedService({ name, namespace: ns }));
    }
    for (const name of names(await gone(`Listing registry Secrets in "${ns}"`, () => core.listNamespacedSecret(selector)))) {
      await gone(`Deleting Secret "${name}"`, () => core.deleteNamespacedSecret({ name, namespace: ns }));
    }
    for (const name of names(await gone(`Listing registry storage claims in "${ns}"`, () => core.listNamespacedPersistentVolumeClaim(selector)))) {
      await gone(`Deleting PersistentVolumeClaim "${name}"`, () => core.deleteNamespacedPersistentVolumeClaim({ name, namespace: ns }));
    }
    const namespace = await gone(`Reading namespace "${ns}"`, () => core.readNamespace({ name: ns }));
    const labels = namespace?.metadata?.labels ?? {};
    if (Object.entries(REGISTRY_LABELS).every(([k, v]) => labels[k] === v)) {
      await gone(`Deleting namespace "${ns}"`, () => core.deleteNamespace({ name: ns }));
    }
    await this.opts.store.delete(this.storeKey);
  }

  /**
   * The registry's password: the cluster Secret's when it is intact (it is what the running
   * registry checks), else this machine's stored one, else a new random one. The htpasswd line is
   * kept when it still matches, so a second ensure() does not restart the registry.
   */
  private async password(read?: { secret: V1Secret | undefined }): Promise<{ username: string; password: string; htpasswd: string }> {
    const { core, server } = this.api;
    const secret = read ? read.secret : await getOrUndefined(server, `Reading the registry password Secret "${AUTH_SECRET_NAME}"`, () => core.readNamespacedSecret({ name: AUTH_SECRET_NAME, namespace: this.namespace }));
    const inCluster = secret ? verifiedLogin(secret) : undefined;
    if (inCluster) return inCluster;
    const stored = await this.opts.store.get(this.storeKey);
    const username = stored?.username ?? REGISTRY_USERNAME;
    // 32 random bytes, URL-safe: no characters that need quoting in docker config or shell.
    const password = stored?.password ?? this.random(32).toString('base64url');
    const htpasswd = `${username}:${bcrypt.hashSync(password, bcrypt.genSaltSync(this.opts.bcryptRounds ?? 4))}\n`;
    return { username, password, htpasswd };
  }

  /** A PVC when the cluster provisions one by default (or we made one before), else emptyDir with a warning. */
  private async storage(): Promise<{ claim: boolean; warning?: string }> {
    const { core, storage, server } = this.api;
    const claim = await getOrUndefined(server, `Reading the registry storage claim "${DATA_CLAIM_NAME}"`, () => core.readNamespacedPersistentVolumeClaim({ name: DATA_CLAIM_NAME, namespace: this.namespace }));
    if (claim) return { claim: true };
    const lost = 'Pushed images do not survive a restart of the registry pod; they are rebuilt and pushed again when needed.';
    try {
      const classes = await storage.listStorageClass();
      const isDefault = classes.items.some((c) => {
        const a = c.metadata?.annotations ?? {};
        return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
      });
      if (isDefault) return { claim: true };
      return { claim: false, warning: `The cluster has no default StorageClass, so the in-cluster registry keeps images in an emptyDir volume. ${lost}` };
    } catch (err) {
      if (statusOf(err) === 403) return { claim: false, warning: `You may not list StorageClasses, so the in-cluster registry keeps images in an emptyDir volume. ${lost}` };
      throw clusterError(err, server, 'Listing StorageClasses');
    }
  }

  private async waitForNamespaceGone(progress: (m: string) => void): Promise<undefined> {
    const { core, server } = this.api;
    const deadline = this.clock.now() + (this.opts.readyTimeoutMs ?? 180_000);
    progress(`Waiting for the previous namespace "${this.namespace}" to finish deleting`);
    for (;;) {
      const ns = await getOrUndefined(server, `Reading namespace "${this.namespace}"`, () => core.readNamespace({ name: this.namespace }));
      if (!ns) return undefined;
      if (this.clock.now() >= deadline) {
        throw new AppError('CLUSTER_ERROR', `The namespace "${this.namespace}" is still being deleted.`, 'Something in it has a finalizer that does not finish (kubectl get all -n ' + this.namespace + '); try again later or pick another registry namespace.');
      }
      await this.clock.sleep(500, this.opts.signal);
    }
  }

  /** Polls the Deployment until its pod is ready; on the deadline says what the pod is stuck on. */
  private async waitUntilReady(progress: (m: string) => void): Promise<void> {
    const { apps, core, server } = this.api;
    const deadline = this.clock.now() + (this.opts.readyTimeoutMs ?? 180_000);
    let last = '';
    for (;;) {
      const d = await call(server, `Reading the registry Deployment "${REGISTRY_NAME}"`, () => apps.readNamespacedDeployment({ name: REGISTRY_NAME, namespace: this.namespace }));
      if (deploymentReady(d)) {
        progress('The in-cluster registry is ready');
        return;
      }
      const pods = await call(server, 'Listing the registry pods', () => core.listNamespacedPod({ namespace: this.namespace, labelSelector: REGISTRY_SELECTOR }));
      const state = describePods(pods.items);
      if (state !== last) progress(`Waiting for the in-cluster registry: ${state}`);
      last = state;
      if (this.clock.now() >= deadline) {
        throw new AppError(
          'CLUSTER_ERROR',
          `The in-cluster registry in namespace "${this.namespace}" did not become ready within ${Math.round((this.opts.readyTimeoutMs ?? 180_000) / 1000)} s: ${state}.`,
          hintFor(state, this.image, this.hostPort, this.namespace),
        );
      }
      await this.clock.sleep(1000, this.opts.signal);
    }
  }
}

/** The registry Deployment has rolled out: its current spec is observed and its one pod is available. */
function deploymentReady(d: V1Deployment): boolean {
  const s = d.status ?? {};
  const current = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  return current && (s.updatedReplicas ?? 0) >= 1 && (s.availableReplicas ?? 0) >= 1 && (s.replicas ?? 0) === (s.updatedReplicas ?? 0);
}

/** Digest of what ensure() applies for these parameters (password and htpasswd included, one-way). */
function configDigest(p: RegistryManifestParams, warning: string | undefined): string {
  const objects = [authSecretManifest(p), p.dataClaim ? dataClaimManifest(p) : null, deploymentManifest(p), serviceManifest(p), warning ?? ''];
  return createHash('sha256').update(JSON.stringify(objects)).digest('hex');
}

/**
 * bcrypt checks already made in this process (digests of htpasswd line and password): a check
 * costs about 100 ms of CPU at cost 10, and every Up would otherwise repeat the same one.
 */
const bcryptVerified = new Set<string>();

/** The password Secret's login when it is intact (its htpasswd line matches its password). */
function verifiedLogin(secret: V1Secret): { username: string; password: string; htpasswd: string } | undefined {
  const field = (k: string) => (secret.data?.[k] ? Buffer.from(secret.data[k], 'base64').toString('utf8') : undefined);
  const username = field('username');
  const password = field('password');
  const htpasswd = field('htpasswd');
  if (!username || !password || !htpasswd) return undefined;
  const line = htpasswd.split('\n').find((l) => l.startsWith(`${username}:`));
  if (!line) return undefined;
  const hash = line.slice(username.length + 1).trim();
  const key = createHash('sha256').update(`${hash}\0${password}`).digest('hex');
  if (!bcryptVerified.has(key)) {
    if (!bcrypt.compareSync(password, hash)) return undefined;
    if (bcryptVerified.size > 100) bcryptVerified.clear();
    bcryptVerified.add(key);
  }
  return { username, password, htpasswd };
}

/** One line about the registry pods, the way `kubectl get pods` + `describe` would put it. */
export function describePods(pods: V1Pod[]): string {
  if (pods.length === 0) return 'no pod yet';
  return pods
    .map((p) => {
      const name = p.metadata?.name ?? 'pod';
      const cs = p.status?.containerStatuses?.[0];
      const waiting = cs?.state?.waiting;
      if (waiting?.reason) return `pod ${name}: ${waiting.reason}${waiting.message ? ` (${firstLine(waiting.message)})` : ''}`;
      const unscheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      if (unscheduled) return `pod ${name}: not scheduled (${firstLine(unscheduled.message ?? unscheduled.reason ?? 'unknown')})`;
      if (cs?.state?.running && !cs.ready) return `pod ${name}: running, not ready yet`;
      if (cs?.state?.terminated) return `pod ${name}: exited (${cs.state.terminated.reason ?? cs.state.terminated.exitCode})`;
      return `pod ${name}: ${p.status?.phase ?? 'Pending'}`;
    })
    .join('; ');
}

function hintFor(state: string, image: string, hostPort: number, namespace: string): string {
  if (/ErrImagePull|ImagePullBackOff|InvalidImageName/.test(state)) return `The nodes cannot pull "${image}". If the cluster has no internet access, mirror it and set the registry image under Settings → In-cluster registry.`;
  if (/free ports|hostPort|port/i.test(state)) return `Port ${hostPort} is taken on the node. Pick another port under Settings → In-cluster registry.`;
  if (/unbound|PersistentVolumeClaim|pvc/i.test(state)) return 'The registry storage claim is not bound: check the default StorageClass, or delete the claim to fall back to emptyDir.';
  if (/CrashLoopBackOff|exited/.test(state)) return `The registry container keeps exiting: look at its log (namespace "${namespace}", Deployment "${REGISTRY_NAME}").`;
  return 'Look at the pod in the cluster (kubectl describe pod), then run Up again.';
}

function firstLine(s: string): string {
  const line = s.trim().split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
