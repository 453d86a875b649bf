// Opening a project folder: checks it exists and is readable, and notes what it already has
// (DevSpace config, Dockerfile, chart) so the UI can say what Up will generate.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProjectInfo, ProjectSelection } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { fsError } from '../fs/fsErrors';
import { normaliseAbsolute } from '../fs/folderListing';

export async function inspectProject(requested: string, selection: ProjectSelection = {}): Promise<ProjectInfo> {
  const dir = normaliseAbsolute(requested);
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (err) {
    throw fsError(err, dir);
  }
  if (!stat.isDirectory()) {
    throw new AppError('NOT_A_DIRECTORY', `${dir} is a file, not a project folder.`, 'Open the folder that contains your Dockerfile or source code.');
  }
  try {
    await fs.access(dir, constants.R_OK | constants.X_OK);
  } catch (err) {
    throw fsError(err, dir);
  }
  const exists = (rel: string) => fs.access(path.join(dir, rel)).then(() => true, () => false);
  const [hasDevspaceConfig, hasDockerfile, hasChart] = await Promise.all([
    exists('.devspace/config.yaml'),
    exists('Dockerfile'),
    exists('chart/Chart.yaml'),
  ]);
  return { path: dir, name: path.basename(dir) || dir, hasDevspaceConfig, hasDockerfile, hasChart, selection };
}

/** Why a remembered folder can no longer be opened, or undefined when it can. */
export async function projectProblem(dir: string): Promise<string | undefined> {
  try {
    await inspectProject(dir);
    return undefined;
  } catch (err) {
    if (err instanceof AppError) {
      if (err.code === 'NOT_FOUND') return 'Folder no longer exists';
      if (err.code === 'PERMISSION_DENIED') return 'Folder is not readable';
      if (err.code === 'NOT_A_DIRECTORY') return 'No longer a folder';
      return err.message;
    }
    return String(err);
  }
}
