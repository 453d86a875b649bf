// Values as Helm computes them (pkg/chartutil coalesce.go and dependencies.go, pkg/cli/values):
// user values files merged in order, then --set, --set-string, --set-file; the result coalesced
// over the chart's values.yaml and its subcharts' (chart defaults < parent's values for the
// subchart < user values); `null` deletes a key; `global` copied down into every subchart;
// dependencies switched off by `condition`/`tags`; `import-values` pulled up from children.

import type { ChartDependency, LoadedChart } from './chart';
import { isPlainObject, setOwn } from './goJson';
import { parseSetInto } from './strvals';

export type Values = Record<string, unknown>;

export const GLOBAL_KEY = 'global';

const isTable = isPlainObject;

/** A deep copy of plain data (maps and lists); other values are shared. */
export function copyValues<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyValues) as T;
  if (isPlainObject(v)) {
    const out: Values = {};
    for (const k of Object.keys(v)) setOwn(out, k, copyValues(v[k]));
    return out as T;
  }
  return v;
}

/** cli/values mergeMaps: later maps win, nested maps merge. */
export function mergeMaps(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const existing = out[k];
    setOwn(out, k, isTable(v) && isTable(existing) ? mergeMaps(existing, v) : v);
  }
  return out;
}

export interface UserValueSources {
  /** Parsed values files, in the order given (later ones win). */
  files?: Values[];
  /** An object given directly (applied after files, before --set). */
  values?: Values;
  set?: string[];
  setString?: string[];
  setFile?: string[];
  readFile?: (path: string) => string;
}

/** The user-supplied values: `-f` files, then --set, --set-string, --set-file (cli/values.MergeValues). */
export function userValues(src: UserValueSources): Values {
  let base: Values = {};
  for (const f of src.files ?? []) base = mergeMaps(base, copyValues(f));
  if (src.values) base = mergeMaps(base, copyValues(src.values));
  for (const s of src.set ?? []) parseSetInto(s, base, 'set');
  for (const s of src.setString ?? []) parseSetInto(s, base, 'set-string');
  for (const s of src.setFile ?? []) parseSetInto(s, base, 'set-file', src.readFile);
  return base;
}

/**
 * CoalesceTables: merges src into dst, dst authoritative; a null in dst deletes the key. With
 * `merge` (Helm's MergeTables) nulls are kept instead, for a later coalesce to act on.
 */
export function coalesceTables(dst: Values, src: Values | undefined, merge = false): Values {
  if (src === undefined) return dst;
  for (const [key, val] of Object.entries(src)) {
    const has = Object.prototype.hasOwnProperty.call(dst, key);
    const dv = dst[key];
    if (has && dv === null) {
      if (!merge) delete dst[key];
    } else if (!has) {
      setOwn(dst, key, val);
    } else if (isTable(val)) {
      if (isTable(dv)) coalesceTables(dv, val, merge);
      // else: "cannot overwrite table with non table" — Helm warns and keeps dst.
    }
  }
  return dst;
}

/** coalesceGlobals: the parent's globals merged into the subchart's, the parent winning. */
function coalesceGlobals(dest: Values, src: Values, merge: boolean): void {
  const destGlob = dest[GLOBAL_KEY];
  const srcGlob = src[GLOBAL_KEY];
  let dg: Values;
  let sg: Values;
  if (destGlob === undefined) dg = {};
  else if (isTable(destGlob)) dg = destGlob;
  else return;
  if (srcGlob === undefined) sg = {};
  else if (isTable(srcGlob)) sg = srcGlob;
  else return;
  for (const [key, val] of Object.entries(sg)) {
    if (isTable(val)) {
      const vv = copyValues(val);
      const destv = dg[key];
      if (destv === undefined) {
        setOwn(dg, key, vv);
      } else if (isTable(destv)) {
        // Top-down merge: the parent's global wins over the subchart's own.
        coalesceTables(vv, destv, merge);
        setOwn(dg, key, vv);
      }
      continue;
    }
    if (isTable(dg[key])) continue;
    setOwn(dg, key, val);
  }
  dest[GLOBAL_KEY] = dg;
}

/** coalesceValues: the chart's own defaults under `v`, `v` winning. */
function coalesceChartValues(chart: LoadedChart, v: Values, merge: boolean): void {
  const defaults = copyValues(chart.values);
  for (const [key, val] of Object.entries(defaults)) {
    if (Object.prototype.hasOwnProperty.call(v, key)) {
      const value = v[key];
      if (value === null) {
        // null removes the key: how a values file or --set drops a chart default.
        if (!merge) delete v[key];
      } else if (isTable(value) && isTable(val)) {
        coalesceTables(value, val, merge);
      }
    } else {
      setOwn(v, key, val);
    }
  }
}

/** The name a dependency goes by in values (its alias when aliased). */
export function chartName(chart: LoadedChart): string {
  return chart.metadata.name;
}

/** What Go's fmt prints for %t of a non-bool (Helm's type-mismatch message uses %t). */
function goBadVerbT(v: unknown): string {
  if (v === null || v === undefined) return '%!t(<nil>)';
  if (typeof v === 'string') return `%!t(string=${v})`;
  if (typeof v === 'number') return `%!t(float64=${v})`;
  if (typeof v === 'bigint') return `%!t(int64=${v})`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goBadVerbT).join(' ')}]`;
  return `%!t(${typeof v})`;
}

function coalesce(chart: LoadedChart, dest: Values, merge: boolean): Values {
  coalesceChartValues(chart, dest, merge);
  for (const sub of chart.dependencies) {
    const name = chartName(sub);
    if (!Object.prototype.hasOwnProperty.call(dest, name)) dest[name] = {};
    else if (!isTable(dest[name])) throw new Error(`type mismatch on ${name}: ${goBadVerbT(dest[name])}`);
    const dv = dest[name] as Values;
    coalesceGlobals(dv, dest, merge);
    dest[name] = coalesce(sub, dv, merge);
  }
  return dest;
}

/** CoalesceValues: the final values of `chart` and all its subcharts for the given user values. */
export function coalesceValues(chart: LoadedChart, user: Values | undefined): Values {
  return coalesce(chart, copyValues(user ?? {}), false);
}

/** MergeValues: like coalesceValues, but nulls stay (Helm uses it while processing dependencies). */
export function mergeValues(chart: LoadedChart, user: Values | undefined): Values {
  return coalesce(chart, copyValues(user ?? {}), true);
}

/** Values.PathValue: the non-table value at a dotted path, or undefined. */
export function pathValue(values: Values, dotted: string): unknown {
  const parts = dotted.split('.');
  let cur: unknown = values;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isTable(cur)) return undefined;
    cur = cur[parts[i]];
  }
  if (!isTable(cur) || !Object.prototype.hasOwnProperty.call(cur, parts[parts.length - 1])) return undefined;
  const v = cur[parts[parts.length - 1]];
  return isTable(v) ? undefined : v;
}

/** Values.Table: the table at a dotted path, or undefined. */
export function tableAt(values: Values, dotted: string): Values | undefined {
  let cur: unknown = values;
  for (const p of dotted.split('.')) {
    if (p === '') continue;
    if (!isTable(cur)) return undefined;
    cur = cur[p];
  }
  return isTable(cur) ? cur : undefined;
}

// ---------------------------------------------------------------------------------------------
// Dependencies

/** A copy of the chart tree that processing may change (aliases, removed subcharts, imports). */
export function cloneChartTree(chart: LoadedChart): LoadedChart {
  return {
    ...chart,
    metadata: { ...chart.metadata, ...(chart.metadata.dependencies ? { dependencies: chart.metadata.dependencies.map((d) => ({ ...d })) } : {}) },
    values: copyValues(chart.values),
    dependencies: chart.dependencies.map(cloneChartTree),
  };
}

export interface DependencyWarning {
  chart: string;
  message: string;
}

/** Helm's IsCompatibleRange for a dependency's version constraint (lenient: unparsable ranges match). */
function versionMatches(constraint: string | undefined, version: string, satisfies: (v: string, range: string) => boolean): boolean {
  if (constraint === undefined || constraint === '') return true;
  try {
    return satisfies(version, constraint);
  } catch {
    return false;
  }
}

export interface DependencyOptions {
  satisfies: (version: string, range: string) => boolean;
  warn?: (w: DependencyWarning) => void;
}

/** Dependencies named in Chart.yaml/requirements.yaml that have no chart in charts/. */
export function missingDependencies(chart: LoadedChart): string[] {
  const missing: string[] = [];
  for (const dep of chart.metadata.dependencies ?? []) {
    if (!chart.dependencies.some((c) => c.metadata.name === dep.name)) missing.push(dep.name);
  }
  return missing;
}

function processTags(deps: ChartDependency[], cvals: Values): void {
  const tags = tableAt(cvals, 'tags');
  if (!tags) return;
  for (const r of deps) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags ?? []) {
      const b = tags[k];
      if (b === true) hasTrue = true;
      else if (b === false) hasFalse = true;
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else if (hasTrue || !hasFalse) r.enabled = true;
  }
}

function processConditions(deps: ChartDependency[], cvals: Values, prefix: string, chart: string, opts: DependencyOptions): void {
  for (const r of deps) {
    for (const c of (r.condition ?? '').trim().split(',')) {
      if (c.length === 0) continue;
      const vv = pathValue(cvals, prefix + c);
      if (vv === undefined) continue;
      if (typeof vv === 'boolean') {
        r.enabled = vv;
        break;
      }
      opts.warn?.({ chart, message: `Condition path '${c}' for chart ${r.name} returned non-bool value` });
    }
  }
}

function processEnabled(chart: LoadedChart, v: Values, prefix: string, opts: DependencyOptions): void {
  const reqs = chart.metadata.dependencies;
  if (reqs === undefined) return;
  const kept: LoadedChart[] = [];
  // Subcharts in charts/ that Chart.yaml does not list are always kept.
  outer: for (const existing of chart.dependencies) {
    for (const req of reqs) {
      if (existing.metadata.name === req.name && versionMatches(req.version, existing.metadata.version, opts.satisfies)) continue outer;
    }
    kept.push(existing);
  }
  for (const req of reqs) {
    const found = chart.dependencies.find((c) => c.metadata.name === req.name && versionMatches(req.version, c.metadata.version, opts.satisfies));
    if (found) {
      if (req.alias) kept.push({ ...found, metadata: { ...found.metadata, name: req.alias } });
      else kept.push(found);
    }
    if (req.alias) req.name = req.alias;
  }
  chart.dependencies = kept;
  for (const r of reqs) r.enabled = true;
  const cvals = coalesceValues(chart, v);
  processTags(reqs, cvals);
  processConditions(reqs, cvals, prefix, chart.metadata.name, opts);
  const off = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  chart.dependencies = chart.dependencies.filter((c) => !off.has(c.metadata.name));
  chart.metadata.dependencies = reqs.filter((r) => !off.has(r.name));
  for (const sub of chart.dependencies) processEnabled(sub, cvals, `${prefix}${sub.metadata.name}.`, opts);
}

function pathToMap(dotted: string, data: Values): Values {
  if (dotted === '.') return data;
  const parts = dotted.split('.').filter((p) => p !== '');
  let out: Values = data;
  for (let i = parts.length - 1; i >= 0; i--) out = { [parts[i]]: out };
  return out;
}

function processImportValues(chart: LoadedChart, opts: DependencyOptions): void {
  for (const sub of chart.dependencies) processImportValues(sub, opts);
  const reqs = chart.metadata.dependencies;
  if (reqs === undefined) return;
  // `helm template` processes dependencies "with merge": nulls survive until the final coalesce.
  const cvals = mergeValues(chart, undefined);
  let b: Values = {};
  for (const r of reqs) {
    for (const iv of r.importValues ?? []) {
      if (typeof iv === 'string') {
        const vm = tableAt(cvals, `${r.name}.exports.${iv}`);
        if (!vm) {
          opts.warn?.({ chart: chart.metadata.name, message: `ImportValues missing table: ${r.name}.exports.${iv}` });
          continue;
        }
        b = coalesceTables(b, copyValues(vm), true);
      } else {
        const vv = tableAt(cvals, `${r.name}.${iv.child}`);
        if (!vv) {
          opts.warn?.({ chart: chart.metadata.name, message: `ImportValues missing table from chart ${r.name}: ${iv.child}` });
          continue;
        }
        b = coalesceTables(b, pathToMap(iv.parent, copyValues(vv)), true);
      }
    }
  }
  // Imported values have a lower priority than the parent's own values.
  chart.values = coalesceTables(cvals, b, true);
}

/**
 * chartutil.ProcessDependencies on a chart tree copy: aliases applied, disabled subcharts removed,
 * import-values pulled up. Mutates `chart` (pass a cloneChartTree copy).
 */
export function processDependencies(chart: LoadedChart, user: Values, opts: DependencyOptions): void {
  processEnabled(chart, user, '', opts);
  processImportValues(chart, opts);
}
