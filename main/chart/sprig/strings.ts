// Sprig's string functions (strings.go plus the goutils and xstrings helpers it wraps), with
// Sprig's argument order: the string being worked on comes last so it can be piped in.

import { goFunc, type FuncMap } from './signature';
import { goQuote, goSprint, isNil, strval } from './convert';
import type { RandomSource } from './random';
import { randomString, shuffleRunes } from './random';
import { toCamelCase, toLowerCaseWords } from './casing';

// unicode.IsSpace: note U+0085 is space in Go but not in JS's \s, and U+FEFF is the reverse.
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${GO_SPACE}]+`, 'u');
const TRAILING_SPACE = new RegExp(`[${GO_SPACE}]+$`, 'u');
export const isGoSpace = (ch: string) => new RegExp(`^[${GO_SPACE}]$`, 'u').test(ch);

/** strings.TrimSpace */
export function trimSpace(s: string): string {
  return s.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

/** unicode.ToUpper/ToLower per code point: Go maps rune by rune, never 'ß' → 'SS'. */
function mapRunes(s: string, f: (ch: string) => string): string {
  let out = '';
  for (const ch of s) {
    const m = f(ch);
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}
export const toUpper = (s: string) => mapRunes(s, (c) => c.toUpperCase());
export const toLower = (s: string) => mapRunes(s, (c) => c.toLowerCase());

const isLetterOrDigit = (ch: string) => /^[\p{L}\p{Nd}]$/u.test(ch);

/** strings.Title's word separator test. */
function isSeparator(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0x7f) {
    if (/[0-9a-zA-Z_]/.test(ch)) return false;
    return true;
  }
  if (isLetterOrDigit(ch)) return false;
  return isGoSpace(ch);
}

// unicode.ToTitle differs from ToUpper only for these digraphs (ǆ → ǅ, not Ǆ).
const TITLE_CASE: Record<string, string> = {
  Ǆ: 'ǅ', ǅ: 'ǅ', ǆ: 'ǅ', Ǉ: 'ǈ', ǈ: 'ǈ', ǉ: 'ǈ', Ǌ: 'ǋ', ǋ: 'ǋ', ǌ: 'ǋ', Ǳ: 'ǲ', ǲ: 'ǲ', ǳ: 'ǲ',
};
const toTitle = (ch: string) => TITLE_CASE[ch] ?? mapRunes(ch, (c) => c.toUpperCase());

/** strings.Title (deprecated in Go but what Sprig calls). */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? toTitle(ch) : ch;
    prev = ch;
  }
  return out;
}

/** goutils.Uncapitalize: lower-case the first letter of each whitespace-separated word. */
function untitle(s: string): string {
  let prevSpace = true;
  let out = '';
  for (const ch of s) {
    out += prevSpace ? toLower(ch) : ch;
    prevSpace = isGoSpace(ch);
  }
  return out;
}

/** goutils.SwapCase */
function swapcase(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    const low = ch.toLowerCase();
    if (ch !== low && [...low].length === 1) out += low;
    else if (ch !== up && [...up].length === 1) out += up;
    else out += ch;
  }
  return out;
}

/**
 * goutils.Initials: the first character of every whitespace-separated word. goutils walks the
 * string byte by byte, so a word starting with a non-ASCII letter yields that letter's first
 * UTF-8 byte read as Latin-1 ("Élan" → "Ã"); kept for fidelity.
 */
function initials(s: string): string {
  let out = '';
  let lastWasGap = true;
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (isGoSpace(ch)) lastWasGap = true;
    else if (lastWasGap) {
      out += ch;
      lastWasGap = false;
    }
  }
  return out;
}

/**
 * goutils.DeleteWhiteSpace, byte by byte like goutils: when nothing is removed the string comes
 * back unchanged; otherwise non-ASCII bytes are re-encoded as Latin-1 characters (and bytes
 * 0x85/0xA0 inside UTF-8 sequences count as spaces), as in Go.
 */
function nospace(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  let count = 0;
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    if (!isGoSpace(ch)) {
      out += ch;
      count++;
    }
  }
  return count === bytes.length ? s : out;
}

// Go indexes strings by byte; these slice the UTF-8 bytes like Go does.
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const fromUtf8 = (b: Buffer) => b.toString('utf8');

function sliceBounds(lo: number | undefined, hi: number | undefined, len: number): never {
  if (lo === undefined) throw new Error(`runtime error: slice bounds out of range [:${hi}] with length ${len}`);
  if (hi !== undefined && hi > len) throw new Error(`runtime error: slice bounds out of range [:${hi}] with length ${len}`);
  throw new Error(`runtime error: slice bounds out of range [${lo}:${hi ?? len}]`);
}

// ASCII strings index the same in bytes and UTF-16 units, which spares the UTF-8 round trip.
const ASCII = /^[\x00-\x7f]*$/;
const byteLength = (s: string) => (ASCII.test(s) ? s.length : Buffer.byteLength(s, 'utf8'));

/** s[lo:hi] on bytes with Go's bounds checks. */
function byteSlice(s: string, lo: number | undefined, hi: number | undefined): string {
  const ascii = ASCII.test(s);
  const len = ascii ? s.length : Buffer.byteLength(s, 'utf8');
  const start = lo ?? 0;
  const end = hi ?? len;
  if (end < 0 || end > len) sliceBounds(lo, end, len);
  if (start < 0 || start > end) sliceBounds(start, hi, len);
  return ascii ? s.slice(start, end) : fromUtf8(utf8(s).subarray(start, end));
}

function substr(start: bigint, end: bigint, s: string): string {
  const len = byteLength(s);
  const st = Number(start);
  const en = Number(end);
  if (st < 0) return byteSlice(s, undefined, en);
  if (en < 0 || en > len) return byteSlice(s, st, undefined);
  return byteSlice(s, st, en);
}

function trunc(c: bigint, s: string): string {
  const len = byteLength(s);
  const n = Number(c);
  if (n < 0 && len + n > 0) return byteSlice(s, len + n, undefined);
  if (n >= 0 && len > n) return byteSlice(s, undefined, n);
  return s;
}

/** goutils.AbbreviateFull on UTF-8 bytes, as Go indexes strings; undefined where goutils errors. */
function abbreviateFull(text: string, offset: number, maxWidth: number): string | undefined {
  const str = utf8(text);
  const cut = (a: number, b?: number) => fromUtf8(str.subarray(a, b));
  if (str.length === 0) return '';
  if (maxWidth < 4) return undefined;
  if (str.length <= maxWidth) return text;
  if (offset > str.length) offset = str.length;
  if (str.length - offset < maxWidth - 3) offset = str.length - (maxWidth - 3);
  const marker = '...';
  if (offset <= 4) return cut(0, maxWidth - 3) + marker;
  if (maxWidth < 7) return undefined;
  if (offset + maxWidth - 3 < str.length) return marker + (abbreviateFull(cut(offset), 0, maxWidth - 3) ?? '');
  return marker + cut(str.length - (maxWidth - 3));
}

function abbrev(width: bigint, s: string): string {
  if (width < 4n) return s;
  return abbreviateFull(s, 0, Number(width)) ?? '';
}

function abbrevboth(left: bigint, right: bigint, s: string): string {
  if (right < 4n || (left > 0n && right < 7n)) return s;
  return abbreviateFull(s, Number(left), Number(right)) ?? '';
}

/** goutils.WrapCustom, counting UTF-8 bytes like Go's len(). */
export function wrapCustom(text: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (text === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const str = utf8(text);
  const nl = utf8(newLine);
  const space = 0x20;
  const inputLen = str.length;
  let offset = 0;
  const out: Buffer[] = [];
  while (inputLen - offset > wrapLength) {
    if (str[offset] === space) {
      offset++;
      continue;
    }
    const end = Math.min(wrapLength + offset + 1, inputLen);
    const spaceToWrapAt = str.subarray(offset, end).lastIndexOf(space) + offset;
    if (spaceToWrapAt >= offset) {
      out.push(str.subarray(offset, spaceToWrapAt), nl);
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out.push(str.subarray(offset, wrapLength + offset), nl);
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const index = str.subarray(e).indexOf(space);
      if (index === -1) {
        out.push(str.subarray(offset));
        offset = inputLen;
      } else {
        out.push(str.subarray(offset, index + e), nl);
        offset = index + e + 1;
      }
    }
  }
  out.push(str.subarray(offset));
  return Buffer.concat(out).toString('utf8');
}

/** strslice: a list of anything as strings, nils dropped; a non-list becomes a one-element list. */
export function strslice(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => !isNil(x)).map(strval);
  if (isNil(v)) return [];
  return [strval(v)];
}

/** strings.Split, splitting "" into UTF-8 sequences like Go. */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const runes = Array.from(s);
    if (n < 0 || n >= runes.length) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function toIndexedMap(parts: string[]): Record<string, unknown> {
  const res: Record<string, unknown> = {};
  parts.forEach((p, i) => (res[`_${i}`] = p));
  return res;
}

/** strings.Trim with a cutset. */
function trimCutset(s: string, cutset: string): string {
  const set = new Set(Array.from(cutset));
  const runes = Array.from(s);
  let a = 0;
  let b = runes.length;
  while (a < b && set.has(runes[a])) a++;
  while (b > a && set.has(runes[b - 1])) b--;
  return runes.slice(a, b).join('');
}

function indent(spaces: bigint, v: string): string {
  if (spaces < 0n) throw new Error('strings: negative Repeat count');
  const pad = ' '.repeat(Number(spaces));
  return pad + v.split('\n').join('\n' + pad);
}

export function stringFunctions(random: RandomSource): FuncMap {
  const repeat = goFunc('repeat', ['int', 'string'], (count: bigint, str: string) => {
    if (count < 0n) throw new Error('strings: negative Repeat count');
    return str.repeat(Number(count));
  });
  const trimAll = (name: string) => goFunc(name, ['string', 'string'], (a: string, b: string) => trimCutset(b, a));
  const rand = (name: string, alphabet: string) =>
    goFunc(name, ['int'], (count: bigint) => (count <= 0n ? '' : randomString(random, Number(count), alphabet)));
  const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const DIGITS = '0123456789';
  let ASCII = '';
  for (let c = 32; c <= 126; c++) ASCII += String.fromCharCode(c);

  return {
    abbrev: goFunc('abbrev', ['int', 'string'], abbrev),
    abbrevboth: goFunc('abbrevboth', ['int', 'int', 'string'], abbrevboth),
    trunc: goFunc('trunc', ['int', 'string'], trunc),
    trim: goFunc('trim', ['string'], trimSpace),
    upper: goFunc('upper', ['string'], toUpper),
    lower: goFunc('lower', ['string'], toLower),
    title: goFunc('title', ['string'], title),
    untitle: goFunc('untitle', ['string'], untitle),
    substr: goFunc('substr', ['int', 'int', 'string'], substr),
    repeat,
    trimall: trimAll('trimall'),
    trimAll: trimAll('trimAll'),
    trimSuffix: goFunc('trimSuffix', ['string', 'string'], (a: string, b: string) =>
      a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b,
    ),
    trimPrefix: goFunc('trimPrefix', ['string', 'string'], (a: string, b: string) => (b.startsWith(a) ? b.slice(a.length) : b)),
    nospace: goFunc('nospace', ['string'], nospace),
    initials: goFunc('initials', ['string'], initials),
    randAlphaNum: rand('randAlphaNum', LETTERS + DIGITS),
    randAlpha: rand('randAlpha', LETTERS),
    randAscii: rand('randAscii', ASCII),
    randNumeric: rand('randNumeric', DIGITS),
    swapcase: goFunc('swapcase', ['string'], swapcase),
    shuffle: goFunc('shuffle', ['string'], (s: string) => shuffleRunes(random, s)),
    snakecase: goFunc('snakecase', ['string'], (s: string) => toLowerCaseWords(s, '_')),
    camelcase: goFunc('camelcase', ['string'], toCamelCase),
    kebabcase: goFunc('kebabcase', ['string'], (s: string) => toLowerCaseWords(s, '-')),
    wrap: goFunc('wrap', ['int', 'string'], (l: bigint, s: string) => wrapCustom(s, Number(l), '', false)),
    wrapWith: goFunc('wrapWith', ['int', 'string', 'string'], (l: bigint, sep: string, s: string) => wrapCustom(s, Number(l), sep, true)),
    contains: goFunc('contains', ['string', 'string'], (sub: string, s: string) => s.includes(sub)),
    hasPrefix: goFunc('hasPrefix', ['string', 'string'], (sub: string, s: string) => s.startsWith(sub)),
    hasSuffix: goFunc('hasSuffix', ['string', 'string'], (sub: string, s: string) => s.endsWith(sub)),
    quote: goFunc('quote', [], (...xs: unknown[]) => xs.filter((x) => !isNil(x)).map((x) => goQuote(strval(x))).join(' '), 'any'),
    squote: goFunc('squote', [], (...xs: unknown[]) => xs.filter((x) => !isNil(x)).map((x) => `'${goSprint(x)}'`).join(' '), 'any'),
    cat: goFunc('cat', [], (...xs: unknown[]) => xs.filter((x) => !isNil(x)).map(goSprint).join(' '), 'any'),
    indent: goFunc('indent', ['int', 'string'], indent),
    nindent: goFunc('nindent', ['int', 'string'], (n: bigint, v: string) => '\n' + indent(n, v)),
    replace: goFunc('replace', ['string', 'string', 'string'], (o: string, n: string, src: string) =>
      o === '' ? goSplit(src, '').reduce((acc, ch) => acc + ch + n, n) : src.split(o).join(n),
    ),
    plural: goFunc('plural', ['string', 'string', 'int'], (one: string, many: string, count: bigint) => (count === 1n ? one : many)),
    toString: goFunc('toString', ['any'], strval),
    toStrings: goFunc('toStrings', ['any'], strslice),
    join: goFunc('join', ['string', 'any'], (sep: string, v: unknown) => strslice(v).join(sep)),
    split: goFunc('split', ['string', 'string'], (sep: string, orig: string) => toIndexedMap(goSplit(orig, sep))),
    splitList: goFunc('splitList', ['string', 'string'], (sep: string, orig: string) => goSplit(orig, sep)),
    splitn: goFunc('splitn', ['string', 'int', 'string'], (sep: string, n: bigint, orig: string) => toIndexedMap(goSplit(orig, sep, Number(n)))),
    sortAlpha: goFunc('sortAlpha', ['any'], (list: unknown) => {
      if (!Array.isArray(list)) return [strval(list)];
      return strslice(list).sort((a, b) => (Buffer.compare(utf8(a), utf8(b))));
    }),
  };
}
