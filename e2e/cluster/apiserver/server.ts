// Starts the test cluster's API server: HTTPS on 127.0.0.1 with a per-start CA, bearer tokens,
// the REST handler, the controllers, and the seeded namespaces and RBAC objects.

import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ObjectStore } from './store';
import { ApiCore } from './api-core';
import { createServingCerts } from './certs';
import { generateTokens, seedRbac, type Tokens } from './auth';
import { Faults, RequestCounter } from './faults';
import { RestHandler } from './rest-handler';
import { byKind } from './resources';
import { startScheduler } from './controllers/scheduler';
import { startReplicaSetController } from './controllers/replicaset';
import { startDeploymentController } from './controllers/deployment';
import { startEndpointsController } from './controllers/endpoints';
import { startDaemonSetController } from './controllers/daemonset';
import { startLifecycleControllers } from './controllers/garbage-collector';

export interface ApiServerOptions {
  log?: (line: string) => void;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (real servers: about a minute). */
  bookmarkIntervalMs?: number;
  /** Events kept for watch resumption; older resourceVersions answer 410 Gone. */
  historyWindow?: number;
}

export interface ApiServer {
  url: string; port: number; caPem: string; tokens: Tokens;
  core: ApiCore; store: ObjectStore; faults: Faults; requests: RequestCounter;
  /** Shrinks or grows the watch history window (tests use it to provoke 410 Gone). */
  setWatchHistoryWindow(n: number): void;
  stop(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const log = options.log ?? (() => {});
  const certs = await createServingCerts();
  const tokens = generateTokens();
  const store = new ObjectStore();
  if (options.historyWindow) store.setHistoryWindow(options.historyWindow);
  const core = new ApiCore(store);
  const faults = new Faults();
  const requests = new RequestCounter();

  const nsT = byKind('Namespace');
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'limited']) core.create(nsT, undefined, { metadata: { name } });
  seedRbac(core);
  core.create(byKind('Service'), 'default', {
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { ports: [{ name: 'https', port: 443, targetPort: 6443 }], clusterIP: '10.96.0.1' },
  });

  let port = 0;
  const handler = new RestHandler({ core, tokens, faults, requests, log, watch: { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000, defaultTimeoutSeconds: 1800 }, serverAddress: () => `127.0.0.1:${port}` });
  const server = https.createServer({ key: certs.keyPem, cert: certs.certPem, ca: certs.caPem });
  server.keepAliveTimeout = 30_000;
  server.on('request', (req, res) => { void handler.handle(req, res); });
  server.on('upgrade', (req, socket, head) => { void handler.handleUpgrade(req, socket, head); });
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('tlsClientError', () => { /* clients that drop mid-handshake are normal in tests */ });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', () => resolve()); });
  port = (server.address() as AddressInfo).port;

  const stops = [
    startLifecycleControllers(core, log, certs.caPem),
    startScheduler(core, log),
    startReplicaSetController(core, log),
    startDeploymentController(core, log),
    startDaemonSetController(core, log),
    startEndpointsController(core, log),
  ];
  log(`apiserver: listening on https://127.0.0.1:${port}`);

  return {
    url: `https://127.0.0.1:${port}`, port, caPem: certs.caPem, tokens, core, store, faults, requests,
    setWatchHistoryWindow: (n) => store.setHistoryWindow(n),
    async stop() {
      for (const s of stops) s();
      core.dispose();
      faults.dropStreams();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
      });
    },
  };
}
