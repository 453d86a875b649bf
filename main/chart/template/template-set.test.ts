// The API the Sprig and Helm layers use: options (missingkey, delimiters), user functions
// (plain JS values in and out, arity/params checks, errors wrapped like Go), template sets
// (defines across files, redefinition, clone for tpl, re-entrant execute for include) and values
// that JSON cannot carry (ints as bigint, functions).
import { describe, expect, it } from 'vitest';
import { execute, FuncMap, GO_MAP, TemplateError, TemplateFunc, TemplateSet } from './index';

function err(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('missingkey option', () => {
  const data = { a: { b: 1 }, n: null };
  it.each([
    ['default', '{{ .x }}|{{ .x.y }}|{{ .a.x }}|{{ .n }}', '<no value>|<no value>|<no value>|<no value>'],
    ['invalid', '{{ .x }}|{{ .x.y }}|{{ .a.x }}', '<no value>|<no value>|<no value>'],
    // Go's known quirk (golang/go#24963): for map[string]interface{} "zero" is a nil interface,
    // which prints as <no value>, except through a function (printf gets nil).
    ['zero', '{{ .x }}|{{ .a.x }}|{{ printf "%v" .x }}', '<no value>|<no value>|<nil>'],
  ] as const)('missingkey=%s', (mode, tpl, want) => {
    expect(execute(tpl, data, { missingKey: mode })).toBe(want);
  });

  it('missingkey=error names the key', () => {
    expect(err(() => execute('{{ .a.x }}', data, { missingKey: 'error', name: 'm' })).message).toBe(
      'template: m:1:5: executing "m" at <.a.x>: map has no entry for key "x"',
    );
  });

  it('zero mode still fails on a field of nil (nil pointer), like Go', () => {
    expect(err(() => execute('{{ .x.y }}', {}, { missingKey: 'zero', name: 'z' })).message).toBe(
      'template: z:1:5: executing "z" at <.x.y>: nil pointer evaluating interface {}.y',
    );
  });

  it('a missing key passed to a function arrives as null', () => {
    const seen: unknown[] = [];
    const funcs: FuncMap = { see: (...a) => (seen.push(...a), 'ok') };
    expect(execute('{{ see .x }}', {}, { funcs })).toBe('ok');
    expect(seen).toEqual([null]);
  });

  it('option() switches the mode of a set', () => {
    const set = new TemplateSet().parse('t', '{{ .x }}');
    expect(set.execute('t', {})).toBe('<no value>');
    expect(set.option('invalid').execute('t', {})).toBe('<no value>');
    expect(() => set.option('error').execute('t', {})).toThrow(/map has no entry for key "x"/);
  });

  it('nil data prints <no value> for dot and fields', () => {
    expect(execute('{{ . }}{{ .a }}', null)).toBe('<no value><no value>');
    expect(execute('{{ . }}', undefined)).toBe('<no value>');
  });
});

describe('values JSON cannot carry', () => {
  it('bigint is Go int: prints, compares with int literals, %T says int', () => {
    expect(execute('{{ .n }} {{ eq .n 3 }} {{ printf "%T %d %05d" .n .n .n }} {{ lt .n 10 }}', { n: 3n })).toBe('3 true int 3 00003 true');
  });

  it('float64 and int do not compare, as in Go (the classic Helm surprise)', () => {
    expect(err(() => execute('{{ eq .f 3 }}', { f: 3 })).message).toMatch(/incompatible types for comparison: float64 and int$/);
  });

  it('numbers from values print in %v (shortest %g)', () => {
    expect(execute('{{ .a }} {{ .b }} {{ .c }} {{ .d }} {{ .e }}', { a: 1000000, b: 1.5, c: 1e-5, d: 100000, e: 3 })).toBe('1e+06 1.5 1e-05 100000 3');
  });

  it('undefined inside data is nil', () => {
    expect(execute('{{ .a }} {{ printf "%v" .a }} {{ . }}', { a: undefined })).toBe('<no value> <nil> map[a:<nil>]');
  });

  it('functions in data can be called with call, not printed', () => {
    const data = { add: (a: unknown, b: unknown) => (a as bigint) + (b as bigint), boom: () => { throw new Error('bang'); } };
    expect(execute('{{ call .add 2 3 }}', data)).toBe('5');
    expect(err(() => execute('{{ call .boom }}', data, { name: 't' })).message).toBe(
      'template: t:1:3: executing "t" at <call .boom>: error calling call: bang',
    );
    expect(err(() => execute('{{ .add }}', data, { name: 't' })).message).toMatch(/^template: t:1:3: executing "t" at <{{\.add}}>: can't print {{\.add}} of type func/);
  });
});

describe('class instances are Go structs (Helm\'s .Files, .Capabilities)', () => {
  class Files {
    static goType = 'engine.files';
    constructor(private readonly files: Record<string, string>) {}
    Get(name: unknown): string {
      const f = this.files[String(name)];
      if (f === undefined) throw new Error(`no file ${String(name)}`);
      return f;
    }
    Glob(prefix: unknown): Files {
      return new Files(Object.fromEntries(Object.entries(this.files).filter(([k]) => k.startsWith(String(prefix)))));
    }
    Names(): string[] {
      return Object.keys(this.files).sort();
    }
  }
  class KubeVersion {
    constructor(readonly Version: string, readonly Major: string) {}
    String(): string {
      return this.Version;
    }
  }
  class Point {
    constructor(readonly A: bigint, readonly B: string, readonly C: unknown = null) {}
  }
  const data = { Files: new Files({ 'a.txt': 'A', 'b.txt': 'B', 'conf/c.yaml': 'C' }), Kube: new KubeVersion('v1.30.0', '1'), P: new Point(1n, 'x') };

  it('methods are called with arguments, before fields', () => {
    expect(execute('{{ .Files.Get "a.txt" }}|{{ "b.txt" | .Files.Get }}|{{ (.Files.Glob "conf/").Names }}|{{ .Kube.Major }}', data)).toBe('A|B|[conf/c.yaml]|1');
  });

  it('method argument counts follow the JS signature, errors are wrapped like Go', () => {
    expect(err(() => execute('{{ .Files.Get }}', data, { name: 't' })).message).toBe(
      'template: t:1:9: executing "t" at <.Files.Get>: wrong number of args for Get: want 1 got 0',
    );
    expect(err(() => execute('{{ .Files.Get "zz" }}', data, { name: 't' })).message).toBe(
      'template: t:1:9: executing "t" at <.Files.Get>: error calling Get: no file zz',
    );
  });

  it('fields: missing ones and ones given arguments fail like Go structs (no missingkey)', () => {
    expect(err(() => execute('{{ .P.Z }}', data, { name: 't', missingKey: 'zero' })).message).toBe(
      'template: t:1:5: executing "t" at <.P.Z>: can\'t evaluate field Z in type interface {}',
    );
    expect(err(() => execute('{{ .P.A 1 }}', data, { name: 't' })).message).toBe(
      'template: t:1:5: executing "t" at <.P.A>: A has arguments but cannot be invoked as function',
    );
    expect(err(() => execute('{{ .Files.x }}', data, { name: 't' })).message).toBe(
      'template: t:1:9: executing "t" at <.Files.x>: can\'t evaluate field x in type interface {}',
    );
  });

  it('the struct\'s own type is named when it is the receiver itself', () => {
    expect(err(() => execute('{{ .Z }}', new Point(1n, 'x'), { name: 't' })).message).toBe(
      'template: t:1:3: executing "t" at <.Z>: can\'t evaluate field Z in type Point',
    );
  });

  it('a String() method makes it a fmt.Stringer; other structs print their fields', () => {
    expect(execute('{{ .Kube }}|{{ printf "%s %q" .Kube .Kube }}|{{ .P }}|{{ printf "%+v" .P }}|{{ printf "%T" .Files }}', data)).toBe(
      'v1.30.0|v1.30.0 "v1.30.0"|{1 x <nil>}|{A:1 B:x C:<nil>}|engine.files',
    );
  });

  it('a class implementing [GO_MAP] is a Go map type with methods (Helm\'s files)', () => {
    class FileMap {
      constructor(private readonly m: Record<string, string>) {}
      Get(name: unknown): string {
        return this.m[String(name)] ?? '';
      }
      [GO_MAP](): Record<string, unknown> {
        return this.m;
      }
    }
    const d = { F: new FileMap({ 'b.txt': 'B', 'a.txt': 'A' }), E: new FileMap({}) };
    expect(execute('{{ range $k, $v := .F }}{{ $k }}={{ $v }};{{ end }}{{ len .F }}|{{ index .F "a.txt" }}|{{ .F.Get "b.txt" }}|{{ .F }}', d)).toBe(
      'a.txt=A;b.txt=B;2|A|B|map[a.txt:A b.txt:B]',
    );
    expect(execute('{{ if .E }}full{{ else }}empty{{ end }}|{{ .F.missing }}', d)).toBe('empty|<no value>');
  });

  it('structs are always true and cannot be ranged over', () => {
    expect(execute('{{ if .P }}yes{{ end }}{{ with .Files }}{{ .Get "a.txt" }}{{ end }}', data)).toBe('yesA');
    expect(err(() => execute('{{ range .P }}{{ end }}', data, { name: 't' })).message).toMatch(/range can't iterate over \{1 x <nil>\}$/);
  });
});

describe('user functions', () => {
  it('receive plain JS values and their result is printed with %v', () => {
    const got: unknown[][] = [];
    const funcs: FuncMap = {
      spy: (...a) => {
        got.push(a);
        return { k: [1, 'x'] };
      },
    };
    expect(execute('{{ spy 1 1.5 "s" true nil .m .l }}', { m: { a: 1 }, l: [2] }, { funcs })).toBe('map[k:[1 x]]');
    expect(got).toEqual([[1n, 1.5, 's', true, null, { a: 1 }, [2]]]);
  });

  it('get the previous pipeline value as last argument', () => {
    const funcs: FuncMap = { join: (...a) => a.join('+') };
    expect(execute('{{ "c" | join "a" "b" }}', null, { funcs })).toBe('a+b+c');
  });

  it('a thrown error becomes "error calling NAME: message" at the command', () => {
    const funcs: FuncMap = { fail: (m) => { throw new Error(String(m)); } };
    expect(err(() => execute('x\n  {{ fail "nope" }}', null, { funcs, name: 'f' })).message).toBe(
      'template: f:2:5: executing "f" at <fail "nope">: error calling fail: nope',
    );
  });

  it('returning null/undefined prints <no value> and is falsy', () => {
    const funcs: FuncMap = { nothing: () => undefined };
    expect(execute('{{ nothing }}|{{ if nothing }}y{{ else }}n{{ end }}', null, { funcs })).toBe('<no value>|n');
  });

  it('arity declares Go-style argument counts', () => {
    const fixed: TemplateFunc = Object.assign((a: unknown) => a, { arity: { min: 1, max: 1 } });
    const atLeast: TemplateFunc = Object.assign((...a: unknown[]) => a.length, { arity: { min: 2 } });
    const funcs: FuncMap = { fixed, atLeast };
    expect(execute('{{ fixed 1 }} {{ 1 | fixed }} {{ atLeast 1 2 3 }}', null, { funcs })).toBe('1 1 3');
    expect(err(() => execute('{{ fixed 1 2 }}', null, { funcs, name: 't' })).message).toBe(
      'template: t:1:3: executing "t" at <fixed>: wrong number of args for fixed: want 1 got 2',
    );
    expect(err(() => execute('{{ atLeast 1 }}', null, { funcs, name: 't' })).message).toBe(
      'template: t:1:3: executing "t" at <atLeast>: wrong number of args for atLeast: want at least 2 got 1',
    );
  });

  it('params declare Go parameter types and fail like Go on the wrong type', () => {
    const upper: TemplateFunc = Object.assign((s: unknown) => String(s).toUpperCase(), { params: ['string'] });
    const funcs: FuncMap = { upper };
    expect(execute('{{ upper "a" }}{{ .s | upper }}', { s: 'b' }, { funcs })).toBe('AB');
    expect(err(() => execute('{{ upper 1 }}', null, { funcs, name: 't' })).message).toBe(
      'template: t:1:9: executing "t" at <1>: expected string; found 1',
    );
    expect(err(() => execute('{{ .n | upper }}', { n: 1 }, { funcs, name: 't' })).message).toBe(
      'template: t:1:8: executing "t" at <upper>: wrong type for value; expected string; got float64',
    );
  });

  it('an unknown function is a parse error; names must be identifiers', () => {
    expect(err(() => execute('{{ nope 1 }}', null, { name: 't' })).message).toBe('template: t:1: function "nope" not defined');
    expect(err(() => execute('{{ nope 1 }}', null, { name: 't' })).code).toBe('TEMPLATE_PARSE');
    expect(() => new TemplateSet({ funcs: { 'bad-name': () => 1 } })).toThrow(/not a valid identifier/);
  });

  it('user functions override builtins, and a function named break makes break an identifier', () => {
    const funcs: FuncMap = { len: () => 'mine', break: () => 'fn' };
    expect(execute('{{ len 1 }} {{ break }}', null, { funcs })).toBe('mine fn');
  });
});

describe('template sets', () => {
  it('defines in one file are usable from another; names() lists them', () => {
    const set = new TemplateSet();
    set.parse('_helpers.tpl', '{{ define "name" }}app-{{ .n }}{{ end }}');
    set.parse('deploy.yaml', 'name: {{ template "name" . }}');
    expect(set.execute('deploy.yaml', { n: 'x' })).toBe('name: app-x');
    expect(set.names()).toEqual(['_helpers.tpl', 'deploy.yaml', 'name']);
    expect(set.has('name')).toBe(true);
    expect(set.has('other')).toBe(false);
  });

  it('a later parse redefines a template; an empty body does not replace one', () => {
    const set = new TemplateSet();
    set.parse('a', '{{ define "x" }}1{{ end }}');
    set.parse('b', '{{ define "x" }}2{{ end }}');
    expect(set.execute('b', null)).toBe('');
    set.parse('c', '{{ template "x" }}');
    expect(set.execute('c', null)).toBe('2');
    set.parse('c', '  \n');
    expect(set.execute('c', null)).toBe('2');
  });

  it('redefining inside one text is Go\'s multiple-definition error', () => {
    expect(err(() => new TemplateSet().parse('t', '{{ define "x" }}1{{ end }}{{ define "x" }}2{{ end }}')).message).toBe(
      'template: t:1: template: multiple definition of template "x"',
    );
  });

  it('executing an unknown template names it', () => {
    const set = new TemplateSet().parse('root', 'x');
    const e = err(() => set.execute('missing', null));
    expect(e.message).toBe('template: no template "missing" associated with template "root"');
    expect(e.code).toBe('TEMPLATE_NOT_FOUND');
    expect(e.hint).toMatch(/define/);
  });

  it('clone() isolates later parses (Helm tpl)', () => {
    const set = new TemplateSet().parse('base', '{{ define "x" }}base{{ end }}');
    const copy = set.clone();
    copy.parse('extra', '{{ define "x" }}copy{{ end }}{{ template "x" }}');
    expect(copy.execute('extra', null)).toBe('copy');
    expect(set.has('extra')).toBe(false);
    set.parse('use', '{{ template "x" }}');
    expect(set.execute('use', null)).toBe('base');
  });

  it('execute() is re-entrant from inside a function (Helm include)', () => {
    const set = new TemplateSet();
    set.funcs({ include: (name, data) => set.execute(String(name), data), upper: (s) => String(s).toUpperCase() });
    set.parse('_h', '{{ define "label" }}app: {{ .app }}{{ end }}');
    set.parse('t', '{{ include "label" . | upper }}|{{ $x := include "label" .sub }}{{ $x }}|{{ .app }}');
    expect(set.execute('t', { app: 'web', sub: { app: 'db' } })).toBe('APP: WEB|app: db|web');
  });

  it('errors inside an included template keep Go\'s nesting of messages', () => {
    const set = new TemplateSet();
    set.funcs({ include: (name, data) => set.execute(String(name), data) });
    set.parse('_h', '{{ define "bad" }}{{ .a.b }}{{ end }}');
    set.parse('t', '{{ include "bad" . }}');
    expect(err(() => set.execute('t', { a: 1 })).message).toBe(
      'template: t:1:3: executing "t" at <include "bad" .>: error calling include: template: _h:1:23: executing "bad" at <.a.b>: can\'t evaluate field b in type interface {}',
    );
  });

  it('unbounded recursion ends in a TemplateError, not a crash', () => {
    const set = new TemplateSet().parse('t', '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}');
    const e = err(() => set.execute('t', {}));
    expect(e.code).toBe('TEMPLATE_DEPTH');
    expect(e.message).toMatch(/^template: t: exceeded maximum template depth/);
  });

  it('recursive include ends in one clear depth error', () => {
    const set = new TemplateSet();
    set.funcs({ include: (name, data) => set.execute(String(name), data) });
    set.parse('t', '{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}');
    const e = err(() => set.execute('t', {}));
    expect(e.code).toBe('TEMPLATE_DEPTH');
    expect(e.message.length).toBeLessThan(300);
  });

  it('moderate recursion works (a tree printed by a recursive define)', () => {
    const set = new TemplateSet().parse(
      't',
      '{{ define "node" }}({{ .name }}{{ range .kids }} {{ template "node" . }}{{ end }}){{ end }}{{ template "node" . }}',
    );
    let tree: Record<string, unknown> = { name: 'leaf', kids: [] };
    for (let i = 0; i < 100; i++) tree = { name: `n${i}`, kids: [tree] };
    const out = set.execute('t', tree);
    expect(out.startsWith('(n99 (n98 (n97')).toBe(true);
    expect(out.endsWith('(leaf)' + ')'.repeat(100))).toBe(true);
  });

  it('Go\'s binary tree example with ( ) delimiters and trimming (exec_test TestTree)', () => {
    const treeTemplate = `
\t(- define "tree" -)
\t[
\t\t(- .Val -)
\t\t(- with .Left -)
\t\t\t(template "tree" . -)
\t\t(- end -)
\t\t(- with .Right -)
\t\t\t(- template "tree" . -)
\t\t(- end -)
\t]
\t(- end -)
`;
    type T = { Val: bigint; Left: T | null; Right: T | null };
    const t = (v: number, l: T | null = null, r: T | null = null): T => ({ Val: BigInt(v), Left: l, Right: r });
    const tree = t(1, t(2, t(3, t(4)), t(5, t(6))), t(7, t(8, t(9)), t(10, t(11))));
    const set = new TemplateSet({ leftDelim: '(', rightDelim: ')' }).parse('root', treeTemplate);
    expect(set.execute('tree', tree)).toBe('[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]');
  });

  it('custom delimiters', () => {
    const set = new TemplateSet({ leftDelim: '[[', rightDelim: ']]' }).parse('t', '{{ x }} [[ .a ]] [[- " y" -]] ]]');
    expect(set.execute('t', { a: 1 })).toBe('{{ x }} 1 y]]');
  });

  it('error positions count bytes like Go, on the right line', () => {
    expect(err(() => execute('héllo\n wörld {{ .a.b }}', { a: 1 }, { name: 'u' })).message).toBe(
      'template: u:2:13: executing "u" at <.a.b>: can\'t evaluate field b in type interface {}',
    );
  });

  it('TemplateError carries code and template name', () => {
    const e = err(() => execute('{{ .a.b }}', { a: 's' }, { name: 'n' }));
    expect(e.name).toBe('TemplateError');
    expect(e.code).toBe('TEMPLATE_EXEC');
    expect(e.templateName).toBe('n');
  });
});
