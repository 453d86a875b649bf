// Proxies pods/{exec,attach,portforward,log} to the pod's node agent, like the real API server
// proxies to the kubelet: the request goes through unchanged (method, path, query, Upgrade and
// Sec-WebSocket-* headers) plus X-Test-Node-Token, and both directions are piped; upgrades as a
// raw socket pipe.

import net from 'node:net';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiCore } from './api-core';
import { byKind } from './resources';
import { ApiError, notFound } from './status';
import type { Faults } from './faults';

export interface KubeletTarget { host: string; port: number }

/** Finds the node agent serving `pod`, or throws the Status the real server would answer. */
export function resolveKubelet(core: ApiCore, ns: string, podName: string): KubeletTarget {
  const pod = core.tryGet(byKind('Pod'), ns, podName);
  if (!pod) throw notFound('pods', '', podName);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw new ApiError(400, 'BadRequest', `pod ${podName} does not have a host assigned`);
  const node = core.tryGet(byKind('Node'), undefined, nodeName);
  const port = node?.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!node || !port) throw new ApiError(500, 'InternalError', `error dialing backend: node "${nodeName}" has no kubelet endpoint`);
  // Nodes of the test cluster live on loopback addresses (127.0.0.N for node N): dial the Node's
  // InternalIP when it is one, never anything beyond this machine.
  const internal = (node.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
  const host = typeof internal === 'string' && /^127\.\d+\.\d+\.\d+$/.test(internal) ? internal : '127.0.0.1';
  return { host, port };
}

const HOP_BY_HOP = new Set(['authorization', 'host', 'x-test-node-token']);

function forwardHeaders(req: IncomingMessage, target: KubeletTarget, nodeToken: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(req.rawHeaders[i].toLowerCase())) out.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  }
  out.push(['Host', `${target.host}:${target.port}`], ['X-Test-Node-Token', nodeToken]);
  return out;
}

/** Raw pipe for upgrade requests (WebSocket exec/attach/portforward, and SPDY which the node refuses). */
export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: KubeletTarget, nodeToken: string, faults: Faults): void {
  const upstream = net.connect(target.port, target.host);
  const drop = () => { socket.destroy(); upstream.destroy(); };
  const untrack = faults.trackStream(drop);
  upstream.on('connect', () => {
    let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
    for (const [k, v] of forwardHeaders(req, target, nodeToken)) text += `${k}: ${v}\r\n`;
    upstream.write(text + '\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', (err) => {
    if (!socket.destroyed && (upstream.bytesRead ?? 0) === 0) writeRawStatus(socket, new ApiError(500, 'InternalError', `error dialing backend: ${err.message}`));
    drop();
  });
  socket.on('error', drop);
  socket.on('close', () => { untrack(); upstream.destroy(); });
  upstream.on('close', () => { untrack(); socket.end(); });
}

/** Streaming HTTP proxy (pods/log). */
export function proxyHttp(req: IncomingMessage, res: ServerResponse, target: KubeletTarget, nodeToken: string, faults: Faults): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of forwardHeaders(req, target, nodeToken)) headers[k] = v;
  const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: req.url, headers });
  const untrack = faults.trackStream(() => { upstream.destroy(); res.destroy(); });
  upstream.on('response', (ur) => {
    res.writeHead(ur.statusCode ?? 502, ur.headers);
    res.flushHeaders();
    ur.pipe(res);
    ur.on('close', untrack);
  });
  upstream.on('error', (err) => {
    untrack();
    if (!res.headersSent) {
      const e = new ApiError(500, 'InternalError', `error dialing backend: ${err.message}`);
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify(e.toStatus()));
    } else res.destroy();
  });
  res.on('close', () => { upstream.destroy(); untrack(); });
  req.pipe(upstream);
}

export function writeRawStatus(socket: Duplex, e: ApiError): void {
  const body = JSON.stringify(e.toStatus());
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[e.code] ?? 'Error';
  socket.end(`HTTP/1.1 ${e.code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
