// Go's fmt and strconv float formatting: properties against JavaScript's own (correctly rounded)
// conversions, plus the cases where Go deliberately differs (ties round to even, %v switches to
// exponent form at 1e21 vs Go's 1e+06, two-digit exponents).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFloat } from './float';
import { sprint, sprintf, sprintln } from './fmt';
import { formatValue, goTypeName, isTrue, NO_VALUE } from './values';

/** JavaScript writes exponents as e+5, Go as e+05. */
function goExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** Is rounding `exact` (a plain digit string with a point) to `keep` digits after the point a tie? */
function isTie(exact: string, keep: number): boolean {
  const frac = exact.split('.')[1] ?? '';
  return /^50*$/.test(frac.slice(keep));
}

describe('formatFloat', () => {
  it('shortest %g round-trips every double', () => {
    fc.assert(fc.property(finite, (v) => {
      const s = formatFloat(v, 'g', -1);
      expect(Object.is(Number(s), v) || (v === 0 && Number(s) === 0)).toBe(true);
    }), { numRuns: 3000 });
  });

  it('%.Ne agrees with toExponential (exact rounding) away from ties', () => {
    fc.assert(fc.property(finite, fc.integer({ min: 0, max: 20 }), (v, p) => {
      fc.pre(v !== 0 && !isTie(formatFloat(v, 'e', 1100).split('e')[0]!, p));
      expect(formatFloat(v, 'e', p)).toBe(goExp(v.toExponential(p)));
    }), { numRuns: 3000 });
  });

  it('%.Nf agrees with toFixed away from ties', () => {
    fc.assert(fc.property(fc.double({ min: -1e20, max: 1e20, noNaN: true }), fc.integer({ min: 0, max: 20 }), (v, p) => {
      fc.pre(v !== 0 && !isTie(formatFloat(v, 'f', 1100), p));
      expect(formatFloat(v, 'f', p)).toBe(v.toFixed(p));
    }), { numRuns: 3000 });
  });

  it('ties round half to even on the exact binary value, unlike JavaScript', () => {
    expect(formatFloat(0.125, 'f', 2)).toBe('0.12');
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(formatFloat(2.5, 'f', 0)).toBe('2');
    expect(formatFloat(3.5, 'f', 0)).toBe('4');
    expect(formatFloat(2.5, 'e', 0)).toBe('2e+00');
  });

  it('special values', () => {
    expect(formatFloat(Infinity, 'g', -1)).toBe('+Inf');
    expect(formatFloat(-Infinity, 'f', 2)).toBe('-Inf');
    expect(formatFloat(NaN, 'e', 3)).toBe('NaN');
    expect(formatFloat(-0, 'g', -1)).toBe('-0');
    expect(sprint([Infinity, NaN])).toBe('+Inf NaN');
    expect(sprintf('%5.1f|%+f|% f', [Infinity, NaN, NaN])).toBe(' +Inf|+NaN| NaN');
  });
});

describe('Sprint / Sprintln / Sprintf', () => {
  it('Sprint adds spaces only between non-strings', () => {
    expect(sprint([1n, 2n, 'a', 'b', 3n, null])).toBe('1 2ab3 <nil>');
    expect(sprintln(['a', 1n, 'b'])).toBe('a 1 b\n');
  });

  it('formats maps sorted by key, slices, nested nils', () => {
    expect(sprint([{ b: [1, null], a: { z: true } }])).toBe('map[a:map[z:true] b:[1 <nil>]]');
    expect(sprintf('%q', [{ b: 'x', a: ['y'] }])).toBe('map["a":["y"] "b":"x"]');
    expect(sprintf('%#v', [{ a: [1n, 'x', null] }])).toBe('map[string]interface {}{"a":[]interface {}{1, "x", interface {}(nil)}}');
  });

  it('reports bad verbs, missing and extra arguments inline like Go', () => {
    expect(sprintf('%d %s', ['x'])).toBe('%!d(string=x) %!s(MISSING)');
    expect(sprintf('%d', [1n, 'a', null])).toBe('1%!(EXTRA string=a, <nil>)');
    expect(sprintf('%', [])).toBe('%!(NOVERB)');
    expect(sprintf('%[3]d', [1n])).toBe('%!d(BADINDEX)');
    expect(sprintf('%*d', ['w', 1n])).toBe('%!(BADWIDTH)1');
  });
});

describe('value helpers', () => {
  it('goTypeName follows the value model', () => {
    expect([1n, 1.5, 's', true, null, [], {}, () => 1].map(goTypeName)).toEqual([
      'int', 'float64', 'string', 'bool', '<nil>', '[]interface {}', 'map[string]interface {}', 'func(...interface {}) interface {}',
    ]);
  });

  it('isTrue is Go template truth', () => {
    expect([0n, 0, -0, '', null, undefined, false, [], {}, NO_VALUE].some(isTrue)).toBe(false);
    expect([1n, 0.5, 'x', true, [0], { a: null }, () => 0].every(isTrue)).toBe(true);
  });

  it('formatValue is %v with <no value> for a missing key', () => {
    expect(formatValue(1000000)).toBe('1e+06');
    expect(formatValue(NO_VALUE)).toBe('<no value>');
    expect(formatValue(undefined)).toBe('<nil>');
  });
});
