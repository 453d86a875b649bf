// Path handling for the folder browser. Paths come from the host (POSIX or Windows), so nothing
// here may assume the browser's platform; the host resolves and validates every path it lists.
import type { DirEntry } from '../../preload/api';

export interface Crumb {
  label: string;
  path: string;
}

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]?/;

function separatorOf(path: string): '/' | '\\' {
  return WINDOWS_DRIVE.test(path) || path.startsWith('\\\\') ? '\\' : '/';
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || WINDOWS_DRIVE.test(path) || path.startsWith('\\\\');
}

/** The breadcrumb of an absolute path: the root first, then one crumb per folder. */
export function breadcrumbs(path: string): Crumb[] {
  const sep = separatorOf(path);
  const drive = WINDOWS_DRIVE.exec(path);
  const root = drive ? `${drive[0].slice(0, 2)}\\` : sep === '\\' ? '\\\\' : '/';
  const rest = path.slice(drive ? drive[0].length : root.length);
  const crumbs: Crumb[] = [{ label: drive ? root.slice(0, 2) : root, path: root }];
  let current = root;
  for (const part of rest.split(/[\\/]/)) {
    if (!part) continue;
    current = current.endsWith(sep) ? current + part : current + sep + part;
    crumbs.push({ label: part, path: current });
  }
  return crumbs;
}

/** The last folder name of a path, for labels like "Open my-app". */
export function baseName(path: string): string {
  const crumbs = breadcrumbs(path);
  return crumbs[crumbs.length - 1]?.label ?? path;
}

/**
 * What the user typed or pasted into the path field, as an absolute path to list:
 * "~" and "~/x" are the home folder, a relative path is taken from the folder being shown.
 * Returns null for an empty field (nothing to navigate to).
 */
export function resolveTypedPath(input: string, currentDir: string, homeDir: string): string | null {
  let text = input.trim();
  // Paths copied from a shell are often quoted.
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) text = text.slice(1, -1).trim();
  if (!text) return null;
  if (text === '~') return homeDir;
  if (text.startsWith('~/') || text.startsWith('~\\')) return join(homeDir, text.slice(2));
  if (isAbsolutePath(text)) return stripTrailingSeparator(text);
  return join(currentDir, text);
}

function join(dir: string, relative: string): string {
  const sep = separatorOf(dir);
  const base = dir.endsWith('/') || dir.endsWith('\\') ? dir : dir + sep;
  return stripTrailingSeparator(base + relative.replace(/[\\/]/g, sep));
}

function stripTrailingSeparator(path: string): string {
  const crumbs = breadcrumbs(path);
  if (crumbs.length === 1) return crumbs[0]!.path; // a root keeps its separator
  return path.replace(/[\\/]+$/, '');
}

/** Folders first, then files; names in natural order ("app2" before "app10"), case-insensitive. */
export function sortEntries(entries: readonly DirEntry[]): DirEntry[] {
  const rank = (e: DirEntry) => (e.kind === 'dir' ? 0 : 1);
  return [...entries].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
}
