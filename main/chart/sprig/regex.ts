// Sprig's regular-expression functions over Go's RE2 syntax (translated in regex-syntax.ts).
// The find/replace/split loops follow Go's regexp package rather than String.prototype.replace:
// Go skips an empty match right after a previous match, and expands $1x as the group "1x".

import { goFunc, type FuncMap } from './signature';
import { compileGo, type GoRegExp } from './regex-syntax';
import { goQuote } from './convert';

const runeWidth = (s: string, pos: number) => {
  const cp = s.codePointAt(pos);
  return cp !== undefined && cp > 0xffff ? 2 : 1;
};

/** Regexp.FindAllStringSubmatchIndex's loop: empty matches right after a match are skipped. */
export function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevMatchEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start) {
      if (start === prevMatchEnd) accept = false;
      pos = start + (start < s.length ? runeWidth(s, start) : 1);
    } else {
      pos = end;
    }
    prevMatchEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Regexp.Expand's template: $1, ${1}, $name, ${name}, $$; $1x means the group named "1x". */
function expand(re: RegExp, template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let len = 0;
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    if (braced) {
      name = braced[1];
      len = braced[0].length;
    } else {
      const bare = /^[A-Za-z0-9_]+/.exec(rest);
      if (bare) {
        name = bare[0];
        len = bare[0].length;
      }
    }
    if (name === undefined) {
      out += '$'; // malformed: Go copies the $ through
      continue;
    }
    i += len;
    if (/^\d+$/.test(name)) {
      const idx = Number(name);
      out += idx < m.length ? (m[idx] ?? '') : '';
    } else {
      // The first group of that name that took part in the match, as Go's Expand does.
      const names = (re as Partial<GoRegExp>).goGroupNames ?? [];
      const idx = names.findIndex((n, k) => n === name && m[k] !== undefined);
      out += idx > 0 ? m[idx]! : '';
    }
  }
  return out;
}

/** Regexp.ReplaceAllString / ReplaceAllLiteralString. */
export function replaceAll(re: RegExp, src: string, repl: string, literal: boolean): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += src.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) out += literal ? repl : expand(re, repl, m);
    lastMatchEnd = a1;
    const width = searchPos < src.length ? runeWidth(src, searchPos) : 1;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastMatchEnd);
}

/** Regexp.Split */
export function regexpSplit(re: RegExp, expr: string, s: string, n: number): string[] {
  if (n === 0) return [];
  if (expr.length > 0 && s.length === 0) return [''];
  const matches = findAll(re, s, n);
  const strings: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && strings.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) strings.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) strings.push(s.slice(beg));
  return strings;
}

/** regexp.QuoteMeta */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** regexp.MustCompile's panic text, which is what the non-must functions fail with. */
function mustCompile(expr: string): RegExp {
  try {
    return compileGo(expr);
  } catch (e) {
    throw new Error(`regexp: Compile(${goBackquote(expr)}): ${(e as Error).message}`);
  }
}

function goBackquote(s: string): string {
  return s.includes('`') ? goQuote(s) : '`' + s + '`';
}

export function regexFunctions(): FuncMap {
  const pair = (
    name: string,
    params: ('string' | 'int')[],
    body: (re: RegExp, expr: string, ...args: any[]) => unknown,
    onMustFail?: (expr: string, ...args: any[]) => unknown,
  ) => {
    const must = 'must' + name[0].toUpperCase() + name.slice(1);
    return {
      [name]: goFunc(name, params, (expr: string, ...args: unknown[]) => {
        if (onMustFail) {
          let re: RegExp;
          try {
            re = compileGo(expr);
          } catch {
            return onMustFail(expr, ...args);
          }
          return body(re, expr, ...args);
        }
        return body(mustCompile(expr), expr, ...args);
      }),
      [must]: goFunc(must, params, (expr: string, ...args: unknown[]) => body(compileGo(expr), expr, ...args)),
    };
  };
  return {
    // regexMatch swallows compile errors (regexp.MatchString's error is ignored).
    ...pair('regexMatch', ['string', 'string'], (re: RegExp, _e: string, s: string) => findAll(re, s, 1).length > 0, () => false),
    ...pair('regexFindAll', ['string', 'string', 'int'], (re: RegExp, _e: string, s: string, n: bigint) =>
      findAll(re, s, Number(n)).map((m) => m[0]),
    ),
    ...pair('regexFind', ['string', 'string'], (re: RegExp, _e: string, s: string) => findAll(re, s, 1)[0]?.[0] ?? ''),
    ...pair('regexReplaceAll', ['string', 'string', 'string'], (re: RegExp, _e: string, s: string, repl: string) => replaceAll(re, s, repl, false)),
    ...pair('regexReplaceAllLiteral', ['string', 'string', 'string'], (re: RegExp, _e: string, s: string, repl: string) =>
      replaceAll(re, s, repl, true),
    ),
    ...pair('regexSplit', ['string', 'string', 'int'], (re: RegExp, e: string, s: string, n: bigint) => regexpSplit(re, e, s, Number(n))),
    regexQuoteMeta: goFunc('regexQuoteMeta', ['string'], quoteMeta),
  };
}
