// The app's state: which project is open, the recent projects, the cluster panel and whether the
// page is connected to the app. Actions wrap api calls and keep failures as values for display.
// The store takes the api as a parameter so tests drive it with a fake bridge of our contract.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DevspaceApi } from '../../preload/api';
import { createClusterSlice, type ClusterSlice } from './clusterSlice';
import { createProjectSlice, type ProjectSlice } from './projectSlice';

export interface ConnectionSlice {
  /** False while the browser host's WebSocket is down (never changes in Electron). */
  connected: boolean;
  setConnected(connected: boolean): void;
}

export type AppState = ProjectSlice & ClusterSlice & ConnectionSlice;
export type AppStore = StoreApi<AppState>;
export type SetState = AppStore['setState'];
export type GetState = AppStore['getState'];

/** `initial` overrides the starting state (tests and previews that show a given situation). */
export function createAppStore(api: DevspaceApi, initial: Partial<AppState> = {}): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createProjectSlice(api, set, get),
    ...createClusterSlice(api, set, get),
    connected: true,
    setConnected(connected) {
      const wasConnected = get().connected;
      set({ connected });
      // Events pushed while we were away are lost: catch up with what the app has now.
      if (connected && !wasConnected) void get().resync();
    },
    ...initial,
  }));
}

/** Subscribes the store to the app's pushed events; returns the unsubscribe. */
export function connectEvents(api: DevspaceApi, store: AppStore): () => void {
  const offs = [
    api.on('project.changed', (project) => store.getState().projectChanged(project)),
    api.on('cluster.contextsChanged', (contexts) => void store.getState().contextsChanged(contexts)),
    api.on('menu.command', ({ command }) => {
      if (command === 'open-project') void store.getState().pickProject();
    }),
  ];
  return () => offs.forEach((off) => off());
}
