// The folder browser (browser mode's "Open project…"): which folder is shown, the path field,
// "show hidden", and the keyboard-highlighted entry. Listing goes through the host (fs.list),
// which resolves and checks every path; a failed navigation keeps the current folder and the
// text the user typed, and shows the error inline.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError, DevspaceApi, DirEntry, DirListing } from '../../preload/api';
import { errorValue } from './errorValue';
import { resolveTypedPath, sortEntries } from './folderPath';

export interface FolderBrowserState {
  listing: DirListing | null;
  /** listing.entries sorted for display: folders first. */
  entries: DirEntry[];
  loading: boolean;
  error: ApiError | null;
  /** The path field; follows navigation, but keeps what the user typed when it fails. */
  pathText: string;
  showHidden: boolean;
  /** Index into `entries` of the highlighted folder, -1 for none. */
  active: number;

  navigate(path: string): Promise<boolean>;
  navigateToTyped(): Promise<boolean>;
  setPathText(text: string): void;
  upOneLevel(): Promise<boolean>;
  setShowHidden(show: boolean): Promise<boolean>;
  /** Moves the highlight to the next/previous folder (files cannot be chosen). */
  moveActive(delta: 1 | -1): void;
  setActive(index: number): void;
  enterActive(): Promise<boolean>;
}

export type FolderBrowserStore = StoreApi<FolderBrowserState>;

export function createFolderBrowserStore(api: DevspaceApi, homeDir: string): FolderBrowserStore {
  let seq = 0;
  return createStore<FolderBrowserState>()((set, get) => {
    const list = async (path: string, showHidden: boolean, fromTyping: boolean): Promise<boolean> => {
      const mine = ++seq;
      set({ loading: true, error: null });
      try {
        const listing = await api.fs.list(path, { showHidden });
        if (mine !== seq) return false;
        const entries = sortEntries(listing.entries);
        set({ listing, entries, loading: false, pathText: listing.path, showHidden, active: entries.findIndex(isFolder) });
        return true;
      } catch (err) {
        if (mine !== seq) return false;
        // The folder shown stays as it was; a typed path keeps its text so it can be corrected.
        set({ loading: false, error: errorValue(err), ...(fromTyping ? {} : { pathText: get().listing?.path ?? path }) });
        return false;
      }
    };

    return {
      listing: null,
      entries: [],
      loading: false,
      error: null,
      pathText: homeDir,
      showHidden: false,
      active: -1,

      navigate: (path) => list(path, get().showHidden, false),

      navigateToTyped() {
        const { pathText, listing } = get();
        const target = resolveTypedPath(pathText, listing?.path ?? homeDir, homeDir);
        if (target === null) return Promise.resolve(false);
        return list(target, get().showHidden, true);
      },

      setPathText: (pathText) => set({ pathText }),

      upOneLevel() {
        const parent = get().listing?.parent;
        return parent ? list(parent, get().showHidden, false) : Promise.resolve(false);
      },

      setShowHidden(show) {
        // The checkbox follows the click at once; the listing catches up.
        set({ showHidden: show });
        return list(get().listing?.path ?? homeDir, show, false);
      },

      moveActive(delta) {
        const { entries, active } = get();
        for (let i = active + delta; i >= 0 && i < entries.length; i += delta) {
          if (isFolder(entries[i]!)) {
            set({ active: i });
            return;
          }
        }
      },

      setActive(index) {
        if (get().entries[index] && isFolder(get().entries[index]!)) set({ active: index });
      },

      enterActive() {
        const entry = get().entries[get().active];
        return entry && isFolder(entry) ? get().navigate(entry.path) : Promise.resolve(false);
      },
    };
  });
}

function isFolder(entry: DirEntry): boolean {
  return entry.kind === 'dir';
}
