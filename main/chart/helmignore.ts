// .helmignore as Helm reads it (pkg/ignore): shell globs per line matched with Go's
// filepath.Match, '#' comments, a trailing '/' for directories only, a leading '/' anchored at the
// chart root, and rules without '/' matched against the base name. '**' is refused, as in Helm.
// Helm's negation ('!') is quirky and copied as is: a negated rule ignores every path it does NOT
// match.

import { ChartError } from './errors';

interface Rule {
  negate: boolean;
  mustDir: boolean;
  match: (path: string) => boolean;
}

/** Go's path/filepath.Match as a RegExp ('*' and '?' do not cross '/'). Throws on a bad pattern. */
export function globToRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= pattern.length) throw new Error('syntax error in pattern');
      re += escapeRe(pattern[i]);
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^') {
        cls += '^';
        j++;
      }
      let first = true;
      while (j < pattern.length && (pattern[j] !== ']' || first)) {
        const ch = pattern[j];
        if (ch === '\\') {
          j++;
          cls += escapeRe(pattern[j] ?? '');
        } else if (ch === '-') {
          cls += '-';
        } else {
          cls += escapeRe(ch);
        }
        first = false;
        j++;
      }
      if (j >= pattern.length) throw new Error('syntax error in pattern');
      re += cls.startsWith('^') ? `(?!/)[${cls}]` : `[${cls}]`;
      i = j;
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(re + '$', 's');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class HelmIgnore {
  private readonly rules: Rule[] = [];

  /** Parses .helmignore text. Helm always adds `templates/.?*` (hidden files in templates/). */
  static parse(text: string, file = '.helmignore'): HelmIgnore {
    const ignore = new HelmIgnore();
    for (const line of text.split(/\r?\n/)) ignore.addRule(line, file);
    ignore.addRule('templates/.?*', file);
    return ignore;
  }

  static defaults(): HelmIgnore {
    return HelmIgnore.parse('');
  }

  private addRule(line: string, file: string): void {
    let rule = line.trim();
    if (rule === '' || rule.startsWith('#')) return;
    if (rule.includes('**')) {
      throw new ChartError('CHART_INVALID', 'double-star (**) syntax is not supported', { file, hint: `remove "${rule}" from ${file}` });
    }
    const negate = rule.startsWith('!');
    if (negate) rule = rule.slice(1);
    const mustDir = rule.endsWith('/');
    if (mustDir) rule = rule.slice(0, -1);
    let re: RegExp;
    let base = false;
    try {
      if (rule.startsWith('/')) re = globToRegExp(rule.slice(1));
      else if (rule.includes('/')) re = globToRegExp(rule);
      else {
        re = globToRegExp(rule);
        base = true;
      }
    } catch {
      throw new ChartError('CHART_INVALID', `syntax error in pattern "${line.trim()}"`, { file });
    }
    this.rules.push({
      negate,
      mustDir,
      match: (p) => re.test(base ? p.slice(p.lastIndexOf('/') + 1) : p),
    });
  }

  /** Whether `path` (relative to the chart root, '/'-separated) is ignored. */
  ignores(path: string, isDir: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const r of this.rules) {
      if (r.negate) {
        if (r.mustDir && !isDir) return true;
        if (!r.match(path)) return true;
        continue;
      }
      if (r.mustDir && !isDir) continue;
      if (r.match(path)) return true;
    }
    return false;
  }
}
