// Sprig's integer and float math (numeric.go and the arithmetic in functions.go): integer
// functions take anything through cast.ToInt64 and return int64 (bigint), the *f functions go
// through shopspring/decimal and return float64 (number), and type conversions mirror cast.

import { goFunc, type FuncMap } from './signature';
import { goSprint, toFloat64, toInt64, wrapInt64 } from './convert';
import type { RandomSource } from './random';
import { randomInt } from './random';
import { Decimal } from './decimal';

const DIVIDE_BY_ZERO = 'runtime error: integer divide by zero';

/** Go's untilStep: the ints from start towards stop (exclusive) by step. */
export function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const v: bigint[] = [];
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function seq(...params: bigint[]): string {
  const join = (xs: bigint[]) => xs.join(' ');
  switch (params.length) {
    case 0:
      return '';
    case 1: {
      const start = 1n;
      const end = params[0];
      const inc = end < start ? -1n : 1n;
      return join(untilStep(start, end + inc, inc));
    }
    case 2: {
      const [start, end] = params;
      const step = end < start ? -1n : 1n;
      return join(untilStep(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = params;
      let inc = 1n;
      if (end < start) {
        inc = -1n;
        if (step > 0n) return '';
      }
      return join(untilStep(start, end + inc, step));
    }
    default:
      return '';
  }
}

function round(a: unknown, p: bigint, ...rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? rOpt[0] : 0.5;
  const val = toFloat64(a);
  const pow = Math.pow(10, Number(p));
  const digit = pow * val;
  const frac = digit - Math.trunc(digit); // math.Modf's fractional part keeps the sign
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

/** strconv.ParseInt(s, base, 64) for an explicit base: no prefixes, no underscores. */
function parseIntStrict(s: string, base: number): bigint | undefined {
  const m = /^([+-]?)([0-9a-zA-Z]+)$/.exec(s);
  if (!m) return undefined;
  let n = 0n;
  for (const ch of m[2].toLowerCase()) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) return undefined;
    n = n * BigInt(base) + BigInt(d);
  }
  if (m[1] === '-') n = -n;
  if (n !== BigInt.asIntN(64, n)) return undefined;
  return n;
}

function decimalOp(first: unknown, rest: unknown[], op: (a: Decimal, b: Decimal) => Decimal): number {
  let acc = Decimal.fromFloat(toFloat64(first));
  for (const x of rest) acc = op(acc, Decimal.fromFloat(toFloat64(x)));
  return acc.toFloat();
}

export function mathFunctions(random: RandomSource): FuncMap {
  const max = (name: string) =>
    goFunc(
      name,
      ['any'],
      (a: unknown, ...i: unknown[]) => i.map(toInt64).reduce((acc, b) => (b > acc ? b : acc), toInt64(a)),
      'any',
    );
  return {
    add1: goFunc('add1', ['any'], (i: unknown) => wrapInt64(toInt64(i) + 1n)),
    add: goFunc('add', [], (...i: unknown[]) => i.reduce<bigint>((a, b) => wrapInt64(a + toInt64(b)), 0n), 'any'),
    sub: goFunc('sub', ['any', 'any'], (a: unknown, b: unknown) => wrapInt64(toInt64(a) - toInt64(b))),
    div: goFunc('div', ['any', 'any'], (a: unknown, b: unknown) => {
      const d = toInt64(b);
      if (d === 0n) throw new Error(DIVIDE_BY_ZERO);
      return wrapInt64(toInt64(a) / d);
    }),
    mod: goFunc('mod', ['any', 'any'], (a: unknown, b: unknown) => {
      const d = toInt64(b);
      if (d === 0n) throw new Error(DIVIDE_BY_ZERO);
      return toInt64(a) % d;
    }),
    mul: goFunc('mul', ['any'], (a: unknown, ...v: unknown[]) => v.reduce<bigint>((acc, b) => wrapInt64(acc * toInt64(b)), toInt64(a)), 'any'),
    randInt: goFunc('randInt', ['int', 'int'], (min: bigint, max: bigint) => {
      const n = max - min;
      if (n <= 0n) throw new Error('invalid argument to Intn');
      return BigInt(randomInt(random, Number(n))) + min;
    }),
    add1f: goFunc('add1f', ['any'], (i: unknown) => decimalOp(i, [1n], (a, b) => a.add(b))),
    addf: goFunc('addf', [], (...i: unknown[]) => decimalOp(0, i, (a, b) => a.add(b)), 'any'),
    subf: goFunc('subf', ['any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, (x, y) => x.sub(y)), 'any'),
    divf: goFunc('divf', ['any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, (x, y) => x.div(y)), 'any'),
    mulf: goFunc('mulf', ['any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, (x, y) => x.mul(y)), 'any'),
    biggest: max('biggest'),
    max: max('max'),
    min: goFunc(
      'min',
      ['any'],
      (a: unknown, ...i: unknown[]) => i.map(toInt64).reduce((acc, b) => (b < acc ? b : acc), toInt64(a)),
      'any',
    ),
    maxf: goFunc('maxf', ['any'], (a: unknown, ...i: unknown[]) => i.map(toFloat64).reduce((acc, b) => goMax(acc, b), toFloat64(a)), 'any'),
    minf: goFunc('minf', ['any'], (a: unknown, ...i: unknown[]) => i.map(toFloat64).reduce((acc, b) => goMin(acc, b), toFloat64(a)), 'any'),
    ceil: goFunc('ceil', ['any'], (a: unknown) => Math.ceil(toFloat64(a))),
    floor: goFunc('floor', ['any'], (a: unknown) => Math.floor(toFloat64(a))),
    round: goFunc('round', ['any', 'int'], round, 'float64'),
    until: goFunc('until', ['int'], (count: bigint) => untilStep(0n, count, count < 0n ? -1n : 1n)),
    untilStep: goFunc('untilStep', ['int', 'int', 'int'], untilStep),
    seq: goFunc('seq', [], seq, 'int'),
    atoi: goFunc('atoi', ['string'], (a: string) => parseIntStrict(a, 10) ?? 0n),
    int64: goFunc('int64', ['any'], toInt64),
    int: goFunc('int', ['any'], toInt64),
    float64: goFunc('float64', ['any'], toFloat64),
    toDecimal: goFunc('toDecimal', ['any'], (v: unknown) => parseIntStrict(goSprint(v), 8) ?? 0n),
  };
}

/** math.Max: NaN wins, +0 beats -0. */
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.max(a, b);
}

function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}
