import { describe, expect, it } from 'vitest';
import { err, table, type Case } from './testing';
import { translateRegexp } from './regex-syntax';

// Cases from Sprig's regex_test.go and docs/strings.md, plus RE2 syntax that differs from JS
// and Go's rules for empty matches and $-expansion.
const cases: Case[] = [
  ['regexMatch', ['^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$', 'test@acme.com'], true],
  ['regexMatch', ['^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$', 'test@acme'], false],
  ['regexMatch', ['(?i)^hello$', 'HeLLo'], true],
  ['regexMatch', ['[', 'x'], false], // compile errors are swallowed
  ['mustRegexMatch', ['[', 'x'], err('error parsing regexp: missing closing ]: `[`')],
  ['mustRegexMatch', ['a(b', 'x'], err('error parsing regexp: missing closing ): `a(b`')],
  ['mustRegexMatch', ['a)b', 'x'], err('error parsing regexp: unexpected ): `a)b`')],
  ['mustRegexMatch', ['*a', 'x'], err('error parsing regexp: missing argument to repetition operator: `*`')],
  ['mustRegexMatch', ['a**', 'x'], err('error parsing regexp: invalid nested repetition operator: `**`')],
  ['mustRegexMatch', ['a{2,1}', 'x'], err('error parsing regexp: invalid repeat count: `{2,1}`')],
  ['mustRegexMatch', ['\\8', 'x'], err('error parsing regexp: invalid escape sequence: `\\8`')],
  ['mustRegexMatch', ['[[:foo:]]', 'x'], err('error parsing regexp: invalid character class range: `[:foo:]`')],
  ['regexMatch', ['\\Aab\\z', 'ab'], true],
  ['regexMatch', ['\\Aab\\z', 'ab\n'], false],
  ['regexMatch', ['^[[:alpha:]]+[[:digit:]]$', 'abc1'], true],
  ['regexMatch', ['^\\pL+$', 'héllo'], true],
  ['regexMatch', ['^\\p{Greek}+$', 'αβγ'], true],
  ['regexMatch', ['^\\x{263a}$', '☺'], true],
  ['regexMatch', ['^\\Q*.+\\E$', '*.+'], true],
  ['regexMatch', ['^a.c$', 'a\nc'], false],
  ['regexMatch', ['(?s)^a.c$', 'a\nc'], true],
  ['regexMatch', ['^a(?i:b)c$', 'aBc'], true],
  ['regexMatch', ['^a(?i:b)c$', 'aBC'], false],
  ['regexMatch', ['(?m)^b$', 'a\nb\nc'], true],
  ['regexMatch', ['^b$', 'a\nb\nc'], false],
  ['regexMatch', ['x\\-y', 'x-y'], true],
  ['regexMatch', ['^.$', '☃'], true],
  ['regexMatch', ['^\\w+$', 'héllo'], false], // \w is ASCII in RE2
  ['regexMatch', ['^[\\d]{3}$', '123'], true],
  ['regexMatch', ['^\\101$', 'A'], true], // octal escape
  ['regexFindAll', ['a{2}', 'aaaaaaaa', -1n], ['aa', 'aa', 'aa', 'aa']],
  ['regexFindAll', ['a{2}', 'aaaaaaaa', 2n], ['aa', 'aa']],
  ['regexFindAll', ['a{2}', 'none', -1n], []],
  ['regexFindAll', ['a.', 'paranormal', -1n], ['ar', 'an', 'al']],
  ['regexFindAll', ['a*', 'baaab', -1n], ['', 'aaa', '']], // the empty match right after "aaa" is skipped
  ['regexFindAll', ['(?P<first>\\w)\\w*', 'foo bar', -1n], ['foo', 'bar']],
  ['regexFindAll', ['[', 'x', -1n], err('regexp: Compile(`[`): error parsing regexp: missing closing ]: `[`')],
  ['mustRegexFindAll', ['[', 'x', -1n], err('error parsing regexp: missing closing ]: `[`')],
  ['regexFind', ['[a-zA-Z][1-9]', 'abcd1234'], 'd1'],
  ['regexFind', ['xyz', 'abc'], ''],
  ['mustRegexFind', ['(', 'x'], err('error parsing regexp: missing closing ): `(`')],
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '${1}W'], '-W-xxW-'],
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '$1W'], '---'], // $1W names group "1W"
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '$1'], '--xx-'],
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '$$1'], '-$1-$1-'],
  ['regexReplaceAll', ['(?P<word>\\w+)', 'hello world', '<$word>'], '<hello> <world>'],
  ['regexReplaceAll', ['(?P<word>\\w+)', 'hello world', '<${word}s>'], '<hellos> <worlds>'],
  ['regexReplaceAll', ['a*', 'baaac', 'x'], 'xbxcx'], // no empty match right after "aaa"
  ['regexReplaceAll', ['', 'abc', '-'], '-a-b-c-'],
  ['regexReplaceAll', ['x*', '☃☃', '-'], '-☃-☃-'],
  ['regexReplaceAll', ['\\s+', '  a  b ', ' '], ' a b '],
  ['mustRegexReplaceAll', ['a(', 'x', 'y'], err('error parsing regexp: missing closing ): `a(`')],
  ['regexReplaceAllLiteral', ['a(x*)b', '-ab-axxb-', '${1}'], '-${1}-${1}-'],
  ['regexReplaceAllLiteral', ['[aeiou]', 'banana', '$'], 'b$n$n$'],
  ['mustRegexReplaceAllLiteral', ['[', 'x', 'y'], err('error parsing regexp: missing closing ]: `[`')],
  ['regexSplit', ['z+', 'pizza', -1n], ['pi', 'a']],
  ['regexSplit', ['z+', 'pizza', 0n], []],
  ['regexSplit', ['z+', 'pizza', 1n], ['pizza']],
  ['regexSplit', ['a', 'banana', -1n], ['b', 'n', 'n', '']],
  ['regexSplit', ['a', 'banana', 2n], ['b', 'nana']],
  ['regexSplit', ['', 'abc', -1n], ['a', 'b', 'c']],
  ['regexSplit', ['x', '', -1n], ['']],
  ['regexSplit', ['a*', 'baaac', -1n], ['b', 'c']],
  ['mustRegexSplit', ['(', 'x', -1n], err('error parsing regexp: missing closing ): `(`')],
  ['regexQuoteMeta', ['1.2.3'], '1\\.2\\.3'],
  ['regexQuoteMeta', ['[foo]*+?(a|b)^$\\{}'], '\\[foo\\]\\*\\+\\?\\(a\\|b\\)\\^\\$\\\\\\{\\}'],
  ['regexQuoteMeta', ['pretzel'], 'pretzel'],
  ['regexFindAll', ['a', 'a', 1.5], err('wrong type for value; expected int; got float64')],
];

describe('sprig regex', () => {
  table(cases);

  it('translates RE2-only syntax to JavaScript', () => {
    expect(translateRegexp('(?P<year>\\d{4})').source).toBe('(?<year>[0-9]{4})');
    expect(translateRegexp('(?i)abc').flags).toBe('i');
    const space = new RegExp(translateRegexp('^[[:space:]]+$').source, 'u');
    expect(space.test('\t\n\v\f\r ')).toBe(true);
    expect(space.test('x')).toBe(false);
    expect(translateRegexp('(?P<a>x)(?P<a>y)').groupNames).toEqual(['', 'a', 'a']);
  });
});
