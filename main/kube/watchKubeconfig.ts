// Tells the app when the kubeconfig files change on disk (a new context from `gcloud … get-credentials`,
// `kubectl config use-context`, a file created later), so the Cluster panel can reload.
// We watch the folders, not the files: tools replace the file by renaming a new one over it, which
// ends a watch on the old file, and a file that does not exist yet cannot be watched at all.
import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface WatchKubeconfigOptions {
  /** Several writes in a row (editors, CLIs) give one callback. Default 300 ms. */
  debounceMs?: number;
}

/** Calls `onChange` (debounced) when any of `paths` is created, changed, replaced or deleted. Returns stop. */
export function watchKubeconfig(paths: string[], onChange: () => void, opts: WatchKubeconfigOptions = {}): () => void {
  const debounceMs = opts.debounceMs ?? 300;
  const files = [...new Set(paths.map((p) => path.resolve(p)))];
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const fire = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!stopped) onChange();
    }, debounceMs);
  };

  // For each file, the folder to watch and the name inside it that leads to the file: the file's own
  // folder when it exists, else the nearest existing ancestor (re-armed once the folder appears).
  // Synchronous, so the watch is live when watchKubeconfig returns.
  const arm = () => {
    const targets = new Map<string, Set<string>>();
    for (const file of files) {
      let dir = path.dirname(file);
      let child = path.basename(file);
      while (!isDirectory(dir)) {
        const parent = path.dirname(dir);
        if (parent === dir) break;
        child = path.basename(dir);
        dir = parent;
      }
      if (!targets.has(dir)) targets.set(dir, new Set());
      targets.get(dir)!.add(child);
    }
    if (stopped) return;
    closeAll();
    for (const [dir, names] of targets) {
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          // Some platforms do not report the name; then any change in the folder counts.
          if (name !== null && !names.has(name.toString())) return;
          const folderAppeared = [...names].some((n) => !files.some((f) => path.join(dir, n) === f));
          if (folderAppeared) arm();
          fire();
        });
        w.on('error', () => arm());
        watchers.push(w);
      } catch {
        // A folder we may not read: nothing to watch there.
      }
    }
  };
  const closeAll = () => {
    for (const w of watchers) w.close();
    watchers = [];
  };

  arm();
  return () => {
    stopped = true;
    clearTimeout(timer);
    closeAll();
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
