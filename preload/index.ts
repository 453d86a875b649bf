// The preload: exposes the contract's transport to the page as `window.devspace` through
// contextBridge, and nothing else (no ipcRenderer, no Node). Runs sandboxed.
import { contextBridge, ipcRenderer } from 'electron';
import type { DevspaceBridge, WireResult } from './api';

const INVOKE_CHANNEL = 'devspace:invoke';
const EVENT_CHANNEL = 'devspace:events';

const bridge: DevspaceBridge = {
  invoke: (method, args) => ipcRenderer.invoke(INVOKE_CHANNEL, String(method), Array.isArray(args) ? args : []) as Promise<WireResult<unknown>>,
  subscribe: (listener) => {
    const handler = (_event: unknown, batch: Array<[string, unknown]>) => {
      for (const [name, payload] of batch) listener(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('devspace', bridge);
