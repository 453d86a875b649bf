// A local address for grpc-js that leads to Tiller's gRPC port: a TCP listener on 127.0.0.1:0
// whose every connection is carried over its own port-forward WebSocket through the API server
// (the same way kubectl port-forward reaches a pod), so no cluster network access is needed.
// The pod is looked up per connection, so a replaced Tiller pod needs no new tunnel.
import type { KubeConfig } from '@kubernetes/client-node';
import { listenPodTunnel } from '../../ports/podTunnel';

export interface TillerTunnel {
  /** "127.0.0.1:PORT", for grpc-js. */
  address: string;
  /** Text the API server or node sent on the error channel of the last failed connection. */
  lastError(): string | undefined;
  close(): Promise<void>;
}

export async function openTillerTunnel(kubeConfig: KubeConfig, namespace: string, pod: string | (() => Promise<string>), remotePort = 44134): Promise<TillerTunnel> {
  const t = await listenPodTunnel(kubeConfig, namespace, pod, remotePort);
  return { address: t.address, lastError: t.lastError, close: t.close };
}
