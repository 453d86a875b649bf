// Go's number literals in templates (text/template/parse's newNumber): decimal, hex, octal and
// binary integers with underscores, floats (including hex floats), character constants and
// complex numbers, with the same "integer overflow" / "illegal number syntax" errors.
import { ItemType } from './lexer';
import type { NumberNode, TreeInfo } from './nodes';
import { goQuote, unquoteChar } from './quote';

/** A malformed number; the parser reports it as `template: NAME:LINE: message`. */
export class NumberSyntaxError extends Error {}

function fail(message: string): never {
  throw new NumberSyntaxError(message);
}

export function parseNumber(pos: number, tree: TreeInfo, text: string, typ: ItemType): NumberNode {
  const n: NumberNode = {
    type: 'number', pos, tree, text, isInt: false, isUint: false, isFloat: false, isComplex: false,
    int: 0n, uint: 0n, float: 0, complex: [0, 0],
  };
  if (typ === ItemType.CharConstant) {
    let r: { value: number; next: number };
    try {
      r = unquoteChar(text, 1, 39);
    } catch {
      fail('invalid syntax');
    }
    if (text.slice(r.next) !== "'") fail(`malformed character constant: ${text}`);
    n.int = n.uint = BigInt(r.value);
    n.float = r.value;
    n.isInt = n.isUint = n.isFloat = true;
    return n;
  }
  if (typ === ItemType.Complex) {
    // fmt.Sscan's complex syntax: real part, signed imaginary part, 'i'.
    const m = /^([+-]?[^+-]+(?:[eEpP][+-][0-9_]+)?)([+-][^+-]+(?:[eEpP][+-][0-9_]+)?)i$/.exec(text);
    if (!m) fail('syntax error scanning complex number');
    const re = parseGoFloat(m[1]!);
    if (re === null) fail(`strconv.ParseFloat: parsing ${goQuote(m[1]!)}: invalid syntax`);
    const im = parseGoFloat(m[2]!);
    if (im === null) fail(`strconv.ParseFloat: parsing ${goQuote(m[2]!)}: invalid syntax`);
    n.isComplex = true;
    n.complex = [re, im];
    simplifyComplex(n);
    return n;
  }
  if (text.endsWith('i')) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== null) {
      n.isComplex = true;
      n.complex = [0, f];
      simplifyComplex(n);
      return n;
    }
  }
  const u = parseGoInt(text, true);
  if (u !== null) {
    n.isUint = true;
    n.uint = u;
  }
  const i = parseGoInt(text, false);
  if (i !== null) {
    n.isInt = true;
    n.int = i;
    if (i === 0n) {
      n.isUint = true;
      n.uint = u ?? 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float = Number(n.int);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float = Number(n.uint);
  } else {
    const f = parseGoFloat(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) fail(`integer overflow: ${goQuote(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) fail(`illegal number syntax: ${goQuote(text)}`);
  return n;
}
function simplifyComplex(n: NumberNode): void {
  const [re, im] = n.complex;
  n.isFloat = im === 0;
  if (n.isFloat) {
    n.float = re;
    n.isInt = Number.isInteger(re) && Math.abs(re) < 2 ** 63;
    if (n.isInt) n.int = BigInt(re);
    n.isUint = Number.isInteger(re) && re >= 0 && re < 2 ** 64;
    if (n.isUint) n.uint = BigInt(re);
  }
}


/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64); null when it fails. */
export function parseGoInt(s: string, unsigned: boolean): bigint | null {
  if (s.length === 0) return null;
  let neg = false;
  let body = s;
  if (!unsigned && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    body = s.slice(1);
  }
  let base = 10;
  let digits = body;
  if (body[0] === '0' && body.length > 1) {
    const p = body[1]!.toLowerCase();
    if (p === 'x') { base = 16; digits = body.slice(2); }
    else if (p === 'o') { base = 8; digits = body.slice(2); }
    else if (p === 'b') { base = 2; digits = body.slice(2); }
    else { base = 8; digits = body.slice(1); }
  }
  const underscores = digits.includes('_');
  if (underscores) {
    if (!underscoreOK(body)) return null;
    digits = digits.replace(/_/g, '');
  }
  if (digits.length === 0) return null;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 10 ? /^[0-9]+$/ : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
  if (!valid.test(digits)) return null;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  let v = BigInt(prefix + digits);
  if (neg) v = -v;
  if (unsigned ? v > UINT64_MAX : v < INT64_MIN || v > INT64_MAX) return null;
  return v;
}

/** strconv.ParseFloat(s, 64) for Go number literals (decimal and hex floats); null when it fails. */
export function parseGoFloat(s: string): number | null {
  let body = s;
  let sign = 1;
  if (body[0] === '+' || body[0] === '-') {
    sign = body[0] === '-' ? -1 : 1;
    body = body.slice(1);
  }
  if (body.includes('_')) {
    if (!underscoreOK(s)) return null;
    body = body.replace(/_/g, '');
  }
  let m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(body);
  if (m) {
    const intPart = m[1] ?? '';
    const frac = m[2] ?? '';
    if (intPart.length + frac.length === 0) return null;
    const mant = BigInt('0x' + (intPart + frac || '0'));
    const exp = Number(m[3]) - 4 * frac.length;
    return sign * Number(mant) * 2 ** exp;
  }
  m = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.exec(body);
  if (!m) return null;
  const v = Number(body);
  if (!Number.isFinite(v)) return null; // Go: "value out of range"
  return sign * v;
}

