// Go's strconv quoting and unquoting (Quote, QuoteToASCII, QuoteRune, CanBackquote, Unquote,
// UnquoteChar) and unicode.IsPrint, over JavaScript strings. Used by fmt's %q and by the
// template parser for string and character constants.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

const lowerhex = '0123456789abcdef';

function hexPad(n: number, width: number): string {
  let s = n.toString(16);
  while (s.length < width) s = '0' + s;
  return s;
}

function escapeRune(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 92) return '\\' + String.fromCharCode(cp);
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 12: return '\\f';
    case 10: return '\\n';
    case 13: return '\\r';
    case 9: return '\\t';
    case 11: return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + lowerhex[cp >> 4] + lowerhex[cp & 15];
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  if (cp < 0x10000) return '\\u' + hexPad(cp, 4);
  return '\\U' + hexPad(cp, 8);
}

/** strconv.Quote (asciiOnly: strconv.QuoteToASCII). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, 34, asciiOnly);
  return out + '"';
}

/** strconv.QuoteRune (asciiOnly: QuoteRuneToASCII). */
export function goQuoteRune(cp: number, asciiOnly = false): string {
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return "'" + escapeRune(cp, 39, asciiOnly) + "'";
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfeff || cp === 0x60 || cp === 0xfffd) return false;
    if ((cp < 0x20 && cp !== 9) || cp === 0x7f) return false;
  }
  return true;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function utf8Decode(b: Uint8Array): string {
  return decoder.decode(b);
}

export class SyntaxError_ extends Error {}

function unhex(c: string): number {
  const n = parseInt(c, 16);
  return /^[0-9a-fA-F]$/.test(c) ? n : -1;
}

/**
 * strconv.UnquoteChar: decode one (possibly escaped) character at s[i].
 * Returns the code point (or a raw byte with isByte) and the index after it; throws on bad syntax.
 */
export function unquoteChar(s: string, i: number, quote: number): { value: number; isByte: boolean; next: number } {
  const c = s.codePointAt(i)!;
  if (c === quote && (quote === 39 || quote === 34)) throw new SyntaxError_('invalid syntax');
  if (c !== 92) return { value: c, isByte: false, next: i + (c > 0xffff ? 2 : 1) };
  if (i + 1 >= s.length) throw new SyntaxError_('invalid syntax');
  const e = s[i + 1]!;
  i += 2;
  switch (e) {
    case 'a': return { value: 7, isByte: false, next: i };
    case 'b': return { value: 8, isByte: false, next: i };
    case 'f': return { value: 12, isByte: false, next: i };
    case 'n': return { value: 10, isByte: false, next: i };
    case 'r': return { value: 13, isByte: false, next: i };
    case 't': return { value: 9, isByte: false, next: i };
    case 'v': return { value: 11, isByte: false, next: i };
    case 'x': case 'u': case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      if (i + n > s.length) throw new SyntaxError_('invalid syntax');
      let v = 0;
      for (let j = 0; j < n; j++) {
        const x = unhex(s[i + j]!);
        if (x < 0) throw new SyntaxError_('invalid syntax');
        v = v * 16 + x;
      }
      i += n;
      if (e === 'x') return { value: v, isByte: true, next: i };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError_('invalid syntax');
      return { value: v, isByte: false, next: i };
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      let v = e.charCodeAt(0) - 48;
      if (i + 2 > s.length) throw new SyntaxError_('invalid syntax');
      for (let j = 0; j < 2; j++) {
        const x = s.charCodeAt(i + j) - 48;
        if (x < 0 || x > 7) throw new SyntaxError_('invalid syntax');
        v = v * 8 + x;
      }
      i += 2;
      if (v > 255) throw new SyntaxError_('invalid syntax');
      return { value: v, isByte: true, next: i };
    }
    case '\\': return { value: 92, isByte: false, next: i };
    case "'": case '"':
      if (e.charCodeAt(0) !== quote) throw new SyntaxError_('invalid syntax');
      return { value: e.charCodeAt(0), isByte: false, next: i };
    default:
      throw new SyntaxError_('invalid syntax');
  }
}

/** strconv.Unquote for "..." and `...` literals; throws SyntaxError_ on bad syntax. */
export function goUnquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new SyntaxError_('invalid syntax');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError_('invalid syntax');
    return body.includes('\r') ? body.replace(/\r/g, '') : body;
  }
  if (q !== '"') throw new SyntaxError_('invalid syntax');
  if (!body.includes('\\') && !body.includes('"') && !body.includes('\n')) return body;
  if (body.includes('\n')) throw new SyntaxError_('invalid syntax');
  const bytes: number[] = [];
  let hasBytes = false;
  let out = '';
  for (let i = 0; i < body.length;) {
    const r = unquoteChar(body, i, 34);
    i = r.next;
    if (r.isByte) {
      hasBytes = true;
      bytes.push(r.value);
    } else {
      if (bytes.length) {
        out += utf8Decode(Uint8Array.from(bytes));
        bytes.length = 0;
      }
      out += String.fromCodePoint(r.value);
    }
  }
  if (hasBytes && bytes.length) out += utf8Decode(Uint8Array.from(bytes));
  return out;
}
