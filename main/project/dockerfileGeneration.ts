// Writing a Dockerfile (and .dockerignore) for a project that has none. Generating is pure: it
// returns what would be written and where, so the UI can preview it before the first build.
// Writing is a separate step that never replaces a file the user has — it creates files
// exclusively ('wx'), so even a file that appears between preview and write is kept.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../ipc/errors';
import { fsError } from '../fs/fsErrors';
import { renderTemplate } from './dockerfileTemplates';
import { detectLanguage, type DetectedProject } from './languageDetection';

export interface GeneratedFile {
  /** Absolute path the file would be written to. */
  path: string;
  /** Path relative to the project, for display. */
  relPath: string;
  content: string;
  /** The project already has this file; it will be kept as it is. */
  exists: boolean;
}

export interface DockerfilePreview {
  detection: DetectedProject;
  /** Dockerfile first, then .dockerignore; empty when the language is unknown. */
  files: GeneratedFile[];
  /** One sentence for the UI: what DevSpace would do, or why it cannot. */
  summary: string;
}

/** What DevSpace would write for this project, without writing anything. */
export async function previewGeneratedFiles(projectDir: string): Promise<DockerfilePreview> {
  const detection = await detectLanguage(projectDir);
  if (detection.language === 'unknown') {
    return { detection, files: [], summary: detection.message ?? 'DevSpace could not tell what this project is written in.' };
  }
  const content = renderTemplate(detection);
  const files: GeneratedFile[] = [];
  for (const [rel, text] of [['Dockerfile', content.dockerfile], ['.dockerignore', content.dockerignore]] as const) {
    const abs = path.join(projectDir, rel);
    files.push({ path: abs, relPath: rel, content: text, exists: await exists(abs) });
  }
  const what = [detection.language, detection.framework, detection.packageManager && detection.packageManager !== 'none' ? `with ${detection.packageManager}` : undefined].filter(Boolean).join(' ');
  const port = detection.port ? `, port ${detection.port} (${detection.portSource})` : ', no port found';
  const summary = files[0].exists
    ? `This project already has a Dockerfile; DevSpace will use it (detected: ${what}).`
    : `DevSpace will write a Dockerfile for a ${what} project${port}.`;
  return { detection, files, summary };
}

/** Writes one generated file; refuses when a file is already there. */
export async function writeGeneratedFile(file: Pick<GeneratedFile, 'path' | 'content'>): Promise<void> {
  try {
    await fs.writeFile(file.path, file.content, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AppError('ALREADY_EXISTS', `${file.path} already exists, and DevSpace never overwrites your files.`, 'Keep yours, or delete it first if you want the generated one.');
    }
    throw fsError(err, file.path);
  }
}

/**
 * Writes the Dockerfile and, where the project has none, the .dockerignore. Fails when the
 * project already has a Dockerfile or its language is unknown; an existing .dockerignore is kept.
 */
export async function writeGeneratedDockerfile(projectDir: string): Promise<{ written: string[]; kept: string[]; preview: DockerfilePreview }> {
  const preview = await previewGeneratedFiles(projectDir);
  if (preview.files.length === 0) {
    throw new AppError('INVALID_ARGUMENT', preview.summary, 'Add a Dockerfile to the project folder yourself; DevSpace will build with it.');
  }
  const [dockerfile, dockerignore] = preview.files;
  await writeGeneratedFile(dockerfile);
  const written = [dockerfile.relPath];
  const kept: string[] = [];
  try {
    await writeGeneratedFile(dockerignore);
    written.push(dockerignore.relPath);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'ALREADY_EXISTS')) throw err;
    kept.push(dockerignore.relPath);
  }
  return { written, kept, preview };
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}
