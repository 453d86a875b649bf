// Test helper: a fast-check grammar of small Go templates (actions, pipelines, builtins,
// control structures, variables, trimming, defines) over a fixed data document, used by the
// differential tests against Go and by the parser property tests.
import fc from 'fast-check';

/** Data every generated template runs against (JSON, so numbers are float64 like Helm values). */
export const grammarData = {
  a: 1,
  b: 'str',
  c: [1, 2.5, 'x', null, true],
  d: { e: { f: 'deep' }, g: [] as unknown[] },
  h: null,
  t: true,
  f: false,
  z: 0,
  s: '',
  n: -3.5,
  big: 1e21,
  m: { k1: 1, k2: 'v', k0: [1, 2] },
  list: ['b', 'a', 'c'],
  html: '<a href="x">&</a>',
};

const fields = ['.', '.a', '.b', '.c', '.d', '.d.e', '.d.e.f', '.d.g', '.h', '.t', '.f', '.z', '.s', '.n', '.big', '.m', '.m.k1', '.list', '.html', '$', '$.a', '$.m.k2'];
const literals = ['1', '-2', '0', '1.5', '0.0', '1e3', '0x10', "'x'", '"s"', '""', '`raw`', 'true', 'false', '"k1"', '2', '1.0', '2.5', '1.5i'];
const formats = ['"%v"', '"%d"', '"%s"', '"%q"', '"%5.2f"', '"%x"', '"%T"', '"%v-%v"', '"%t"', '"%-4v|"', '"%g"', '"%e"', '"%+d"', '"%#v"'];

export const operand: fc.Arbitrary<string> = fc.letrec<{ expr: string; call: string; pipe: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...fields),
    fc.constantFrom(...literals),
    tie('call').map((c) => `(${c})`),
  ),
  call: fc.oneof(
    fc.tuple(fc.constantFrom('len', 'not', 'html', 'js', 'urlquery', 'print', 'println'), tie('expr')).map(([f, x]) => `${f} ${x}`),
    fc.tuple(fc.constantFrom('html', 'js', 'print', 'not', 'println'), tie('expr')).map(([f, x]) => `${f} ${x}`),
    fc.tuple(fc.constantFrom('eq', 'ne', 'lt', 'ge'), fc.constantFrom('.a', '.n', '.z', '1.5', '(len .c)', '(index .c 1)'), fc.constantFrom('1.0', '.a', '-3.5', '(index .m "k1")')).map(([f, x, y]) => `${f} ${x} ${y}`),
    fc.tuple(fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt'), fc.constantFrom('.b', '.s', '"str"', '(index .list 0)', '.d.e.f'), fc.constantFrom('"a"', '.b', '"str"', '(printf "%v" .a)')).map(([f, x, y]) => `${f} ${x} ${y}`),
    fc.tuple(fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'index', 'slice', 'print'), tie('expr'), tie('expr')).map(([f, x, y]) => `${f} ${x} ${y}`),
    fc.tuple(fc.constantFrom('printf'), fc.constantFrom(...formats), tie('expr')).map(([f, s, x]) => `${f} ${s} ${x}`),
    fc.tuple(fc.constantFrom('index', 'slice'), tie('expr'), fc.constantFrom('0', '1', '"k1"', '5'), fc.constantFrom('0', '1', '2')).map(([f, x, i, j]) => `${f} ${x} ${i} ${j}`),
  ),
  pipe: fc.oneof(
    tie('expr'),
    tie('call'),
    fc.tuple(tie('expr'), fc.constantFrom('len', 'not', 'print', 'printf "%v"', 'eq 1.0', 'index .m', 'and 1', 'or 0', 'html', 'js')).map(([x, f]) => `${x} | ${f}`),
  ),
})).pipe;

const text = fc.constantFrom('', 'x', ' ', '\n', '  a\n', '\t', 'é');
const open = fc.constantFrom('{{', '{{ ', '{{- ');
const close = fc.constantFrom('}}', ' }}', ' -}}');

export const action: fc.Arbitrary<string> = fc.tuple(open, operand, close).map(([o, p, c]) => `${o}${o.endsWith(' ') ? '' : ' '}${p}${c.startsWith(' ') ? '' : ' '}${c}`);

/** A whole template: text, actions and control structures. */
export const template: fc.Arbitrary<string> = fc.letrec<{ body: string; item: string }>((tie) => ({
  body: fc.array(tie('item'), { maxLength: 4 }).map((items) => items.join('')),
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    action,
    fc.constantFrom('{{/* c */}}', '{{- /* c */ -}}'),
    fc.tuple(operand, tie('body'), tie('body')).map(([p, a, b]) => `{{ if ${p} }}${a}{{ else }}${b}{{ end }}`),
    fc.tuple(operand, tie('body')).map(([p, a]) => `{{ with ${p} }}${a}{{ end }}`),
    fc.tuple(fc.constantFrom('.c', '.m', '.list', '.d.g', '2', '.h', '.a'), tie('body')).map(([p, a]) => `{{ range $i, $v := ${p} }}{{ $i }}={{ $v }};${a}{{ end }}`),
    fc.tuple(fc.constantFrom('.c', '.m', '.list'), tie('body')).map(([p, a]) => `{{ range ${p} }}{{ if eq (printf "%v" .) "x" "v" }}{{ break }}{{ end }}${a}{{ . }}{{ end }}`),
    fc.tuple(operand, tie('body')).map(([p, a]) => `{{ $x := ${p} }}${a}{{ $x }}`),
    fc.tuple(tie('body'), operand).map(([a, p]) => `{{ define "d" }}${a}{{ end }}{{ template "d" ${p} }}`),
  ),
})).body;

/** printf with random flags, widths, precisions, argument indexes and verbs over every kind of value. */
export const printfData = { m: { b: 2, a: [1, 'x'] }, l: [1.5, 'y', null, true], f: 3.25, i: 1e6, s: 'hello', e: [] as unknown[], n: null };
const fmtFlags = fc.constantFrom('', '-', '+', '#', ' ', '0', '-0', '+0', '# ', '+#', ' 0', '-#');
const fmtWidth = fc.constantFrom('', '1', '5', '12', '*', '[1]*');
const fmtPrec = fc.constantFrom('', '.', '.0', '.1', '.3', '.10', '.*');
const fmtVerb = fc.constantFrom('v', 'd', 's', 'q', 'x', 'X', 'o', 'O', 'b', 'c', 'U', 'e', 'E', 'f', 'F', 'g', 'G', 't', 'T', '%', 'z');
const fmtSpec = fc
  .tuple(fmtFlags, fmtWidth, fmtPrec, fmtVerb, fc.constantFrom('', '', '', '[1]', '[2]', '[3]'))
  .map(([f, w, p, v, idx]) => `%${f}${idx}${w}${p}${v}`);
const fmtString = fc.array(fc.oneof(fmtSpec, fc.constantFrom('a', ' ', '|', 'é')), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
const fmtArg = fc.constantFrom(
  '1', '-42', '0', '255', '65', '0x1F600', '3.0', '-2.5', '0.000012345', '1e21', '123456789.0', '1.5i', '"str"', '""', '"日本"', '"a\\tb"',
  'true', 'false', 'nil', '.m', '.l', '.f', '.i', '.s', '.e', '.n', "'x'",
);
export const printfAction: fc.Arbitrary<string> = fc
  .tuple(fmtString, fc.array(fmtArg, { maxLength: 4 }))
  .map(([f, a]) => `{{ printf ${JSON.stringify(f)} ${a.join(' ')} }}`);

/** Token soup: fragments of template syntax in any order, for parse-error fidelity. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      '{{', '}}', '{{-', '-}}', '{{- ', ' -}}', ' ', '\n', '\t', '.', '.a', '.b.c', '$', '$x', '$x :=', ' := ', '=', '|', '(', ')', '"s"', '`r`', "'c'", '1',
      '-1', '1.5e3', '0x', 'if', 'else', 'end', 'range', 'with', 'define "d"', 'template "d"', 'block "b" .', 'break', 'continue', 'nil', 'true', '/*',
      '*/', '{{/* c */}}', 'printf', 'len', 'index', ',', '@', 'é', '\\', 'x', 'eq', ' 1 ', '{{ end }}', '{{ else }}', '{{ if . }}', '{{ range . }}',
    ),
    { maxLength: 25 },
  )
  .map((a) => a.join(''));
