// Go value model helpers for the Sprig functions: how a JS value maps onto Go's types
// (bigint = int, number = float64, string, bool, null = nil, object = map[string]interface {},
// array = []interface {}), printing like fmt's %v, and conversions like spf13/cast, which
// Sprig uses for every numeric argument. Kept here so sprig/ does not depend on the template
// engine's own values.ts being ready.

import { GoTime } from './gotime';

/** A Go value that prints itself like a Go Stringer (time.Time, *semver.Version, …). */
export interface GoStringer {
  goString(): string;
  goTypeName(): string;
}

export function isStringer(v: unknown): v is GoStringer {
  return typeof v === 'object' && v !== null && typeof (v as GoStringer).goString === 'function';
}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** A plain object standing for map[string]interface{}. */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
  if (isStringer(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isSlice(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** Go's type name as %T would print it, for error messages and typeOf. */
export function goTypeName(v: unknown): string {
  if (isNil(v)) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
    case 'function':
      return 'func';
  }
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof Uint8Array) return '[]uint8';
  if (isStringer(v)) return v.goTypeName();
  return 'map[string]interface {}';
}

/** Go's reflect.Kind name, for kindOf/kindIs and Sprig's "Cannot … on type %s" messages. */
export function goKind(v: unknown): string {
  if (isNil(v)) return 'invalid';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
    case 'function':
      return 'func';
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (v instanceof GoTime) return 'struct';
  if (isStringer(v)) return v.goTypeName().startsWith('*') ? 'ptr' : 'struct';
  return 'map';
}

/**
 * strconv.FormatFloat(f, 'g', -1, 64), which is what %v prints for a float64: the shortest
 * digits that round-trip, in %e form when the exponent is < -4 or >= 6 (so 1000000.0 prints
 * as 1e+06, which is why Helm users see large YAML numbers in scientific notation).
 */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = f.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return (neg ? '-' : '') + out;
}

/** fmt.Sprintf("%v", v) for values of the Go model. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return formatFloat(v);
    case 'function':
      return '0x0';
  }
  if (Array.isArray(v)) return '[' + v.map(goSprintNested).join(' ') + ']';
  if (v instanceof Uint8Array) return '[' + Array.from(v).join(' ') + ']';
  if (isStringer(v)) return v.goString();
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return 'map[' + keys.map((k) => `${k}:${goSprintNested(obj[k])}`).join(' ') + ']';
}

function goSprintNested(v: unknown): string {
  return goSprint(v);
}

/** Sprig's strval: strings as they are, everything else through %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Error) return v.message;
  return goSprint(v);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Wraps like Go's int64 arithmetic does on overflow. */
export function wrapInt64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

/** float64 → int64 conversion as Go does it on amd64 (truncation; out of range gives MinInt64). */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f)) return INT64_MIN;
  const t = BigInt(Math.trunc(f));
  if (t < INT64_MIN || t > INT64_MAX) return INT64_MIN;
  return t;
}

/** strconv.ParseInt(s, 0, 64): base prefixes 0x, 0o, 0b, a leading 0 for octal, and '_'. */
export function parseGoInt(s: string): bigint | undefined {
  let str = s;
  let neg = false;
  if (str.startsWith('+') || str.startsWith('-')) {
    neg = str[0] === '-';
    str = str.slice(1);
  }
  if (str === '') return undefined;
  let base = 10;
  let digits = str;
  let prefixed = false;
  if (/^0[xX]/.test(str)) {
    base = 16;
    digits = str.slice(2);
    prefixed = true;
  } else if (/^0[bB]/.test(str)) {
    base = 2;
    digits = str.slice(2);
    prefixed = true;
  } else if (/^0[oO]/.test(str)) {
    base = 8;
    digits = str.slice(2);
    prefixed = true;
  } else if (str.length > 1 && str[0] === '0') {
    base = 8;
    digits = str.slice(1);
    prefixed = true;
  }
  // Underscores are only allowed with base 0 between digits (or after a prefix).
  if (digits.includes('_')) {
    if (!/^_?[^_]+(_[^_]+)*$/.test(digits) || (!prefixed && digits.startsWith('_'))) return undefined;
    digits = digits.replace(/_/g, '');
  }
  if (digits === '') return undefined;
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base];
  if (!valid || !valid.test(digits)) return undefined;
  let n = 0n;
  const b = BigInt(base);
  for (const ch of digits.toLowerCase()) n = n * b + BigInt(parseInt(ch, 16));
  if (neg) n = -n;
  if (n < INT64_MIN || n > INT64_MAX) return undefined;
  return n;
}

/** strconv.ParseFloat(s, 64), accepting what Go accepts (inf, nan, hex floats, '_' only with prefixes). */
export function parseGoFloat(s: string): number | undefined {
  let t = s;
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  // Underscores may only separate digits.
  if (t.includes('_')) {
    if (!/^[+-]?(0[xX])?[0-9a-fA-F]+(_[0-9a-fA-F]+)*(\.[0-9a-fA-F]*)?([eEpP][+-]?\d+)?$/.test(t)) return undefined;
    t = t.replace(/_/g, '');
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    const v = Number(t);
    return Number.isFinite(v) ? v : undefined; // out of range is strconv.ErrRange
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t);
  if (hex && (hex[2] || hex[3])) {
    const mant = parseInt((hex[2] || '0') + (hex[3] || ''), 16) / 16 ** hex[3].length;
    const v = mant * 2 ** Number(hex[4]);
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
}

/** spf13/cast trimZeroDecimal: "8.00" → "8", anything else unchanged. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    switch (s[i - 1]) {
      case '.':
        if (foundZero) return s.slice(0, i - 1);
        return s;
      case '0':
        foundZero = true;
        break;
      default:
        return s;
    }
  }
  return s;
}

/** cast.ToInt64E: returns undefined where cast returns an error (Sprig then uses 0). */
export function toInt64E(v: unknown): bigint | undefined {
  if (isNil(v)) return 0n;
  switch (typeof v) {
    case 'bigint':
      return wrapInt64(v);
    case 'number':
      return floatToInt64(v);
    case 'boolean':
      return v ? 1n : 0n;
    case 'string':
      return parseGoInt(trimZeroDecimal(v));
  }
  return undefined;
}

/** cast.ToInt64 as Sprig uses it: errors become 0. */
export function toInt64(v: unknown): bigint {
  return toInt64E(v) ?? 0n;
}

/** cast.ToFloat64: errors become 0. */
export function toFloat64(v: unknown): number {
  if (isNil(v)) return 0;
  switch (typeof v) {
    case 'bigint':
      return Number(v);
    case 'number':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return parseGoFloat(v) ?? 0;
  }
  return 0;
}

/** Sprig's empty(): the zero value of the value's type, like text/template's truth test. */
export function isEmpty(v: unknown): boolean {
  if (isNil(v)) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'boolean':
      return !v;
    case 'bigint':
      return v === 0n;
    case 'number':
      return v === 0;
    case 'function':
      return false;
  }
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isStringer(v)) return false; // structs are never empty; pointers are non-nil here
  return Object.keys(v as object).length === 0;
}

/** reflect.DeepEqual for the Go model: types must match (1 and 1.0 differ, as int and float64). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return a === b; // NaN != NaN, as in Go
  if (typeof a !== 'object') return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  if (a instanceof GoTime || b instanceof GoTime) {
    return a instanceof GoTime && b instanceof GoTime && a.equalsStrict(b);
  }
  if (isStringer(a) || isStringer(b)) {
    return isStringer(a) && isStringer(b) && a.goTypeName() === b.goTypeName() && a.goString() === b.goString();
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  const bo = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual((a as Record<string, unknown>)[k], bo[k]));
}

/** strconv.Quote: Go's double-quoted string with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp === 0xfffd && ch !== '\ufffd') {
      out += '\\ufffd';
    } else if (isGoPrint(ch)) {
      out += ch;
    } else if (cp < 0x80) {
      out += '\\x' + cp.toString(16).padStart(2, '0');
    } else if (cp < 0x10000) {
      out += '\\u' + cp.toString(16).padStart(4, '0');
    } else {
      out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isGoPrint(ch: string): boolean {
  return PRINTABLE.test(ch);
}
