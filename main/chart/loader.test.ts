// Chart loading: Chart.yaml validation with Helm's messages, values.yaml, subcharts (folders and
// .tgz), requirements.yaml for v1 charts, .helmignore and .Files.
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ChartError } from './errors';
import { loadChart, parseChartYaml } from './loader';
import { CHART_YAML, writeChart } from './testChart';

async function tgz(files: Record<string, string>): Promise<Uint8Array> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve) => p.on('end', () => resolve()));
  for (const [name, content] of Object.entries(files)) p.entry({ name }, content);
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

async function loadError(files: Record<string, string>): Promise<ChartError> {
  try {
    await loadChart(writeChart(files));
  } catch (err) {
    if (err instanceof ChartError) return err;
    throw err;
  }
  throw new Error('expected the chart not to load');
}

describe('Chart.yaml', () => {
  it('validates with Helm\'s messages', () => {
    const bad: [string, string][] = [
      ['apiVersion: v2\nversion: 1.0.0', 'validation: chart.metadata.name is required'],
      ['apiVersion: v2\nname: x', 'validation: chart.metadata.version is required'],
      ['apiVersion: v2\nname: x\nversion: one', 'validation: chart.metadata.version "one" is invalid'],
      ['apiVersion: v2\nname: ../x\nversion: 1.0.0', 'validation: chart.metadata.name "../x" is invalid'],
      ['apiVersion: v2\nname: x\nversion: 1.0.0\ntype: plugin', 'validation: chart.metadata.type must be application or library'],
      ['apiVersion: v3\nname: x\nversion: 1.0.0', 'validation: chart.metadata.apiVersion "v3" is invalid'],
      ['apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  alias: "b c"', 'validation: dependency "a" has disallowed characters in the alias'],
      ['apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n- name: b\n  alias: a', 'validation: more than one dependency with name or alias "a"'],
      ['apiVersion: v2\nname: x\nversion: 1.0.0\nkeywords: web', 'cannot load Chart.yaml: error unmarshaling JSON: json: cannot unmarshal string into Go struct field Metadata.keywords of type []string'],
    ];
    for (const [text, message] of bad) {
      let err: unknown;
      try {
        parseChartYaml(text, '/c/Chart.yaml');
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(ChartError);
      expect((err as ChartError).message).toBe(message);
      expect((err as ChartError).code).toBe('CHART_INVALID');
      expect((err as ChartError).file).toBe('/c/Chart.yaml');
    }
  });

  it('reads v1 charts without apiVersion and turns numbers into strings like sigs.k8s.io/yaml', () => {
    const md = parseChartYaml('name: old\nversion: 1\nappVersion: 1.10\n', 'Chart.yaml');
    expect(md).toMatchObject({ apiVersion: 'v1', name: 'old', version: '1', appVersion: '1.1' });
  });

  it('names a YAML syntax error\'s line', () => {
    expect(() => parseChartYaml('name: x\nversion: [\n', 'Chart.yaml')).toThrow(/^cannot load Chart.yaml: error converting YAML to JSON: yaml: line \d/);
  });
});

describe('loadChart', () => {
  it('sorts files into templates, values, schema, subcharts and .Files, honouring .helmignore', async () => {
    const dir = writeChart({
      'Chart.yaml': CHART_YAML('web'),
      'values.yaml': 'a: 1\n',
      'values.schema.json': '{"type":"object"}',
      '.helmignore': '*.bak\nsecret/\n',
      'templates/deployment.yaml': 'kind: Deployment',
      'templates/_helpers.tpl': '{{ define "x" }}{{ end }}',
      'templates/.hidden.yaml': 'ignored by default',
      'config/app.conf': 'x=1',
      'config/old.bak': 'ignored',
      'secret/key': 'ignored',
      'charts/db/Chart.yaml': CHART_YAML('db'),
      'charts/db/values.yaml': 'port: 5432',
      'charts/db/templates/svc.yaml': 'kind: Service',
      'charts/_skipped/Chart.yaml': CHART_YAML('skipped'),
    });
    const c = await loadChart(dir);
    expect(c.metadata.name).toBe('web');
    expect(c.values).toEqual({ a: 1 });
    expect(c.schema).toEqual({ type: 'object' });
    expect(c.templates.map((t) => t.name).sort()).toEqual(['templates/_helpers.tpl', 'templates/deployment.yaml']);
    expect(c.files.map((f) => f.name).sort()).toEqual(['.helmignore', 'config/app.conf']);
    expect(c.dependencies.map((d) => d.metadata.name)).toEqual(['db']);
    expect(c.dependencies[0].values).toEqual({ port: 5432 });
  });

  it('loads packaged subcharts and whole charts from .tgz archives', async () => {
    const archive = await tgz({ 'db/Chart.yaml': CHART_YAML('db'), 'db/values.yaml': 'port: 5432\n', 'db/templates/svc.yaml': 'kind: Service' });
    const dir = writeChart({ 'Chart.yaml': CHART_YAML('web'), 'charts/db-0.1.0.tgz': archive });
    const c = await loadChart(dir);
    expect(c.dependencies.map((d) => [d.metadata.name, d.values, d.templates.map((t) => t.name)])).toEqual([['db', { port: 5432 }, ['templates/svc.yaml']]]);
    const top = writeChart({ 'web-0.1.0.tgz': await tgz({ 'web/Chart.yaml': CHART_YAML('web'), 'web/templates/a.yaml': 'a: 1' }) });
    const packaged = await loadChart(`${top}/web-0.1.0.tgz`);
    expect(packaged.templates.map((t) => t.name)).toEqual(['templates/a.yaml']);
  });

  it('takes a v1 chart\'s dependencies from requirements.yaml', async () => {
    const c = await loadChart(
      writeChart({
        'Chart.yaml': 'apiVersion: v1\nname: old\nversion: 1.0.0\n',
        'requirements.yaml': 'dependencies:\n- name: db\n  version: 0.1.0\n  condition: db.enabled\n  import-values:\n  - data\n',
      }),
    );
    expect(c.metadata.dependencies).toEqual([{ name: 'db', version: '0.1.0', condition: 'db.enabled', importValues: ['data'] }]);
  });

  it('fails with a code, the file and Helm\'s message', async () => {
    const missing = await loadError({ 'values.yaml': 'a: 1' });
    expect([missing.code, missing.message]).toEqual(['CHART_INVALID', 'validation: Chart.yaml file is missing']);
    const badValues = await loadError({ 'Chart.yaml': CHART_YAML('web'), 'values.yaml': 'a: 1\nb: [\n' });
    expect(badValues.code).toBe('VALUES_INVALID');
    expect(badValues.message).toMatch(/^cannot load values.yaml: error converting YAML to JSON: yaml: line \d/);
    expect(badValues.file).toMatch(/values.yaml$/);
    const listValues = await loadError({ 'Chart.yaml': CHART_YAML('web'), 'values.yaml': '- a\n' });
    expect(listValues.message).toBe('cannot load values.yaml: error unmarshaling JSON: json: cannot unmarshal array into Go value of type map[string]interface {}');
    await expect(loadChart('/nonexistent/chart')).rejects.toMatchObject({ code: 'CHART_NOT_FOUND' });
  });
});
