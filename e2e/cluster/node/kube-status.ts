// Status objects as the kubelet and API server write them on errors, and the small HTTP helpers
// the kubelet server shares.
import type { ServerResponse } from 'node:http';

export function statusFailure(code: number, reason: string, message: string): any {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

const REASONS: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 500: 'InternalError' };

export function sendStatus(res: ServerResponse, code: number, message: string): void {
  const body = JSON.stringify(statusFailure(code, REASONS[code] ?? 'InternalError', message));
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The same refusal on a raw socket, for upgrade requests we do not accept. */
export function rejectUpgrade(socket: import('node:stream').Duplex, code: number, message: string): void {
  const body = JSON.stringify(statusFailure(code, REASONS[code] ?? 'InternalError', message));
  socket.end(`HTTP/1.1 ${code} ${REASONS[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
