// Helm's functions outside a render (funcs.go / funcs_test.go behaviour).
import { describe, expect, it } from 'vitest';
import { fromJson, fromJsonArray, fromYaml, fromYamlArray, required, toJson, toToml, toYaml, WARN_END, WARN_START } from './functions';
import { formatFloatG, marshalJson } from './goJson';

describe('toJson / fromJson', () => {
  it('marshals like Go: sorted keys, HTML escaping, float64 and int64 numbers', () => {
    expect(toJson({ b: '<a&b>', a: [1, 1.5, 1e21, 1e-7, 10n, null, true], c: {} })).toBe('{"a":[1,1.5,1e+21,1e-7,10,null,true],"b":"\\u003ca\\u0026b\\u003e","c":{}}');
    expect(toJson('line\nbreak\t\u0001\u2028')).toBe('"line\\nbreak\\t\\u0001\\u2028"');
    expect(toJson({ f: () => 1 })).toBe('{}');
    expect(toJson(NaN)).toBe('');
  });

  it('fromJson returns a map, with Error on bad input; fromJsonArray a list', () => {
    expect(fromJson('{"a": 1, "b": [true]}')).toEqual({ a: 1, b: [true] });
    expect(fromJson('{"a":').Error).toBe('unexpected end of JSON input');
    expect(fromJson('[1]').Error).toMatch(/cannot unmarshal array/);
    expect(fromJsonArray('[1, "x"]')).toEqual([1, 'x']);
    expect(fromJsonArray('{}')).toEqual(['json: cannot unmarshal object into Go value of type []interface {}']);
  });
});

describe('fromYaml / fromYamlArray', () => {
  it('parses maps and lists, with Helm\'s error conventions', () => {
    expect(fromYaml('a: 1\nb: [x, z]')).toEqual({ a: 1, b: ['x', 'z'] });
    expect(fromYamlArray('- 1\n- a: b')).toEqual([1, { a: 'b' }]);
    expect(fromYamlArray('a: 1')[0]).toMatch(/cannot unmarshal object into Go value of type \[\]interface \{\}/);
    expect(fromYaml('a: [').Error).toMatch(/^error converting YAML to JSON: yaml: /);
  });

  it('toYaml of a fromYaml result gives the same document back for canonical YAML', () => {
    const doc = 'a: 1\nb:\n- x\n- "y"\nc:\n  d: true';
    expect(toYaml(fromYaml(doc))).toBe(doc);
  });
});

describe('toToml', () => {
  it('prints keys before tables, floats with a decimal point and nested tables indented', () => {
    expect(toToml({ title: 'x', n: 1, i: 2n, owner: { name: 'me', dob: { y: 1979 } }, list: [1, 2], servers: [{ ip: 'a' }, { ip: 'b' }] })).toBe(
      'i = 2\nlist = [1.0, 2.0]\nn = 1.0\ntitle = "x"\n\n[owner]\n  name = "me"\n  [owner.dob]\n    y = 1979.0\n\n[[servers]]\n  ip = "a"\n\n[[servers]]\n  ip = "b"\n',
    );
  });
});

describe('required', () => {
  it('passes values through and marks the message for Helm\'s error cleanup', () => {
    expect(required('msg', 0)).toBe(0);
    expect(required('msg', false)).toBe(false);
    expect(() => required('need it', null)).toThrow(`${WARN_START}need it${WARN_END}`);
    expect(() => required('need it', '')).toThrow(WARN_START);
  });
});

describe('Go number formats', () => {
  it('formats float64 like strconv %g / %v', () => {
    const cases: [number, string][] = [[1000000, '1e+06'], [123456, '123456'], [1234567, '1.234567e+06'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5, '1.5'], [-2.5e-7, '-2.5e-07'], [1e100, '1e+100'], [Infinity, '+Inf']];
    for (const [f, s] of cases) expect(formatFloatG(f), String(f)).toBe(s);
  });

  it('marshals maps given as Map and bytes as base64, like Go', () => {
    expect(marshalJson(new Map([['z', 1], ['a', 2]]))).toBe('{"a":2,"z":1}');
    expect(marshalJson(new Uint8Array([104, 105]))).toBe('"aGk="');
  });
});
