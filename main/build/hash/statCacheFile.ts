// Keeps the stat cache in the project's .devspace/generated.yaml, under `build.cache.<context>`.
// Other features keep their own keys in the same file, so we edit the parsed document (their keys
// and comments stay as they were) and replace the file atomically (write a sibling, then rename).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isMap, parseDocument, YAMLMap, type Document } from 'yaml';
import { AppError } from '../../ipc/errors';
import { fsError } from '../../fs/fsErrors';
import { StatCache } from './statCache';

export const GENERATED_FILE = path.join('.devspace', 'generated.yaml');
const FORMAT_VERSION = 1;

/** The key a context's cache is stored under: its folder relative to the project ('.' for the root). */
export function contextKey(projectDir: string, contextDir: string): string {
  const rel = path.relative(projectDir, contextDir).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}

/** Loads the cache for one context; a missing, foreign or damaged entry gives an empty cache. */
export async function loadStatCache(projectDir: string, key: string): Promise<StatCache> {
  const doc = await readDocument(projectDir);
  if (!doc || doc.errors.length > 0) return new StatCache();
  const node = doc.getIn(['build', 'cache', key]);
  if (!isMap(node)) return new StatCache();
  const version = node.get('version');
  const files = node.get('files');
  const writtenAt = node.get('writtenAt');
  if (version !== FORMAT_VERSION || typeof files !== 'string' || typeof writtenAt !== 'number') return new StatCache();
  return StatCache.parse(files, writtenAt);
}

/** Stores the cache for one context, leaving every other key of generated.yaml intact. */
export async function saveStatCache(projectDir: string, key: string, cache: StatCache): Promise<void> {
  const file = path.join(projectDir, GENERATED_FILE);
  const doc = (await readDocument(projectDir)) ?? parseDocument('{}');
  if (doc.errors.length > 0) {
    throw new AppError('CONFIG_INVALID', `${file} is not valid YAML (${doc.errors[0].message.split('\n')[0]}), so the build cache was not saved.`, 'Fix or delete that file; DevSpace regenerates it.');
  }
  if (!isMap(doc.contents)) doc.contents = new YAMLMap() as typeof doc.contents;
  const entry = doc.createNode({ version: FORMAT_VERSION, writtenAt: cache.writtenAt, files: cache.serialize() });
  const files = (entry as YAMLMap).items.find((p) => (p.key as { value?: unknown }).value === 'files');
  // A literal block keeps one cache line per text line (readable, diff-friendly).
  if (files?.value && typeof files.value === 'object') (files.value as { type?: string }).type = 'BLOCK_LITERAL';
  doc.setIn(['build', 'cache', key], entry);
  const text = doc.toString({ lineWidth: 0 });
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  } catch (err) {
    throw fsError(err, file);
  }
}

async function readDocument(projectDir: string): Promise<Document | undefined> {
  const file = path.join(projectDir, GENERATED_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fsError(err, file);
  }
  return parseDocument(text);
}
