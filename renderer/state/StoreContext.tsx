// Hands the app store (and the api it was built on) to components; tests and the dev preview
// pass ones built on a fake bridge. Components never import the page's api singleton directly.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DevspaceApi } from '../../preload/api';
import type { AppState, AppStore } from './appStore';

const StoreContext = createContext<{ store: AppStore; api: DevspaceApi } | null>(null);

export function StoreProvider({ store, api, children }: { store: AppStore; api: DevspaceApi; children: ReactNode }) {
  const value = useMemo(() => ({ store, api }), [store, api]);
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

function useStoreContext() {
  const value = useContext(StoreContext);
  if (!value) throw new Error('used outside <StoreProvider>');
  return value;
}

export function useAppStore(): AppStore {
  return useStoreContext().store;
}

export function useApi(): DevspaceApi {
  return useStoreContext().api;
}

/** Selects one value from the app state; select single fields or stable objects (no new objects). */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector);
}
