// The page's API object: Electron's preload bridge when present, else the browser host's socket.
import type { DevspaceApi, DevspaceBridge } from '../../preload/api';
import { createApi } from './client';
import { createWebSocketBridge } from './wsBridge';

export { DevspaceError } from './client';

declare global {
  interface Window {
    devspace?: DevspaceBridge;
  }
}

export type ConnectionListener = (connected: boolean) => void;
const connectionListeners = new Set<ConnectionListener>();

export function onConnectionChange(listener: ConnectionListener): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

function makeBridge(): DevspaceBridge {
  if (window.devspace) return window.devspace;
  const url = new URL('/api', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWebSocketBridge(url.toString(), (c) => {
    for (const l of connectionListeners) l(c);
  });
}

export const api: DevspaceApi = createApi(makeBridge());
