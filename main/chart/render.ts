// Renders a chart the way `helm template` does: dependencies processed, values coalesced and
// checked against values.schema.json, every template of the chart and its subcharts parsed into
// one template set (names like mychart/templates/x.yaml and mychart/charts/sub/templates/y.yaml),
// partials parsed but not rendered, NOTES.txt kept apart, documents split and sorted by kind,
// hooks set apart, and the text printed the way `helm template` prints it.

import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';
import type { LoadedChart } from './chart';
import { isLibraryChart } from './chart';
import { capabilitiesObject, chartObject, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, parseKubeVersion, releaseObject } from './builtins';
import { ChartError } from './errors';
import { filesOf } from './files';
import type { SyncLookup } from './functions';
import { clearTemplateCache, renderTemplates, type Renderable } from './chartTemplates';
import { isPlainObject, setOwn } from './goJson';
import { loadChart, parseValuesText } from './loader';
import { sortManifests, type Hook } from './manifests';
import { formatSchemaErrors, validateValues } from './schema';
import { HELM_REMOVED, sprigFunctions } from './sprig';
import { cloneChartTree, coalesceValues, missingDependencies, processDependencies, userValues, type Values } from './values';

/** A cluster read for `lookup`; may be async (renderChart resolves the calls before the final pass). */
export type LookupFn = (apiVersion: string, kind: string, namespace: string, name: string) => Promise<object> | object;

export interface RenderOptions {
  /** Values given directly, applied after valuesFiles and before set. */
  values?: object;
  /** Paths of values files (-f), later ones win. */
  valuesFiles?: string[];
  set?: string[];
  setString?: string[];
  setFile?: string[];
  release?: { name: string; namespace?: string; revision?: number; isUpgrade?: boolean };
  kubeVersion?: string;
  /** Extra API versions for .Capabilities.APIVersions (added to Helm's defaults). */
  apiVersions?: string[];
  lookup?: LookupFn;
  now?: () => Date;
  random?: () => number;
  /** Put the chart's crds/ files at the top of the output (helm template --include-crds). */
  includeCrds?: boolean;
  /** Fail on missing values (helm --strict / missingkey=error). */
  strict?: boolean;
}

export interface RenderedManifest {
  /** The template it came from: chart/templates/x.yaml. */
  name: string;
  content: string;
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string };
}

export type RenderedHook = Hook;

export interface RenderedChart {
  chart: LoadedChart;
  /** The final merged values (what .Values is in the top chart). */
  values: Values;
  /** Manifests in install order. */
  manifests: RenderedManifest[];
  hooks: RenderedHook[];
  notes?: string;
  /** What `helm template` prints. */
  text: string;
}

function chartFullPath(parent: string | undefined, name: string): string {
  return parent === undefined ? name : `${parent}/charts/${name}`;
}

const decoder = new TextDecoder();

function collectTemplates(
  chart: LoadedChart,
  parentPath: string | undefined,
  top: { release: unknown; capabilities: unknown },
  out: Map<string, Renderable>,
): Record<string, unknown> {
  const name = chart.metadata.name;
  const fullPath = chartFullPath(parentPath, name);
  // .Values is filled in by assignValues once the final values are known.
  const next: Record<string, unknown> = {
    Chart: chartObject(chart.metadata, parentPath === undefined),
    Files: filesOf(chart.files),
    Release: top.release,
    Capabilities: top.capabilities,
    Values: {},
    Subcharts: {},
  };
  const subcharts: Record<string, unknown> = {};
  for (const child of chart.dependencies) {
    subcharts[child.metadata.name] = collectTemplates(child, fullPath, top, out);
  }
  next.Subcharts = subcharts;
  for (const t of chart.templates) {
    if (isLibraryChart(chart) && !path.posix.basename(t.name).startsWith('_')) continue;
    out.set(`${fullPath}/${t.name}`, { template: decoder.decode(t.data), vals: next, basePath: `${fullPath}/templates` });
  }
  return next;
}

function checkSchemas(chart: LoadedChart, values: Values): string {
  let sb = '';
  if (chart.schema !== undefined) {
    const errors = validateValues(chart.schema, values);
    if (errors.length > 0) sb += `${chart.metadata.name}:\n${formatSchemaErrors(errors)}`;
  }
  for (const sub of chart.dependencies) {
    const sv = values[sub.metadata.name];
    sb += checkSchemas(sub, isPlainObject(sv) ? sv : {});
  }
  return sb;
}

function collectCrds(chart: LoadedChart, parentPath: string | undefined, out: { name: string; content: string }[]): void {
  const fullPath = chartFullPath(parentPath, chart.metadata.name);
  for (const f of chart.files) {
    if (f.name.startsWith('crds/') && /\.(ya?ml|json)$/.test(f.name)) out.push({ name: `${fullPath}/${f.name}`, content: decoder.decode(f.data) });
  }
  for (const sub of chart.dependencies) collectCrds(sub, fullPath, out);
}

function satisfies(version: string, range: string): boolean {
  const v = semver.coerce(version, { includePrerelease: true }) ?? version;
  return semver.satisfies(v, range.replace(/,/g, ' '), { includePrerelease: true, loose: true });
}

/** Unstructured objects from the API hold integers as int64; lookup results follow that. */
function toGoUnstructured(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (Array.isArray(v)) return v.map(toGoUnstructured);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, toGoUnstructured(x));
    return out;
  }
  return v;
}

export { clearTemplateCache };

/** Reads and merges the user's values the way `helm template -f … --set …` does. */
export async function resolveUserValues(options: RenderOptions): Promise<Values> {
  const files: Values[] = [];
  for (const f of options.valuesFiles ?? []) {
    let text: string;
    try {
      text = await fs.readFile(f, 'utf8');
    } catch {
      throw new ChartError('VALUES_INVALID', `open ${f}: no such file or directory`, { file: f, hint: 'check the path given with --values' });
    }
    files.push(parseValuesText(text, f, f));
  }
  return userValues({
    files,
    ...(options.values ? { values: options.values as Values } : {}),
    ...(options.set ? { set: options.set } : {}),
    ...(options.setString ? { setString: options.setString } : {}),
    ...(options.setFile ? { setFile: options.setFile, readFile: (p: string) => readFileSync(p, 'utf8') } : {}),
  });
}

let defaultSprig: ReturnType<typeof sprigFunctions> | undefined;

/** Sprig's functions without env/expandenv, as Helm has them; shared unless a clock or randomness is injected. */
function helmSprig(options: RenderOptions): ReturnType<typeof sprigFunctions> {
  const custom = options.now !== undefined || options.random !== undefined;
  if (!custom && defaultSprig) return defaultSprig;
  const sprig = sprigFunctions({ ...(options.now ? { now: options.now } : {}), ...(options.random ? { random: options.random } : {}) });
  for (const name of HELM_REMOVED) delete sprig[name];
  if (!custom) defaultSprig = sprig;
  return sprig;
}

/** chartutil.ValidateReleaseName. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Renders a chart (a directory, a .tgz, or an already loaded chart) like `helm template`. */
export async function renderChart(source: string | LoadedChart, options: RenderOptions = {}): Promise<RenderedChart> {
  const chart = typeof source === 'string' ? await loadChart(source) : source;
  const rootName = chart.metadata.name;

  const missing = missingDependencies(chart);
  if (missing.length > 0) {
    throw new ChartError(
      'DEPENDENCY_MISSING',
      `An error occurred while checking for chart dependencies. You may need to run \`helm dependency build\` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
      { file: path.join(chart.source, 'Chart.yaml'), hint: `put the chart${missing.length > 1 ? 's' : ''} ${missing.join(', ')} into ${path.join(chart.source, 'charts')}` },
    );
  }
  if (isLibraryChart(chart)) {
    throw new ChartError('NOT_INSTALLABLE', 'library charts are not installable', { file: path.join(chart.source, 'Chart.yaml') });
  }

  const releaseName = options.release?.name ?? 'release-name';
  if (!RELEASE_NAME.test(releaseName) || releaseName.length > 53) {
    throw new ChartError('RELEASE_NAME_INVALID', `invalid release name, must match regex ${RELEASE_NAME.source} and the length must not be longer than 53`, {
      hint: 'use lower-case letters, digits and dashes, starting and ending with a letter or digit',
    });
  }

  const user = await resolveUserValues(options);
  const tree = cloneChartTree(chart);
  try {
    processDependencies(tree, user, { satisfies });
  } catch (err) {
    if (err instanceof ChartError) throw err;
    throw new ChartError('VALUES_INVALID', (err as Error).message, { cause: err });
  }
  let values: Values;
  try {
    values = coalesceValues(tree, user);
  } catch (err) {
    throw new ChartError('VALUES_INVALID', (err as Error).message, { cause: err });
  }

  const schemaErrors = checkSchemas(tree, values);
  if (schemaErrors !== '') {
    throw new ChartError('SCHEMA_INVALID', `values don't meet the specifications of the schema(s) in the following chart(s):\n${schemaErrors}`, {
      file: path.join(chart.source, 'values.schema.json'),
      hint: 'change the values named above, or the schema in values.schema.json',
    });
  }

  const kube = parseKubeVersion(options.kubeVersion ?? DEFAULT_KUBE_VERSION);
  if (kube === undefined) {
    throw new ChartError('KUBE_VERSION_INCOMPATIBLE', `invalid kube version '${options.kubeVersion}': expected a version like v1.31.0`);
  }
  if (chart.metadata.kubeVersion && !satisfies(kube.Version.replace(/^v/, ''), chart.metadata.kubeVersion)) {
    throw new ChartError('KUBE_VERSION_INCOMPATIBLE', `chart requires kubeVersion: ${chart.metadata.kubeVersion} which is incompatible with Kubernetes ${kube.Version}`, {
      file: path.join(chart.source, 'Chart.yaml'),
      hint: 'pass --kube-version with the version of your cluster',
    });
  }
  const capabilities = capabilitiesObject(kube, [...DEFAULT_API_VERSIONS, ...(options.apiVersions ?? [])]);
  const release = releaseObject(options.release ?? { name: 'release-name' });

  const templates = new Map<string, Renderable>();
  const topVals = collectTemplates(tree, undefined, { release, capabilities }, templates);
  assignValues(tree, topVals, values);

  const sprig = helmSprig(options);

  const cache = new Map<string, Record<string, unknown>>();
  const pending = new Map<string, [string, string, string, string]>();
  const syncLookup: SyncLookup = (apiVersion, kind, namespace, name) => {
    const key = JSON.stringify([apiVersion, kind, namespace, name]);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (options.lookup) pending.set(key, [apiVersion, kind, namespace, name]);
    return {};
  };

  let files: Map<string, string>;
  for (let pass = 0; ; pass++) {
    pending.clear();
    try {
      files = renderTemplates(templates, sprig, options, syncLookup).files;
    } catch (err) {
      // A template may fail on a lookup result it has not seen yet (an empty map); retry once the
      // calls it made are resolved. Without new lookups the error is real.
      if (pending.size === 0 || !options.lookup || pass >= 4) throw err;
    }
    if (pending.size === 0 || !options.lookup || pass >= 4) break;
    // Templates cannot wait for the cluster: resolve what this pass asked for, then render again.
    for (const [key, args] of pending) {
      const res = await options.lookup(...args);
      cache.set(key, (toGoUnstructured(res ?? {}) as Record<string, unknown>) ?? {});
    }
  }

  let notes: string | undefined;
  files = files!;
  for (const name of [...files.keys()]) {
    if (!name.endsWith('NOTES.txt')) continue;
    if (name === `${rootName}/templates/NOTES.txt`) notes = files.get(name);
    files.delete(name);
  }

  const { manifests, hooks } = sortManifests(files);
  let manifestText = '';
  if (options.includeCrds) {
    const crds: { name: string; content: string }[] = [];
    collectCrds(tree, undefined, crds);
    for (const c of crds) manifestText += `---\n# Source: ${c.name}\n${c.content}\n`;
  }
  for (const m of manifests) manifestText += `---\n# Source: ${m.name}\n${m.content}\n`;
  let text = manifestText.trim() + '\n';
  for (const h of hooks) text += `---\n# Source: ${h.path}\n${h.manifest}\n`;

  const result: RenderedChart = {
    chart,
    values,
    manifests: manifests.map((m) => {
      const out: RenderedManifest = { name: m.name, content: m.content };
      if (m.head.kind !== undefined) out.kind = m.head.kind;
      if (m.head.apiVersion !== undefined) out.apiVersion = m.head.apiVersion;
      if (m.head.metadata) {
        out.metadata = {};
        if (m.head.metadata.name !== undefined) out.metadata.name = m.head.metadata.name;
        if (m.head.metadata.namespace !== undefined) out.metadata.namespace = m.head.metadata.namespace;
      }
      return out;
    }),
    hooks,
    text,
  };
  if (notes !== undefined) result.notes = notes;
  return result;
}

/** Each chart sees its own part of the values: the top chart all of them, a subchart Values.<name> of its parent's. */
function assignValues(chart: LoadedChart, vals: Record<string, unknown>, values: Values): void {
  vals.Values = values;
  const subs = vals.Subcharts as Record<string, Record<string, unknown>>;
  for (const child of chart.dependencies) {
    const sv = values[child.metadata.name];
    assignValues(child, subs[child.metadata.name], isPlainObject(sv) ? sv : {});
  }
}
