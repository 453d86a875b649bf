// Rendering like `helm template`: the checked-in charts against their expected output, and cases
// after Helm's pkg/engine/engine_test.go and the Chart Template Guide.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChartError } from './errors';
import { Files } from './files';
import { renderChart, type RenderOptions } from './render';
import { execute } from './template';
import { CHART_YAML, writeChart } from './testChart';

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const read = (f: string) => readFileSync(path.join(testdata, f), 'utf8');

async function render(templates: Record<string, string>, options: RenderOptions = {}, extra: Record<string, string> = {}) {
  const files: Record<string, string> = { 'Chart.yaml': CHART_YAML('mychart', 'appVersion: "2.0"\n'), ...extra };
  for (const [name, text] of Object.entries(templates)) files[`templates/${name}`] = text;
  return renderChart(writeChart(files), { now: () => new Date('2024-01-02T03:04:05Z'), ...options });
}

async function renderError(templates: Record<string, string>, options: RenderOptions = {}, extra: Record<string, string> = {}): Promise<ChartError> {
  try {
    await render(templates, options, extra);
  } catch (err) {
    if (err instanceof ChartError) return err;
    throw err;
  }
  throw new Error('expected rendering to fail');
}

describe('the helm-create chart with a subchart (testdata/mychart)', () => {
  it('renders the defaults exactly as helm template prints them', async () => {
    const r = await renderChart(path.join(testdata, 'mychart'));
    expect(r.text).toBe(read('mychart.expected.yaml'));
    expect(r.notes).toBe(read('mychart.expected-notes.txt'));
    expect(r.manifests.map((m) => [m.kind, m.metadata?.name])).toEqual([
      ['ServiceAccount', 'release-name-mychart'],
      ['ConfigMap', 'release-name-cache'],
      ['Service', 'release-name-cache'],
      ['Service', 'release-name-mychart'],
      ['Deployment', 'release-name-mychart'],
    ]);
    expect(r.hooks.map((h) => [h.name, h.kind, h.events, h.path])).toEqual([['release-name-mychart-test-connection', 'Pod', ['test'], 'mychart/templates/tests/test-connection.yaml']]);
    expect((r.values.cache as Record<string, unknown>).global).toEqual({ environment: 'production', team: 'platform' });
  });

  it('renders production values, --set and a release name exactly as helm template prints them', async () => {
    const r = await renderChart(path.join(testdata, 'mychart'), {
      valuesFiles: [path.join(testdata, 'mychart-prod.values.yaml')],
      set: ['cache.enabled=false', 'serviceAccount.create=false'],
      release: { name: 'web', namespace: 'prod' },
    });
    expect(r.text).toBe(read('mychart-prod.expected.yaml'));
    expect(r.notes).toBe(read('mychart-prod.expected-notes.txt'));
  });
});

describe('template rendering (engine_test.go cases)', () => {
  it('prints missing values as empty, like missingkey=zero plus Helm\'s <no value> removal', async () => {
    const r = await render({ 'cm.yaml': 'a: "{{ .Values.missing }}"\nb: "{{ .Values.nested.missing }}"' }, {}, { 'values.yaml': 'nested: {}' });
    expect(r.manifests[0].content).toBe('a: ""\nb: ""');
  });

  it('prints values-file numbers as float64 and --set integers as int64', async () => {
    const r = await render({ 'cm.yaml': 'a: {{ .Values.big }}\nb: {{ .Values.small }}\nc: {{ .Values.set }}\nd: {{ .Values.big | toYaml }}' }, { set: ['set=1000000'] }, { 'values.yaml': 'big: 1000000\nsmall: 1.5\n' });
    expect(r.manifests[0].content).toBe('a: 1e+06\nb: 1.5\nc: 1000000\nd: 1000000');
  });

  it('gives templates .Template, .Chart, .Release and .Capabilities', async () => {
    const r = await render(
      {
        'info.yaml':
          'name: {{ .Template.Name }}\nbase: {{ .Template.BasePath }}\nchart: {{ .Chart.Name }}-{{ .Chart.Version }}-{{ .Chart.AppVersion }}\n' +
          'release: {{ .Release.Name }}/{{ .Release.Namespace }}/{{ .Release.Revision }}/{{ .Release.IsInstall }}/{{ .Release.IsUpgrade }}/{{ .Release.Service }}\n' +
          'kube: {{ .Capabilities.KubeVersion.Version }}/{{ .Capabilities.KubeVersion.Major }}/{{ .Capabilities.KubeVersion.Minor }}',
      },
      { release: { name: 'rel', namespace: 'ns', revision: 3 }, kubeVersion: '1.29.4' },
    );
    expect(r.manifests[0].content).toBe(
      'name: mychart/templates/info.yaml\nbase: mychart/templates\nchart: mychart-0.1.0-2.0\nrelease: rel/ns/3/true/false/Helm\nkube: v1.29.4/1/29',
    );
  });

  it('does not render partials, drops empty output and keeps NOTES.txt apart', async () => {
    const r = await render({ '_helpers.tpl': 'kind: Secret\n{{ define "x" }}X{{ end }}', 'empty.yaml': '{{- if false }}kind: Pod{{ end }}\n', 'NOTES.txt': 'Thanks for installing {{ .Chart.Name }} {{ include "x" . }}', 'a.yaml': 'kind: ConfigMap' });
    expect(r.manifests.map((m) => m.name)).toEqual(['mychart/templates/a.yaml']);
    expect(r.notes).toBe('Thanks for installing mychart X');
    expect(r.text).toBe('---\n# Source: mychart/templates/a.yaml\nkind: ConfigMap\n');
  });

  it('include passes any data and can be piped', async () => {
    const r = await render({
      '_h.tpl': '{{- define "greet" -}}hello {{ . }}{{- end -}}{{- define "labels" -}}app: {{ .Chart.Name }}{{- end -}}',
      'a.yaml': 'greeting: {{ include "greet" "world" | upper }}\nlabels:\n  {{- include "labels" . | nindent 2 }}',
    });
    expect(r.manifests[0].content).toBe('greeting: HELLO WORLD\nlabels:\n  app: mychart');
  });

  it('stops runaway include recursion with Helm\'s message', async () => {
    const err = await renderError({ '_h.tpl': '{{ define "loop" }}{{ include "loop" . }}{{ end }}', 'a.yaml': '{{ include "loop" . }}' });
    expect(err.code).toBe('TEMPLATE_ERROR');
    expect(err.message).toContain('rendering template has a nested reference name: loop');
  });

  it('tpl renders a string as a template in the current context, with access to defines', async () => {
    const r = await render(
      { '_h.tpl': '{{ define "suffix" }}-sfx{{ end }}', 'a.yaml': 'a: {{ tpl .Values.tplValue . }}\nb: {{ tpl "{{ .Template.Name }}" . }}\nc: {{ tpl "{{ define \\"in\\" }}inner{{ end }}{{ include \\"in\\" . }}" . }}' },
      {},
      { 'values.yaml': 'name: web\ntplValue: "{{ .Values.name }}{{ include \\"suffix\\" . }}{{ .Values.nothing }}"\n' },
    );
    expect(r.manifests[0].content).toBe('a: web-sfx\nb: mychart/templates/a.yaml\nc: inner');
  });

  it('required fails with Helm\'s "execution error at" message, and passes values through', async () => {
    const err = await renderError({ 'a.yaml': 'a: {{ required "A valid .Values.who entry required!" .Values.who }}' });
    expect(err.code).toBe('TEMPLATE_ERROR');
    expect(err.message).toMatch(/^execution error at \(mychart\/templates\/a\.yaml:1:\d+\): A valid \.Values\.who entry required!$/);
    const empty = await renderError({ 'a.yaml': '{{ required "empty" .Values.who }}' }, { set: ['who='] });
    expect(empty.message).toMatch(/: empty$/);
    const r = await render({ 'a.yaml': 'a: {{ required "x" .Values.who }}' }, { set: ['who=me'] });
    expect(r.manifests[0].content).toBe('a: me');
  });

  it('reports parse errors like Helm', async () => {
    const err = await renderError({ 'a.yaml': 'a: {{ .Values.x' });
    expect(err.code).toBe('TEMPLATE_ERROR');
    expect(err.message).toMatch(/^parse error at \(mychart\/templates\/a\.yaml:1\): /);
    expect(err.file).toBe('mychart/templates/a.yaml');
  });

  it('has toYaml, toJson, fromYaml, fromJson, toToml and no env/expandenv', async () => {
    const r = await render(
      {
        'a.yaml':
          'y: {{ .Values.obj | toYaml | nindent 2 }}\nj: {{ .Values.obj | toJson }}\nf: {{ (fromYaml "a: [1, 2]").a | len }}\n' +
          'fj: {{ (fromJson "{\\"k\\": \\"v\\"}").k }}\nerr: {{ (fromYaml "- a").Error | contains "cannot unmarshal" }}\nt: {{ .Values.obj | toToml | quote }}',
      },
      {},
      { 'values.yaml': 'obj:\n  b: "<x>"\n  a: 1\n' },
    );
    expect(r.manifests[0].content).toBe('y: \n  a: 1\n  b: <x>\nj: {"a":1,"b":"\\u003cx\\u003e"}\nf: 2\nfj: v\nerr: true\nt: "a = 1.0\\nb = \\"<x>\\"\\n"');
    const env = await renderError({ 'a.yaml': '{{ env "HOME" }}' });
    expect(env.message).toMatch(/"env" not defined|function "env"/);
  });

  it('lookup returns an empty map without a cluster, and resolves async lookups before the final pass', async () => {
    const none = await render({ 'a.yaml': 'found: {{ empty (lookup "v1" "Secret" "ns" "s") }}' });
    expect(none.manifests[0].content).toBe('found: true');
    const calls: string[] = [];
    const r = await render(
      { 'a.yaml': '{{- $s := lookup "v1" "Secret" .Release.Namespace "db" }}password: {{ $s.data.password | default "generated" }}\nreplicas: {{ (lookup "apps/v1" "Deployment" "ns" "web").spec.replicas }}' },
      {
        release: { name: 'r', namespace: 'ns' },
        lookup: async (apiVersion, kind, namespace, name) => {
          calls.push(`${apiVersion}/${kind}/${namespace}/${name}`);
          return kind === 'Secret' ? { data: { password: 'c2VjcmV0' } } : { spec: { replicas: 3 } };
        },
      },
    );
    expect(r.manifests[0].content).toBe('password: c2VjcmV0\nreplicas: 3');
    expect(calls.sort()).toEqual(['apps/v1/Deployment/ns/web', 'v1/Secret/ns/db']);
  });

  it('.Files: Get, Glob, Lines, AsConfig, AsSecrets with Helm\'s paths', async () => {
    const r = await render(
      {
        'cm.yaml':
          'get: {{ .Files.Get "config/app.conf" | quote }}\nmissing: {{ .Files.Get "nope" | quote }}\nlines: {{ .Files.Lines "config/app.conf" | len }}\n' +
          'config:\n  {{- (.Files.Glob "config/*.conf").AsConfig | nindent 2 }}\nsecrets:\n  {{- (.Files.Glob "config/**").AsSecrets | nindent 2 }}',
      },
      {},
      { 'config/app.conf': 'a=1\nb=2\n', 'config/db.conf': 'x', 'config/sub/deep.txt': 'deep' },
    );
    expect(r.manifests[0].content).toBe(
      'get: "a=1\\nb=2\\n"\nmissing: ""\nlines: 2\nconfig:\n  app.conf: |\n    a=1\n    b=2\n  db.conf: x\nsecrets:\n  app.conf: YT0xCmI9Mgo=\n  db.conf: eA==\n  deep.txt: ZGVlcA==',
    );
  });

  it('ranges over .Files.Glob like the Chart Template Guide does', async () => {
    const r = await render(
      { 'cm.yaml': 'data:\n{{- range $path, $_ := .Files.Glob "files/*" }}\n  {{ base $path }}: {{ $.Files.Get $path | quote }}\n{{- end }}' },
      {},
      { 'files/b.txt': 'B', 'files/a.txt': 'A' },
    );
    expect(r.manifests[0].content).toBe('data:\n  a.txt: "A"\n  b.txt: "B"');
  });

  it('.Capabilities.APIVersions.Has knows the defaults and --api-versions', async () => {
    const r = await render({ 'a.yaml': 'apps: {{ .Capabilities.APIVersions.Has "apps/v1" }}\ncrd: {{ .Capabilities.APIVersions.Has "example.com/v1" }}' }, { apiVersions: ['example.com/v1'] });
    expect(r.manifests[0].content).toBe('apps: true\ncrd: true');
    const d = await render({ 'a.yaml': 'crd: {{ .Capabilities.APIVersions.Has "example.com/v1" }}' });
    expect(d.manifests[0].content).toBe('crd: false');
  });
});

describe('engine_test.go cases', () => {
  const rel = { release: { name: 'dyin' } };

  it('TestExecErrors / TestFailErrors: required and fail report "execution error at" with Go\'s position', async () => {
    const cases: [string, string][] = [
      ['{{required "foo is required" .Values.foo}}', 'execution error at (mychart/templates/t:1:2): foo is required'],
      ['{{required ":this: message: has many: colons:" .Values.foo}}', 'execution error at (mychart/templates/t:1:2): :this: message: has many: colons:'],
      ['{{ $someEmptyValue := "" }}\n{{ $myvar := "abc" }}\n{{- required (printf "%s: something is missing" $myvar) $someEmptyValue | repeat 0 }}', 'execution error at (mychart/templates/t:3:4): abc: something is missing'],
      ['{{required "foo is required\\nmore info after the break" .Values.foo}}', 'execution error at (mychart/templates/t:1:2): foo is required\nmore info after the break'],
      ['{{fail "something is wrong\\nlinebreak"}}', 'execution error at (mychart/templates/t:1:2): something is wrong\nlinebreak'],
      ['All your base are belong to us{{ fail "This is an error" }}', 'execution error at (mychart/templates/t:1:33): This is an error'],
    ];
    for (const [tpl, message] of cases) expect((await renderError({ t: tpl })).message, tpl).toBe(message);
  });

  it('TestParseErrors: an undefined function', async () => {
    expect((await renderError({ t: '{{foo}}' })).message).toBe('parse error at (mychart/templates/t:1): function "foo" not defined');
  });

  it('TestChartValuesContainsIsRoot and TestRenderDependency', async () => {
    const r = await render(
      { isroot: 'kind: A\nroot: {{.Chart.IsRoot}}', outer: 'kind: B\nhello: {{template "myblock"}}' },
      {},
      { 'charts/child/Chart.yaml': CHART_YAML('child'), 'charts/child/templates/isroot': 'kind: C\nroot: {{.Chart.IsRoot}}', 'charts/child/templates/inner': '{{define "myblock"}}World{{end}}' },
    );
    expect(r.manifests.map((m) => [m.name, m.content])).toEqual([
      ['mychart/templates/isroot', 'kind: A\nroot: true'],
      ['mychart/templates/outer', 'kind: B\nhello: World'],
      ['mychart/charts/child/templates/isroot', 'kind: C\nroot: false'],
    ]);
  });

  it('TestRenderNestedValues: scoping, globals, .Release and .Subcharts through two levels', async () => {
    const r = await render(
      {
        'outer.tpl': 'kind: A\nv: Gather ye {{.Values.what}} while ye may',
        'subcharts.tpl': 'kind: B\nv: The glorious Lamp of {{.Subcharts.herrick.Subcharts.deepest.Values.where}}, the {{.Subcharts.herrick.Values.what}}',
      },
      { ...rel, values: { what: 'rosebuds', herrick: { deepest: { what: 'flower', where: 'Heaven' } }, global: { when: 'to-day' } } },
      {
        'values.yaml': 'what: stinkweed\nwho: me\nherrick:\n  who: time\n  what: Sun\n',
        'charts/herrick/Chart.yaml': CHART_YAML('herrick'),
        'charts/herrick/values.yaml': 'who: Robert\nwhat: glasses\n',
        'charts/herrick/templates/inner.tpl': "kind: C\nv: Old {{.Values.who}} is still a-flyin'",
        'charts/herrick/charts/deepest/Chart.yaml': CHART_YAML('deepest'),
        'charts/herrick/charts/deepest/values.yaml': 'what: milkshake\nwhere: here\n',
        'charts/herrick/charts/deepest/templates/inner.tpl': 'kind: D\nv: And this same {{.Values.what}} that smiles {{.Values.global.when}}',
        'charts/herrick/charts/deepest/templates/release.tpl': 'kind: E\nv: Tomorrow will be {{default "happy" .Release.Name }}',
      },
    );
    const byName = Object.fromEntries(r.manifests.map((m) => [m.name, m.content.split('\n')[1]]));
    expect(byName).toEqual({
      'mychart/templates/outer.tpl': 'v: Gather ye rosebuds while ye may',
      'mychart/templates/subcharts.tpl': 'v: The glorious Lamp of Heaven, the Sun',
      'mychart/charts/herrick/templates/inner.tpl': "v: Old time is still a-flyin'",
      'mychart/charts/herrick/charts/deepest/templates/inner.tpl': 'v: And this same flower that smiles to-day',
      'mychart/charts/herrick/charts/deepest/templates/release.tpl': 'v: Tomorrow will be dyin',
    });
  });

  it('TestRenderBuiltinValues: .Template.Name, .Files as a map and through .Subcharts', async () => {
    const r = await render(
      { Aeneas: 'kind: A\nv: {{.Template.Name}}{{.Chart.Name}}{{.Release.Name}}', Amata: 'kind: B\nv: {{.Subcharts.Latium.Chart.Name}} {{.Subcharts.Latium.Files.author | printf "%s"}}' },
      { release: { name: 'aeneid' } },
      {
        'charts/Latium/Chart.yaml': CHART_YAML('Latium'),
        'charts/Latium/templates/Lavinia': 'kind: C\nv: {{.Template.Name}}{{.Chart.Name}}{{.Release.Name}}',
        'charts/Latium/templates/From': 'kind: D\nv: {{.Files.author | printf "%s"}} {{.Files.Get "book/title.txt"}}',
        'charts/Latium/author': 'Virgil',
        'charts/Latium/book/title.txt': 'Aeneid',
      },
    );
    const byName = Object.fromEntries(r.manifests.map((m) => [m.name, m.content.split('\n')[1]]));
    expect(byName).toEqual({
      'mychart/charts/Latium/templates/Lavinia': 'v: mychart/charts/Latium/templates/LaviniaLatiumaeneid',
      'mychart/templates/Aeneas': 'v: mychart/templates/Aeneasmychartaeneid',
      'mychart/templates/Amata': 'v: Latium Virgil',
      'mychart/charts/Latium/templates/From': 'v: Virgil Aeneid',
    });
  });

  it('TestAlterFuncMap_include / _tpl / _tplfunc / _tplinclude', async () => {
    const r = await render(
      {
        quote: 'kind: A\n# {{include "mychart/templates/_partial" . | indent 2}} dead.',
        _partial: '{{.Release.Name}} - he',
        base: 'kind: B\n# Evaluate tpl {{tpl "Value: {{ .Values.value}}" .}} {{tpl "Value: {{ .Values.value | quote}}" .}}',
        inc: 'kind: C\n# {{ tpl "{{include `mychart/templates/_name` .  | quote }}" .}}',
        _name: '{{.Template.Name}}',
      },
      { release: { name: 'mistah-kurtz' }, values: { value: 'myvalue' } },
    );
    const byName = Object.fromEntries(r.manifests.map((m) => [m.name, m.content.split('\n')[1]]));
    expect(byName).toEqual({
      'mychart/templates/quote': '#   mistah-kurtz - he dead.',
      'mychart/templates/base': '# Evaluate tpl Value: myvalue Value: "myvalue"',
      'mychart/templates/inc': '# "mychart/templates/inc"',
    });
  });
});

describe('subcharts', () => {
  const sub = {
    'charts/sub/Chart.yaml': CHART_YAML('sub'),
    'charts/sub/values.yaml': 'own: sub-default\nglobal:\n  region: sub\n',
    'charts/sub/templates/a.yaml': 'own: {{ .Values.own }}\nregion: {{ .Values.global.region }}\nparent: "{{ .Values.parentOnly }}"\nchart: {{ .Chart.Name }}\nname: {{ .Template.Name }}\nlabel: {{ include "shared" . }}',
    'charts/sub/templates/_h.tpl': '{{ define "shared" }}from-sub{{ end }}',
    'charts/sub/templates/NOTES.txt': 'sub notes',
  };

  it('scopes values to the subchart, copies globals down and lets the parent\'s defines win', async () => {
    const r = await render(
      { '_h.tpl': '{{ define "shared" }}from-parent{{ end }}', 'p.yaml': 'kind: ConfigMap\nsub: {{ .Values.sub.own }}' },
      {},
      { ...sub, 'values.yaml': 'parentOnly: yes-parent\nglobal:\n  region: eu\nsub:\n  own: overridden\n' },
    );
    const a = r.manifests.find((m) => m.name === 'mychart/charts/sub/templates/a.yaml')!;
    expect(a.content).toBe('own: overridden\nregion: eu\nparent: ""\nchart: sub\nname: mychart/charts/sub/templates/a.yaml\nlabel: from-parent');
    expect(r.notes).toBeUndefined();
    expect(r.manifests.map((m) => m.name)).not.toContain('mychart/charts/sub/templates/NOTES.txt');
  });

  it('switches a subchart off by condition and by tags', async () => {
    const deps = 'dependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n  tags: [extras]\n';
    const files = { ...sub, 'Chart.yaml': CHART_YAML('mychart', deps) };
    const on = await render({}, {}, files);
    expect(on.manifests.map((m) => m.name)).toEqual(['mychart/charts/sub/templates/a.yaml']);
    expect((await render({}, { set: ['sub.enabled=false'] }, files)).manifests).toEqual([]);
    expect((await render({}, { set: ['tags.extras=false'] }, files)).manifests).toEqual([]);
    expect((await render({}, { set: ['tags.extras=false', 'sub.enabled=true'] }, files)).manifests).toHaveLength(1);
  });

  it('renders an aliased subchart under its alias', async () => {
    const files = { ...sub, 'Chart.yaml': CHART_YAML('mychart', 'dependencies:\n- name: sub\n  alias: other\n') };
    const r = await render({}, { set: ['other.own=aliased'] }, files);
    expect(r.manifests[0].name).toBe('mychart/charts/other/templates/a.yaml');
    expect(r.manifests[0].content).toMatch(/^own: aliased\n[\s\S]*chart: other\n/);
  });

  it('fails like helm when a dependency is missing from charts/', async () => {
    const err = await renderError({}, {}, { 'Chart.yaml': CHART_YAML('mychart', 'dependencies:\n- name: db\n  version: 1.0.0\n') });
    expect(err.code).toBe('DEPENDENCY_MISSING');
    expect(err.message).toMatch(/found in Chart.yaml, but missing in charts\/ directory: db$/);
  });
});

describe('chart-level checks', () => {
  it('validates values against values.schema.json with Helm\'s message', async () => {
    const schema = JSON.stringify({ type: 'object', required: ['image'], properties: { replicas: { type: 'integer' } } });
    const err = await renderError({ 'a.yaml': 'x: 1' }, { set: ['replicas=two'] }, { 'values.schema.json': schema });
    expect(err.code).toBe('SCHEMA_INVALID');
    expect(err.message).toBe(
      "values don't meet the specifications of the schema(s) in the following chart(s):\nmychart:\n- (root): image is required\n- replicas: Invalid type. Expected: integer, given: string\n",
    );
    const ok = await render({ 'a.yaml': 'x: 1' }, { set: ['replicas=2', 'image=nginx'] }, { 'values.schema.json': schema });
    expect(ok.manifests).toHaveLength(1);
  });

  it('refuses release names Helm refuses', async () => {
    const err = await renderError({ 'a.yaml': 'x: 1' }, { release: { name: 'My_Release' } });
    expect(err.code).toBe('RELEASE_NAME_INVALID');
    expect(err.message).toMatch(/^invalid release name, must match regex/);
  });

  it('refuses library charts and incompatible kubeVersion constraints', async () => {
    const lib = await renderError({ '_h.tpl': '' }, {}, { 'Chart.yaml': CHART_YAML('mychart', 'type: library\n') });
    expect([lib.code, lib.message]).toEqual(['NOT_INSTALLABLE', 'library charts are not installable']);
    const kube = await renderError({}, { kubeVersion: 'v1.20.0' }, { 'Chart.yaml': CHART_YAML('mychart', 'kubeVersion: ">=1.25.0-0"\n') });
    expect([kube.code, kube.message]).toEqual(['KUBE_VERSION_INCOMPATIBLE', 'chart requires kubeVersion: >=1.25.0-0 which is incompatible with Kubernetes v1.20.0']);
  });

  it('fails with Helm\'s message when a template renders invalid YAML', async () => {
    const err = await renderError({ 'bad.yaml': 'a: b\n  c: d' });
    expect(err.code).toBe('MANIFEST_INVALID');
    expect(err.message).toMatch(/^YAML parse error on mychart\/templates\/bad.yaml: error converting YAML to JSON: yaml: line \d+/);
  });

  it('deletes a chart default with --set key=null', async () => {
    const t = { 'a.yaml': 'svc: {{ if .Values.service }}{{ .Values.service.port }}{{ else }}none{{ end }}' };
    const extra = { 'values.yaml': 'service:\n  port: 80\n' };
    expect((await render(t, {}, extra)).manifests[0].content).toBe('svc: 80');
    expect((await render(t, { set: ['service=null'] }, extra)).manifests[0].content).toBe('svc: none');
  });

  it('puts crds/ first with --include-crds, and fails on missing values in strict mode', async () => {
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n';
    const r = await render({ 'a.yaml': 'kind: ConfigMap' }, { includeCrds: true }, { 'crds/things.yaml': crd });
    expect(r.text).toBe(`---\n# Source: mychart/crds/things.yaml\n${crd}\n---\n# Source: mychart/templates/a.yaml\nkind: ConfigMap\n`);
    expect((await render({ 'a.yaml': 'kind: ConfigMap' }, {}, { 'crds/things.yaml': crd })).text).toBe('---\n# Source: mychart/templates/a.yaml\nkind: ConfigMap\n');
    const strict = await renderError({ 'a.yaml': 'x: {{ .Values.missing }}' }, { strict: true });
    expect(strict.message).toMatch(/map has no entry for key "missing"/);
  });

  it('gives .Subcharts the subcharts\' own context', async () => {
    const r = await render(
      { 'a.yaml': 'sub: {{ .Subcharts.sub.Values.own }} {{ .Subcharts.sub.Chart.Name }}' },
      {},
      { 'charts/sub/Chart.yaml': CHART_YAML('sub'), 'charts/sub/values.yaml': 'own: x\n' },
    );
    expect(r.manifests[0].content).toBe('sub: x sub');
  });

  it('puts hooks after the manifests, sorted by kind', async () => {
    const hook = (kind: string, name: string, weight: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  annotations:\n    "helm.sh/hook": pre-install\n    "helm.sh/hook-weight": "${weight}"`;
    const r = await render({ 'hooks.yaml': `${hook('Job', 'j', '1')}\n---\n${hook('ConfigMap', 'c', '-1')}`, 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s' });
    expect(r.text).toBe(
      `---\n# Source: mychart/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\n# Source: mychart/templates/hooks.yaml\n${hook('ConfigMap', 'c', '-1')}\n---\n# Source: mychart/templates/hooks.yaml\n${hook('Job', 'j', '1')}\n`,
    );
    expect(r.hooks.map((h) => [h.name, h.weight])).toEqual([['c', -1], ['j', 1]]);
  });
});
