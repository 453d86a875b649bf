// Keeps the stat cache in the project's .devspace/generated.yaml, under `build.cache.<context>`.
// Other features keep their own keys in the same file, so we edit the parsed document (their keys
// and comments stay as they were) and replace the file atomically (write a sibling, then rename).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Document, isMap, parseDocument, YAMLMap } from 'yaml';
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

/**
 * Caches as they are in generated.yaml right now: what loadStatCache read or saveStatCache wrote,
 * with the file's size and mtime then. Saving such a cache again (a warm Up where nothing changed
 * hands back the cache it was given) is skipped while the file is unchanged: rewriting 10,000
 * lines costs more than hashing an unchanged project.
 */
const stored = new WeakMap<StatCache, { file: string; key: string; size: number; mtimeMs: number }>();

async function fileStamp(file: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const st = await fs.stat(file);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** Loads the cache for one context; a missing, foreign or damaged entry gives an empty cache. */
export async function loadStatCache(projectDir: string, key: string): Promise<StatCache> {
  const file = path.join(projectDir, GENERATED_FILE);
  const read = await readDocument(projectDir);
  if (!read || read.doc.errors.length > 0) return new StatCache();
  const node = read.doc.getIn(['build', 'cache', key]);
  if (!isMap(node)) return new StatCache();
  const version = node.get('version');
  const files = node.get('files');
  const writtenAt = node.get('writtenAt');
  if (version !== FORMAT_VERSION || typeof files !== 'string' || typeof writtenAt !== 'number') return new StatCache();
  const cache = StatCache.parse(files, writtenAt);
  stored.set(cache, { file, key, ...read.stamp });
  return cache;
}

/** Stores the cache for one context, leaving every other key of generated.yaml intact. */
export async function saveStatCache(projectDir: string, key: string, cache: StatCache): Promise<void> {
  const file = path.join(projectDir, GENERATED_FILE);
  const was = stored.get(cache);
  if (was && was.file === file && was.key === key) {
    const now = await fileStamp(file);
    if (now && now.size === was.size && now.mtimeMs === was.mtimeMs) return;
  }
  const doc = (await readDocument(projectDir))?.doc ?? new Document({});
  if (doc.errors.length > 0) {
    throw new AppError('CONFIG_INVALID', `${file} is not valid YAML (${doc.errors[0].message.split('\n')[0]}), so the build cache was not saved.`, 'Fix or delete that file; DevSpace regenerates it.');
  }
  if (!isMap(doc.contents)) doc.contents = new YAMLMap() as typeof doc.contents;
  const entry = doc.createNode({ version: FORMAT_VERSION, writtenAt: cache.writtenAt, files: cache.serialize() });
  const files = (entry as YAMLMap).items.find((p) => (p.key as { value?: unknown }).value === 'files');
  // A literal block keeps one cache line per text line (readable, diff-friendly, and 3× faster to
  // parse than the quoted flow scalar YAML falls back to inside a flow mapping).
  if (files?.value && typeof files.value === 'object') (files.value as { type?: string }).type = 'BLOCK_LITERAL';
  doc.setIn(['build', 'cache', key], entry);
  // A block scalar cannot sit inside a flow mapping ({…}): keep the maps on our path in block style.
  for (const at of [[], ['build'], ['build', 'cache']]) {
    const m = at.length ? doc.getIn(at, true) : doc.contents;
    if (isMap(m)) m.flow = false;
  }
  const text = doc.toString({ lineWidth: 0 });
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  } catch (err) {
    throw fsError(err, file);
  }
  const stamp = await fileStamp(file);
  if (stamp) stored.set(cache, { file, key, ...stamp });
}

async function readDocument(projectDir: string): Promise<{ doc: Document; stamp: { size: number; mtimeMs: number } } | undefined> {
  const file = path.join(projectDir, GENERATED_FILE);
  let text: string;
  let stamp: { size: number; mtimeMs: number };
  try {
    // Stamp and text from one open file, so the stamp belongs to the text that was parsed.
    const fh = await fs.open(file, 'r');
    try {
      const st = await fh.stat();
      stamp = { size: st.size, mtimeMs: st.mtimeMs };
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fsError(err, file);
  }
  return { doc: parseDocument(text), stamp };
}
