// The browser host: serves the built renderer on 127.0.0.1 and carries the same contract as the
// Electron IPC over one WebSocket (/api), guarded by a random per-run token. Used by the e2e
// suite on machines without an Electron binary, and by users who want the app in a browser.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostToPage, PageToHost } from '../../renderer/api/wireMessages';
import { type ApiHandlers, dispatch } from '../ipc/dispatch';
import type { EventBus } from '../ipc/events';
import { EventBatcher } from './eventBatcher';
import { SECURITY_HEADERS, SESSION_COOKIE, cookieValue, hostAllowed, newToken, originAllowed, tokensEqual } from './security';
import { readStatic } from './staticFiles';

export interface BrowserHostOptions {
  handlers: ApiHandlers;
  events: EventBus;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 or undefined: a random free port. */
  port?: number;
  token?: string;
  log?: (line: string) => void;
}

export interface BrowserHost {
  /** Open this URL (it carries the token once; the page then holds an HttpOnly cookie). */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newToken();
  const log = options.log ?? (() => {});
  let port = 0;

  const authorised = (req: http.IncomingMessage, url: URL) =>
    tokensEqual(cookieValue(req, SESSION_COOKIE), token) || tokensEqual(url.searchParams.get('token'), token);

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (!hostAllowed(req, port)) return send(403, 'Forbidden: unexpected Host header.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed.\n', { Allow: 'GET, HEAD' });
    if (!authorised(req, url)) {
      return send(401, 'Unauthorized: open the URL that `npm start` printed (it carries this run\'s token).\n');
    }
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      return send(302, '', {
        'Set-Cookie': `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
      });
    }
    const file = await readStatic(options.staticDir, url.pathname);
    if (file.status !== 200) {
      const text = { 400: 'Bad request.\n', 403: 'Forbidden.\n', 404: 'Not found.\n' }[file.status];
      return send(file.status, text);
    }
    const isHtml = file.type.startsWith('text/html');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.type,
      'Cache-Control': isHtml ? 'no-store' : 'private, max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/api') return refuse(404, 'Not Found');
    if (!hostAllowed(req, port) || !originAllowed(req, port)) return refuse(403, 'Forbidden');
    if (!authorised(req, url)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws));
  });

  const serveConnection = (ws: WebSocket) => {
    const sendMsg = (msg: HostToPage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const batcher = new EventBatcher((events) => sendMsg({ t: 'events', events }));
    const unsubscribe = options.events.subscribe((event, payload) => batcher.push(event, payload));
    ws.on('message', async (data) => {
      let msg: PageToHost;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return ws.close(1003, 'bad message');
      }
      if (!msg || msg.t !== 'call' || typeof msg.id !== 'number') return ws.close(1003, 'bad message');
      const result = await dispatch(options.handlers, msg.method, msg.args, log);
      // Events emitted while handling this call go out before its answer, in order.
      batcher.drain();
      sendMsg({ t: 'result', id: msg.id, result });
    });
    ws.on('close', () => {
      unsubscribe();
      batcher.dispose();
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
