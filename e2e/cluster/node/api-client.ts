// How the node agent talks to the API server: HTTPS with the cluster CA and the node's bearer
// token, JSON requests, and list+watch that recovers from drops (re-watch) and 410 Gone (re-list).
import http from 'node:http';
import https from 'node:https';
import { NodeError } from './buildah';

export type KubeObject = { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; [k: string]: unknown }; [k: string]: unknown };
export interface ApiResponse { status: number; body: any }

export class ApiClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(server: string, private readonly token: string, ca?: string) {
    this.url = new URL(server);
    this.agent = this.url.protocol === 'https:' ? new https.Agent({ ca, keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  private raw(method: string, path: string, body?: unknown, contentType = 'application/json', timeoutMs = 30_000): Promise<http.IncomingMessage> {
    const mod = this.url.protocol === 'https:' ? https : http;
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = mod.request({
        host: this.url.hostname, port: this.url.port, path, method, agent: this.agent, timeout: timeoutMs,
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...(data ? { 'Content-Type': contentType, 'Content-Length': data.length } : {}) },
      }, resolve);
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.end(data);
    });
  }

  async request(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiResponse> {
    const res = await this.raw(method, path, body, contentType);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON: keep the text */ }
    return { status: res.statusCode ?? 0, body: parsed };
  }

  /** request() that throws unless the answer is 2xx. */
  async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const r = await this.request(method, path, body, contentType);
    if (r.status < 200 || r.status > 299) {
      const message = typeof r.body === 'object' && r.body?.message ? r.body.message : String(r.body ?? '');
      throw Object.assign(new NodeError('ApiError', `${method} ${path}: ${r.status} ${message}`), { status: r.status });
    }
    return r.body;
  }

  get(path: string): Promise<any> { return this.ok('GET', path); }

  /** GET that returns undefined for 404 instead of throwing. */
  async find(path: string): Promise<any> {
    const r = await this.request('GET', path);
    if (r.status === 404) return undefined;
    if (r.status < 200 || r.status > 299) throw Object.assign(new NodeError('ApiError', `GET ${path}: ${r.status} ${r.body?.message ?? ''}`), { status: r.status });
    return r.body;
  }

  /**
   * Keeps `onEvent` fed with the objects of a collection: list, then watch from the list's
   * resourceVersion; a dropped watch is resumed, a 410 Gone starts over with a list ('SYNC').
   */
  informer(collectionPath: string, query: string, onEvent: (type: 'SYNC' | 'ADDED' | 'MODIFIED' | 'DELETED', obj: any, all?: any[]) => void, log: (l: string) => void = () => {}): { stop(): void } {
    let stopped = false;
    let current: http.IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;
    const q = query ? `&${query}` : '';
    const sleep = (ms: number) => new Promise<void>((r) => { timer = setTimeout(r, ms); });
    const loop = async () => {
      let rv: string | undefined;
      while (!stopped) {
        try {
          if (rv === undefined) {
            const list = await this.get(query ? `${collectionPath}?${query}` : collectionPath);
            rv = list.metadata?.resourceVersion ?? '0';
            onEvent('SYNC', undefined, list.items ?? []);
          }
          const res = await this.raw('GET', `${collectionPath}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}${q}`, undefined, undefined, 0);
          current = res;
          if (res.statusCode === 410) { rv = undefined; res.resume(); continue; }
          if (res.statusCode !== 200) { res.resume(); throw new Error(`watch ${collectionPath}: HTTP ${res.statusCode}`); }
          let buf = '';
          res.setEncoding('utf8');
          for await (const chunk of res) {
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (!line) continue;
              const ev = JSON.parse(line);
              if (ev.type === 'ERROR') {
                if (ev.object?.code === 410) rv = undefined;
                throw new Error(`watch ${collectionPath}: ${ev.object?.message ?? 'error event'}`);
              }
              const newRv = ev.object?.metadata?.resourceVersion;
              if (newRv) rv = newRv;
              if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') onEvent(ev.type, ev.object);
            }
          }
        } catch (e) {
          if (!stopped) log(`${collectionPath} watch: ${(e as Error).message}; resuming`);
        }
        if (!stopped) await sleep(rv === undefined ? 300 : 50);
      }
    };
    void loop();
    return { stop() { stopped = true; if (timer) clearTimeout(timer); current?.destroy(); } };
  }

  close(): void { this.agent.destroy(); }
}
