// A small Docker Engine API client: HTTP over the daemon's unix socket (or TCP), streaming request
// bodies, newline-delimited JSON responses, and connection failures in the user's words
// ("Docker is not running", "no permission to use the Docker socket").
import http from 'node:http';
import type { Readable } from 'node:stream';
import { AppError } from '../../ipc/errors';
import { BUILD_ERROR_CODES } from '../buildErrors';
import { describeEndpoint, type DockerEndpoint } from './dockerHost';

export interface EngineRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'HEAD';
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: Readable | Buffer;
  signal?: AbortSignal;
}

export const DAEMON_HINT = 'Start Docker Desktop (or the Docker service), or set DOCKER_HOST to where your daemon listens (e.g. unix:///run/podman/podman.sock); or choose the Kaniko builder in Settings, which builds in the cluster and needs no local Docker.';

export class DockerEngineClient {
  constructor(readonly endpoint: DockerEndpoint) {}

  /** Sends a request and resolves with the response once its headers arrived (any status). */
  request(req: EngineRequest): Promise<http.IncomingMessage> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) qs.set(k, v);
    const pathWithQuery = `${req.path}${qs.size ? `?${qs}` : ''}`;
    const where = this.endpoint.kind === 'unix' ? { socketPath: this.endpoint.socketPath } : { host: this.endpoint.host, port: this.endpoint.port };
    return new Promise((resolve, reject) => {
      if (req.signal?.aborted) return reject(cancelled());
      let bodyError: unknown;
      const r = http.request({ ...where, method: req.method, path: pathWithQuery, headers: { Host: 'docker', ...req.headers }, signal: req.signal }, resolve);
      r.on('error', (err) => {
        if (req.signal?.aborted) return reject(cancelled());
        // A failing body (e.g. a file we could not read) is the real cause, not the aborted socket.
        if (bodyError) return reject(bodyError);
        reject(this.connectionError(err));
      });
      if (req.body === undefined) r.end();
      else if (Buffer.isBuffer(req.body)) r.end(req.body);
      else {
        const body = req.body;
        body.on('error', (err) => {
          bodyError = err;
          r.destroy(err);
        });
        body.pipe(r);
      }
    });
  }

  /** A request whose answer is one JSON document; non-2xx answers become errors. */
  async json<T>(req: EngineRequest): Promise<T> {
    const res = await this.request(req);
    const text = await readText(res);
    if ((res.statusCode ?? 500) >= 400) throw this.httpError(res.statusCode ?? 500, text, req);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Checks the daemon answers (GET /_ping). */
  async ping(signal?: AbortSignal): Promise<void> {
    const res = await this.request({ method: 'GET', path: '/_ping', signal });
    const text = await readText(res);
    if (res.statusCode !== 200) throw this.httpError(res.statusCode ?? 500, text, { method: 'GET', path: '/_ping' });
  }

  /** An Engine API error answer ({"message": ...}) as an AppError. */
  httpError(status: number, body: string, req: Pick<EngineRequest, 'method' | 'path'>): AppError {
    let message = body.trim();
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // not JSON: keep the text
    }
    const what = `Docker (${describeEndpoint(this.endpoint)}) refused ${req.method} ${req.path} with HTTP ${status}`;
    if (status === 401) return new AppError(BUILD_ERROR_CODES.registryUnauthorized, `${what}: ${message}`);
    return new AppError(BUILD_ERROR_CODES.daemonError, `${what}: ${message || 'no details'}`);
  }

  private connectionError(err: unknown): AppError {
    const code = (err as NodeJS.ErrnoException).code;
    const where = describeEndpoint(this.endpoint);
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
      return new AppError(BUILD_ERROR_CODES.daemonUnavailable, `Docker is not running: nothing answers at ${where}.`, DAEMON_HINT, { cause: err });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return new AppError('PERMISSION_DENIED', `You do not have permission to use the Docker socket ${where}.`, "Add your user to the 'docker' group (then log out and back in), or choose the in-cluster (Kaniko) builder.", { cause: err });
    }
    if (code === 'ECONNRESET' || code === 'EPIPE') {
      return new AppError(BUILD_ERROR_CODES.daemonError, `The Docker daemon at ${where} closed the connection.`, 'It may have restarted or run out of disk space; check it and try again.', { cause: err });
    }
    return new AppError(BUILD_ERROR_CODES.daemonError, `Could not talk to Docker at ${where}: ${(err as Error).message}`, DAEMON_HINT, { cause: err });
  }
}

export function cancelled(): AppError {
  return new AppError('CANCELLED', 'The build was cancelled.');
}

export async function readText(res: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Newline-delimited JSON messages of a streaming answer (Docker ends each with \r\n). */
export async function* jsonMessages(res: Readable): AsyncGenerator<Record<string, unknown>> {
  let rest = '';
  for await (const chunk of res) {
    rest += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (line) yield parseMessage(line);
    }
  }
  if (rest.trim()) yield parseMessage(rest.trim());
}

function parseMessage(line: string): Record<string, unknown> {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : { stream: `${line}\n` };
  } catch {
    return { stream: `${line}\n` }; // not JSON: show it as log text rather than lose it
  }
}
