// The stat cache lets an unchanged build context be hashed without reading its files: for each
// file it remembers size, mtime and inode together with the content hash seen then. A file whose
// stat still matches is not read again.
// Racy entries (git's "racily clean" problem): a file changed twice within the filesystem's mtime
// granularity keeps its mtime and size. So an entry is only trusted when the file's mtime is older
// than the previous hashing run by more than RACY_WINDOW_MS; younger files are read again.

export interface StatCacheEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  /** sha256 of the content, hex. */
  hash: string;
}

/** Larger than the coarsest common mtime granularity (FAT: 2 s). */
export const RACY_WINDOW_MS = 2000;

export class StatCache {
  constructor(
    readonly entries: Map<string, StatCacheEntry> = new Map(),
    /** When the run that filled this cache finished hashing (ms since epoch); 0 when empty. */
    readonly writtenAt = 0,
  ) {}

  /** The remembered content hash, when the file's stat is unchanged and not racy. */
  lookup(path: string, st: { size: number; mtimeMs: number; ino: number }): string | undefined {
    return this.trusted(path, st)?.hash;
  }

  /** The remembered entry itself (to be kept as it is), when the file's stat is unchanged and not racy. */
  trusted(path: string, st: { size: number; mtimeMs: number; ino: number }): StatCacheEntry | undefined {
    const e = this.entries.get(path);
    if (!e || e.size !== st.size || e.mtimeMs !== st.mtimeMs || e.ino !== st.ino) return undefined;
    if (e.mtimeMs >= this.writtenAt - RACY_WINDOW_MS) return undefined;
    return e;
  }

  /**
   * One line per file: "<sha256> <size> <mtimeMs> <ino> <JSON path>". Compact on purpose: a
   * 10,000-file cache is one YAML block scalar that parses in milliseconds, where a YAML mapping
   * per file would cost more than the hashing it saves.
   */
  serialize(): string {
    const lines: string[] = [];
    for (const [p, e] of this.entries) lines.push(`${e.hash} ${e.size} ${e.mtimeMs} ${e.ino} ${JSON.stringify(p)}`);
    return lines.length ? `${lines.join('\n')}\n` : '';
  }

  /** The inverse of serialize; malformed lines are dropped (they only cost a re-read). */
  static parse(text: string, writtenAt: number): StatCache {
    const entries = new Map<string, StatCacheEntry>();
    for (const line of text.split('\n')) {
      // hand-split rather than a RegExp per line: this runs for every file on every Up
      const a = line.indexOf(' ');
      const b = line.indexOf(' ', a + 1);
      const c = line.indexOf(' ', b + 1);
      const d = line.indexOf(' ', c + 1);
      if (a !== 64 || d < 0 || line.charCodeAt(d + 1) !== 34 /* " */) continue;
      let p: unknown;
      // JSON.stringify escapes every '"' and '\\' in a path, so a quoted path without a backslash
      // is its own text: no JSON.parse for the common case (10,000 calls on every Up).
      const last = line.length - 1;
      if (last > d + 1 && line.charCodeAt(last) === 34 && line.indexOf('\\', d + 2) < 0) {
        p = line.slice(d + 2, last);
        if ((p as string).includes('"')) continue;
      } else {
        try {
          p = JSON.parse(line.slice(d + 1));
        } catch {
          continue;
        }
      }
      const size = Number(line.slice(a + 1, b));
      const mtimeMs = Number(line.slice(b + 1, c));
      const ino = Number(line.slice(c + 1, d));
      if (typeof p !== 'string' || !Number.isFinite(size) || !Number.isFinite(mtimeMs) || !Number.isFinite(ino)) continue;
      entries.set(p, { hash: line.slice(0, 64), size, mtimeMs, ino });
    }
    return new StatCache(entries, Number.isFinite(writtenAt) ? writtenAt : 0);
  }
}
