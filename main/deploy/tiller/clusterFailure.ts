// API failures while working with Tiller, as AppErrors with the shared classifier's code and hint.
import type { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../ipc/errors';
import { describeClusterError } from '../../kube/clusterErrors';

export function clusterFailure(err: unknown, kubeConfig: KubeConfig, doing: string): AppError {
  if (err instanceof AppError) return err;
  const e = describeClusterError(err, kubeConfig.getCurrentCluster()?.server);
  return new AppError(e.code, `${doing}: ${e.message}`, e.hint, { cause: err });
}

/** HTTP status of a failed client-node call, if it was an answer from the API server. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}
