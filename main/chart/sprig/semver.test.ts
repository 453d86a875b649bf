import { describe, expect, it } from 'vitest';
import { err, fixture, table, type Case } from './testing';
import type { SemverVersion } from './semver';

// Cases from Sprig's semver_test.go and Masterminds/semver's constraints tests and README.
const cmp = (c: string, v: string, want: boolean): Case => ['semverCompare', [c, v], want];
const cases: Case[] = [
  cmp('1.2.3', '1.2.3', true),
  cmp('=1.2.3', '1.2.3', true),
  cmp('1.2.3', '1.2.4', false),
  cmp('^1.2.3', '1.2.4', true),
  cmp('^1.2.3', '2.2.4', false),
  cmp('> 1.2.3', '1.2.4', true),
  cmp('> 1.2.3', '1.2.3', false),
  cmp('>=1.2.3', '1.2.3', true),
  cmp('<1.2.3', '1.2.2', true),
  cmp('<=1.2.3', '1.2.3', true),
  cmp('=<1.2.3', '1.2.4', false),
  cmp('=>1.2.3', '1.3.0', true),
  cmp('!=1.2.3', '1.2.4', true),
  cmp('!=1.2.3', '1.2.3', false),
  cmp('!=1.2.x', '1.2.9', false),
  cmp('!=1.2.x', '1.3.0', true),
  cmp('!=1.x', '1.9.9', false),
  cmp('>=1.2.3, <2.0.0', '1.9.0', true),
  cmp('>=1.2.3, <2.0.0', '2.0.0', false),
  cmp('>=1.2.3 <2.0.0', '1.5.0', true),
  cmp('>= 1.2, < 3.0.0 || >= 4.2.3', '3.1.0', false),
  cmp('>= 1.2, < 3.0.0 || >= 4.2.3', '4.5.0', true),
  cmp('1.2 - 1.4.5', '1.4.5', true),
  cmp('1.2 - 1.4.5', '1.4.6', false),
  cmp('1.2 - 1.4.5', '1.1.9', false),
  cmp('2.3.4 - 4.5', '4.5.9', true),
  cmp('2.3.4 - 4.5', '4.6.0', false),
  cmp('1.2.x', '1.2.9', true),
  cmp('1.2.x', '1.3.0', false),
  cmp('1.x', '1.9.0', true),
  cmp('*', '9.9.9', true),
  ['semverCompare', ['', '1.0.0'], err('improper constraint: ')], // Go's validation regexp needs a version
  cmp('x', '0.0.1', true),
  cmp('>= 1.x', '2.0.0', true),
  cmp('>1.x', '1.9.0', false), // >1 needs 2 or higher
  cmp('>1.x', '2.0.0', true),
  cmp('>1.2.x', '1.2.9', false),
  cmp('>1.2.x', '1.3.0', true),
  cmp('<=1.2.x', '1.2.9', true),
  cmp('<=1.2.x', '1.3.0', false),
  cmp('<=1.x', '1.9.9', true),
  cmp('~1.2.3', '1.2.9', true),
  cmp('~1.2.3', '1.3.0', false),
  cmp('~1.2.3', '1.2.2', false),
  cmp('~1', '1.9.9', true),
  cmp('~1', '2.0.0', false),
  cmp('~1.x', '1.5.0', true),
  cmp('~>1.2', '1.2.9', true),
  cmp('~0.0.0', '5.0.0', true),
  cmp('^1.2', '1.9.9', true),
  cmp('^1.x', '1.0.0', true),
  cmp('^0.2.3', '0.2.9', true),
  cmp('^0.2.3', '0.3.0', false),
  cmp('^0.0.3', '0.0.3', true),
  cmp('^0.0.3', '0.0.4', false),
  cmp('^0.0', '0.0.9', true),
  cmp('^0.0', '0.1.0', false),
  cmp('^0', '0.9.9', true),
  cmp('^0', '1.0.0', false),
  // A prerelease only matches a constraint that names a prerelease.
  cmp('>=1.2.3', '1.2.4-alpha', false),
  cmp('>=1.2.3-alpha', '1.2.3-beta', true),
  cmp('>=1.2.3-beta', '1.2.3-alpha', false),
  cmp('>=1.2.3-alpha.2', '1.2.3-alpha.10', true), // numeric identifiers compare as numbers
  cmp('>1.2.3-alpha', '1.2.3', true),
  cmp('<1.2.3', '1.2.3-alpha', false),
  cmp('^1.2.3-0', '1.5.0-rc.1', true),
  cmp('>=1.0.0-0', '1.0.0-alpha', true),
  cmp('1.2.3', '1.2.3+build.5', true), // metadata is ignored
  cmp('v1.2.3', '1.2.3', true),
  cmp('1.2.3', 'v1.2.3', true),
  ['semverCompare', ['1.2.3', 'not a version'], err('Invalid Semantic Version')],
  ['semverCompare', ['1.2.3', '1.2.3-01'], err('Version segment starts with 0')],
  ['semverCompare', ['>>1.2.3', '1.2.3'], err('improper constraint: >>1.2.3')],
  // '|' sits in Masterminds' version character class, so "| 4" passes validation and fails later.
  ['semverCompare', ['1.2.3 ||| 4', '1.2.3'], err('constraint Parser Error')],
  ['semverCompare', ['abc', '1.2.3'], err('improper constraint: abc')],
  ['semver', ['1.2.3.4'], err('Invalid Semantic Version')],
  ['semver', [''], err('Invalid Semantic Version')],
  ['semver', ['1.2.3-a_b'], err('Invalid Semantic Version')],
  ['semver', ['1.2.3-alpha.01'], err('Version segment starts with 0')],
];

describe('sprig semver', () => {
  table(cases);

  it('semver parses into an object with Go\'s methods', () => {
    const f = fixture();
    const v = f.semver('1.2.3-alpha.1+123') as SemverVersion;
    expect(v.Major()).toBe(1n);
    expect(v.Minor()).toBe(2n);
    expect(v.Patch()).toBe(3n);
    expect(v.Prerelease()).toBe('alpha.1');
    expect(v.Metadata()).toBe('123');
    expect(v.Original()).toBe('1.2.3-alpha.1+123');
    expect(v.String()).toBe('1.2.3-alpha.1+123');
    const short = f.semver('v2') as SemverVersion;
    expect(short.String()).toBe('2.0.0');
    expect(short.Original()).toBe('v2');
    expect(v.Compare(short)).toBe(-1n);
    expect(short.GreaterThan(v)).toBe(true);
    expect(v.IncPatch().String()).toBe('1.2.3');
    expect(short.IncMinor().String()).toBe('2.1.0');
    expect(f['to' + 'String'](v)).toBe('1.2.3-alpha.1+123');
    expect(f.typeOf(v)).toBe('*semver.Version');
    expect(f.toJson(v)).toBe('"1.2.3-alpha.1+123"');
  });
});
