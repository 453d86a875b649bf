// Cases transcribed from the behaviour Helm documents and tests in pkg/strvals/parser_test.go.
import { describe, expect, it } from 'vitest';
import { ChartError } from './errors';
import { parseSet, parseSetInto } from './strvals';

describe('--set (strvals.Parse)', () => {
  const ok: [string, Record<string, unknown>][] = [
    ['name1=null,f=false,t=true', { name1: null, f: false, t: true }],
    ['name1=value1', { name1: 'value1' }],
    ['name1=value1,name2=value2', { name1: 'value1', name2: 'value2' }],
    ['name1=value1,name2=value2,', { name1: 'value1', name2: 'value2' }],
    ['name1=,name2=value2', { name1: '', name2: 'value2' }],
    ['leading_zeros=00009', { leading_zeros: '00009' }],
    ['zero_int=0', { zero_int: 0n }],
    ['long_int=1234567890', { long_int: 1234567890n }],
    ['negative=-42', { negative: -42n }],
    ['float=1.5', { float: '1.5' }],
    ['boolean=TRUE', { boolean: true }],
    ['name1=one\\,two,name2=three\\,four', { name1: 'one,two', name2: 'three,four' }],
    ['name1=one\\=two,name2=three\\=four', { name1: 'one=two', name2: 'three=four' }],
    ['name1=one two three,name2=three two one', { name1: 'one two three', name2: 'three two one' }],
    ['outer.inner=value', { outer: { inner: 'value' } }],
    ['outer.middle.inner=value', { outer: { middle: { inner: 'value' } } }],
    ['outer.inner1=value,outer.inner2=value2', { outer: { inner1: 'value', inner2: 'value2' } }],
    ['escaped\\.dot=1', { 'escaped.dot': 1n }],
    ['name1={value1,value2}', { name1: ['value1', 'value2'] }],
    ['name1={value1,value2},name2={value1,value2}', { name1: ['value1', 'value2'], name2: ['value1', 'value2'] }],
    ['name1={1021,902}', { name1: [1021n, 902n] }],
    ['name1.name2={value1,value2}', { name1: { name2: ['value1', 'value2'] } }],
    ['list[0]=foo', { list: ['foo'] }],
    ['list[0].foo=bar', { list: [{ foo: 'bar' }] }],
    ['list[0].foo=bar,list[0].hello=world', { list: [{ foo: 'bar', hello: 'world' }] }],
    ['list[0]=foo,list[1]=bar', { list: ['foo', 'bar'] }],
    ['list[0]=foo,list[3]=bar', { list: ['foo', null, null, 'bar'] }],
    ['noval[0]', { noval: [] }],
    ['noval[0]=', { noval: [''] }],
    ['nested[0][0]=1', { nested: [[1n]] }],
    ['nested[1][1]=1', { nested: [null, [null, 1n]] }],
    ['name1.name2[0].foo=bar,name1.name2[1].foo=bar', { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } }],
    ['name1.name2[1].foo=bar', { name1: { name2: [null, { foo: 'bar' }] } }],
  ];
  for (const [expr, expected] of ok) {
    it(`parses ${expr}`, () => {
      expect(parseSet(expr)).toEqual(expected);
    });
  }

  const bad = [
    'name1=value1,,,,name2=value2,',
    'name1,name2=',
    'name1,name2=value2',
    'name1,name2',
    'name1.name2',
    'name1.name2,name1.name3',
    'name1={',
    'list[0].foo=bar,list[-30].hello=world',
    'list[0]=foo,list[-20]=bar',
    'illegal[0]name.foo=bar',
    'list[65537]=x',
  ];
  for (const expr of bad) {
    it(`rejects ${expr}`, () => {
      expect(() => parseSet(expr)).toThrow(ChartError);
    });
  }

  it('names the problem like Helm', () => {
    expect(() => parseSet('name1')).toThrow('failed parsing --set data: key "name1" has no value');
  });

  it('merges into existing values like ParseInto', () => {
    const base = { outer: { keep: 1, inner: 'old' } };
    parseSetInto('outer.inner=new,list[1]=b', base);
    expect(base).toEqual({ outer: { keep: 1, inner: 'new' }, list: [null, 'b'] });
  });
});

describe('--set-string', () => {
  it('keeps every value a string', () => {
    expect(parseSet('long_int_string=1234567890,boolean=true,is_null=null,zero=0,l={1,true}', 'set-string')).toEqual({
      long_int_string: '1234567890',
      boolean: 'true',
      is_null: 'null',
      zero: '0',
      l: ['1', 'true'],
    });
  });
});

describe('--set-file', () => {
  it('reads the value from the named file', () => {
    const base = parseSetInto('script=/tmp/x.sh', {}, 'set-file', (p) => `contents of ${p}`);
    expect(base).toEqual({ script: 'contents of /tmp/x.sh' });
  });
});
