import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture } from './testing';
import { formatFloat, parseGoInt } from './convert';
import { formatDuration, parseDuration } from './duration';
import type { SemverVersion } from './semver';

// Properties that hold for every input, checked on generated values: round trips and
// agreements between functions that Sprig users rely on together.
const f = fixture();

describe('sprig properties', () => {
  it('b64dec undoes b64enc, b32dec undoes b32enc', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(f.b64dec(f.b64enc(s))).toBe(s);
        expect(f.b32dec(f.b32enc(s))).toBe(s);
      }),
    );
  });

  it('a regexQuoteMeta-quoted string matches itself literally', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), (s) => {
        expect(f.regexMatch('^' + (f.regexQuoteMeta(s) as string) + '$', s)).toBe(true);
        expect(f.regexReplaceAllLiteral(f.regexQuoteMeta(s), s, '-')).toBe('-');
      }),
    );
  });

  it('%v of a float64 reads back as the same float64', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Number(formatFloat(x))).toBe(x);
      }),
    );
  });

  it('int64 arithmetic wraps like Go', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        expect(f.add(a, b)).toBe(BigInt.asIntN(64, a + b));
        expect(f.sub(a, b)).toBe(BigInt.asIntN(64, a - b));
        expect(f.mul(a, b)).toBe(BigInt.asIntN(64, a * b));
        expect(parseGoInt(a.toString())).toBe(a);
      }),
    );
  });

  it('Duration.String() parses back to the same duration', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), (ns) => {
        expect(parseDuration(formatDuration(ns))).toBe(ns);
      }),
    );
  });

  it('semver comparison is consistent with semverCompare operators', () => {
    const part = fc.integer({ min: 0, max: 20 });
    const pre = fc.constantFrom('', '-alpha', '-alpha.1', '-beta', '-rc.2', '-1');
    const version = fc.tuple(part, part, part, pre).map(([a, b, c, p]) => `${a}.${b}.${c}${p}`);
    fc.assert(
      fc.property(version, version, (a, b) => {
        const va = f.semver(a) as SemverVersion;
        const vb = f.semver(b) as SemverVersion;
        const c = va.compare(vb);
        expect(vb.compare(va)).toBe(-c);
        // Constraints with a prerelease admit prerelease versions, so these agree with compare.
        const withPre = b.includes('-') ? b : `${b}-0`;
        const vp = f.semver(withPre) as SemverVersion;
        expect(f.semverCompare(`>=${withPre}`, a)).toBe(va.compare(vp) >= 0);
      }),
    );
  });

  it('date formats what toDate parses, for every instant', () => {
    const layout = '2006-01-02T15:04:05.000000000Z07:00';
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const text = f.date(layout, f.toDate('2006-01-02T15:04:05.000Z', d.toISOString())) as string;
        expect(text).toBe(d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z'));
      }),
    );
  });

  it('wrap never breaks inside a word and keeps every word in order', () => {
    const word = fc.stringMatching(/^[a-z]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 30 }), (words, width) => {
        const out = f.wrap(BigInt(width), words.join(' ')) as string;
        expect(out.split(/[\n ]/)).toEqual(words);
      }),
    );
  });

  it('merge never replaces a non-empty destination value; mergeOverwrite replaces scalars', () => {
    const key = fc.stringMatching(/^[a-z]{1,5}$/);
    const scalar = fc.oneof(fc.string({ minLength: 1 }), fc.integer({ min: 1 }).map(BigInt), fc.constant(true));
    fc.assert(
      fc.property(fc.dictionary(key, scalar), fc.dictionary(key, scalar), (dst, src) => {
        const merged = f.merge({ ...dst }, src) as Record<string, unknown>;
        for (const [k, v] of Object.entries(dst)) expect(merged[k]).toBe(v);
        const over = f.mergeOverwrite({ ...dst }, src) as Record<string, unknown>;
        for (const [k, v] of Object.entries(src)) expect(over[k]).toBe(v);
      }),
    );
  });
});
