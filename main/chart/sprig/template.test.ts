import { describe, expect, it } from 'vitest';
import { execute } from '../template/index';
import { fixture } from './testing';

// End-to-end: Sprig functions called from Go templates through the chart engine's executor,
// as charts call them (pipelines put the piped value last; constants convert like Go's).
const funcs = fixture();
const render = (text: string, data: unknown = {}) => execute(text, data, { funcs });

const cases: [template: string, data: unknown, expected: string][] = [
  ['{{ "hello" | upper | repeat 2 }}', {}, 'HELLOHELLO'],
  ['{{ .name | default "app" | trunc 63 | trimSuffix "-" }}', { name: null }, 'app'],
  ['{{ .name | default "app" }}', { name: 'web' }, 'web'],
  ['{{ printf "%s-%s" .a .b | trunc 5 }}', { a: 'release', b: 'chart' }, 'relea'],
  ['{{ add 1 2 }} {{ add1 .x }} {{ .x | int }} {{ sub 10 .x }}', { x: 2.7 }, '3 3 2 8'],
  ['{{ trunc 3.0 "hello" }}', {}, 'hel'], // an integral float constant is an int in Go
  ['{{ round 3.14159 2 }}', {}, '3.14'],
  ['{{ list 1 "a" 2.5 | toJson }}', {}, '[1,"a",2.5]'],
  ['{{ dict "b" 1 "a" (list 1 2) | toJson }}', {}, '{"a":[1,2],"b":1}'],
  ['{{ $d := dict }}{{ $_ := set $d "k" "v" }}{{ $d.k }}', {}, 'v'],
  ['{{ range $i, $e := until 3 }}{{ $i }}{{ $e }}{{ end }}', {}, '001122'],
  ['{{ range splitList "," "a,b,c" }}[{{ . }}]{{ end }}', {}, '[a][b][c]'],
  ['{{ $v := "foo$bar$baz" | split "$" }}{{ $v._1 }}', {}, 'bar'],
  ['{{ "I Am Henry VIII" | replace " " "-" }}', {}, 'I-Am-Henry-VIII'],
  ['{{ $num := len "two" }}{{ $num }} {{ $num | plural "1 char" "chars" }}', {}, '3 chars'],
  ['{{ .Values.image | quote }}', { Values: { image: 'nginx:1.25' } }, '"nginx:1.25"'],
  ['{{ .Values.missing | quote }}', { Values: {} }, ''],
  ['{{ semverCompare ">=1.21-0" "1.28.3-gke.100" }}', {}, 'true'],
  ['{{ semverCompare "^1.2.0" .v }}', { v: '1.9.0' }, 'true'],
  ['{{ "test@acme.com" | regexMatch "^[a-z]+@[a-z]+\\\\.com$" }}', {}, 'true'],
  ['{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', {}, '-W-xxW-'],
  ['{{ now | date "2006-01-02" }}', {}, '2024-05-06'],
  ['{{ toDate "2006-01-02" "2017-12-31" | date "02/01/2006" }}', {}, '31/12/2017'],
  ['{{ (list "a" "b") | has "b" }}', {}, 'true'],
  ['{{ merge .a .b | toJson }}', { a: { x: 1 }, b: { x: 2, y: 3 } }, '{"x":1,"y":3}'],
  ['{{ keys .m | sortAlpha | join "," }}', { m: { b: 1, a: 2 } }, 'a,b'],
  ['{{ b64enc "hello" | b64dec }}', {}, 'hello'],
  ['{{ sha256sum "abc" | trunc 8 }}', {}, 'ba7816bf'],
  ['{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf .v }} {{ kindOf (list) }}', { v: 3 }, 'int float64 float64 slice'],
  ['{{ ternary "yes" "no" (empty .v) }}', { v: '' }, 'yes'],
  ['{{ coalesce .a .b "c" }}', { a: null, b: '' }, 'c'],
  ['{{ 1000000.0 | toString }}', {}, '1e+06'],
  ['{{ .big | int64 }}', { big: 1234567 }, '1234567'],
  ['{{ $c := genCA "x" 1 }}{{ $c.Cert | hasPrefix "-----BEGIN CERTIFICATE-----" }}', {}, 'true'],
  ['{{ derivePassword 1 "pin" "password" "user" "example.com" }}', {}, '6685'],
  ['{{ urlParse "https://host:8443/p?q=1" | pluck "hostname" | first }}', {}, 'host'],
];

const errors: [template: string, data: unknown, message: string][] = [
  ['{{ upper 3 }}', {}, 'expected string; found 3'],
  ['{{ upper .n }}', { n: 3 }, 'wrong type for value; expected string; got float64'],
  ['{{ trunc .n "hello" }}', { n: 3 }, 'wrong type for value; expected int; got float64'],
  ['{{ upper }}', {}, 'wrong number of args for upper: want 1 got 0'],
  ['{{ div 1 0 }}', {}, 'error calling div: runtime error: integer divide by zero'],
  ['{{ first 3 }}', {}, 'error calling first: Cannot find first on type int'],
  ['{{ fail "boom" }}', {}, 'error calling fail: boom'],
  ['{{ mustRegexMatch "[" "x" }}', {}, 'error calling mustRegexMatch: error parsing regexp: missing closing ]: `[`'],
  ['{{ semverCompare ">=1.0" "nope" }}', {}, 'error calling semverCompare: Invalid Semantic Version'],
];

describe('sprig through the template engine', () => {
  for (const [template, data, expected] of cases) {
    it(`${template} → ${expected}`, () => {
      expect(render(template, data)).toBe(expected);
    });
  }
  for (const [template, data, message] of errors) {
    it(`${template} fails with "${message}"`, () => {
      expect(() => render(template, data)).toThrow(message);
    });
  }
});
