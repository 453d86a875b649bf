import { describe, expect, it } from 'vitest';
import { err, fixture, table, type Case } from './testing';
import { GoTime, UTC } from './gotime';
import { HELM_REMOVED, NON_HERMETIC, sprigFunctions } from './index';

// Reflection, paths, URLs, OS and network cases from Sprig's reflect_test.go, path docs,
// url_test.go, os_test.go and network_test.go.
const cases: Case[] = [
  ['typeOf', [1n], 'int'],
  ['typeOf', [1.5], 'float64'],
  ['typeOf', ['x'], 'string'],
  ['typeOf', [true], 'bool'],
  ['typeOf', [null], '<nil>'],
  ['typeOf', [[1n]], '[]interface {}'],
  ['typeOf', [{}], 'map[string]interface {}'],
  ['typeOf', [GoTime.zero()], 'time.Time'],
  ['typeIs', ['int', 1n], true],
  ['typeIs', ['int', 1.0], false],
  ['typeIs', ['float64', 1.0], true],
  ['typeIsLike', ['semver.Version', fixture().semver('1.0.0')], true],
  ['typeIsLike', ['string', 'x'], true],
  ['kindOf', [1n], 'int'],
  ['kindOf', ['x'], 'string'],
  ['kindOf', [[1n]], 'slice'],
  ['kindOf', [{}], 'map'],
  ['kindOf', [null], 'invalid'],
  ['kindOf', [GoTime.zero()], 'struct'],
  ['kindOf', [fixture().semver('1.0.0')], 'ptr'],
  ['kindIs', ['int', 1n], true],
  ['kindIs', ['map', { a: 1n }], true],
  ['kindIs', ['slice', 'x'], false],
  ['deepEqual', [{ a: [1n, 'x'] }, { a: [1n, 'x'] }], true],
  ['deepEqual', [1n, 1], false],
  ['deepEqual', [[], []], true],
  ['deepEqual', [null, null], true],
  ['deepEqual', [{ a: 1n }, { a: 1n, b: 2n }], false],
  ['base', ['foo/bar/baz'], 'baz'],
  ['base', ['foo/bar/'], 'bar'],
  ['base', ['/'], '/'],
  ['base', [''], '.'],
  ['dir', ['foo/bar/baz'], 'foo/bar'],
  ['dir', ['baz'], '.'],
  ['dir', ['/baz'], '/'],
  ['dir', ['a//b//'], 'a/b'],
  ['clean', ['foo/bar/../baz'], 'foo/baz'],
  ['clean', ['/../a/./b//c/'], '/a/b/c'],
  ['clean', ['../../a'], '../../a'],
  ['clean', [''], '.'],
  ['ext', ['foo.bar'], '.bar'],
  ['ext', ['foo.tar.gz'], '.gz'],
  ['ext', ['a.b/c'], ''],
  ['ext', ['noext'], ''],
  ['isAbs', ['/foo'], true],
  ['isAbs', ['foo'], false],
  ['osBase', ['foo/bar'], 'bar'],
  ['osDir', ['foo/bar'], 'foo'],
  ['osClean', ['a/./b'], 'a/b'],
  ['osExt', ['a.yaml'], '.yaml'],
  ['osIsAbs', ['/x'], true],
  [
    'urlParse',
    ['proto://auth@host:80/path?query#fragment'],
    { fragment: 'fragment', host: 'host:80', hostname: 'host', opaque: '', path: '/path', query: 'query', scheme: 'proto', userinfo: 'auth' },
  ],
  [
    'urlParse',
    ['https://user:p%40ss@[::1]:8443/a%20b?x=1&y=2#frag%20ment'],
    { fragment: 'frag ment', host: '[::1]:8443', hostname: '::1', opaque: '', path: '/a b', query: 'x=1&y=2', scheme: 'https', userinfo: 'user:p%40ss' },
  ],
  ['urlParse', ['mailto:someone@example.com'], { fragment: '', host: '', hostname: '', opaque: 'someone@example.com', path: '', query: '', scheme: 'mailto', userinfo: '' }],
  ['urlParse', ['/relative/path'], { fragment: '', host: '', hostname: '', opaque: '', path: '/relative/path', query: '', scheme: '', userinfo: '' }],
  ['urlParse', [':nope'], err('unable to parse url: parse ":nope": missing protocol scheme')],
  ['urlParse', ['http://x/%zz'], err('unable to parse url: parse "http://x/%zz": invalid URL escape "%zz"')],
  ['urlJoin', [{ fragment: 'fragment', host: 'host:80', path: '/path', query: 'query', scheme: 'proto' }], 'proto://host:80/path?query#fragment'],
  ['urlJoin', [{ host: 'host', path: 'no/slash', scheme: 'http', userinfo: 'a:b' }], 'http://a:b@host/no/slash'],
  ['urlJoin', [{ path: '/a b?c', scheme: 'http', host: 'h' }], 'http://h/a%20b%3Fc'],
  ['urlJoin', [{ scheme: 'mailto', opaque: 'x@y' }], 'mailto:x@y'],
  ['urlJoin', [{}], ''],
  ['urlJoin', [{ host: 1n }], err('unable to parse host key, must be of type string, but int found')],
  ['env', ['HOME'], '/home/dev'],
  ['env', ['NOPE'], ''],
  ['expandenv', ['Your path is set to $HOME'], 'Your path is set to /home/dev'],
  ['expandenv', ['${USER}@${NOPE}x $$ $ end$'], 'dev@x  $ end$'], // $$ is the (empty) variable "$"
  ['getHostByName', ['localhost'], '127.0.0.1'],
  ['getHostByName', ['example.com'], err('cannot resolve host "example.com": DNS lookups are disabled while rendering charts')],
  ['fail', ['custom failure'], err('custom failure')],
  ['hello', [], 'Hello!'],
];

// Sprig v3's function map (functions.go genericMap), the names this library must provide.
const SPRIG_NAMES = `hello ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate
htmlDateInZone must_date_modify mustDateModify mustToDate now toDate unixEpoch abbrev abbrevboth trunc trim upper
lower title untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace initials randAlphaNum randAlpha
randAscii randNumeric swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix
quote squote cat indent nindent replace plural sha1sum sha256sum adler32sum toString atoi int64 int float64 seq
toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf divf
mulf biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact mustCompact
fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary deepCopy
mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs deepEqual env expandenv getHostByName base dir clean ext isAbs
osBase osClean osDir osExt osIsAbs b64enc b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys
pick omit merge mergeOverwrite mustMerge mustMergeOverwrite values append push mustAppend mustPush prepend
mustPrepend first mustFirst rest mustRest last mustLast initial mustInitial reverse mustReverse uniq mustUniq
without mustWithout has mustHas slice mustSlice concat dig chunk mustChunk bcrypt htpasswd genPrivateKey
derivePassword buildCustomCert genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert
genSignedCertWithKey encryptAES decryptAES randBytes uuidv4 semver semverCompare fail regexMatch mustRegexMatch
regexFindAll mustRegexFindAll regexFind mustRegexFind regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral
mustRegexReplaceAllLiteral regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin`.split(/\s+/);

describe('sprig reflection, paths, urls, os, network', () => {
  table(cases);

  it('provides every function of Sprig v3\'s map, each with an arity', () => {
    const f = sprigFunctions();
    const missing = SPRIG_NAMES.filter((n) => typeof f[n] !== 'function');
    expect(missing).toEqual([]);
    for (const n of SPRIG_NAMES) expect(f[n].arity.min, n).toBeGreaterThanOrEqual(0);
    expect(HELM_REMOVED).toEqual(['env', 'expandenv']);
    for (const n of NON_HERMETIC) expect(typeof f[n], n).toBe('function');
  });

  it('getHostByName uses the injected resolver', () => {
    const f = fixture({ lookupHost: (name) => (name === 'db' ? ['10.0.0.5'] : []) });
    expect(f.getHostByName('db')).toBe('10.0.0.5');
    expect(() => f.getHostByName('other')).toThrow('invalid argument to Intn');
  });

  it('env defaults to the process environment', () => {
    const f = sprigFunctions({ now: () => new Date(0) });
    expect(f.env('PATH')).toBe(process.env.PATH ?? '');
    expect(f.date('2006', GoTime.zero().in(UTC))).toBe('0001');
  });
});
