// Reaches the in-cluster registry from this machine: a listener on 127.0.0.1:<random port> whose
// every connection is a port-forward to the registry pod's :5000 through the API server, like
// kubectl port-forward. Used for "is this tag already there?" before a Kaniko build, for pushes
// from the local Docker daemon, and for the Registry panel's tags. `localhost:<hostPort>` (what the
// nodes pull from) exists only on the cluster's nodes, and the API server's service proxy cannot
// pass the registry's own Authorization header (it spends it on the API server).
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../ipc/errors';
import { makeApiClient } from '../kube/apiClient';
import { describeClusterError } from '../kube/clusterErrors';
import { listenPodTunnel, type LocalPodTunnel } from '../ports/podTunnel';
import { newestReadyPod } from '../ports/readyPods';
import { RegistryClient } from './registryClient';
import { REGISTRY_PORT, REGISTRY_SELECTOR } from './registryManifests';

export interface RegistryTunnel {
  /** `127.0.0.1:<port>`: a loopback host, so registry clients (and Docker) speak plain HTTP to it. */
  host: string;
  /** What the last failed port-forward said (no ready pod, connection refused in the pod …). */
  lastError(): string | undefined;
  close(): Promise<void>;
}

/** The newest ready pod of the in-cluster registry; REGISTRY_UNREACHABLE when none is ready. */
export async function registryPod(kc: KubeConfig, namespace: string): Promise<string> {
  let pods;
  try {
    pods = (await makeApiClient(kc, CoreV1Api).listNamespacedPod({ namespace, labelSelector: REGISTRY_SELECTOR })).items;
  } catch (err) {
    const e = describeClusterError(err, kc.getCurrentCluster()?.server);
    throw new AppError(e.code, e.message, e.hint);
  }
  const name = newestReadyPod(pods);
  if (!name) throw new AppError('REGISTRY_UNREACHABLE', `The in-cluster registry has no ready pod in namespace "${namespace}".`, 'Press Up again: it deploys the registry and waits for it.');
  return name;
}

/** A tunnel to the registry pod: `pod` when known, else the newest ready one, looked up per connection (a replaced pod needs no new tunnel). */
export async function openRegistryTunnel(target: { kubeConfig: KubeConfig; namespace: string; pod?: string }): Promise<RegistryTunnel> {
  const t: LocalPodTunnel = await listenPodTunnel(target.kubeConfig, target.namespace, target.pod ?? (() => registryPod(target.kubeConfig, target.namespace)), REGISTRY_PORT);
  return { host: t.address, lastError: t.lastError, close: t.close };
}

/** A failure through the tunnel says what the port-forward saw. */
export function tunnelFailure(err: unknown, tunnel: RegistryTunnel | undefined): unknown {
  const why = tunnel?.lastError();
  if (!tunnel || !why || !(err instanceof AppError) || err.code === 'CANCELLED') return err;
  return new AppError(err.code, `${err.message} (port-forward to the in-cluster registry: ${why})`, err.hint);
}

/**
 * Whether the in-cluster registry has `repository:tag`, asked through one port-forward to its pod:
 * one pod lookup, one port-forward, one HEAD (plain HTTP and Basic auth are known, so no probes).
 */
export async function inClusterImageExists(o: {
  kubeConfig: KubeConfig; namespace: string; repository: string; tag: string;
  credentials?: { username?: string; password?: string }; signal?: AbortSignal;
}): Promise<boolean> {
  const tunnel = await openRegistryTunnel({ kubeConfig: o.kubeConfig, namespace: o.namespace, pod: await registryPod(o.kubeConfig, o.namespace) });
  try {
    const client = new RegistryClient(tunnel.host, {
      ...(o.credentials ? { credentials: o.credentials } : {}),
      inCluster: { namespace: o.namespace },
      known: { plainHttp: true, basicAuth: true },
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return (await client.manifest(o.repository, o.tag)).exists;
  } catch (err) {
    throw tunnelFailure(err, tunnel);
  } finally {
    await tunnel.close();
  }
}
