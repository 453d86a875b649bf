import { describe, expect, it } from 'vitest';
import { err, fixture, table, type Case } from './testing';

const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

// Cases transcribed from Sprig's list_test.go and docs/lists.md; each function and its must*
// twin are checked alike, since Sprig's plain variants panic with the same error.
const cases: Case[] = [
  ['list', [1n, 2n, 3n], [1n, 2n, 3n]],
  ['list', [], []],
  ['tuple', ['a', 1n], ['a', 1n]],
  ['first', [[1n, 2n, 3n]], 1n],
  ['first', [[]], null],
  ['first', [['a']], 'a'],
  ['first', [3n], err('Cannot find first on type int')],
  ['first', ['abc'], err('Cannot find first on type string')],
  ['first', [{}], err('Cannot find first on type map')],
  ['first', [null], err(NIL_DEREF)],
  ['mustFirst', [[1n, 2n]], 1n],
  ['mustFirst', [1.5], err('Cannot find first on type float64')],
  ['last', [[1n, 2n, 3n]], 3n],
  ['last', [[]], null],
  ['mustLast', [true], err('Cannot find last on type bool')],
  ['rest', [[1n, 2n, 3n]], [2n, 3n]],
  ['rest', [[1n]], []],
  ['rest', [[]], []],
  ['mustRest', ['x'], err('Cannot find rest on type string')],
  ['initial', [[1n, 2n, 3n]], [1n, 2n]],
  ['initial', [[]], []],
  ['mustInitial', [3n], err('Cannot find initial on type int')],
  ['append', [[1n, 2n], 3n], [1n, 2n, 3n]],
  ['push', [[], 'a'], ['a']],
  ['push', [['a'], ['b']], ['a', ['b']]],
  ['mustAppend', [3n, 4n], err('Cannot push on type int')],
  ['mustPush', [null, 4n], err(NIL_DEREF)],
  ['prepend', [[1n, 2n], 0n], [0n, 1n, 2n]],
  ['mustPrepend', ['x', 0n], err('Cannot prepend on type string')],
  ['reverse', [[1n, 2n, 3n]], [3n, 2n, 1n]],
  ['reverse', [[]], []],
  ['mustReverse', [{}], err('Cannot find reverse on type map')],
  ['uniq', [[1n, 2n, 2n, 3n, 1n]], [1n, 2n, 3n]],
  ['uniq', [[1n, 1, '1']], [1n, 1, '1']], // int, float64 and string all differ for DeepEqual
  ['uniq', [[[1n], [1n], { a: 1 }, { a: 1 }]], [[1n], { a: 1 }]],
  ['mustUniq', [2n], err('Cannot find uniq on type int')],
  ['without', [[1n, 2n, 3n, 4n], 1n, 3n], [2n, 4n]],
  ['without', [[1n, 2n], 5n], [1n, 2n]],
  ['without', [['a', 'b']], ['a', 'b']],
  ['mustWithout', ['x', 1n], err('Cannot find without on type string')],
  ['has', [4n, [1n, 2n, 3n, 4n]], true],
  ['has', ['hello', [1n, 2n]], false],
  ['has', [1, [1n]], false], // float64 1 is not int 1
  ['has', [1n, null], false],
  ['mustHas', [1n, 'abc'], err('Cannot find has on type string')],
  ['slice', [[1n, 2n, 3n, 4n, 5n], 1n, 3n], [2n, 3n]],
  ['slice', [[1n, 2n, 3n, 4n, 5n], 3n], [4n, 5n]],
  ['slice', [[1n, 2n, 3n, 4n, 5n]], [1n, 2n, 3n, 4n, 5n]],
  ['slice', [[1n, 2n, 3n], '1', 2.9], [2n]], // indices go through cast.ToInt (2.9 → 2)
  ['slice', [[], 0n, 1n], null],
  ['slice', [[1n, 2n], 1n, 5n], err('reflect.Value.Slice: slice index out of bounds')],
  ['mustSlice', [3n, 0n], err('list should be type of slice or array but int')],
  ['concat', [[1n, 2n], [3n], []], [1n, 2n, 3n]],
  ['concat', [], []],
  ['concat', [[1n], 2n], err('Cannot concat type int as list')],
  ['concat', [[1n], null], err(NIL_DEREF)],
  ['compact', [[1n, 0n, '', 'hello', null, false, [], {}, 0.0]], [1n, 'hello']],
  ['mustCompact', ['abc'], err('Cannot compact on type string')],
  ['chunk', [3n, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]], [[1n, 2n, 3n], [4n, 5n, 6n], [7n, 8n]]],
  ['chunk', [4n, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]], [[1n, 2n, 3n, 4n], [5n, 6n, 7n, 8n]]],
  ['chunk', [2n, []], []],
  ['mustChunk', [0n, [1n]], err('runtime error: makeslice: len out of range')],
  ['mustChunk', [2n, 'ab'], err('Cannot chunk type string')],
  ['chunk', ['2', [1n]], err('wrong type for value; expected int; got string')],
];

describe('sprig lists', () => {
  table(cases);

  it('append and prepend copy, leaving the input list unchanged', () => {
    const f = fixture();
    const l = [1n, 2n];
    f.append(l, 3n);
    f.prepend(l, 0n);
    f.reverse(l);
    expect(l).toEqual([1n, 2n]);
  });
});
