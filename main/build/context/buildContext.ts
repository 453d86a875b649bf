// The build context: which files under the context folder are sent to the builder, in a stable
// order. It follows the Docker CLI's classic `docker build` exactly: .dockerignore patterns are
// checked with moby's MatchesUsingParentResults while walking (pre-order, names sorted within a
// folder, as Go's filepath.WalkDir), an excluded folder is only entered when a '!' exception
// names something below it, and the Dockerfile and .dockerignore are always sent
// (build.TrimBuildFilesFromExcludes appends '!.dockerignore' and '!<Dockerfile>').
// Like BuildKit and Kaniko, a '<Dockerfile>.dockerignore' next to the Dockerfile takes the place of
// the context's .dockerignore. One addition of ours: the project's .devspace/ folder (the app's
// config and state, as DevSpace's own .dockerignore had it) is never sent, so editing port mappings
// or settings does not change the image's content hash and rebuild it.
import { lstatSync, promises as fs, readdirSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../ipc/errors';
import { fsError } from '../../fs/fsErrors';
import { timeSlicer } from './timeSlicer';
import { DockerignoreError, DockerignoreMatcher, parseDockerignore, type IgnoreLine, type ParentMatchInfo } from './dockerignore';

/** Never part of a build context: DevSpace's own folder (config.yaml, generated state and its temporary copies). */
export const APP_STATE_FILES = ['.devspace'];

export type ContextEntryType = 'file' | 'dir' | 'symlink';

export interface ContextEntry {
  /** '/'-separated, relative to the context folder, no trailing slash. */
  path: string;
  type: ContextEntryType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  /** Bytes, for files; 0 otherwise. */
  size: number;
  mtimeMs: number;
  ino: number;
  /** Where a symlink points, exactly as stored (never followed). */
  linkTarget?: string;
}

export interface BuildContextOptions {
  /** Absolute path of the context folder. */
  contextDir: string;
  /** The Dockerfile, relative to contextDir ('/'-separated) or absolute; default 'Dockerfile'. */
  dockerfile?: string;
  /** Told about files that cannot go into a tar (sockets, devices, FIFOs) and are left out. */
  onSkip?: (relPath: string, reason: string) => void;
}

export interface IgnoreRules {
  matcher: DockerignoreMatcher;
  /** Which file the rules came from ('' when there is none), relative to the context. */
  source: string;
}

/** The Dockerfile's path relative to the context ('/'-separated), or undefined when outside it. */
export function dockerfileInContext(contextDir: string, dockerfile = 'Dockerfile'): string | undefined {
  const abs = path.resolve(contextDir, dockerfile);
  const rel = path.relative(contextDir, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** Reads the ignore rules that apply to this build, with the Docker CLI's always-send exceptions. */
export async function loadIgnoreRules(opts: BuildContextOptions): Promise<IgnoreRules> {
  const dockerfileAbs = path.resolve(opts.contextDir, opts.dockerfile ?? 'Dockerfile');
  const candidates = [`${dockerfileAbs}.dockerignore`, path.join(opts.contextDir, '.dockerignore')];
  let lines: IgnoreLine[] = [];
  let source = '';
  for (const file of candidates) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw fsError(err, file);
    }
    lines = parseDockerignore(text);
    source = path.relative(opts.contextDir, file).split(path.sep).join('/');
    break;
  }
  const build = (l: ReadonlyArray<string | IgnoreLine>) => {
    try {
      return new DockerignoreMatcher(l);
    } catch (err) {
      if (err instanceof DockerignoreError) {
        const where = err.line ? `${source}, line ${err.line}` : source;
        throw new AppError('CONFIG_INVALID', `${where}: ${err.message}.`, 'Fix or remove that line; patterns follow Go filepath.Match syntax.');
      }
      throw err;
    }
  };
  let matcher = build(lines);
  // build.TrimBuildFilesFromExcludes, with the deprecated Matches it uses.
  const extra: string[] = [];
  if (matcher.matchesLegacy('.dockerignore')) extra.push('!.dockerignore');
  const df = dockerfileInContext(opts.contextDir, opts.dockerfile);
  if (df) {
    const withIgnore = new DockerignoreMatcher([...lines, ...extra]);
    if (withIgnore.matchesLegacy(df)) extra.push(`!${df}`);
  }
  // DevSpace's own state file changes with every build (the stat cache lives in it); sending it
  // would make every build look changed. Appended last, so no user exception brings it back.
  matcher = build([...lines, ...extra, ...APP_STATE_FILES]);
  return { matcher, source };
}

/** Yields every entry to send, folders before their contents, names sorted within a folder. */
export async function* walkBuildContext(opts: BuildContextOptions, rules?: IgnoreRules): AsyncGenerator<ContextEntry> {
  yield* await listBuildContext(opts, rules);
}

/** The whole context as a list, in send order (what the hash and the packer consume). */
export async function listBuildContext(opts: BuildContextOptions, rules?: IgnoreRules): Promise<ContextEntry[]> {
  const { matcher } = rules ?? (await loadIgnoreRules(opts));
  let rootStat: Stats;
  try {
    rootStat = await fs.stat(opts.contextDir);
  } catch (err) {
    throw fsError(err, opts.contextDir);
  }
  if (!rootStat.isDirectory()) {
    throw new AppError('NOT_A_DIRECTORY', `The build context ${opts.contextDir} is not a folder.`, 'Point the build context at the folder that holds your sources.');
  }
  const out: ContextEntry[] = [];
  // One list filled by plain recursion: nested async generators cost a promise per entry per level.
  await walkDir(opts, matcher, '', undefined, timeSlicer(), out);
  return out;
}

async function walkDir(
  opts: BuildContextOptions,
  matcher: DockerignoreMatcher,
  rel: string,
  parentInfo: ParentMatchInfo,
  slice: () => Promise<void> | undefined,
  out: ContextEntry[],
): Promise<void> {
  const abs = rel === '' ? opts.contextDir : path.join(opts.contextDir, rel);
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch (err) {
    throw contextReadError(err, abs, rel);
  }
  sortByBytes(names);
  const hasPatterns = matcher.patterns.length > 0;
  // Plain concatenation: path.join normalises the whole path again for each of 10,000 entries.
  const absPrefix = abs.endsWith(path.sep) ? abs : abs + path.sep;
  for (const name of names) {
    const pause = slice();
    if (pause) await pause;
    const relPath = rel ? `${rel}/${name}` : name;
    const absPath = absPrefix + name;
    let st: Stats | undefined;
    try {
      st = lstatSync(absPath, { throwIfNoEntry: false });
    } catch (err) {
      throw contextReadError(err, absPath, relPath);
    }
    if (!st) continue; // deleted while we walk
    let skip = false;
    let info: boolean[] | undefined;
    if (hasPatterns) {
      const r = matcher.matchesUsingParentResults(relPath, parentInfo);
      skip = r.matched;
      info = r.info;
    }
    const isDir = st.isDirectory();
    if (skip) {
      if (isDir && matcher.mayReincludeBelow(relPath)) await walkDir(opts, matcher, relPath, info, slice, out);
      continue;
    }
    if (isDir) {
      out.push(entryOf(relPath, 'dir', st));
      await walkDir(opts, matcher, relPath, info, slice, out);
    } else if (st.isFile()) {
      out.push(entryOf(relPath, 'file', st));
    } else if (st.isSymbolicLink()) {
      let target: string;
      try {
        target = readlinkSync(absPath);
      } catch (err) {
        throw contextReadError(err, absPath, relPath);
      }
      out.push({ ...entryOf(relPath, 'symlink', st), linkTarget: target });
    } else {
      opts.onSkip?.(relPath, st.isSocket() ? 'a socket' : st.isFIFO() ? 'a named pipe' : 'a device file');
    }
  }
}

function entryOf(relPath: string, type: ContextEntryType, st: Stats): ContextEntry {
  return { path: relPath, type, mode: st.mode & 0o7777, size: type === 'file' ? st.size : 0, mtimeMs: st.mtimeMs, ino: st.ino };
}

/** Go sorts names by their UTF-8 bytes; UTF-16 order differs only for astral characters. */
function byBytes(a: string, b: string): number {
  if (a === b) return 0;
  const ascii = /^[\x00-\x7f]*$/;
  if (ascii.test(a) && ascii.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Sorts a folder's names as Go does; one check per name instead of two RegExps per comparison. */
function sortByBytes(names: string[]): void {
  // Without surrogates (astral characters), UTF-16 code unit order is code point order, which is UTF-8 byte order.
  if (names.some((n) => /[\ud800-\udfff]/.test(n))) names.sort(byBytes);
  else names.sort();
}

export function contextReadError(err: unknown, abs: string, rel: string): AppError {
  const e = fsError(err, abs);
  if (e.code === 'PERMISSION_DENIED') {
    return new AppError('PERMISSION_DENIED', `The build context cannot be read: no permission for ${rel || abs}.`, `Fix its permissions, or add "${rel}" to .dockerignore if the image does not need it.`);
  }
  return e;
}
