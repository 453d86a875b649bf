// The exec channel against a small WebSocket server on 127.0.0.1 that speaks the channel framing
// like the API server: which subprotocol, what the client sends on each channel, and what it makes
// of Status frames and refused upgrades. (The terminal and Kaniko tests run it against the test cluster.)
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { exitCodeOf, openExec } from './execChannel';

let server: WebSocketServer | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server choosing `protocol`; `onConnection` plays the container side. */
async function startServer(protocol: string, onConnection: (ws: WebSocket, url: URL) => void, refuse?: { code: number; message: string }): Promise<KubeConfig> {
  server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (offered) => (offered.has(protocol) ? protocol : false),
    verifyClient: (_info, cb) => (refuse ? cb(false, refuse.code, refuse.message) : cb(true)),
  });
  server.on('connection', (ws, req) => onConnection(ws, new URL(req.url ?? '/', 'http://x')));
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

const frame = (channel: number, data: string | Buffer) => Buffer.concat([Buffer.from([channel]), Buffer.from(data)]);

describe('openExec', () => {
  it('v5: streams output by channel, ends stdin alone with [255, 0], and reads the exit code from the Status', async () => {
    const received: Buffer[] = [];
    let query: URLSearchParams | undefined;
    const kc = await startServer('v5.channel.k8s.io', (ws, url) => {
      query = url.searchParams;
      ws.on('message', (d: Buffer) => {
        received.push(d);
        if (d[0] === 255) {
          ws.send(frame(1, 'out'));
          ws.send(frame(2, 'err'));
          ws.send(frame(3, JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })));
          ws.close();
        }
      });
    });
    const output: string[] = [];
    const events: string[] = [];
    const ch = await openExec(kc, { namespace: 'ns', pod: 'p', container: 'c', command: ['sh', '-c', 'cat; exit 3'], tty: false, stdin: true }, {
      onOutput: (d, channel) => output.push(`${channel}:${d.toString()}`),
      onStatus: (_s, code) => events.push(`status ${code}`),
      onClose: (_c, reason) => events.push(`close ${reason}`),
    });
    expect(ch.protocol).toBe('v5.channel.k8s.io');
    expect(query?.getAll('command')).toEqual(['sh', '-c', 'cat; exit 3']);
    expect(Object.fromEntries([...query!].filter(([k]) => k !== 'command'))).toEqual({ container: 'c', stdin: 'true', stdout: 'true', stderr: 'true', tty: 'false' });
    await ch.write('hello');
    ch.resize(80, 24);
    await ch.closeStdin();
    await ch.closed;
    expect(received.map((d) => (d[0] === 255 ? `255 [${d[1]}]` : `${d[0]} ${d.subarray(1).toString()}`))).toEqual(['0 hello', '4 {"Width":80,"Height":24}', '255 [0]']);
    expect(output).toEqual(['1:out', '2:err']);
    expect(events).toEqual(['status 3', 'close ended']);
    expect(ch.isOpen).toBe(false);
  });

  it('v4: ending stdin closes the socket (no half-close); a socket closed without a Status is "dropped"', async () => {
    const kc = await startServer('v4.channel.k8s.io', () => {});
    let reason = '';
    const ch = await openExec(kc, { namespace: 'ns', pod: 'p', container: 'c', command: ['sh'], tty: true, stdin: true }, { onClose: (_c, r) => (reason = r) });
    expect(ch.protocol).toBe('v4.channel.k8s.io');
    await ch.closeStdin();
    await ch.closed;
    expect(reason).toBe('dropped');
  });

  it('rejects a refused upgrade with the status code and the server’s words', async () => {
    const kc = await startServer('v5.channel.k8s.io', () => {}, { code: 403, message: 'pods "p" is forbidden' });
    const err = await openExec(kc, { namespace: 'ns', pod: 'p', container: 'c', command: ['sh'], tty: false, stdin: false }, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ httpStatus: 403 });
    expect((err as Error).message).toBe('Unexpected server response: 403 (pods "p" is forbidden)');
  });
});

describe('exitCodeOf', () => {
  it('reads Success, NonZeroExitCode and a failure without a code', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '137' }] } })).toBe(137);
    expect(exitCodeOf({ status: 'Failure', message: 'container not found ("c")' })).toBeUndefined();
  });
});
