// A local address for grpc-js that leads to Tiller's gRPC port: a TCP listener on 127.0.0.1:0
// whose every connection is carried over its own port-forward WebSocket through the API server
// (the same way kubectl port-forward reaches a pod), so no cluster network access is needed.
// The pod is looked up per connection, so a replaced Tiller pod needs no new tunnel.
import { createServer, type Server, type Socket } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { openPortForwardSocket, pipeTunnel } from '../../ports/podTunnel';

export interface TillerTunnel {
  /** "127.0.0.1:PORT", for grpc-js. */
  address: string;
  /** Text the API server or node sent on the error channel of the last failed connection. */
  lastError(): string | undefined;
  close(): Promise<void>;
}

export async function openTillerTunnel(kubeConfig: KubeConfig, namespace: string, pod: string | (() => Promise<string>), remotePort = 44134): Promise<TillerTunnel> {
  const podName = typeof pod === 'string' ? () => Promise.resolve(pod) : pod;
  const sockets = new Set<Socket>();
  let lastError: string | undefined;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Hold the client's bytes until the WebSocket is open (pipeTunnel resumes the socket).
    socket.pause();
    podName().then((name) => openPortForwardSocket({ kubeConfig, namespace, pod: name, remotePort })).then(
      (ws) => {
        void pipeTunnel(socket, ws, { onRemoteError: (t) => { lastError = t; } });
        socket.resume();
      },
      (e: Error) => { lastError = e.message; socket.destroy(); },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    lastError: () => lastError,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
