// Change detection for "Up": one sha256 over everything that decides the image — the Dockerfile,
// the build context as it will be sent (paths, types, modes, symlink targets, file contents),
// build args and target. Same inputs, same hash, same image tag; so the image is rebuilt only
// when one of them changed. Modification times are not part of it (touching a file changes
// nothing), and ignored files are not either (they are not sent).
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../ipc/errors';
import { fsError } from '../../fs/fsErrors';
import { contextReadError, dockerfileInContext, listBuildContext, loadIgnoreRules, type ContextEntry } from '../context/buildContext';
import { timeSlicer } from '../context/timeSlicer';
import { StatCache, type StatCacheEntry } from './statCache';

export interface BuildHashInput {
  /** Absolute path of the build context folder. */
  contextDir: string;
  /** Dockerfile relative to the context (or absolute); default 'Dockerfile'. */
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  /** Results of the previous run; unchanged files are not read again. */
  cache?: StatCache;
  /** The clock, for the stat cache's racy-file rule. */
  now?: () => number;
  /** Prefix of the derived image tag. */
  tagPrefix?: string;
}

export interface BuildHashResult {
  /** sha256, hex. */
  hash: string;
  /** Image tag derived from the hash, e.g. "devspace-3f2a9c0d1e4b". */
  tag: string;
  /** Files whose content had to be read (not answered by the cache). */
  filesRead: number;
  /** Files in the context. */
  filesTotal: number;
  /** The cache to keep for next time (holds exactly the files of this context). */
  cache: StatCache;
  /** The context as hashed, in send order: hand it to the packer so both agree. */
  entries: ContextEntry[];
  /** The Dockerfile's path inside the context, or undefined when it lives outside it. */
  dockerfileInContext: string | undefined;
}

export const DEFAULT_TAG_PREFIX = 'devspace-';
const HASH_FORMAT = 'devspace-build-hash/2';

/** The image tag for a build hash: the prefix and the first 12 hex characters. */
export function imageTagForHash(hash: string, prefix = DEFAULT_TAG_PREFIX): string {
  if (!/^[0-9a-f]{12,}$/.test(hash)) throw new Error(`not a hex hash: ${hash}`);
  const tag = `${prefix}${hash.slice(0, 12)}`;
  // Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new AppError('INVALID_ARGUMENT', `"${prefix}" cannot start an image tag.`, 'Use letters, digits, "_", "." and "-" only, starting with a letter, digit or "_".');
  }
  return tag;
}

export async function computeBuildHash(input: BuildHashInput): Promise<BuildHashResult> {
  const now = input.now ?? Date.now;
  const dockerfile = input.dockerfile ?? 'Dockerfile';
  const dockerfileAbs = path.resolve(input.contextDir, dockerfile);
  let dockerfileBytes: Buffer;
  try {
    dockerfileBytes = await fs.readFile(dockerfileAbs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('NOT_FOUND', `There is no Dockerfile at ${dockerfileAbs}.`, 'Create one, let DevSpace generate one, or set the Dockerfile path in the project settings.');
    }
    throw fsError(err, dockerfileAbs);
  }
  // Taken before anything is stat'ed: files changed during this run stay untrusted next time.
  const startedAt = now();
  const rules = await loadIgnoreRules({ contextDir: input.contextDir, dockerfile });
  const entries = await listBuildContext({ contextDir: input.contextDir, dockerfile }, rules);

  const old = input.cache ?? new StatCache();
  // Content hashes by entry index (no per-file map or object): a warm run over 10,000 unchanged
  // files should cost little more than the walk itself.
  const contentHash: string[] = new Array<string>(entries.length);
  const kept: Array<StatCacheEntry | undefined> = new Array<StatCacheEntry | undefined>(entries.length);
  const toRead: number[] = [];
  let files = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.type !== 'file') continue;
    files++;
    const cached = old.trusted(e.path, e);
    if (cached) {
      contentHash[i] = cached.hash;
      kept[i] = cached;
    } else toRead.push(i);
  }
  const slice = timeSlicer();
  for (const i of toRead) {
    const pause = slice();
    if (pause) await pause;
    const e = entries[i]!;
    contentHash[i] = await hashFile(path.join(input.contextDir, e.path), e.path, e.size);
  }

  const h = createHash('sha256');
  const inContext = dockerfileInContext(input.contextDir, dockerfile);
  h.update(`${HASH_FORMAT}\n`);
  h.update(`dockerfile ${JSON.stringify(inContext ?? path.basename(dockerfileAbs))} ${createHash('sha256').update(dockerfileBytes).digest('hex')}\n`);
  h.update(`target ${JSON.stringify(input.target ?? '')}\n`);
  for (const key of Object.keys(input.buildArgs ?? {}).sort()) {
    h.update(`arg ${JSON.stringify(key)} ${JSON.stringify(input.buildArgs![key])}\n`);
  }
  // Length-prefixed strings keep every line unambiguous (any byte may appear in a file name)
  // without the cost of JSON-quoting 10,000 paths on every Up. Fed in chunks of about 64 KB.
  let chunk = '';
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    let what = '-';
    if (e.type === 'file') what = contentHash[i]!;
    else if (e.type === 'symlink') what = `${e.linkTarget?.length ?? 0}:${e.linkTarget ?? ''}`;
    chunk += `${e.type} ${e.mode.toString(8)} ${e.path.length}:${e.path} ${what}\n`;
    if (chunk.length > 65_536) {
      h.update(chunk);
      chunk = '';
    }
  }
  h.update(chunk);
  const filesTotal = files;
  const hash = h.digest('hex');
  // Nothing read and nothing gone: the old cache is still exactly right (every entry was trusted
  // under its own writtenAt, and stays so), so hand it back as it is and a save can be skipped.
  const cache = toRead.length === 0 && files === old.entries.size ? old : freshCache(entries, contentHash, kept, startedAt);
  return {
    hash,
    tag: imageTagForHash(hash, input.tagPrefix),
    filesRead: toRead.length,
    filesTotal,
    cache,
    entries,
    dockerfileInContext: inContext,
  };
}

function freshCache(entries: ContextEntry[], contentHash: string[], kept: Array<StatCacheEntry | undefined>, writtenAt: number): StatCache {
  const fresh = new Map<string, StatCacheEntry>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.type !== 'file') continue;
    fresh.set(e.path, kept[i] ?? { size: e.size, mtimeMs: e.mtimeMs, ino: e.ino, hash: contentHash[i]! });
  }
  return new StatCache(fresh, writtenAt);
}

async function hashFile(abs: string, rel: string, size: number): Promise<string> {
  try {
    // Synchronous reads of small files: see timeSlicer.ts for why.
    if (size <= 1 << 20) return createHash('sha256').update(readFileSync(abs)).digest('hex');
    const h = createHash('sha256');
    for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
    return h.digest('hex');
  } catch (err) {
    throw contextReadError(err, abs, rel);
  }
}
