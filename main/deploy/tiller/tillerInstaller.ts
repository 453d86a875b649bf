// Deploys Tiller where a project uses Helm 2 and none runs, the way `helm init` does but
// namespace-scoped: its own ServiceAccount `tiller` with Roles in Tiller's namespace and in the
// project's namespaces only (never cluster-admin), Deployment + Service `tiller-deploy`. Then
// waits (watching the pods) until Tiller is ready, and explains why when it does not get there.
import { AppsV1Api, CoreV1Api, RbacAuthorizationV1Api, Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { AppError } from '../../ipc/errors';
import { makeApiClient } from '../../kube/apiClient';
import { clusterFailure, statusOf } from './clusterFailure';
import { TILLER_PORT, TILLER_SELECTOR } from './tillerClient';

export const TILLER_IMAGE = 'ghcr.io/helm/tiller:v2.17.0';
const LABELS = { app: 'helm', name: 'tiller' };

export interface TillerInstallOptions {
  kubeConfig: KubeConfig;
  tillerNamespace: string;
  /** Namespaces Tiller deploys releases into; each gets a Role for Tiller. */
  projectNamespaces: string[];
  image?: string;
  historyMax?: number;
  /** How long to wait for a ready Tiller pod (default 3 minutes). */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Told of each object this call created, with how to delete it (Up undoes a cancelled install). */
  onCreated?: (what: string, remove: () => Promise<unknown>) => void;
}

export interface TillerInstallResult { installed: boolean; pod: string }

/** The objects `ensureTiller` creates, for review and tests. */
export function tillerObjects(o: Pick<TillerInstallOptions, 'tillerNamespace' | 'projectNamespaces' | 'image' | 'historyMax'>) {
  const ns = o.tillerNamespace;
  const roleNamespaces = [...new Set([ns, ...o.projectNamespaces])];
  // Namespace-scoped "admin" for Tiller: it manages whatever a chart contains, but only here.
  const role = (namespace: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'tiller-manager', namespace, labels: LABELS },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  });
  const binding = (namespace: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'tiller-binding', namespace, labels: LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tiller-manager' },
    subjects: [{ kind: 'ServiceAccount', name: 'tiller', namespace: ns }],
  });
  const probe = (path: string) => ({ httpGet: { path, port: 44135 }, initialDelaySeconds: 1, timeoutSeconds: 1, periodSeconds: 1 });
  return {
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'tiller', namespace: ns, labels: LABELS } },
    roles: roleNamespaces.map(role),
    roleBindings: roleNamespaces.map(binding),
    deployment: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tiller-deploy', namespace: ns, labels: LABELS },
      spec: {
        replicas: 1, selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: 'tiller', automountServiceAccountToken: true,
            containers: [{
              name: 'tiller', image: o.image ?? TILLER_IMAGE, imagePullPolicy: 'IfNotPresent',
              ports: [{ containerPort: TILLER_PORT, name: 'tiller' }, { containerPort: 44135, name: 'http' }],
              env: [{ name: 'TILLER_NAMESPACE', value: ns }, { name: 'TILLER_HISTORY_MAX', value: String(o.historyMax ?? 10) }],
              readinessProbe: probe('/readiness'), livenessProbe: probe('/liveness'),
            }],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'tiller-deploy', namespace: ns, labels: LABELS },
      spec: { type: 'ClusterIP', selector: LABELS, ports: [{ name: 'tiller', port: TILLER_PORT, targetPort: 'tiller' }] },
    },
  };
}

function isReady(p: V1Pod): boolean {
  return !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && !!p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Why a Tiller pod is not ready, in the words `kubectl describe` would use. */
export function whyNotReady(p: V1Pod | undefined): string {
  if (!p) return 'no Tiller pod was created (check the tiller-deploy Deployment and ReplicaSet events)';
  const c = p.status?.containerStatuses?.find((s) => s.name === 'tiller') ?? p.status?.containerStatuses?.[0];
  const waiting = c?.state?.waiting;
  if (waiting?.reason) return `container tiller is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
  const unscheduled = p.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
  if (unscheduled) return `pod ${p.metadata?.name} is not scheduled: ${unscheduled.message ?? unscheduled.reason ?? ''}`;
  if (c?.state?.terminated) return `container tiller exited with code ${c.state.terminated.exitCode} (${c.state.terminated.reason ?? ''})`;
  if (p.status?.phase === 'Running') return `pod ${p.metadata?.name} runs but is not ready (readiness probe /readiness on port 44135)`;
  return `pod ${p.metadata?.name} is ${p.status?.phase ?? 'Pending'}`;
}

export async function ensureTiller(o: TillerInstallOptions): Promise<TillerInstallResult> {
  const log = o.log ?? (() => {});
  const kc = o.kubeConfig;
  const opts = o.signal ? { signal: o.signal } : {};
  const core = makeApiClient(kc, CoreV1Api, opts);
  const apps = makeApiClient(kc, AppsV1Api, opts);
  const rbac = makeApiClient(kc, RbacAuthorizationV1Api, opts);
  const ns = o.tillerNamespace;

  let pods: V1Pod[];
  try { pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: TILLER_SELECTOR })).items; } catch (e) { throw clusterFailure(e, kc, `Looking for Tiller in namespace "${ns}"`); }
  const running = pods.find(isReady);
  if (running?.metadata?.name) return { installed: false, pod: running.metadata.name };

  let installed = false;
  const create = async (what: string, f: () => Promise<unknown>, remove: () => Promise<unknown>) => {
    try { await f(); installed = true; log(`created ${what}`); o.onCreated?.(what, remove); } catch (e) {
      if (statusOf(e) === 409) return; // already there (an earlier, interrupted install)
      throw clusterFailure(e, kc, `Installing Tiller: creating ${what}`);
    }
  };
  const objs = tillerObjects(o);
  let hasDeployment = true;
  try { await apps.readNamespacedDeployment({ name: 'tiller-deploy', namespace: ns }); } catch (e) {
    if (statusOf(e) !== 404) throw clusterFailure(e, kc, 'Looking for the tiller-deploy Deployment');
    hasDeployment = false;
  }
  if (!hasDeployment) {
    log(`installing Tiller (${objs.deployment.spec.template.spec.containers[0]!.image}) into namespace ${ns}`);
    // Removal uses clients without the caller's signal: it runs after a cancel.
    const core2 = makeApiClient(kc, CoreV1Api);
    const apps2 = makeApiClient(kc, AppsV1Api);
    const rbac2 = makeApiClient(kc, RbacAuthorizationV1Api);
    await create(`ServiceAccount ${ns}/tiller`, () => core.createNamespacedServiceAccount({ namespace: ns, body: objs.serviceAccount }), () => core2.deleteNamespacedServiceAccount({ name: 'tiller', namespace: ns }));
    for (const r of objs.roles) await create(`Role ${r.metadata.namespace}/${r.metadata.name}`, () => rbac.createNamespacedRole({ namespace: r.metadata.namespace, body: r }), () => rbac2.deleteNamespacedRole({ name: r.metadata.name, namespace: r.metadata.namespace }));
    for (const b of objs.roleBindings) await create(`RoleBinding ${b.metadata.namespace}/${b.metadata.name}`, () => rbac.createNamespacedRoleBinding({ namespace: b.metadata.namespace, body: b }), () => rbac2.deleteNamespacedRoleBinding({ name: b.metadata.name, namespace: b.metadata.namespace }));
    await create(`Deployment ${ns}/tiller-deploy`, () => apps.createNamespacedDeployment({ namespace: ns, body: objs.deployment }), () => apps2.deleteNamespacedDeployment({ name: 'tiller-deploy', namespace: ns, propagationPolicy: 'Background' }));
    await create(`Service ${ns}/tiller-deploy`, () => core.createNamespacedService({ namespace: ns, body: objs.service }), () => core2.deleteNamespacedService({ name: 'tiller-deploy', namespace: ns }));
  }
  const pod = await waitForTiller(o);
  return { installed, pod };
}

/** Watches Tiller's pods until one is ready; on timeout or cancel, says what the pod is stuck on. */
export async function waitForTiller(o: Pick<TillerInstallOptions, 'kubeConfig' | 'tillerNamespace' | 'readyTimeoutMs' | 'signal'>): Promise<string> {
  const kc = o.kubeConfig;
  const ns = o.tillerNamespace;
  const core = makeApiClient(kc, CoreV1Api, o.signal ? { signal: o.signal } : {});
  const pods = new Map<string, V1Pod>();
  let list;
  try { list = await core.listNamespacedPod({ namespace: ns, labelSelector: TILLER_SELECTOR }); } catch (e) { throw clusterFailure(e, kc, 'Waiting for Tiller'); }
  for (const p of list.items) pods.set(p.metadata!.name!, p);
  const readyNow = [...pods.values()].find(isReady);
  if (readyNow) return readyNow.metadata!.name!;

  return new Promise<string>((resolve, reject) => {
    let watch: AbortController | undefined;
    let settled = false;
    const finish = (err: Error | undefined, name?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', cancel);
      watch?.abort();
      if (err) reject(err); else resolve(name!);
    };
    const latest = () => [...pods.values()].filter((p) => !p.metadata?.deletionTimestamp).pop();
    const timer = setTimeout(() => finish(new AppError('CLUSTER_ERROR', `Tiller did not become ready in namespace "${ns}": ${whyNotReady(latest())}.`,
      'Look at the tiller-deploy pod\'s events (kubectl -n ' + ns + ' describe pod -l ' + TILLER_SELECTOR + ').')), o.readyTimeoutMs ?? 180_000);
    const cancel = () => finish(new AppError('CANCELLED', 'Waiting for Tiller was cancelled.'));
    o.signal?.addEventListener('abort', cancel, { once: true });
    const start = (rv: string | undefined) => {
      new Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, { labelSelector: TILLER_SELECTOR, ...(rv ? { resourceVersion: rv } : {}) }, (type, obj: V1Pod) => {
        const name = obj.metadata?.name;
        if (!name) return;
        if (type === 'DELETED') pods.delete(name); else pods.set(name, obj);
        if (isReady(obj) && type !== 'DELETED') finish(undefined, name);
      }, (err) => {
        // A dropped watch is resumed from the start (the list above is only a snapshot).
        if (!settled) setTimeout(() => { if (!settled) start(undefined); }, err ? 500 : 0);
      }).then((w) => { if (settled) w.abort(); else watch = w; }, (e) => finish(clusterFailure(e, kc, 'Watching Tiller\'s pods')));
    };
    start(list.metadata?.resourceVersion);
  });
}
