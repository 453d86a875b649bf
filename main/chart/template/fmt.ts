// Go's fmt package (Sprint, Sprintln, Sprintf) over the engine's value model, including Go's
// error outputs inside the result (`%!d(string=x)`, `%!d(MISSING)`, `%!(EXTRA int=1)`), because
// templates print those instead of failing and users compare output with real Helm.
// This file parses format strings; printer.ts formats each value.
import { goTypeName, GoUint8 } from './values';
import { Printer } from './printer';

function doPrintf(p: Printer, format: string, a: unknown[]): void {
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  p.reordered = false;
  let i = 0;
  formatLoop: while (i < end) {
    p.goodArgNum = true;
    const lasti = i;
    while (i < end && format.charCodeAt(i) !== 37) i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.clearflags();
    simple: for (; i < end; i++) {
      const c = format[i]!;
      switch (c) {
        case '#': p.sharp = true; break;
        case '0': p.zero = !p.minus; break;
        case '+': p.plus = true; break;
        case '-': p.minus = true; p.zero = false; break;
        case ' ': p.space = true; break;
        default:
          if (c >= 'a' && c <= 'z' && argNum < a.length) {
            if (c === 'v') {
              p.sharpV = p.sharp;
              p.sharp = false;
              p.plusV = p.plus;
              p.plus = false;
            }
            p.printArg(a[argNum], c);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    [argNum, i, afterIndex] = argNumber(p, argNum, format, i, a.length);
    if (i < end && format[i] === '*') {
      i++;
      [p.wid, p.widPresent, argNum] = intFromArg(a, argNum);
      if (!p.widPresent) p.buf += '%!(BADWIDTH)';
      if (p.wid < 0) {
        p.wid = -p.wid;
        p.minus = true;
        p.zero = false;
      }
      afterIndex = false;
    } else {
      [p.wid, p.widPresent, i] = parsenum(format, i, end);
      if (afterIndex && p.widPresent) p.goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) p.goodArgNum = false;
      [argNum, i, afterIndex] = argNumber(p, argNum, format, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        [p.prec, p.precPresent, argNum] = intFromArg(a, argNum);
        if (p.prec < 0) {
          p.prec = 0;
          p.precPresent = false;
        }
        if (!p.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        [p.prec, p.precPresent, i] = parsenum(format, i, end);
        if (!p.precPresent) {
          p.prec = 0;
          p.precPresent = true;
        }
      }
    }
    if (!afterIndex) [argNum, i, afterIndex] = argNumber(p, argNum, format, i, a.length);
    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const cp = format.codePointAt(i)!;
    const verb = String.fromCodePoint(cp);
    i += verb.length;
    if (verb === '%') {
      p.buf += '%';
    } else if (!p.goodArgNum) {
      p.buf += '%!' + verb + '(BADINDEX)';
    } else if (argNum >= a.length) {
      p.buf += '%!' + verb + '(MISSING)';
    } else {
      if (verb === 'v') {
        p.sharpV = p.sharp;
        p.sharp = false;
        p.plusV = p.plus;
        p.plus = false;
      }
      p.printArg(a[argNum], verb);
      argNum++;
    }
  }
  if (!p.reordered && argNum < a.length) {
    p.clearflags();
    p.buf += '%!(EXTRA ';
    for (let k = argNum; k < a.length; k++) {
      if (k > argNum) p.buf += ', ';
      const arg = a[k];
      if (arg === null || arg === undefined) p.buf += '<nil>';
      else {
        p.buf += goTypeName(arg) + '=';
        p.printArg(arg, 'v');
      }
    }
    p.buf += ')';
  }
}

function argNumber(p: Printer, argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
  if (format.length <= i || format[i] !== '[') return [argNum, i, false];
  p.reordered = true;
  const [index, wid, ok] = parseArgNumber(format.slice(i));
  if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
  p.goodArgNum = false;
  return [argNum, i + wid, ok];
}

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let newi = start;
  for (; newi < end && s.charCodeAt(newi) >= 48 && s.charCodeAt(newi) <= 57; newi++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (s.charCodeAt(newi) - 48);
    isnum = true;
  }
  return [num, isnum, newi];
}

function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, ok, newi] = parsenum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: unknown[], argNum: number): [number, boolean, number] {
  let num = 0;
  let isInt = false;
  let newArgNum = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    const n = v instanceof GoUint8 ? v.value : v;
    if (typeof n === 'bigint' && n >= -(1n << 63n) && n < 1n << 63n) {
      num = Number(n);
      isInt = true;
    }
    newArgNum = argNum + 1;
    if (tooLarge(num)) {
      num = 0;
      isInt = false;
    }
  }
  return [num, isInt, newArgNum];
}

/** fmt.Sprintf */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  doPrintf(p, format, args as unknown[]);
  return p.buf;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  }
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands and a newline at the end. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  for (let i = 0; i < args.length; i++) {
    if (i > 0) p.buf += ' ';
    p.printArg(args[i], 'v');
  }
  return p.buf + '\n';
}
