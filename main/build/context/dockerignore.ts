// .dockerignore as the Docker CLI reads it: moby/patternmatcher's ignorefile.ReadAll (BOM, '#'
// comments in column 1, trimmed lines, cleaned paths, leading '/' dropped) and its PatternMatcher
// (Go filepath.Clean, '!' exceptions where the last matching line wins, '**' across directories,
// '*', '?' and '[...]' within one path element). Matching mirrors moby's match types, quirks
// included (e.g. '**file' is a plain suffix test, so it also matches 'myfile'), because users
// compare what we send with what `docker build` sends.

export class DockerignoreError extends Error {
  override readonly name = 'DockerignoreError';
  constructor(
    message: string,
    readonly pattern: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** One parsed .dockerignore line, before compilation. */
export interface IgnoreLine {
  pattern: string;
  /** 1-based line in the file, for error messages. */
  line: number;
}

/** ignorefile.ReadAll: the file's text to the list of patterns ('!' kept as a prefix). */
export function parseDockerignore(text: string): IgnoreLine[] {
  const out: IgnoreLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i];
    if (i === lines.length - 1 && raw === '') break;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (i === 0 && raw.startsWith('\uFEFF')) raw = raw.slice(1);
    // Comments are only recognised in column 1, before trimming (as in moby).
    if (raw.startsWith('#')) continue;
    let pattern = raw.trim();
    if (pattern === '') continue;
    const invert = pattern[0] === '!';
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = goClean(pattern);
      if (pattern.length > 1 && pattern[0] === '/') pattern = pattern.slice(1);
    }
    out.push({ pattern: invert ? `!${pattern}` : pattern, line: i + 1 });
  }
  return out;
}

/** Go's path/filepath.Clean for '/'-separated paths. */
export function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const parts: string[] = [];
  for (const el of p.split('/')) {
    if (el === '' || el === '.') continue;
    if (el === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(el);
  }
  const joined = parts.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

export class IgnorePattern {
  readonly matchType: MatchType;
  private readonly regexp?: RegExp;

  constructor(
    /** The cleaned pattern without its '!'. */
    readonly cleaned: string,
    readonly exclusion: boolean,
    readonly line?: number,
  ) {
    const compiled = compile(cleaned);
    this.matchType = compiled.type;
    this.regexp = compiled.regexp;
  }

  match(path: string): boolean {
    switch (this.matchType) {
      case 'exact':
        return path === this.cleaned;
      case 'prefix':
        return path.startsWith(this.cleaned.slice(0, -2));
      case 'suffix': {
        const suffix = this.cleaned.slice(2);
        if (path.endsWith(suffix)) return true;
        // '**/foo' matches 'foo' itself
        return suffix[0] === '/' && path === suffix.slice(1);
      }
      case 'regexp':
        return this.regexp!.test(path);
    }
  }
}

/** Per-directory match results handed down to children (moby's MatchInfo). */
export type ParentMatchInfo = readonly boolean[] | undefined;

export class DockerignoreMatcher {
  readonly patterns: IgnorePattern[];
  /** True when some line is a '!' exception. */
  readonly hasExclusions: boolean;

  constructor(lines: ReadonlyArray<string | IgnoreLine>) {
    this.patterns = [];
    let exclusions = false;
    for (const item of lines) {
      const lineNo = typeof item === 'string' ? undefined : item.line;
      let p = (typeof item === 'string' ? item : item.pattern).trim();
      if (p === '') continue;
      p = goClean(p);
      let exclusion = false;
      if (p[0] === '!') {
        if (p.length === 1) throw new DockerignoreError('illegal exclusion pattern: "!"', p, lineNo);
        exclusion = true;
        exclusions = true;
        p = p.slice(1);
      }
      const syntax = checkGlobSyntax(p);
      if (syntax) throw new DockerignoreError(`syntax error in pattern "${p}": ${syntax}`, p, lineNo);
      this.patterns.push(new IgnorePattern(p, exclusion, lineNo));
    }
    this.hasExclusions = exclusions;
  }

  static fromText(text: string): DockerignoreMatcher {
    return new DockerignoreMatcher(parseDockerignore(text));
  }

  /** moby's MatchesExact: no parent directories are considered. */
  matchesExact(file: string): boolean {
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      if (p.match(file)) matched = !p.exclusion;
    }
    return matched;
  }

  /**
   * moby's deprecated Matches, which the Docker CLI still uses to decide whether the Dockerfile
   * and .dockerignore need an exception: besides the path, only its parent prefix of the same
   * depth as the pattern is tried.
   */
  matchesLegacy(file: string): boolean {
    file = goClean(file);
    if (file === '.') return false;
    const parent = dirname(file);
    const parentDirs = parent.split('/');
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let m = p.match(file);
      if (!m && parent !== '.') {
        const depth = p.cleaned.split('/').length;
        if (depth <= parentDirs.length) m = p.match(parentDirs.slice(0, depth).join('/'));
      }
      if (m) matched = !p.exclusion;
    }
    return matched;
  }

  /** moby's MatchesOrParentMatches: a pattern matching any parent directory matches the path. */
  matchesOrParentMatches(file: string): boolean {
    const parent = dirname(file);
    const parentDirs = parent.split('/');
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let m = p.match(file);
      if (!m && parent !== '.') {
        for (let i = 0; i < parentDirs.length && !m; i++) m = p.match(parentDirs.slice(0, i + 1).join('/'));
      }
      if (m) matched = !p.exclusion;
    }
    return matched;
  }

  /**
   * moby's MatchesUsingParentResults, what the build-context walker uses: a pattern that matched
   * the parent directory counts as matching the child without being tried again.
   */
  matchesUsingParentResults(file: string, parent: ParentMatchInfo): { matched: boolean; info: boolean[] } {
    const info = new Array<boolean>(this.patterns.length).fill(false);
    let matched = false;
    for (let i = 0; i < this.patterns.length; i++) {
      const p = this.patterns[i];
      let m = parent ? parent[i] : false;
      if (!m) {
        if (p.exclusion !== matched) continue;
        m = p.match(file);
        if (!m && !parent) {
          const dir = dirname(file);
          if (dir !== '.') {
            const dirs = dir.split('/');
            for (let j = 0; j < dirs.length && !m; j++) m = p.match(dirs.slice(0, j + 1).join('/'));
          }
        }
      }
      info[i] = m;
      if (m) matched = !p.exclusion;
    }
    return { matched, info };
  }

  /**
   * Whether an excluded directory must still be walked because an exception names a path
   * below it (moby compares the exception's text, so '!**\/keep' does not reopen 'docs').
   */
  mayReincludeBelow(dir: string): boolean {
    if (!this.hasExclusions) return false;
    const dirSlash = `${dir}/`;
    return this.patterns.some((p) => p.exclusion && `${p.cleaned}/`.startsWith(dirSlash));
  }
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

const REGEXP_ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

function escapeChar(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}

/** moby's Pattern.compile, producing a JavaScript RegExp with the same meaning. */
function compile(pattern: string): { type: MatchType; regexp?: RegExp } {
  let re = '^';
  let type: MatchType = 'exact';
  const chars = Array.from(pattern);
  let inClass = false;
  let classStart = -1;
  for (let i = 0, k = 0; k < chars.length; i++) {
    const ch = chars[k++];
    if (inClass) {
      // Inside [...] only '\' escapes and the closing ']' are special; '*' and '?' are literal
      // (as in Go's filepath.Match), which also keeps the RegExp valid.
      // Syntax was checked first, so an unescaped ']' here always closes the class.
      if (ch === ']') {
        re += ']';
        inClass = false;
      } else if (ch === '\\') {
        re += escapeChar(chars[k++] ?? '\\');
      } else if (ch === '-' || (ch === '^' && k - 1 === classStart)) {
        re += ch;
      } else {
        re += escapeChar(ch);
      }
      continue;
    }
    if (ch === '*') {
      if (chars[k] === '*') {
        k++;
        if (chars[k] === '/') k++;
        if (k >= chars.length) {
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (i === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (REGEXP_ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (k < chars.length) {
        re += escapeChar(chars[k++]);
        type = 'regexp';
      } else {
        re += '\\\\';
      }
    } else if (ch === '[') {
      re += '[';
      inClass = true;
      classStart = k;
      type = 'regexp';
    } else if (ch === ']') {
      re += '\\]';
      type = 'regexp';
    } else if (ch === '^') {
      // In Go's regexp (as moby builds it) a bare '^' is an anchor that can never match here.
      re += '^';
    } else {
      re += escapeChar(ch);
    }
  }
  if (type !== 'regexp') return { type };
  try {
    return { type, regexp: new RegExp(`${re}$`, 'u') };
  } catch (err) {
    throw new DockerignoreError(`syntax error in pattern "${pattern}": ${(err as Error).message}`, pattern);
  }
}

/** Go's filepath.Match syntax check (ErrBadPattern cases); returns a reason or undefined. */
export function checkGlobSyntax(pattern: string): string | undefined {
  const chars = Array.from(pattern);
  let k = 0;
  const getEsc = (): string | undefined => {
    if (k >= chars.length || chars[k] === '-' || chars[k] === ']') return 'bad character range';
    if (chars[k] === '\\') {
      k++;
      if (k >= chars.length) return 'trailing backslash';
    }
    k++;
    if (k >= chars.length) return 'unclosed [';
    return undefined;
  };
  while (k < chars.length) {
    const c = chars[k++];
    if (c === '\\') {
      if (k >= chars.length) return 'trailing backslash';
      k++;
    } else if (c === '[') {
      if (chars[k] === '^') k++;
      let nrange = 0;
      for (;;) {
        if (k < chars.length && chars[k] === ']' && nrange > 0) {
          k++;
          break;
        }
        const e1 = getEsc();
        if (e1) return e1;
        if (chars[k] === '-') {
          k++;
          const e2 = getEsc();
          if (e2) return e2;
        }
        nrange++;
      }
    }
  }
  return undefined;
}
