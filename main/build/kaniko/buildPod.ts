// The build pod: a waiting container of the Kaniko debug image (it has busybox, so the app can
// unpack the context with tar and then exec the executor), plus the registry credentials as a
// dockerconfigjson Secret mounted where Kaniko reads them. Every object carries the project's
// labels, so a pod left over by a crashed app is found and removed by the next Up.
import { createHash } from 'node:crypto';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Pod, type V1Secret } from '@kubernetes/client-node';
import { AppError } from '../../ipc/errors';
import { makeApiClient } from '../../kube/apiClient';
import { clusterError, statusOf } from '../../registry/clusterApply';

export const BUILD_POD_PREFIX = 'devspace-build-';
export const BUILD_CONTAINER = 'kaniko';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const PROJECT_LABEL = 'devspace.sh/project';
export const BUILD_LABEL = 'devspace.sh/build';
/** Where Kaniko looks for config.json (its DOCKER_CONFIG). */
export const DOCKER_CONFIG_DIR = '/kaniko/.docker';
/**
 * How long the waiting container lives. Long enough for any build (execs die with it), short
 * enough that a pod orphaned by a crashed app ends by itself even if no Up follows to clean it.
 */
export const BUILD_POD_LIFETIME_S = 3 * 3600;

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** A label value (≤ 63 characters, alphanumeric at both ends) that stands for `s`, the same every time. */
export function labelValue(s: string): string {
  if (/^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)$/.test(s)) return s;
  const hash = createHash('sha256').update(s).digest('hex').slice(0, 10);
  const slug = s.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 50).replace(/[^A-Za-z0-9]+$/, '');
  return slug ? `${slug}-${hash}` : hash;
}

/** Selects every build pod (and Secret) of a project, and nothing else the app created for it. */
export function buildSelector(projectId: string): string {
  return `${MANAGED_BY_LABEL}=devspace-desktop,${PROJECT_LABEL}=${labelValue(projectId)},${BUILD_LABEL}`;
}

export interface BuildPodInput {
  namespace: string;
  projectId: string;
  /** The build hash (hex); its first 12 characters, as in the image tag, label the pod. */
  buildHash: string;
  executorImage: string;
  /** A dockerconfigjson Secret to mount at /kaniko/.docker. */
  secretName?: string;
}

function labels(input: { projectId: string; buildHash: string }): Record<string, string> {
  return { [MANAGED_BY_LABEL]: 'devspace-desktop', [PROJECT_LABEL]: labelValue(input.projectId), [BUILD_LABEL]: labelValue(input.buildHash.slice(0, 12)) };
}

export function buildPodManifest(input: BuildPodInput): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: BUILD_POD_PREFIX, namespace: input.namespace, labels: labels(input) },
    spec: {
      restartPolicy: 'Never',
      // Deleting a build pod must not wait: the executor keeps no state worth a graceful stop.
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      containers: [
        {
          name: BUILD_CONTAINER,
          image: input.executorImage,
          // The debug image's entrypoint is the executor itself; wait instead, and exec it later.
          command: ['sh', '-c', `sleep ${BUILD_POD_LIFETIME_S}`],
          workingDir: '/workspace',
          ...(input.secretName ? { volumeMounts: [{ name: 'docker-config', mountPath: DOCKER_CONFIG_DIR, readOnly: true }] } : {}),
        },
      ],
      ...(input.secretName ? { volumes: [{ name: 'docker-config', secret: { secretName: input.secretName, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }] } : {}),
    },
  };
}

export function registrySecretManifest(input: { namespace: string; projectId: string; buildHash: string; dockerConfigJson: string }): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { generateName: BUILD_POD_PREFIX, namespace: input.namespace, labels: labels(input) },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(input.dockerConfigJson).toString('base64') },
  };
}

/** A created build pod and its Secret; `delete()` removes both and never throws. */
export class BuildPod {
  private constructor(
    private readonly kc: KubeConfig,
    readonly namespace: string,
    readonly name: string,
    readonly uid: string,
    readonly secretName: string | undefined,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Creates the Secret first (a pod whose secret volume is missing waits in FailedMount, on real
   * kubelets with back-off), then the pod, then makes the pod the Secret's owner so the garbage
   * collector removes it with the pod whatever happens to the app.
   */
  static async create(kc: KubeConfig, input: Omit<BuildPodInput, 'secretName'> & { dockerConfigJson?: string; signal?: AbortSignal; log: (line: string) => void }): Promise<BuildPod> {
    const core = makeApiClient(kc, CoreV1Api, { signal: input.signal });
    const server = kc.getCurrentCluster()?.server ?? '';
    let secretName: string | undefined;
    if (input.dockerConfigJson) {
      try {
        const s = await core.createNamespacedSecret({ namespace: input.namespace, body: registrySecretManifest({ ...input, dockerConfigJson: input.dockerConfigJson }) });
        secretName = s.metadata!.name!;
      } catch (err) {
        throw clusterError(err, server, `Creating the registry credentials for the build pod in namespace "${input.namespace}"`);
      }
    }
    let pod: V1Pod;
    try {
      pod = await core.createNamespacedPod({ namespace: input.namespace, body: buildPodManifest({ ...input, secretName }) });
    } catch (err) {
      if (secretName) await deleteQuietly(kc, () => makeApiClient(kc, CoreV1Api).deleteNamespacedSecret({ name: secretName!, namespace: input.namespace }), input.log);
      throw clusterError(err, server, `Creating the build pod in namespace "${input.namespace}"`);
    }
    const built = new BuildPod(kc, input.namespace, pod.metadata!.name!, pod.metadata!.uid!, secretName, input.log);
    if (secretName) {
      try {
        await core.patchNamespacedSecret({
          name: secretName,
          namespace: input.namespace,
          body: { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: built.name, uid: built.uid }] } },
        }, mergePatch);
      } catch (err) {
        // Not fatal: delete() and cleanupLeftovers() remove the Secret by name and label anyway.
        input.log(`kaniko: could not make pod ${built.name} the owner of secret ${secretName}: ${(err as Error).message}`);
      }
    }
    return built;
  }

  /** Deletes the pod at once (grace period 0) and its Secret. Ignores "not found"; logs other failures. */
  async delete(): Promise<void> {
    // A fresh client: the build's signal may already be aborted, and cleanup must still happen.
    const core = makeApiClient(this.kc, CoreV1Api, { timeoutMs: 15_000 });
    await Promise.all([
      deleteQuietly(this.kc, () => core.deleteNamespacedPod({ name: this.name, namespace: this.namespace, gracePeriodSeconds: 0 }), this.log),
      this.secretName ? deleteQuietly(this.kc, () => core.deleteNamespacedSecret({ name: this.secretName!, namespace: this.namespace }), this.log) : undefined,
    ]);
  }
}

/** Removes every build pod and build Secret of the project in `namespace`; returns the pod names removed. */
export async function deleteBuildPods(kc: KubeConfig, namespace: string, projectId: string, opts: { signal?: AbortSignal } = {}): Promise<string[]> {
  const core = makeApiClient(kc, CoreV1Api, { signal: opts.signal });
  const server = kc.getCurrentCluster()?.server ?? '';
  const labelSelector = buildSelector(projectId);
  try {
    const [pods, secrets] = await Promise.all([
      core.listNamespacedPod({ namespace, labelSelector }),
      core.listNamespacedSecret({ namespace, labelSelector }),
    ]);
    const names = pods.items.map((p) => p.metadata!.name!);
    await Promise.all([
      ...names.map((name) => core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(ignoreNotFound)),
      ...secrets.items.map((s) => core.deleteNamespacedSecret({ name: s.metadata!.name!, namespace }).catch(ignoreNotFound)),
    ]);
    return names;
  } catch (err) {
    throw clusterError(err, server, `Removing leftover build pods of the project in namespace "${namespace}"`);
  }
}

function ignoreNotFound(err: unknown): void {
  if (statusOf(err) !== 404) throw err;
}

async function deleteQuietly(_kc: KubeConfig, f: () => Promise<unknown>, log: (line: string) => void): Promise<void> {
  try {
    await f();
  } catch (err) {
    if (statusOf(err) !== 404) log(`kaniko: cleanup failed: ${err instanceof AppError ? err.message : (err as Error).message}`);
  }
}
