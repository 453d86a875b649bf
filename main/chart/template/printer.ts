// The value-formatting half of Go's fmt: flags, widths, padding and every verb for every kind of
// value in the engine's model (fmt.go/print.go's fmt and pp types). fmt.ts drives it.
import { formatFloat } from './float';
import { canBackquote, goQuote, goQuoteRune, isPrint, utf8Bytes } from './quote';
import { GoComplex, GoUint8, goTypeName, isMap, isStruct, mapView, sortedKeys, structMethod } from './values';

export const ldigits = '0123456789abcdefx';
const udigits = '0123456789ABCDEFX';

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

export class Printer {
  buf = '';
  // fmt flags
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  widPresent = false;
  wid = 0;
  precPresent = false;
  prec = 0;
  // state for badVerb
  private arg: unknown = null;
  reordered = false;
  goodArgNum = true;

  clearflags(): void {
    this.plus = this.minus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = false;
    this.widPresent = this.precPresent = false;
    this.wid = this.prec = 0;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  truncate(s: string): string {
    if (this.precPresent) {
      let n = this.prec;
      for (let i = 0; i < s.length; i++) {
        n--;
        if (n < 0) return s.slice(0, i);
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
      }
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.sharp && canBackquote(s)) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(goQuote(s, this.plus));
  }

  fmtSx(s: string, digits: string): void {
    const b = utf8Bytes(s);
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) {
        width += 2;
      }
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = '';
    if (this.sharp) out += '0' + digits[16];
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += '0' + digits[16];
      }
      const c = b[i]!;
      out += digits[c >> 4]! + digits[c & 15]!;
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtInteger(v: bigint, base: number, verb: string, digits: string): void {
    const negative = v < 0n;
    let u = negative ? -v : v;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === udigits) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) { if (s[0] !== '0') s = '0' + s; }
      else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    u = 0n;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  fmtUnicode(v: bigint): void {
    let u = v < 0n ? v + (1n << 64n) : v;
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let hex = u.toString(16).toUpperCase();
    if (hex.length < prec) hex = '0'.repeat(prec - hex.length) + hex;
    let s = 'U+' + hex;
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'";
    u = 0n;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  fmtFloatValue(v: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb, prec);
    if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < num.length; i++) {
        const c = num[i]!;
        if (c === '.') {
          hasDecimalPoint = true;
        } else if (c === 'p' || c === 'P') {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        } else if ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X') {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) {
        num += '0';
        digits--;
      }
      num += tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  badVerb(verb: string, arg: unknown): void {
    this.buf += '%!' + verb + '(';
    if (arg === null || arg === undefined) {
      this.buf += '<nil>';
    } else {
      this.buf += goTypeName(arg) + '=';
      this.printArg(arg, 'v');
    }
    this.buf += ')';
  }

  printArg(arg: unknown, verb: string): void {
    this.arg = arg;
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, null);
      return;
    }
    if (verb === 'T') {
      this.fmtS(goTypeName(arg));
      return;
    }
    if (verb === 'p') {
      if (typeof arg === 'function' || typeof arg === 'object') this.fmtInteger(0xc000010000n, 16, 'v', ldigits);
      else this.badVerb(verb, arg);
      return;
    }
    this.printValue(arg, verb, 0);
  }

  /** fmt's handleMethods: error and fmt.Stringer values print through Error()/String(). */
  private handleMethods(v: object, verb: string): boolean {
    if (this.sharpV || !'vsxXq'.includes(verb)) return false;
    const m = structMethod(v, 'Error') ?? structMethod(v, 'String');
    if (!m || m.length !== 0) return false;
    let s: unknown;
    try {
      s = m.call(v);
    } catch (e) {
      const name = structMethod(v, 'Error') ? 'Error' : 'String';
      this.buf += `%!${verb}(PANIC=${name} method: ${e instanceof Error ? e.message : String(e)})`;
      return true;
    }
    this.printValue(String(s), verb, 0);
    return true;
  }

  printValue(v: unknown, verb: string, depth: number): void {
    if (isStruct(v)) {
      if (this.handleMethods(v, verb)) return;
      const asMap = mapView(v);
      if (asMap) {
        this.printMap(asMap, goTypeName(v), verb, depth);
        return;
      }
      // Struct fields: {a b}, %+v {A:a B:b}, %#v T{A:a, B:b}.
      const struct = v;
      this.buf += this.sharpV ? goTypeName(struct) + '{' : '{';
      Object.keys(struct).forEach((k, i) => {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        if (this.plusV || this.sharpV) this.buf += k + ':';
        this.printElem(struct[k], verb, depth + 1);
      });
      this.buf += '}';
      return;
    }
    if (v instanceof GoComplex) {
      if (!'vbgGxXfFeE'.includes(verb)) {
        this.badVerb(verb, v);
        return;
      }
      const oldPlus = this.plus;
      this.buf += '(';
      this.printValue(v.re, verb, depth);
      // The imaginary part always has a sign.
      this.plus = true;
      this.printValue(v.im, verb, depth);
      this.buf += 'i)';
      this.plus = oldPlus;
      return;
    }
    if (v instanceof GoUint8) {
      // Unsigned: %#v prints it in hex (Go's fmt0x64).
      if (verb === 'v' && this.sharpV) {
        const oldSharp = this.sharp;
        this.sharp = true;
        this.fmtInteger(v.value, 16, 'v', ldigits);
        this.sharp = oldSharp;
        return;
      }
      v = v.value;
    }
    switch (typeof v) {
      case 'boolean':
        if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
        else this.badVerb(verb, v);
        return;
      case 'bigint':
        switch (verb) {
          case 'v': case 'd': this.fmtInteger(v, 10, verb, ldigits); return;
          case 'b': this.fmtInteger(v, 2, verb, ldigits); return;
          case 'o': case 'O': this.fmtInteger(v, 8, verb, ldigits); return;
          case 'x': this.fmtInteger(v, 16, verb, ldigits); return;
          case 'X': this.fmtInteger(v, 16, verb, udigits); return;
          case 'c': {
            const cp = v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn) ? 0xfffd : Number(v);
            this.pad(String.fromCodePoint(cp));
            return;
          }
          case 'q': {
            const cp = v < 0n || v > 0x10ffffn ? 0xfffd : Number(v);
            this.pad(goQuoteRune(cp, this.plus));
            return;
          }
          case 'U': this.fmtUnicode(v); return;
          default: this.badVerb(verb, v); return;
        }
      case 'number':
        switch (verb) {
          case 'v': this.fmtFloatValue(v, 'g', -1); return;
          case 'b': case 'g': case 'G': case 'x': case 'X': this.fmtFloatValue(v, verb, -1); return;
          case 'f': case 'e': case 'E': case 'F': this.fmtFloatValue(v, verb === 'F' ? 'f' : verb, 6); return;
          default: this.badVerb(verb, v); return;
        }
      case 'string':
        switch (verb) {
          case 'v': if (this.sharpV) this.fmtQ(v); else this.fmtS(v); return;
          case 's': this.fmtS(v); return;
          case 'x': this.fmtSx(v, ldigits); return;
          case 'X': this.fmtSx(v, udigits); return;
          case 'q': this.fmtQ(v); return;
          default: this.badVerb(verb, v); return;
        }
      case 'function':
        if (verb === 'v' || verb === 'p') {
          if (this.sharpV) this.buf += '(' + goTypeName(v) + ')(0xc000010000)';
          else this.fmtInteger(0xc000010000n, 16, 'v', ldigits);
        } else {
          this.badVerb(verb, v);
        }
        return;
      case 'undefined':
        v = null;
    }
    if (v === null) {
      // A nil interface inside a map or slice.
      this.buf += depth > 0 && this.sharpV ? 'interface {}(nil)' : '<nil>';
      return;
    }
    if (Array.isArray(v) || v instanceof Uint8Array) {
      if (v instanceof Uint8Array && (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X')) {
        const s = new TextDecoder().decode(v);
        this.printValue(s, verb, depth);
        return;
      }
      if (this.sharpV) {
        this.buf += goTypeName(v) + '{';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) this.buf += ', ';
          this.printElem(v instanceof Uint8Array ? BigInt(v[i]!) : v[i], verb, depth + 1);
        }
        this.buf += '}';
      } else {
        this.buf += '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) this.buf += ' ';
          this.printElem(v instanceof Uint8Array ? BigInt(v[i]!) : v[i], verb, depth + 1);
        }
        this.buf += ']';
      }
      return;
    }
    if (isMap(v)) {
      this.printMap(v, goTypeName(v), verb, depth);
      return;
    }
    this.badVerb(verb, v);
  }

  private printMap(m: Record<string, unknown>, typeName: string, verb: string, depth: number): void {
    this.buf += this.sharpV ? typeName + '{' : 'map[';
    let first = true;
    for (const k of sortedKeys(m)) {
      if (!first) this.buf += this.sharpV ? ', ' : ' ';
      first = false;
      this.printElem(k, verb, depth + 1);
      this.buf += ':';
      this.printElem(m[k], verb, depth + 1);
    }
    this.buf += this.sharpV ? '}' : ']';
  }

  /** An element of a map or slice: an interface{} slot, so nil prints as <nil> whatever the verb. */
  private printElem(v: unknown, verb: string, depth: number): void {
    if (v === null || v === undefined) {
      this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>';
      return;
    }
    this.printValue(v, verb, depth);
  }
}
