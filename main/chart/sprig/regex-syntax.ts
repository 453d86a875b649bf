// Go RE2 pattern syntax translated to JavaScript regular expressions (u mode): named groups
// (?P<n>…), \A \z \Q…\E, POSIX classes [[:alpha:]], \x{…}, octal escapes, \p{Greek} scripts,
// scoped flag groups (?i:…) that Node 20 lacks, ASCII-only \d \s \w, and Go's syntax errors
// ("error parsing regexp: missing closing ]: `[`").

// POSIX classes as code point ranges, so [[:^alpha:]] can be complemented.
const POSIX: Record<string, [number, number][]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

const cpEscape = (cp: number) => `\\u{${cp.toString(16)}}`;
const rangesToClass = (ranges: [number, number][]) => ranges.map(([a, b]) => (a === b ? cpEscape(a) : `${cpEscape(a)}-${cpEscape(b)}`)).join('');

function complement(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of ranges) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const PERL: Record<string, string> = { d: '0-9', s: '\\t\\n\\f\\r ', w: '0-9A-Za-z_' };
const PERL_RANGES: Record<string, [number, number][]> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

export class GoRegexpError extends Error {}

function syntaxError(code: string, expr: string): GoRegexpError {
  return new GoRegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  U: boolean; // ungreedy: swaps x* and x*?
}

const escapeForClass = (ch: string) => (/[\\\]\[^-]/.test(ch) ? '\\' + ch : ch);
const escapeLiteral = (ch: string) => (/[\\^$.*+?()[\]{}|/]/.test(ch) ? '\\' + ch : ch);

function foldCase(ch: string, flags: Flags): string {
  if (!flags.i) return escapeLiteral(ch);
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  if (lo === up || [...lo].length !== 1 || [...up].length !== 1) return escapeLiteral(ch);
  return `[${escapeForClass(lo)}${escapeForClass(up)}]`;
}

/** The code point a single-character Go escape stands for (\\n, \\x41, \\x{263a}, \\101, \\.), if any. */
function escapeCodePoint(src: string): number | undefined {
  const c = src[1];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 };
  if (c in simple) return simple[c];
  if (c === 'x') return parseInt(src.slice(2).replace(/[{}]/g, ''), 16);
  if (/[0-7]/.test(c)) return parseInt(src.slice(1), 8);
  if (/[!-\/:-@[-`{-~]/.test(c)) return c.codePointAt(0);
  return undefined;
}

/** For a scoped (?i:…) class: the other-case versions of the letters in a range. */
function foldRange(lo: number, hi: number): string {
  let out = '';
  for (let cp = lo; cp <= hi && cp - lo < 512; cp++) {
    const ch = String.fromCodePoint(cp);
    for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
      if (v !== ch && [...v].length === 1) out += cpEscape(v.codePointAt(0)!);
    }
  }
  return out;
}

/** Translates a Go RE2 pattern to an equivalent JS (u-mode) pattern; throws Go's syntax errors. */
export function translateRegexp(expr: string): { source: string; flags: string; groupNames: string[] } {
  let i = 0;
  let out = '';
  const flagStack: Flags[] = [];
  let flags: Flags = { i: false, s: false, m: false, U: false };
  let depth = 0;
  // Capture group names by group number (Go's SubexpNames), for $name expansion.
  const groupNames: string[] = [''];
  const usedNames = new Set<string>();
  let groupIndex = 0;
  const chars = [...expr];

  // Leading (?flags) become JS flags so the common "(?i)…" stays a plain JS regexp.
  let jsFlags = '';
  const lead = /^\(\?([ismU]+)\)/.exec(expr);
  if (lead) {
    for (const f of lead[1]) (flags as unknown as Record<string, boolean>)[f] = true;
    i = [...lead[0]].length;
    if (flags.i) jsFlags += 'i';
    if (flags.s) jsFlags += 's';
    if (flags.m) jsFlags += 'm';
  }
  const globalFlags = { ...flags };
  const dot = () => (flags.s === globalFlags.s ? '.' : flags.s ? '[^]' : '[^\\n]');
  const caret = () => (flags.m === globalFlags.m ? '^' : flags.m ? '(?<![^\\n])' : '(?<![^])');
  const dollar = () => (flags.m === globalFlags.m ? '$' : flags.m ? '(?![^\\n])' : '(?![^])');
  const literal = (ch: string) => (flags.i && !globalFlags.i ? foldCase(ch, flags) : escapeLiteral(ch));

  const readEscape = (inClass: boolean): string => {
    const c = chars[i + 1];
    if (c === undefined) throw syntaxError('trailing backslash at end of expression', '');
    i += 2;
    switch (c) {
      case 'd':
      case 's':
      case 'w':
        return inClass ? PERL[c] : `[${PERL[c]}]`;
      case 'D':
      case 'S':
      case 'W':
        if (inClass) return rangesToClass(complement(PERL_RANGES[c.toLowerCase()]));
        return `[^${PERL[c.toLowerCase()]}]`;
      case 'b':
      case 'B':
        if (inClass) throw syntaxError('invalid escape sequence', `\\${c}`);
        return `\\${c}`;
      case 'A':
        return '(?<![^])';
      case 'z':
        return '(?![^])';
      case 'n':
      case 't':
      case 'r':
      case 'f':
      case 'v':
        return `\\${c}`;
      case 'a':
        return '\\x07';
      case 'p':
      case 'P': {
        let name = chars[i];
        i++;
        if (name === '{') {
          const close = chars.indexOf('}', i);
          if (close < 0) throw syntaxError('invalid character class range', `\\${c}{`);
          name = chars.slice(i, close).join('');
          i = close + 1;
        }
        const neg = name.startsWith('^');
        if (neg) name = name.slice(1);
        // Go's \p{Greek} names a script; JS spells scripts \p{Script=Greek}.
        let prop = name === 'Any' ? '\\s\\S' : `\\p{${name}}`;
        const valid = (p: string) => {
          try {
            new RegExp(`[${p}]`, 'u');
            return true;
          } catch {
            return false;
          }
        };
        if (!valid(prop)) {
          prop = `\\p{Script=${name}}`;
          if (!/^[A-Za-z_]+$/.test(name) || !valid(prop)) throw syntaxError('invalid character class range', `\\${c}{${name}}`);
          name = `Script=${name}`;
        }
        if (name === 'Any') return (c === 'P') !== neg ? (inClass ? '' : '[^\\s\\S]') : inClass ? '\\s\\S' : '[\\s\\S]';
        return `\\${(c === 'P') !== neg ? 'P' : 'p'}{${name}}`;
      }
      case 'x': {
        if (chars[i] === '{') {
          const close = chars.indexOf('}', i);
          const hex = chars.slice(i + 1, close).join('');
          if (close < 0 || !/^[0-9a-fA-F]+$/.test(hex)) throw syntaxError('invalid escape sequence', '\\x{');
          i = close + 1;
          return `\\u{${hex}}`;
        }
        const hex = chars.slice(i, i + 2).join('');
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw syntaxError('invalid escape sequence', `\\x${hex}`);
        i += 2;
        return `\\x${hex}`;
      }
      case 'Q': {
        const end = expr.indexOf('\\E', [...chars.slice(0, i)].join('').length);
        const endIdx = end < 0 ? chars.length : [...expr.slice(0, end)].length;
        const lit = chars.slice(i, endIdx);
        i = end < 0 ? chars.length : endIdx + 2;
        return lit.map((ch) => (inClass ? escapeForClass(ch) : literal(ch))).join('');
      }
      default:
        if (/[0-7]/.test(c)) {
          // \0 … \777 octal (Go forbids backreferences \1-\9 — RE2 has none).
          if (c !== '0' && !/[0-7]/.test(chars[i] ?? '')) throw syntaxError('invalid escape sequence', `\\${c}`);
          let oct = c;
          while (oct.length < 3 && /[0-7]/.test(chars[i] ?? '')) oct += chars[i++];
          return `\\u{${parseInt(oct, 8).toString(16)}}`;
        }
        if (/[!-\/:-@[-`{-~]/.test(c)) return inClass ? escapeForClass(c) : escapeLiteral(c);
        throw syntaxError('invalid escape sequence', `\\${c}`);
    }
  };

  let canRepeat = false;
  let afterRepeat = false;
  let lastRepeat = '';
  while (i < chars.length) {
    const c = chars[i];
    if (c !== '*' && c !== '+' && c !== '?' && c !== '{') {
      afterRepeat = false;
      canRepeat = c !== '(' && c !== '|';
    }
    if (c === '\\') {
      const e = readEscape(false);
      out += e.length === 1 ? literal(e) : e;
      continue;
    }
    if (c === '[') {
      const start = i;
      i++;
      let cls = '[';
      if (chars[i] === '^') {
        cls += '^';
        i++;
      }
      let first = true;
      // One class item: its JS text and, for a single character, its code point (for ranges).
      const readItem = (): { text: string; cp?: number; src: string } => {
        const from = i;
        if (chars[i] === '\\') {
          const text = readEscape(true);
          return { text, cp: escapeCodePoint(chars.slice(from, i).join('')), src: chars.slice(from, i).join('') };
        }
        const ch = chars[i++];
        return { text: cpEscape(ch.codePointAt(0)!), cp: ch.codePointAt(0)!, src: ch };
      };
      while (i < chars.length && (chars[i] !== ']' || first)) {
        first = false;
        if (chars[i] === '[' && chars[i + 1] === ':') {
          let close = -1;
          for (let k = i + 2; k + 1 < chars.length; k++) {
            if (chars[k] === ':' && chars[k + 1] === ']') {
              close = k;
              break;
            }
          }
          if (close >= 0) {
            const name = chars.slice(i + 2, close).join('');
            const neg = name.startsWith('^');
            const ranges = POSIX[neg ? name.slice(1) : name];
            if (!ranges) throw syntaxError('invalid character class range', `[:${name}:]`);
            cls += rangesToClass(neg ? complement(ranges) : ranges);
            i = close + 2;
            continue;
          }
        }
        const lo = readItem();
        if (chars[i] === '-' && chars[i + 1] !== undefined && chars[i + 1] !== ']' && lo.cp !== undefined) {
          i++;
          const hi = readItem();
          if (hi.cp === undefined) throw syntaxError('invalid character class range', `${lo.src}-${hi.src}`);
          if (hi.cp < lo.cp) throw syntaxError('invalid character class range', `${lo.src}-${hi.src}`);
          cls += `${cpEscape(lo.cp)}-${cpEscape(hi.cp)}`;
          if (flags.i && !globalFlags.i) cls += foldRange(lo.cp, hi.cp);
          continue;
        }
        cls += lo.text;
        if (flags.i && !globalFlags.i && lo.cp !== undefined) cls += foldRange(lo.cp, lo.cp);
      }
      if (i >= chars.length) throw syntaxError('missing closing ]', chars.slice(start).join(''));
      i++;
      out += cls + ']';
      continue;
    }
    if (c === '(') {
      if (chars[i + 1] === '?') {
        const rest = chars.slice(i).join('');
        const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
        if (named) {
          groupIndex++;
          groupNames[groupIndex] = named[1];
          flagStack.push({ ...flags });
          depth++;
          // Go allows a name twice; JS does not, so only the first keeps it (expansion uses groupNames).
          out += usedNames.has(named[1]) ? '(' : `(?<${named[1]}>`;
          usedNames.add(named[1]);
          i += [...named[0]].length;
          continue;
        }
        const fl = /^\(\?(-?[ismU]*(?:-[ismU]*)?)(:|\))/.exec(rest);
        if (!fl || fl[1] === '' && fl[2] === ')') throw syntaxError('invalid or unsupported Perl syntax', rest.slice(0, 3));
        const next = { ...flags };
        let neg = false;
        for (const f of fl[1]) {
          if (f === '-') neg = true;
          else (next as unknown as Record<string, boolean>)[f] = !neg;
        }
        i += fl[0].length;
        if (fl[2] === ':') {
          flagStack.push({ ...flags });
          depth++;
          flags = next;
          out += '(?:';
        } else {
          flags = next;
        }
        continue;
      }
      groupIndex++;
      flagStack.push({ ...flags });
      depth++;
      out += '(';
      i++;
      continue;
    }
    if (c === ')') {
      if (depth === 0) throw syntaxError('unexpected )', expr);
      depth--;
      flags = flagStack.pop()!;
      out += ')';
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let op = c;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(chars.slice(i).join(''));
        if (!m) {
          out += '\\{';
          canRepeat = true;
          i++;
          continue;
        }
        if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000)) throw syntaxError('invalid repeat count', m[0]);
        if (m[3] && Number(m[3]) < Number(m[1])) throw syntaxError('invalid repeat count', m[0]);
        op = m[0];
      }
      if (afterRepeat) throw syntaxError('invalid nested repetition operator', lastRepeat + op);
      if (!canRepeat) throw syntaxError('missing argument to repetition operator', op);
      i += op.length;
      let lazy = false;
      if (chars[i] === '?') {
        lazy = true;
        i++;
      }
      out += op + (lazy !== flags.U ? '?' : '');
      if (lazy) op += '?';
      afterRepeat = true;
      lastRepeat = op;
      continue;
    }
    afterRepeat = false;
    canRepeat = true;
    if (c === '.') out += dot();
    else if (c === '^') out += caret();
    else if (c === '$') out += dollar();
    else if (c === '|') {
      out += '|';
      canRepeat = false;
    } else if (c === '}') out += '\\}';
    else out += literal(c);
    i++;
  }
  if (depth > 0) throw syntaxError('missing closing )', expr);
  return { source: out, flags: jsFlags, groupNames };
}

/** A compiled Go regexp: a global JS RegExp over the translated pattern. */
export interface GoRegExp extends RegExp {
  goGroupNames: string[];
}

// Charts call regex functions in loops with the same few patterns; translation is the costly
// part, so compiled patterns are kept (callers always reset lastIndex before using one).
const compiled = new Map<string, GoRegExp>();
const MAX_CACHED = 512;

export function compileGo(expr: string): GoRegExp {
  const hit = compiled.get(expr);
  if (hit) return hit;
  const re = compileUncached(expr);
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(expr, re);
  return re;
}

function compileUncached(expr: string): GoRegExp {
  const { source, flags, groupNames } = translateRegexp(expr);
  try {
    return Object.assign(new RegExp(source, 'gu' + flags), { goGroupNames: groupNames });
  } catch (e) {
    throw new GoRegexpError(`error parsing regexp: invalid or unsupported Perl syntax: \`${expr}\` (${(e as Error).message})`);
  }
}

