// Test-only Kubernetes API server stand-in: real HTTPS on 127.0.0.1, bearer-token auth, /version and
// namespace listing, answering errors as Status objects like the real API server. Records requests
// so tests can check what the client actually sent.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import type { TestCert } from './certificates';

export interface ApiServerOptions {
  cert: TestCert;
  /** When set, requests must carry `Authorization: Bearer <token>`, else 401. */
  token?: string;
  gitVersion?: string;
  namespaces?: string[];
  /** Answer 403 to namespace listing (RBAC without cluster-wide list). */
  forbidNamespaces?: boolean;
  /** Answer every request with this status (e.g. 403, 500). */
  failWith?: { code: number; message: string; reason: string };
  /** Accept connections and never answer. */
  hang?: boolean;
}

export interface RecordedRequest {
  path: string;
  authorization?: string;
}

export interface RunningApiServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer({ cert: opts.cert.certPem, key: opts.cert.keyPem }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    if (opts.hang) return;
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const status = (code: number, reason: string, message: string) =>
      send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) return status(401, 'Unauthorized', 'Unauthorized');
    if (opts.failWith) return status(opts.failWith.code, opts.failWith.reason, opts.failWith.message);
    if (req.method === 'GET' && (path === '/version' || path === '/version/')) {
      return send(200, { major: '1', minor: '32', gitVersion: opts.gitVersion ?? 'v1.32.0', platform: 'linux/amd64' });
    }
    if (req.method === 'GET' && path === '/api/v1/namespaces') {
      if (opts.forbidNamespaces) {
        return status(403, 'Forbidden', 'namespaces is forbidden: User "dev" cannot list resource "namespaces" in API group "" at the cluster scope');
      }
      return send(200, {
        kind: 'NamespaceList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1' },
        items: (opts.namespaces ?? ['default']).map((name) => ({ metadata: { name }, status: { phase: 'Active' } })),
      });
    }
    return status(404, 'NotFound', `the server could not find the requested resource`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
