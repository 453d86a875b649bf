// Server-side folder browsing for the browser host's "Open project" dialog (a browser page cannot
// see the user's disk). Paths are validated here: absolute, normalised, existing, a folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DirEntry, DirListing } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { fsError } from './fsErrors';

const MAX_ENTRIES = 5000;
/** Subfolders checked for project markers; past this a huge folder would make listing slow. */
const MAX_MARKER_CHECKS = 300;

/** Files and folders whose presence makes a folder look like a project the app can work with. */
export const PROJECT_MARKERS = [
  '.devspace',
  'Dockerfile',
  'chart',
  'package.json',
  'go.mod',
  'requirements.txt',
  'pyproject.toml',
  'pom.xml',
  'build.gradle',
  'Gemfile',
  'composer.json',
  'Cargo.toml',
];

export function normaliseAbsolute(p: string): string {
  if (!path.isAbsolute(p)) throw new AppError('INVALID_ARGUMENT', `"${p}" is not an absolute path.`, 'Type a path that starts with /.');
  return path.resolve(p);
}

export async function listFolder(requested: string, options: { showHidden?: boolean } = {}): Promise<DirListing> {
  const dir = normaliseAbsolute(requested);
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (err) {
    throw fsError(err, dir);
  }
  if (!stat.isDirectory()) throw new AppError('NOT_A_DIRECTORY', `${dir} is a file, not a folder.`, 'Pick the folder that contains it.');
  let dirents;
  try {
    dirents = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw fsError(err, dir);
  }
  const names = new Set(dirents.map((d) => d.name));
  const entries: DirEntry[] = [];
  for (const d of dirents) {
    const hidden = d.name.startsWith('.');
    if (hidden && !options.showHidden) continue;
    let kind: DirEntry['kind'] = d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other';
    if (d.isSymbolicLink()) {
      // Follow links so a linked project folder can be opened; a dangling link is 'other'.
      kind = await fs.stat(path.join(dir, d.name)).then(
        (s) => (s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other'),
        () => 'other' as const,
      );
    }
    entries.push({ name: d.name, path: path.join(dir, d.name), kind, hidden });
  }
  let checks = 0;
  await Promise.all(
    entries.map(async (e) => {
      if (e.kind !== 'dir' || checks++ >= MAX_MARKER_CHECKS) return;
      const inner = await fs.readdir(e.path).catch(() => [] as string[]);
      e.looksLikeProject = inner.some((n) => PROJECT_MARKERS.includes(n));
    }),
  );
  entries.sort((a, b) => Number(b.kind === 'dir') - Number(a.kind === 'dir') || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
  const parent = path.dirname(dir);
  return {
    path: dir,
    parent: parent === dir ? null : parent,
    entries: entries.slice(0, MAX_ENTRIES),
    looksLikeProject: PROJECT_MARKERS.some((m) => names.has(m)),
  };
}
