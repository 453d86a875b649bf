// The browser host's transport: the same contract over one WebSocket to the host that served
// this page (authenticated by the HttpOnly cookie the host set when the tokened URL was opened).
// Reconnects with back-off; calls made while disconnected wait for the connection.
import type { DevspaceBridge, WireResult } from '../../preload/api';
import type { HostToPage, PageToHost } from './wireMessages';

export function createWebSocketBridge(url: string, onConnectionChange?: (connected: boolean) => void): DevspaceBridge {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, { resolve: (r: WireResult<unknown>) => void; message: string }>();
  const outbox: string[] = [];
  const subscribers = new Set<(event: string, payload: unknown) => void>();

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      onConnectionChange?.(true);
      for (const message of outbox.splice(0)) ws.send(message);
    };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as HostToPage;
      if (msg.t === 'result') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        p?.resolve(msg.result);
      } else if (msg.t === 'events') {
        for (const [event, payload] of msg.events) for (const s of subscribers) s(event, payload);
      }
    };
    ws.onclose = (ev) => {
      socket = null;
      onConnectionChange?.(false);
      // Calls in flight will never be answered by this socket: fail them clearly.
      for (const [id, p] of pending) {
        if (outbox.includes(p.message)) continue;
        pending.delete(id);
        p.resolve({
          ok: false,
          error: { code: 'CLUSTER_UNREACHABLE', message: 'Lost the connection to DevSpace Desktop.', hint: 'Is the `npm start` process still running?' },
        });
      }
      if (ev.code === 4401) return; // token refused: retrying cannot help
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    invoke(method, args) {
      const id = nextId++;
      const message = JSON.stringify({ t: 'call', id, method, args } satisfies PageToHost);
      return new Promise((resolve) => {
        pending.set(id, { resolve, message });
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(message);
        else outbox.push(message);
      });
    },
    subscribe(listener) {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
  };
}
