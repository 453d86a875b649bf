// Loads a chart from a directory or a .tgz archive the way Helm's loader does: Chart.yaml
// (apiVersion v1 or v2, validated with Helm's messages), values.yaml, values.schema.json,
// templates/, charts/ (subchart directories and archives), requirements.yaml for v1 charts,
// .helmignore, and every other file as .Files.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { Readable } from 'node:stream';
import type { ChartDependency, ChartFile, ChartMaintainer, ChartMetadata, ImportValue, LoadedChart } from './chart';
import { ChartError } from './errors';
import { formatFloatG, isPlainObject } from './goJson';
import { HelmIgnore } from './helmignore';
import { parseYaml, YamlSyntaxError } from './yaml';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const decoder = new TextDecoder();

function text(data: Uint8Array): string {
  return decoder.decode(data);
}

function stripBom(data: Uint8Array): Uint8Array {
  return data[0] === UTF8_BOM[0] && data[1] === UTF8_BOM[1] && data[2] === UTF8_BOM[2] ? data.subarray(3) : data;
}

/** Loads a chart directory or a packaged chart (.tgz). */
export async function loadChart(location: string): Promise<LoadedChart> {
  let stat;
  try {
    stat = await fs.stat(location);
  } catch {
    throw new ChartError('CHART_NOT_FOUND', `path "${location}" not found`, { hint: 'pass the folder that contains Chart.yaml' });
  }
  if (stat.isDirectory()) return loadDirectory(location);
  return loadArchive(await fs.readFile(location), location);
}

async function loadDirectory(dir: string): Promise<LoadedChart> {
  const top = path.resolve(dir);
  let ignore = HelmIgnore.defaults();
  try {
    ignore = HelmIgnore.parse(await fs.readFile(path.join(top, '.helmignore'), 'utf8'), path.join(top, '.helmignore'));
  } catch (err) {
    if (err instanceof ChartError) throw err;
  }
  const files: ChartFile[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    const entries = await fs.readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const childAbs = path.join(abs, e.name);
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      // Symlinks are followed, as Helm's sympath.Walk does.
      const st = e.isSymbolicLink() ? await fs.stat(childAbs) : e;
      if (st.isDirectory()) {
        if (ignore.ignores(childRel, true)) continue;
        await walk(childAbs, childRel);
        continue;
      }
      if (ignore.ignores(childRel, false)) continue;
      if (!st.isFile()) {
        throw new ChartError('CHART_INVALID', `cannot load irregular file ${childAbs} as it has file mode type bits set`, { file: childAbs });
      }
      files.push({ name: childRel, data: stripBom(new Uint8Array(await fs.readFile(childAbs))) });
    }
  }
  await walk(top, '');
  return loadFiles(files, top);
}

/** Reads a gzipped tar of a chart; the first path component (the chart's folder) is dropped. */
export async function loadArchive(data: Uint8Array, source: string): Promise<LoadedChart> {
  let tar: Buffer;
  try {
    tar = gunzipSync(data);
  } catch (err) {
    throw new ChartError('CHART_INVALID', `${source}: not a gzipped chart archive: ${(err as Error).message}`, { file: source });
  }
  const files: ChartFile[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => {
        chunks.push(c as Buffer);
      });
      stream.on('end', () => {
        try {
          if (header.type === 'file') {
            const parts = header.name.replace(/\\/g, '/').split('/');
            if (parts.length < 2) {
              if (parts[0] === 'Chart.yaml') throw new ChartError('CHART_INVALID', 'chart yaml not in base directory', { file: source });
            } else {
              const name = parts.slice(1).join('/');
              if (name.split('/').includes('..')) throw new ChartError('CHART_INVALID', 'chart illegally references parent directory', { file: source });
              if (name !== '') files.push({ name, data: stripBom(new Uint8Array(Buffer.concat(chunks))) });
            }
          }
          next();
        } catch (err) {
          reject(err);
        }
      });
      stream.resume();
    });
    ex.on('finish', resolve);
    ex.on('error', (err: Error) => reject(new ChartError('CHART_INVALID', `${source}: ${err.message}`, { file: source, cause: err })));
  });
  Readable.from(tar).pipe(ex);
  await done;
  if (files.length === 0) throw new ChartError('CHART_INVALID', 'no files in chart archive', { file: source });
  return loadFiles(files, source);
}

/** Builds a chart from its files (names relative to the chart root). */
export async function loadFiles(files: ChartFile[], source: string): Promise<LoadedChart> {
  let metadata: ChartMetadata | undefined;
  let requirements: ChartDependency[] | undefined;
  let valuesText: string | undefined;
  let schemaText: string | undefined;
  const templates: ChartFile[] = [];
  const other: ChartFile[] = [];
  const subcharts = new Map<string, ChartFile[]>();
  const where = (f: string) => path.join(source, f);

  for (const f of files) {
    if (f.name === 'Chart.yaml') {
      metadata = parseChartYaml(text(f.data), where('Chart.yaml'));
    } else if (f.name === 'values.yaml') {
      valuesText = text(f.data);
    } else if (f.name === 'values.schema.json') {
      schemaText = text(f.data);
    } else if (f.name === 'requirements.yaml') {
      requirements = parseRequirements(text(f.data), where(f.name));
      other.push(f);
    } else if (f.name === 'Chart.lock' || f.name === 'requirements.lock') {
      if (f.name === 'requirements.lock') other.push(f);
    } else if (f.name.startsWith('templates/')) {
      templates.push(f);
    } else if (f.name.startsWith('charts/')) {
      if (f.name.endsWith('.prov')) {
        other.push(f);
        continue;
      }
      const rest = f.name.slice('charts/'.length);
      const cname = rest.split('/')[0];
      const list = subcharts.get(cname) ?? [];
      list.push({ name: rest, data: f.data });
      subcharts.set(cname, list);
    } else {
      other.push(f);
    }
  }
  if (metadata === undefined) {
    throw new ChartError('CHART_INVALID', 'validation: Chart.yaml file is missing', { file: where('Chart.yaml'), hint: 'a chart folder needs a Chart.yaml with apiVersion, name and version' });
  }
  if (requirements !== undefined && metadata.apiVersion === 'v1') metadata.dependencies = requirements;

  const values = parseValuesText(valuesText ?? '', where('values.yaml'), 'values.yaml');
  let schema: unknown;
  if (schemaText !== undefined) {
    try {
      schema = JSON.parse(schemaText);
    } catch (err) {
      throw new ChartError('SCHEMA_INVALID', `cannot load values.schema.json: ${(err as Error).message}`, { file: where('values.schema.json') });
    }
  }

  const dependencies: LoadedChart[] = [];
  for (const [cname, list] of [...subcharts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (cname.startsWith('_') || cname.startsWith('.')) continue;
    if (cname.endsWith('.tgz')) {
      const archive = list.find((f) => f.name === cname);
      if (archive) dependencies.push(await loadArchive(archive.data, where(`charts/${cname}`)));
      continue;
    }
    const inner = list.filter((f) => f.name.startsWith(cname + '/')).map((f) => ({ name: f.name.slice(cname.length + 1), data: f.data }));
    if (inner.length === 0) continue;
    try {
      dependencies.push(await loadFiles(inner, where(`charts/${cname}`)));
    } catch (err) {
      if (err instanceof ChartError) throw err;
      throw new ChartError('CHART_INVALID', `error unpacking subchart ${cname} in ${metadata.name}: ${(err as Error).message}`, { file: where(`charts/${cname}`) });
    }
  }

  const chart: LoadedChart = { metadata, values, templates, files: other, dependencies, source };
  if (schema !== undefined) chart.schema = schema;
  return chart;
}

/**
 * values.yaml (or a user's values file) as Helm reads it: YAML 1.1 through JSON. Empty gives {}.
 * `label` is how Helm names the file in its message ("cannot load values.yaml: ...").
 */
export function parseValuesText(source: string, file: string, label = path.basename(file)): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(source);
  } catch (err) {
    const msg = err instanceof YamlSyntaxError ? err.message : String(err);
    throw new ChartError('VALUES_INVALID', `cannot load ${label}: error converting YAML to JSON: ${msg}`, { file, hint: 'fix the YAML syntax at the line shown' });
  }
  if (parsed === null) return {};
  if (!isPlainObject(parsed)) {
    throw new ChartError('VALUES_INVALID', `cannot load ${label}: error unmarshaling JSON: json: cannot unmarshal ${goJsonKind(parsed)} into Go value of type map[string]interface {}`, {
      file,
      hint: 'a values file must be a mapping of names to values',
    });
  }
  return parsed;
}

function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'string' ? 'string' : 'object';
}

// ---------------------------------------------------------------------------------------------
// Chart.yaml

const SEMVER = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const ALIAS = /^[a-zA-Z0-9-_]+$/;

/** Masterminds/semver's NewVersion acceptance (lenient: "1", "1.2", "v1.2.3"). */
export function isValidSemver(v: string): boolean {
  return SEMVER.test(v);
}

function invalid(file: string, message: string, hint?: string): ChartError {
  return new ChartError('CHART_INVALID', message, { file, ...(hint ? { hint } : {}) });
}

/** sigs.k8s.io/yaml converts scalars to strings when the Go field is a string (appVersion: 1.10 becomes "1.1"). */
function asString(v: unknown, field: string, file: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloatG(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw invalid(file, `cannot load ${path.basename(file)}: error unmarshaling JSON: json: cannot unmarshal ${goJsonKind(v)} into Go struct field ${field} of type string`);
}

function asStringList(v: unknown, field: string, file: string): string[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) throw invalid(file, `cannot load ${path.basename(file)}: error unmarshaling JSON: json: cannot unmarshal ${goJsonKind(v)} into Go struct field ${field} of type []string`);
  return v.map((x, i) => asString(x, `${field}[${i}]`, file) ?? '');
}

function parseDependencies(v: unknown, file: string): ChartDependency[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) throw invalid(file, `cannot load ${path.basename(file)}: error unmarshaling JSON: json: cannot unmarshal ${goJsonKind(v)} into Go struct field Metadata.dependencies of type []*chart.Dependency`);
  return v.map((d) => {
    const o = isPlainObject(d) ? d : {};
    const dep: ChartDependency = { name: asString(o.name, 'Dependency.name', file) ?? '' };
    const version = asString(o.version, 'Dependency.version', file);
    if (version !== undefined) dep.version = version;
    const repository = asString(o.repository, 'Dependency.repository', file);
    if (repository !== undefined) dep.repository = repository;
    const condition = asString(o.condition, 'Dependency.condition', file);
    if (condition !== undefined) dep.condition = condition;
    const tags = asStringList(o.tags, 'Dependency.tags', file);
    if (tags !== undefined) dep.tags = tags;
    const alias = asString(o.alias, 'Dependency.alias', file);
    if (alias !== undefined) dep.alias = alias;
    const iv = o['import-values'];
    if (Array.isArray(iv)) {
      dep.importValues = iv.map((x): ImportValue => {
        if (isPlainObject(x)) return { child: String(x.child ?? ''), parent: String(x.parent ?? '') };
        return String(x);
      });
    }
    return dep;
  });
}

function parseRequirements(source: string, file: string): ChartDependency[] {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (err) {
    throw invalid(file, `cannot load requirements.yaml: error converting YAML to JSON: ${(err as Error).message}`);
  }
  return parseDependencies(isPlainObject(doc) ? doc.dependencies : undefined, file) ?? [];
}

/** Parses and validates Chart.yaml with Helm's checks and messages (chart.Metadata.Validate). */
export function parseChartYaml(source: string, file: string): ChartMetadata {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (err) {
    throw invalid(file, `cannot load Chart.yaml: error converting YAML to JSON: ${(err as Error).message}`, 'fix the YAML syntax at the line shown');
  }
  if (doc === null) doc = {};
  if (!isPlainObject(doc)) throw invalid(file, `cannot load Chart.yaml: error unmarshaling JSON: json: cannot unmarshal ${goJsonKind(doc)} into Go value of type chart.Metadata`);
  const o = doc;
  // Helm 2 accepted charts without apiVersion; Helm 3 loads them as v1.
  const apiVersion = asString(o.apiVersion, 'Metadata.apiVersion', file) ?? 'v1';
  if (apiVersion !== 'v1' && apiVersion !== 'v2') {
    throw invalid(file, `validation: chart.metadata.apiVersion "${apiVersion}" is invalid`, 'use apiVersion: v2 (Helm 3) or v1 (Helm 2)');
  }
  const md: ChartMetadata = { apiVersion, name: '', version: '' };
  md.name = asString(o.name, 'Metadata.name', file) ?? '';
  md.version = asString(o.version, 'Metadata.version', file) ?? '';
  const strings = ['kubeVersion', 'description', 'type', 'home', 'icon', 'appVersion', 'condition', 'tags'] as const;
  for (const key of strings) {
    const v = asString(o[key], `Metadata.${key}`, file);
    if (v !== undefined) md[key] = v;
  }
  const keywords = asStringList(o.keywords, 'Metadata.keywords', file);
  if (keywords) md.keywords = keywords;
  const sources = asStringList(o.sources, 'Metadata.sources', file);
  if (sources) md.sources = sources;
  if (o.deprecated !== undefined && o.deprecated !== null) md.deprecated = o.deprecated === true;
  if (isPlainObject(o.annotations)) {
    md.annotations = {};
    for (const [k, v] of Object.entries(o.annotations)) md.annotations[k] = asString(v, `Metadata.annotations`, file) ?? '';
  }
  if (Array.isArray(o.maintainers)) {
    md.maintainers = o.maintainers.map((m): ChartMaintainer => {
      const mo = isPlainObject(m) ? m : {};
      const out: ChartMaintainer = { name: asString(mo.name, 'Maintainer.name', file) ?? '' };
      const email = asString(mo.email, 'Maintainer.email', file);
      if (email !== undefined) out.email = email;
      const url = asString(mo.url, 'Maintainer.url', file);
      if (url !== undefined) out.url = url;
      return out;
    });
  }
  const deps = parseDependencies(o.dependencies, file);
  if (deps) md.dependencies = deps;

  // chart.Metadata.Validate, in Helm's order.
  if (md.name === '') throw invalid(file, 'validation: chart.metadata.name is required', 'add "name: <chart name>" to Chart.yaml');
  if (md.name !== path.posix.basename(md.name) || md.name.includes('\\')) throw invalid(file, `validation: chart.metadata.name "${md.name}" is invalid`);
  if (md.version === '') throw invalid(file, 'validation: chart.metadata.version is required', 'add "version: 0.1.0" to Chart.yaml');
  if (!isValidSemver(md.version)) throw invalid(file, `validation: chart.metadata.version "${md.version}" is invalid`, 'the chart version must be a semantic version such as 0.1.0');
  if (md.type !== undefined && md.type !== '' && md.type !== 'application' && md.type !== 'library') {
    throw invalid(file, 'validation: chart.metadata.type must be application or library');
  }
  const seen = new Set<string>();
  for (const dep of md.dependencies ?? []) {
    if (dep.alias !== undefined && dep.alias !== '' && !ALIAS.test(dep.alias)) {
      throw invalid(file, `validation: dependency "${dep.name}" has disallowed characters in the alias`);
    }
    const key = dep.alias || dep.name;
    if (seen.has(key)) throw invalid(file, `validation: more than one dependency with name or alias "${key}"`);
    seen.add(key);
  }
  return md;
}
