// toYaml/fromYaml as Helm prints and reads them (sigs.k8s.io/yaml over go-yaml v2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromYaml, toYaml } from './functions';
import { goYamlKeyLess, marshalYaml, parseYaml } from './yaml';

describe('toYaml prints like Helm', () => {
  it('sorts keys, indents maps by two and leaves sequences unindented under their key', () => {
    const v = { spec: { ports: [{ port: 80, name: 'http' }], selector: { app: 'web' } }, kind: 'Service' };
    expect(toYaml(v)).toBe(['kind: Service', 'spec:', '  ports:', '  - name: http', '    port: 80', '  selector:', '    app: web'].join('\n'));
  });

  it('prints nested sequences, empty collections and null', () => {
    expect(toYaml({ a: [[1, 2], [], {}], b: {}, c: null })).toBe('a:\n- - 1\n  - 2\n- []\n- {}\nb: {}\nc: null');
    expect(toYaml(null)).toBe('null');
    expect(toYaml([])).toBe('[]');
  });

  it('quotes strings that would read back as another type, with double quotes', () => {
    const cases: [string, string][] = [
      ['true', '"true"'], ['yes', '"yes"'], ['on', '"on"'], ['y', '"y"'], ['null', '"null"'], ['~', '"~"'], ['', '""'],
      ['1', '"1"'], ['1.5', '"1.5"'], ['1e3', '"1e3"'], ['0x1F', '"0x1F"'], ['1_000', '"1_000"'],
      ['2001-12-14', '"2001-12-14"'], ['1:20', '"1:20"'], ['.inf', '".inf"'],
    ];
    for (const [input, out] of cases) expect(toYaml({ k: input }), input).toBe(`k: ${out}`);
  });

  it('single-quotes strings the emitter cannot write plain', () => {
    const cases: [string, string][] = [
      ['a: b', "'a: b'"], ['- x', "'- x'"], ['#c', "'#c'"], [' lead', "' lead'"], ['trail ', "'trail '"],
      ["'q'", "'''q'''"], ['*star', "'*star'"], ['a #b', "'a #b'"], ['---', "'---'"], ['{x}', "'{x}'"], ['end:', "'end:'"],
    ];
    for (const [input, out] of cases) expect(toYaml({ k: input }), input).toBe(`k: ${out}`);
  });

  it('writes plain strings that are safe', () => {
    for (const s of ["it's", 'a:b', 'nginx:1.25', 'http://example.com/a?b=c', 'a#b', 'café', '-x']) expect(toYaml({ k: s })).toBe(`k: ${s}`);
  });

  it('escapes tabs and characters go-yaml v2 does not print, in double quotes', () => {
    expect(toYaml({ k: 'a\tb' })).toBe('k: "a\\tb"');
    expect(toYaml({ k: '😀' })).toBe('k: "\\U0001F600"');
    expect(toYaml({ k: 'a\u0001' })).toBe('k: "a\\x01"');
  });

  it('writes multi-line strings as literal blocks with the right chomping', () => {
    expect(toYaml({ k: 'a\nb' })).toBe('k: |-\n  a\n  b');
    expect(toYaml({ k: 'a\nb\n' })).toBe('k: |\n  a\n  b');
    expect(toYaml({ k: 'a\n\n' })).toBe('k: |+\n  a\n');
    expect(toYaml({ k: ' a\nb' })).toBe('k: |2-\n   a\n  b');
    expect(toYaml({ list: ['x\ny'] })).toBe('list:\n- |-\n  x\n  y');
    expect(toYaml({ k: 'a \nb' })).toBe('k: "a \\nb"');
    expect(toYaml({ k: 'para\n\nnext', z: 1 })).toBe('k: |-\n  para\n\n  next\nz: 1');
  });

  it('prints numbers as Go JSON and go-yaml v2 do', () => {
    expect(toYaml({ x: 1000000 })).toBe('x: 1000000');
    expect(toYaml({ x: 1.5 })).toBe('x: 1.5');
    expect(toYaml({ x: 1234567.5 })).toBe('x: 1.2345675e+06');
    expect(toYaml({ x: 0.000001 })).toBe('x: 1e-06');
    expect(toYaml({ x: 1e21 })).toBe('x: 1e+21');
    expect(toYaml({ x: -0 })).toBe('x: 0');
    expect(toYaml({ x: 42n })).toBe('x: 42');
  });

  it('orders keys the way go-yaml v2 does (digit runs numerically, letters after other characters)', () => {
    const keys = ['key10', 'key9', 'b', 'B', 'a1', 'a_', 'a'];
    expect(toYaml(Object.fromEntries(keys.map((k) => [k, 0])))).toBe(['B: 0', 'a: 0', 'a_: 0', 'a1: 0', 'b: 0', 'key9: 0', 'key10: 0'].join('\n'));
    expect(goYamlKeyLess('a_', 'a1')).toBe(true);
    expect(goYamlKeyLess('a1', 'a_')).toBe(false);
  });

  it('folds long plain strings at the first space past column 80, continuing two spaces deeper', () => {
    const words = Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ');
    const out = toYaml({ description: words });
    const lines = out.split('\n');
    expect(lines.length).toBe(2);
    expect(lines[0].length).toBeGreaterThan(80);
    expect(lines[0].slice(0, -3).length).toBeLessThanOrEqual(80);
    expect(lines[1].startsWith('  w')).toBe(true);
    expect(parseYaml(out)).toEqual({ description: words });
  });

  it('folds exactly like go-yaml v2 outputs quoted in public bug reports', () => {
    // kubernetes/kubernetes#32335 (kubectl edit output) and kubernetes-sigs/yaml#62 (sigs.k8s.io/yaml with go-yaml 2.2.8).
    expect(marshalYaml({ a: { annotations: { 'kubernetes.io/limit-ranger': 'LimitRanger plugin set: cpu request for container hostnames' } } })).toBe(
      "a:\n  annotations:\n    kubernetes.io/limit-ranger: 'LimitRanger plugin set: cpu request for container\n      hostnames'\n",
    );
    expect(marshalYaml({ t: 'this is very long line with spaces and it must be longer than 80 so we will repeat that it must be longer that 80' })).toBe(
      't: this is very long line with spaces and it must be longer than 80 so we will repeat\n  that it must be longer that 80\n',
    );
  });

  it('returns an empty string for values JSON cannot hold, like Helm', () => {
    expect(toYaml({ f: () => 1, n: NaN })).toBe('');
  });
});

describe('YAML is read like Helm reads values', () => {
  it('follows YAML 1.1 for booleans and keeps timestamps and sexagesimals as strings', () => {
    expect(parseYaml('a: yes\nb: On\nc: no\nd: 2001-12-14\ne: 1:20\nf: 1e3\ng: 0x10\nh: ~\ni: "yes"\n')).toEqual({
      a: true, b: true, c: false, d: '2001-12-14', e: '1:20', f: 1000, g: 16, h: null, i: 'yes',
    });
  });

  it('applies merge keys and anchors', () => {
    expect(parseYaml('base: &b {x: 1}\nother:\n  <<: *b\n  z: 2\n')).toEqual({ base: { x: 1 }, other: { x: 1, z: 2 } });
    // go-yaml v2 reads a plain y as a boolean, so the key becomes "true" after JSON conversion.
    expect(parseYaml('y: 1')).toEqual({ true: 1 });
  });

  it('reports the line of a syntax error', () => {
    expect(() => parseYaml('a: 1\nb: [\n')).toThrow(/yaml: line \d+/);
  });

  it('fromYaml returns Helm\'s Error map on bad input', () => {
    expect(fromYaml('a: [')).toHaveProperty('Error');
    expect(fromYaml('- 1')).toHaveProperty('Error');
    expect(fromYaml('')).toEqual({});
  });
});

// Strings without CR/NEL/LS/PS: go-yaml v2 itself folds those inside quoted scalars, so they do not round-trip in Helm either.
const safeString = fc.string({ unit: fc.oneof(fc.constantFrom('\n', ' ', '\t', ':', '#', '-', "'", '"', '\\', '0', '1', '.', 'a', 'é', '😀', '\u0000'), fc.string({ unit: 'grapheme', maxLength: 1 })) }).filter((s) => !/[\r\u0085\u2028\u2029]/.test(s));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
    fc.integer(),
    safeString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(safeString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('toYaml/fromYaml round trip (property)', () => {
  it('reads back what it writes, for any JSON-like value', () => {
    fc.assert(
      fc.property(fc.dictionary(safeString, jsonValue, { maxKeys: 5 }), (v) => {
        const text = marshalYaml(v);
        expect(parseYaml(text)).toEqual(v);
      }),
      { numRuns: 400 },
    );
  });
});
