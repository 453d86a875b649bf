// portforward over WebSocket, as the kubelet serves it: for the i-th requested port, channel 2i
// carries data and 2i+1 errors; the server's first frame on each is the port (2 bytes, little
// endian). Each port gets one TCP connection to the pod; a refused connection is reported as
// text on the error channel, like the kubelet's "error forwarding port …". As the kubelet does,
// the connection goes to localhost inside the pod's network namespace.
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import type { WebSocket } from 'ws';

export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'portforward.k8s.io'];

export function parsePorts(q: URLSearchParams): number[] | string {
  const raw = q.getAll('ports').flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
  if (!raw.length) return 'query parameter "port" is required';
  const ports: number[] = [];
  for (const p of raw) {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > 65535) return `unable to parse "${p}" as a port: port must be > 0 and < 65536`;
    ports.push(n);
  }
  return ports;
}

/** One forwarded connection, however it reaches the pod. */
interface PodConnection {
  write(d: Buffer): void;
  destroy(): void;
  pause(): void;
  resume(): void;
}

/**
 * Like the kubelet (containerd), connect to localhost:port *inside* the pod's network namespace,
 * so servers bound to 127.0.0.1 in the pod are reachable: busybox nc run under nsenter.
 */
function connectInNetns(netnsPath: string, port: number, on: { data(d: Buffer): void; error(why: string): void; close(): void }): PodConnection {
  const child = spawn('nsenter', [`--net=${netnsPath}`, '/bin/busybox', 'nc', '127.0.0.1', String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.on('data', on.data);
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.stdin.on('error', () => {});
  child.on('error', (e) => on.error(e.message));
  child.on('close', (code) => {
    if (code !== 0 && stderr) on.error(/refused/i.test(stderr) ? 'connect: connection refused' : stderr.trim());
    on.close();
  });
  return {
    write: (d) => { child.stdin.write(d); },
    destroy: () => { child.kill('SIGKILL'); },
    pause: () => child.stdout.pause(),
    resume: () => child.stdout.resume(),
  };
}

function connectTcp(host: string, port: number, on: { data(d: Buffer): void; error(why: string): void; close(): void }): PodConnection {
  const s: Socket = connect({ host, port });
  s.on('data', on.data);
  s.on('error', (e: NodeJS.ErrnoException) => on.error(e.code === 'ECONNREFUSED' ? 'connect: connection refused' : e.message));
  s.on('close', () => on.close());
  return { write: (d) => { s.write(d); }, destroy: () => s.destroy(), pause: () => s.pause(), resume: () => s.resume() };
}

export function servePortForward(ws: WebSocket, pod: { name: string; uid: string; netnsPath?: string; podIp: string }, ports: number[]): void {
  const conns: PodConnection[] = [];
  const frame = (channel: number, data: Buffer) => Buffer.concat([Buffer.from([channel]), data]);
  const portBytes = (port: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(port); return b; };
  const send = (data: Buffer, cb?: () => void) => { if (ws.readyState === ws.OPEN) ws.send(data, cb); };
  let open = ports.length;
  ports.forEach((port, i) => {
    send(frame(2 * i, portBytes(port)));
    send(frame(2 * i + 1, portBytes(port)));
    let inflight = 0;
    const conn: PodConnection = (pod.netnsPath ? connectInNetns.bind(null, pod.netnsPath) : connectTcp.bind(null, pod.podIp))(port, {
      data: (d: Buffer) => {
        inflight++;
        if (inflight > 32) conn.pause();
        send(frame(2 * i, d), () => { inflight--; if (inflight < 8) conn.resume(); });
      },
      error: (why: string) => {
        const where = pod.netnsPath ? `failed to execute portforward in network namespace "${pod.netnsPath}": failed to connect to localhost:${port} inside namespace "${pod.netnsPath}", IPv4: dial tcp4 127.0.0.1:${port}: ${why}` : `dial tcp4 ${pod.podIp}:${port}: ${why}`;
        send(frame(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${pod.name}, uid ${pod.uid}: ${where}`)));
      },
      close: () => { if (--open === 0 && ws.readyState === ws.OPEN) ws.close(1000); },
    });
    conns[i] = conn;
  });
  ws.on('message', (raw: Buffer) => {
    if (!raw.length) return;
    const channel = raw[0]!;
    if (channel % 2 !== 0) return;
    const c = conns[channel / 2];
    if (c && raw.length > 1) c.write(raw.subarray(1));
  });
  ws.on('close', () => { for (const c of conns) c?.destroy(); });
}
