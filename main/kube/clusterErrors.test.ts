// describeClusterError on error objects from the other HTTP stacks later features use: Node's fetch
// (undici: `TypeError('fetch failed')` with the socket error in `cause`) and ws (exec, port-forward).
// client-node's own errors are covered through real requests in status.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppError } from '../ipc/errors';
import { describeClusterError } from './clusterErrors';
import { closedPort, startApiServer, type RunningApiServer } from './testSupport/apiServer';
import { makeCa, makeServerCert } from './testSupport/certificates';

let otherCa: RunningApiServer;
beforeAll(async () => {
  otherCa = await startApiServer({ cert: makeServerCert(makeCa('unknown-to-the-client')) });
});
afterAll(async () => {
  await otherCa.close();
});

function wsError(url: string): Promise<unknown> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('error', (err) => resolve(err));
    socket.on('open', () => {
      socket.close();
      resolve(new Error('unexpectedly connected'));
    });
  });
}

describe('describeClusterError', () => {
  it('classifies fetch (undici) errors by their cause', async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    const refused = await fetch(`${url}/version`).catch((e: unknown) => e);
    expect(describeClusterError(refused, url)).toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: `Nothing answers at ${url} (connection refused).` });
    const unknownCa = await fetch(`${otherCa.url}/version`).catch((e: unknown) => e);
    expect(describeClusterError(unknownCa, otherCa.url)).toMatchObject({ code: 'CLUSTER_TLS' });
    expect(describeClusterError(unknownCa, otherCa.url).message).toContain('unknown authority');
  });

  it('classifies WebSocket (ws) errors', async () => {
    const url = `wss://127.0.0.1:${await closedPort()}`;
    expect(describeClusterError(await wsError(url), url).code).toBe('CLUSTER_UNREACHABLE');
    const tls = describeClusterError(await wsError(otherCa.url.replace('https', 'wss')), otherCa.url);
    expect(tls.code).toBe('CLUSTER_TLS');
    expect(tls.message).toContain('unknown authority');
  });

  it('passes AppErrors through and reads Status bodies given as text or objects', () => {
    expect(describeClusterError(new AppError('CONTEXT_MISSING', 'no such context', 'pick one'))).toEqual({ code: 'CONTEXT_MISSING', message: 'no such context', hint: 'pick one' });
    const asText = { code: 409, body: JSON.stringify({ kind: 'Status', message: 'pods "web" already exists', reason: 'AlreadyExists', code: 409 }) };
    expect(describeClusterError(asText, 'https://k')).toEqual({ code: 'CLUSTER_ERROR', message: 'The cluster at https://k answered HTTP 409: pods "web" already exists' });
    const asObject = { code: 403, body: { message: 'pods is forbidden' } };
    expect(describeClusterError(asObject).message).toBe('The cluster refused the request (403 Forbidden): pods is forbidden');
  });
});
