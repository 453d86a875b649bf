// One `GET …/pods/{pod}/log` streamed through the API server, line by line. client-node 1.4's `Log`
// drops the server's error text for anything but HTTP 500, and the user needs exactly that text
// ("container "dev" in pod "x" is waiting to start: CrashLoopBackOff"), so we make the request
// ourselves with the context's TLS and credentials.
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../ipc/errors';
import { describeClusterError } from '../kube/clusterErrors';

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** RFC 3339 time: only lines at or after it. */
  sinceTime?: string;
}

/** Resolves when the server ends the stream (or `signal` aborts it); rejects with an AppError. */
export interface LogCallbacks {
  /** The server accepted the request (HTTP 200); lines follow. */
  onOpen?(): void;
  onLine(line: string): void;
}

export async function streamLog(kc: KubeConfig, req: LogRequest, cb: LogCallbacks, signal: AbortSignal): Promise<void> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new AppError('KUBECONFIG_INVALID', `The context "${kc.getCurrentContext()}" has no cluster.`);
  const q = new URLSearchParams({ container: req.container });
  if (req.follow) q.set('follow', 'true');
  if (req.previous) q.set('previous', 'true');
  if (req.timestamps) q.set('timestamps', 'true');
  if (req.tailLines !== undefined) q.set('tailLines', String(req.tailLines));
  if (req.sinceTime) q.set('sinceTime', req.sinceTime);
  const url = new URL(`${cluster.server.replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log?${q}`);
  const opts: https.RequestOptions = { method: 'GET', headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const lib = url.protocol === 'http:' ? http : https;

  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return resolve();
    const request = lib.request(url, { ...opts, signal }, (res) => {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(httpError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), req, cluster.server)));
        res.on('error', (err) => reject(wrap(err, cluster.server)));
        return;
      }
      cb.onOpen?.();
      const decoder = new StringDecoder('utf8');
      let partial = '';
      res.on('data', (chunk: Buffer) => {
        const text = partial + decoder.write(chunk);
        let start = 0;
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
          cb.onLine(text.slice(start, nl));
          start = nl + 1;
        }
        partial = text.slice(start);
      });
      const finish = () => {
        const rest = partial + decoder.end();
        partial = '';
        if (rest) cb.onLine(rest);
        resolve();
      };
      res.on('end', finish);
      // A dropped connection mid-body: what arrived is kept; the follower decides to resume.
      res.on('error', () => finish());
      res.on('aborted', () => finish());
    });
    request.on('error', (err) => {
      if (signal.aborted) resolve();
      else reject(wrap(err, cluster.server));
    });
    request.end();
  });
}

function httpError(status: number, body: string, req: LogRequest, server: string): AppError {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { message?: string };
    if (parsed.message) message = parsed.message;
  } catch {
    // plain text body
  }
  const what = `the logs of container "${req.container}" in pod "${req.pod}"${req.previous ? ' (previous run)' : ''}`;
  if (status === 404) return new AppError('NOT_FOUND', `Cannot read ${what}: ${message || 'not found'}.`, 'The pod may have been deleted; pick another in the list.');
  if (status === 400) return new AppError('NOT_FOUND', `Cannot read ${what}: ${message}.`, req.previous ? 'There is a previous run only after the container restarted.' : 'Wait until the container runs.');
  const e = describeClusterError({ code: status, body }, server);
  return new AppError(e.code, `Cannot read ${what}: ${message || e.message}`, e.hint);
}

function wrap(err: unknown, server: string): AppError {
  const e = describeClusterError(err, server);
  return new AppError(e.code, e.message, e.hint, { cause: err });
}
