// What the app remembers between runs, in <dataDir>/state.json: recent projects, the cluster
// context/namespace chosen per project, and the window's bounds. Never credentials.
import path from 'node:path';
import type { ProjectSelection } from '../../preload/api';
import { JsonStore } from './jsonStore';

export interface RecentEntry {
  path: string;
  lastOpened: string;
}

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export interface AppState {
  version: 1;
  recents: RecentEntry[];
  projects: Record<string, ProjectSelection>;
  window?: WindowBounds;
}

export const MAX_RECENTS = 15;

export function createAppStateStore(dataDir: string, log?: (line: string) => void): JsonStore<AppState> {
  return new JsonStore<AppState>(path.join(dataDir, 'state.json'), emptyState, parseAppState, log);
}

function emptyState(): AppState {
  return { version: 1, recents: [], projects: {} };
}

/** Validates what was read from disk; unknown or malformed parts are dropped, not trusted. */
export function parseAppState(raw: unknown): AppState {
  if (typeof raw !== 'object' || raw === null) throw new Error('not an object');
  const r = raw as Record<string, unknown>;
  const state = emptyState();
  if (Array.isArray(r.recents)) {
    for (const e of r.recents) {
      if (e && typeof e === 'object' && typeof e.path === 'string' && typeof e.lastOpened === 'string') {
        state.recents.push({ path: e.path, lastOpened: e.lastOpened });
      }
    }
  }
  if (r.projects && typeof r.projects === 'object') {
    for (const [p, sel] of Object.entries(r.projects as Record<string, unknown>)) {
      if (!sel || typeof sel !== 'object') continue;
      const s = sel as Record<string, unknown>;
      state.projects[p] = {
        ...(typeof s.context === 'string' ? { context: s.context } : {}),
        ...(typeof s.namespace === 'string' ? { namespace: s.namespace } : {}),
      };
    }
  }
  const w = r.window as Record<string, unknown> | undefined;
  if (w && typeof w.width === 'number' && typeof w.height === 'number') {
    state.window = {
      width: w.width,
      height: w.height,
      ...(typeof w.x === 'number' ? { x: w.x } : {}),
      ...(typeof w.y === 'number' ? { y: w.y } : {}),
      ...(w.maximized === true ? { maximized: true } : {}),
    };
  }
  return state;
}

/** Moves `projectPath` to the top of the recents, keeping at most MAX_RECENTS. */
export function touchRecent(state: AppState, projectPath: string, now: Date): AppState {
  const recents = [{ path: projectPath, lastOpened: now.toISOString() }, ...state.recents.filter((e) => e.path !== projectPath)];
  return { ...state, recents: recents.slice(0, MAX_RECENTS) };
}
