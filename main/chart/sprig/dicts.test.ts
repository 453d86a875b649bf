import { describe, expect, it } from 'vitest';
import { err, fixture, table, type Case } from './testing';

// Cases from Sprig's dict_test.go and docs/dicts.md; merge cases follow mergo's rules.
const cases: Case[] = [
  ['dict', ['a', 1n, 'b', 'two'], { a: 1n, b: 'two' }],
  ['dict', ['a'], { a: '' }],
  ['dict', [1n, 'one', true, 'yes', null, 'nil'], { '1': 'one', true: 'yes', '<nil>': 'nil' }],
  ['dict', [], {}],
  ['get', [{ a: 1n }, 'a'], 1n],
  ['get', [{ a: 1n }, 'b'], ''],
  ['get', [null, 'b'], ''],
  ['get', [{ a: null }, 'a'], null],
  ['get', ['x', 'a'], err('wrong type for value; expected map[string]interface {}; got string')],
  ['set', [{ a: 1n }, 'b', 2n], { a: 1n, b: 2n }],
  ['set', [{ a: 1n }, 'a', 'x'], { a: 'x' }],
  ['set', [null, 'a', 1n], err('assignment to entry in nil map')],
  ['unset', [{ a: 1n, b: 2n }, 'a'], { b: 2n }],
  ['unset', [{ a: 1n }, 'zz'], { a: 1n }],
  ['unset', [null, 'a'], null],
  ['hasKey', [{ a: 1n }, 'a'], true],
  ['hasKey', [{ a: null }, 'a'], true],
  ['hasKey', [{ a: 1n }, 'b'], false],
  ['hasKey', [null, 'b'], false],
  ['pluck', ['name', { name: 'one' }, { other: 'x' }, { name: 'two' }], ['one', 'two']],
  ['pluck', ['name'], []],
  ['pluck', ['a', { a: 1n }, 'x'], err('wrong type for value; expected map[string]interface {}; got string')],
  ['keys', [{ b: 1n, a: 2n, c: 3n }], ['a', 'b', 'c']],
  ['keys', [{ b: 1n }, { a: 2n }], ['b', 'a']],
  ['keys', [{ a: 1n }, { a: 2n }], ['a', 'a']],
  ['keys', [], []],
  ['values', [{ b: 1n, a: 2n }], [2n, 1n]],
  ['values', [{}], []],
  ['pick', [{ a: 1n, b: 2n, c: 3n }, 'a', 'c', 'zz'], { a: 1n, c: 3n }],
  ['pick', [{ a: 1n }], {}],
  ['pick', [{ a: 1n }, 1n], err('wrong type for value; expected string; got int')],
  ['omit', [{ a: 1n, b: 2n, c: 3n }, 'a', 'c'], { b: 2n }],
  ['omit', [{ a: 1n }], { a: 1n }],
  ['dig', ['a', 'b', 'c', 'DEFAULT', { a: { b: { c: 'found' } } }], 'found'],
  ['dig', ['a', 'x', 'DEFAULT', { a: { b: 1n } }], 'DEFAULT'],
  ['dig', ['a', 'DEFAULT', { a: null }], null],
  ['dig', ['a', 'b', 'DEFAULT', { a: 'str' }], err('interface conversion: interface {} is string, not map[string]interface {}')],
  ['dig', ['a', 'b', 'DEFAULT', { a: null }], err('interface conversion: interface {} is nil, not map[string]interface {}')],
  ['dig', ['a', 'DEFAULT', 'notadict'], err('interface conversion: interface {} is string, not map[string]interface {}')],
  ['dig', [1n, 'DEFAULT', {}], err('interface conversion: interface {} is int, not string')],
  ['dig', ['a', {}], err('dig needs at least three arguments')],
  ['deepCopy', [{ a: [1n, { b: 2n }] }], { a: [1n, { b: 2n }] }],
  ['deepCopy', [null], null],
  ['mustDeepCopy', [[1n, 'x']], [1n, 'x']],
  // mergo: existing non-empty values win, maps merge deeply, lists are never merged.
  [
    'merge',
    [
      { a: 'one', c: 3n, d: { f: 5n }, g: [8n, 9n], i: 'eye', k: { l: true } },
      { a: 1n, b: 2n, d: { e: 'four' }, g: [6n, 7n], i: 'aye', j: 'jay', k: { l: false } },
      { h: 10n, i: 'i', j: 'j' },
    ],
    { a: 'one', b: 2n, c: 3n, d: { e: 'four', f: 5n }, g: [8n, 9n], h: 10n, i: 'eye', j: 'jay', k: { l: true } },
  ],
  [
    'mergeOverwrite',
    [
      { a: 'one', c: 3n, d: { f: 5n }, g: [8n, 9n], i: 'eye', k: { l: true } },
      { a: 1n, b: 2n, d: { e: 'four' }, g: [6n, 7n], i: 'aye', j: 'jay', k: { l: false } },
      { h: 10n, i: 'i', j: 'j' },
    ],
    { a: 1n, b: 2n, c: 3n, d: { e: 'four', f: 5n }, g: [6n, 7n], h: 10n, i: 'i', j: 'j', k: { l: false } },
  ],
  ['merge', [{ a: '' }, { a: 'x' }], { a: 'x' }], // an empty destination value counts as unset
  ['merge', [{ a: 0n }, { a: 5n }], { a: 5n }],
  ['merge', [{ a: [] }, { a: [1n] }], { a: [1n] }],
  ['merge', [{ a: 'x' }, { a: null }], { a: 'x' }],
  ['mergeOverwrite', [{ a: 'x' }, { a: null }], { a: null }], // nil overwrites with overwrite
  ['mergeOverwrite', [{ a: 'x' }, { a: '' }], { a: '' }],
  ['mergeOverwrite', [{ a: 'str' }, { a: { b: 1n } }], { a: 'str' }], // a map never replaces a scalar
  ['mergeOverwrite', [{ a: { b: 1n } }, { a: 'str' }], { a: 'str' }],
  ['merge', [{ a: { b: 1n } }, { a: 'str' }], { a: { b: 1n } }],
  ['merge', [null, { a: 1n }], { a: 1n }],
  ['merge', [{ a: 1n }], { a: 1n }],
  ['mustMerge', [{ a: 1n }, null], { a: 1n }],
  ['mustMergeOverwrite', [{ a: { b: 1n, c: 2n } }, { a: { c: 3n } }], { a: { b: 1n, c: 3n } }],
  ['merge', [{ a: 1n }, 'x'], err('wrong type for value; expected map[string]interface {}; got string')],
];

describe('sprig dicts', () => {
  table(cases);

  const f = fixture();
  it('set and unset change the dict in place, like Go maps', () => {
    const d: Record<string, unknown> = { a: 1n };
    f.set(d, 'b', 2n);
    f.unset(d, 'a');
    expect(d).toEqual({ b: 2n });
  });

  it('merge writes into its first argument and returns it', () => {
    const dst: Record<string, unknown> = { a: { x: 1n } };
    const out = f.merge(dst, { a: { y: 2n } });
    expect(out).toBe(dst);
    expect(dst).toEqual({ a: { x: 1n, y: 2n } });
  });

  it('deepCopy copies nested maps and lists', () => {
    const src = { a: { b: [1n] } };
    const copy = f.deepCopy(src) as typeof src;
    copy.a.b.push(2n);
    expect(src.a.b).toEqual([1n]);
  });
});
