import { describe, expect, it } from 'vitest';
import { err, fixture, table, type Case } from './testing';

// Cases from Sprig's numeric_test.go, docs/math.md and docs/mathf.md, and spf13/cast behaviour:
// integer functions return int64 (bigint), *f functions float64 (number).
const cases: Case[] = [
  ['add', [1n, 2n, 3n], 6n],
  ['add', [], 0n],
  ['add', [1n, 2.9], 3n], // cast.ToInt64 truncates floats
  ['add', ['3', 4n], 7n],
  ['add', ['0x10', 1n], 17n],
  ['add', ['010', 0n], 8n], // base prefix: leading 0 is octal
  ['add', ['8.00', 0n], 8n], // cast trims a zero decimal part
  ['add', ['8.5', 0n], 0n], // … but not others: an error, which Sprig turns into 0
  ['add', ['abc', 1n], 1n],
  ['add', [true, null, 1n], 2n],
  ['add', [9223372036854775807n, 1n], -9223372036854775808n], // int64 wraps
  ['add1', [3n], 4n],
  ['add1', [2.7], 3n],
  ['add1', [null], 1n],
  ['sub', [5n, 3n], 2n],
  ['sub', [3n, 5n], -2n],
  ['sub', [5.9, 1n], 4n],
  ['div', [10n, 3n], 3n],
  ['div', [-7n, 2n], -3n], // Go truncates toward zero
  ['div', [1n, 0n], err('runtime error: integer divide by zero')],
  ['mod', [10n, 3n], 1n],
  ['mod', [-7n, 3n], -1n],
  ['mod', [1n, 0n], err('runtime error: integer divide by zero')],
  ['mul', [1n, 2n, 3n], 6n],
  ['mul', [5n], 5n],
  ['mul', [2.5, 2.5], 4n],
  ['max', [1n, 2n, 3n], 3n],
  ['max', [5n], 5n],
  ['max', [-1n, -5n], -1n],
  ['biggest', [1n, 9n, 3n], 9n],
  ['min', [1n, 2n, 3n], 1n],
  ['min', [3n, '1'], 1n],
  ['max', [], err('wrong number of args for max: want at least 1 got 0')],
  ['floor', [123.9999], 123],
  ['floor', ['-1.5'], -2],
  ['ceil', [123.001], 124],
  ['ceil', [5n], 5],
  ['round', [123.555555, 3n], 123.556],
  ['round', [123.5555, 3n, 0.6], 123.555],
  ['round', [2.5, 0n], 3],
  ['round', [-2.5, 0n], -3], // math.Modf keeps the sign, so -0.5 < 0.5 floors
  ['round', ['3.14159', 2n], 3.14],
  ['addf', [1.5, 2n, 2n], 5.5],
  ['addf', [1.1, 2.2], 3.3], // decimal arithmetic: not 3.3000000000000003
  ['addf', [], 0],
  ['add1f', [4n], 5],
  ['add1f', [1.1], 2.1],
  ['subf', [7.5, 2n, 3n], 2.5],
  ['subf', [0.3, 0.1], 0.2],
  ['mulf', [1.5, 2n, 2n], 6],
  ['mulf', [1.1, 3n], 3.3],
  ['divf', [10n, 4n], 2.5],
  ['divf', [10n, 3n], 3.3333333333333335],
  ['divf', [2n, 3n], 0.6666666666666667],
  ['divf', [1n, 0n], err('decimal division by zero')],
  ['maxf', [1n, 2.5, 3n], 3],
  ['maxf', [1.5], 1.5],
  ['minf', [1.5, 2n, 3n], 1.5],
  ['minf', ['x', 2n], 0],
  ['until', [5n], [0n, 1n, 2n, 3n, 4n]],
  ['until', [-3n], [0n, -1n, -2n]],
  ['until', [0n], []],
  ['untilStep', [3n, 6n, 2n], [3n, 5n]],
  ['untilStep', [0n, 10n, 3n], [0n, 3n, 6n, 9n]],
  ['untilStep', [10n, 0n, -3n], [10n, 7n, 4n, 1n]],
  ['untilStep', [0n, 10n, -1n], []],
  ['untilStep', [0n, 10n, 0n], []],
  ['seq', [5n], '1 2 3 4 5'],
  ['seq', [-3n], '1 0 -1 -2 -3'],
  ['seq', [0n, 2n], '0 1 2'],
  ['seq', [2n, -2n], '2 1 0 -1 -2'],
  ['seq', [0n, 2n, 10n], '0 2 4 6 8 10'],
  ['seq', [0n, -2n, -5n], '0 -2 -4'],
  ['seq', [10n, 2n, 0n], ''],
  ['seq', [], ''],
  ['seq', [1n, 2n, 3n, 4n], ''],
  ['seq', [1.5], err('wrong type for value; expected int; got float64')],
  ['atoi', ['42'], 42n],
  ['atoi', ['-42'], -42n],
  ['atoi', ['+7'], 7n],
  ['atoi', ['4.2'], 0n],
  ['atoi', ['0x10'], 0n],
  ['atoi', [' 1'], 0n],
  ['atoi', ['99999999999999999999'], 0n],
  ['int', ['9'], 9n],
  ['int', [9.9], 9n],
  ['int', [-9.9], -9n],
  ['int', ['0b101'], 5n],
  ['int', ['1_000'], 1000n],
  ['int', [true], 1n],
  ['int', [null], 0n],
  ['int', [[]], 0n],
  ['int64', ['102'], 102n],
  ['int64', [1e19], -9223372036854775808n], // out-of-range float conversion on amd64
  ['float64', ['1.22'], 1.22],
  ['float64', [3n], 3],
  ['float64', ['1e3'], 1000],
  ['float64', ['abc'], 0],
  ['float64', [false], 0],
  ['toDecimal', ['0777'], 511n],
  ['toDecimal', ['777'], 511n],
  ['toDecimal', [777n], 511n],
  ['toDecimal', ['0o777'], 0n],
  ['toDecimal', ['8'], 0n],
  ['toDecimal', [777.0], 511n],
];

describe('sprig math', () => {
  table(cases);

  it('randInt draws from [min, max) with the injected source', () => {
    const f = fixture();
    for (let i = 0; i < 50; i++) {
      const n = f.randInt(3n, 6n) as bigint;
      expect(n >= 3n && n < 6n).toBe(true);
    }
    expect(() => f.randInt(5n, 5n)).toThrow('invalid argument to Intn');
  });
});
