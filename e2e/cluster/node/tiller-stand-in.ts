// Stand-in for the Tiller image (ghcr.io/helm/tiller, gcr.io/kubernetes-helm/tiller). The
// ReleaseService runs inside the node agent (it needs the chart engine and the API server, which
// a pod's network namespace cannot reach); a small relay process in the pod's network namespace
// listens on :44134 (gRPC) and :44135 (http: /liveness, /readiness) and carries each connection
// to the agent over a Unix socket, so port-forward and probes find Tiller at the pod's IP.
// It talks to the API server with the node's token (the test cluster issues no ServiceAccount
// tokens), so Tiller's own RBAC is not what limits it here.
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { ApiClient } from './api-client';
import { HostProcessContainer } from './host-process-container';
import type { StandIn } from './node-context';
import { TILLER_VERSION, tillerService } from './tiller-stand-in-server';

export const TILLER_REPOSITORIES = ['helm/tiller', 'kubernetes-helm/tiller'];

/** The relay: plain Node (no TypeScript), so it starts in a few tens of milliseconds. */
const RELAY = `
const net = require('net');
const [grpcSock, httpSock, host] = process.argv.slice(1);
for (const [port, sock] of [[44134, grpcSock], [44135, httpSock]]) {
  net.createServer((c) => {
    const u = net.connect(sock);
    c.pipe(u); u.pipe(c);
    c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
    c.on('close', () => u.destroy()); u.on('close', () => c.destroy());
  }).on('error', (e) => { console.error('listen ' + host + ':' + port + ': ' + e.message); process.exit(1); })
    .listen(port, host);
}
process.on('SIGTERM', () => process.exit(0));
`;

export function tillerStandIn(api: ApiClient, log: (line: string) => void, repositories = TILLER_REPOSITORIES): StandIn {
  return {
    name: 'tiller',
    repositories,
    start(o) {
      const id = randomBytes(6).toString('hex');
      // Unix socket paths are limited to 108 bytes: keep them short, outside the pod's directory.
      const grpcSock = join(tmpdir(), `tiller-${id}.grpc.sock`);
      const httpSock = join(tmpdir(), `tiller-${id}.http.sock`);
      const namespace = o.env.TILLER_NAMESPACE || 'kube-system';
      const historyMax = Number(o.env.TILLER_HISTORY_MAX ?? 0) || 0;
      const host = o.netnsPath ? '0.0.0.0' : o.podIp;
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
      const args = ['-e', RELAY, grpcSock, httpSock, host];
      const c = o.netnsPath
        ? new HostProcessContainer('nsenter', [`--net=${o.netnsPath}`, process.execPath, ...args], env, o.logPath)
        : new HostProcessContainer(process.execPath, args, env, o.logPath);
      const say = (line: string) => { if (c.running) c.log.write('stderr', `${new Date().toISOString().replace('T', ' ').slice(0, 19)} ${line}\n`); };

      let ready = false;
      const grpcServer = new grpc.Server();
      const service = tillerService({ api, namespace, historyMax, log: (l) => { say(l.replace(/^tiller: /, '')); log(l); } });
      grpcServer.addService(service.definition, service.implementation);
      const http: HttpServer = createServer((req, res) => {
        const ok = req.url === '/liveness' || (req.url === '/readiness' && ready);
        res.writeHead(ok ? 200 : req.url === '/readiness' ? 503 : 404).end(ok ? 'OK' : '');
      });
      say(`[main] Starting Tiller ${TILLER_VERSION} (tls=false)`);
      say(`[main] GRPC listening on :44134`);
      say(`[main] Probes listening on :44135`);
      say(`[main] Storage driver is ConfigMap`);
      say(`[main] Max history per release is ${historyMax}`);
      http.listen(httpSock);
      grpcServer.bindAsync(`unix:${grpcSock}`, grpc.ServerCredentials.createInsecure(), (err) => {
        if (err) { say(`[main] ${err.message}`); void c.kill(0); return; }
        ready = true;
      });
      void c.exited.then(() => {
        grpcServer.forceShutdown();
        http.close();
        http.closeAllConnections();
        rmSync(grpcSock, { force: true });
        rmSync(httpSock, { force: true });
      });
      return c;
    },
  };
}
