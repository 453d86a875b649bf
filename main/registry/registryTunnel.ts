// Reaches the in-cluster registry from this machine for read-only API calls (tags): a listener on
// 127.0.0.1:<random port> whose every connection is a port-forward to the registry pod's :5000,
// through the API server like kubectl port-forward. Chosen over the API server's service proxy
// because that one cannot pass the registry's own Authorization header (the proxy uses it for the
// API server), and over `localhost:<hostPort>` because that exists only on the cluster's nodes.
import { createServer, type Socket } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { openPortForwardSocket, pipeTunnel } from '../ports/podTunnel';

export interface RegistryTunnel {
  /** `127.0.0.1:<port>`: a loopback host, so the registry client speaks plain HTTP to it. */
  host: string;
  close(): Promise<void>;
}

export async function openRegistryTunnel(target: { kubeConfig: KubeConfig; namespace: string; pod: string; remotePort: number }): Promise<RegistryTunnel> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.pause();
    openPortForwardSocket(target)
      .then((opened) => {
        socket.resume();
        return pipeTunnel(socket, opened);
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
