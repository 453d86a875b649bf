// The open project and the recent projects list.
import type { ApiError, AppInfo, DevspaceApi, ProjectInfo, RecentProject } from '../../preload/api';
import type { GetState, SetState } from './appStore';
import { errorValue } from './errorValue';

export interface OpenFailure {
  /** The folder that could not be opened ('' for the native dialog). */
  path: string;
  error: ApiError;
}

export interface ProjectSlice {
  appInfo: AppInfo | null;
  /** Set when the app could not even tell us its basics; shown instead of the welcome screen. */
  startupError: ApiError | null;
  started: boolean;
  project: ProjectInfo | null;
  recents: RecentProject[];
  recentsError: ApiError | null;
  /** The folder being opened right now, so its entry can show progress and not be clicked twice. */
  opening: string | null;
  openFailure: OpenFailure | null;
  folderBrowserOpen: boolean;

  start(): Promise<void>;
  resync(): Promise<void>;
  /** "Open project…": the native dialog in Electron, the folder browser in a browser. */
  pickProject(): Promise<void>;
  closeFolderBrowser(): void;
  /** Opens a folder as the project; returns the failure (also kept in openFailure) or null. */
  openProject(path: string): Promise<ApiError | null>;
  /** Back to the welcome screen. */
  closeProject(): void;
  refreshRecents(): Promise<void>;
  removeRecent(path: string): Promise<void>;
  dismissOpenFailure(): void;
  projectChanged(project: ProjectInfo | null): void;
}

export function createProjectSlice(api: DevspaceApi, set: SetState, get: GetState): ProjectSlice {
  // Several calls answer with the recents list; only the latest one asked for is shown.
  let recentsSeq = 0;
  const showProject = (project: ProjectInfo) => {
    const previous = get().project;
    set({ project, openFailure: null, folderBrowserOpen: false });
    // The same project again (e.g. our own open echoed back as an event) keeps the cluster panel.
    if (previous?.path !== project.path) void get().loadCluster(project.selection);
  };

  const appInfo = async (): Promise<AppInfo> => {
    const known = get().appInfo;
    if (known) return known;
    const info = await api.app.info();
    set({ appInfo: info });
    return info;
  };

  return {
    appInfo: null,
    startupError: null,
    started: false,
    project: null,
    recents: [],
    recentsError: null,
    opening: null,
    openFailure: null,
    folderBrowserOpen: false,

    async start() {
      try {
        const [info, project] = await Promise.all([api.app.info(), api.projects.current()]);
        set({ appInfo: info, startupError: null });
        if (project) showProject(project);
      } catch (err) {
        set({ startupError: errorValue(err) });
      }
      await get().refreshRecents();
      set({ started: true });
    },

    async resync() {
      try {
        const project = await api.projects.current();
        const current = get().project;
        if (project && (!current || project.path !== current.path)) showProject(project);
        // A restarted host has forgotten the open project: open it there again.
        if (!project && current) await api.projects.open(current.path).catch(() => {});
      } catch {
        // Still unreachable: the connection banner already says so.
      }
      await get().refreshRecents();
    },

    async pickProject() {
      set({ openFailure: null });
      let info: AppInfo;
      try {
        info = await appInfo();
      } catch (err) {
        set({ openFailure: { path: '', error: errorValue(err) } });
        return;
      }
      if (info.mode !== 'electron') {
        set({ folderBrowserOpen: true });
        return;
      }
      try {
        const project = await api.projects.pick();
        if (!project) return; // cancelled
        showProject(project);
        await get().refreshRecents();
      } catch (err) {
        set({ openFailure: { path: '', error: errorValue(err) } });
      }
    },

    closeFolderBrowser() {
      set({ folderBrowserOpen: false, openFailure: null });
    },

    async openProject(path) {
      if (get().opening) return null; // one open at a time; the first click wins
      set({ opening: path, openFailure: null });
      try {
        const project = await api.projects.open(path);
        showProject(project);
        return null;
      } catch (err) {
        const error = errorValue(err);
        set({ openFailure: { path, error } });
        return error;
      } finally {
        set({ opening: null });
        // Opening updates the list on success, and on failure it may now know the folder is gone.
        await get().refreshRecents();
      }
    },

    closeProject() {
      set({ project: null, openFailure: null });
      // Tell the host too, so a reload or another tab does not bring the project back.
      void api.projects.close().catch(() => {});
      get().resetCluster();
      void get().refreshRecents();
    },

    async refreshRecents() {
      const seq = ++recentsSeq;
      try {
        const recents = await api.projects.recent();
        if (seq === recentsSeq) set({ recents, recentsError: null });
      } catch (err) {
        if (seq === recentsSeq) set({ recentsError: errorValue(err) });
      }
    },

    async removeRecent(path) {
      const seq = ++recentsSeq;
      const failure = get().openFailure;
      if (failure?.path === path) set({ openFailure: null });
      try {
        const recents = await api.projects.removeRecent(path);
        if (seq === recentsSeq) set({ recents, recentsError: null });
      } catch (err) {
        if (seq === recentsSeq) set({ recentsError: errorValue(err) });
      }
    },

    dismissOpenFailure() {
      set({ openFailure: null });
    },

    projectChanged(project) {
      if (project) showProject(project);
      else if (get().project) get().closeProject();
      void get().refreshRecents();
    },
  };
}
