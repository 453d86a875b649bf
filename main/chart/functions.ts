// The functions Helm adds to Sprig's (pkg/engine/funcs.go and engine.go): include, tpl, required,
// toYaml/fromYaml/fromYamlArray, toJson/fromJson/fromJsonArray, toToml, lookup, and Helm's removal
// of env/expandenv. include and tpl close over the template set they run in, so they are made per
// render by `helmFunctions`.

import { type FuncMap, type TemplateSet, isStackOverflow } from './template';
import { isPlainObject, marshalJson, unmarshalJson } from './goJson';
import { encodeToml } from './toml';
import { marshalYaml, parseYaml } from './yaml';

/** Helm marks `required`/`fail` messages so they can be lifted out of Go's error chain. */
export const WARN_START = 'HELM_ERR_START';
export const WARN_END = 'HELM_ERR_END';
const MAX_INCLUDE_DEPTH = 1000;

/** A synchronous lookup: templates cannot wait, so renderChart pre-resolves calls (see render.ts). */
export type SyncLookup = (apiVersion: string, kind: string, namespace: string, name: string) => Record<string, unknown>;

export function toYaml(v: unknown): string {
  try {
    return marshalYaml(v).replace(/\n$/, '');
  } catch {
    // Helm swallows marshal errors inside templates.
    return '';
  }
}

export function mustToYaml(v: unknown): string {
  return marshalYaml(v).replace(/\n$/, '');
}

function goKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function yamlErrorText(err: unknown): string {
  return `error converting YAML to JSON: ${(err as Error).message}`;
}

export function fromYaml(str: unknown): Record<string, unknown> {
  try {
    const v = parseYaml(String(str ?? ''));
    if (v === null) return {};
    if (isPlainObject(v)) return v;
    return { Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goKind(v)} into Go value of type map[string]interface {}` };
  } catch (err) {
    return { Error: yamlErrorText(err) };
  }
}

export function fromYamlArray(str: unknown): unknown[] {
  try {
    const v = parseYaml(String(str ?? ''));
    if (v === null) return [];
    if (Array.isArray(v)) return v;
    return [`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goKind(v)} into Go value of type []interface {}`];
  } catch (err) {
    return [yamlErrorText(err)];
  }
}

export function toJson(v: unknown): string {
  try {
    return marshalJson(v);
  } catch {
    return '';
  }
}

export function fromJson(str: unknown): Record<string, unknown> {
  try {
    const v = unmarshalJson(String(str ?? ''));
    if (isPlainObject(v)) return v;
    if (v === null) return {};
    return { Error: `json: cannot unmarshal ${goKind(v)} into Go value of type map[string]interface {}` };
  } catch (err) {
    return { Error: (err as Error).message };
  }
}

export function fromJsonArray(str: unknown): unknown[] {
  try {
    const v = unmarshalJson(String(str ?? ''));
    if (Array.isArray(v)) return v;
    if (v === null) return [];
    return [`json: cannot unmarshal ${goKind(v)} into Go value of type []interface {}`];
  } catch (err) {
    return [(err as Error).message];
  }
}

export function toToml(v: unknown): string {
  try {
    return encodeToml(v);
  } catch (err) {
    // Helm returns the encoder's error text as the result.
    return (err as Error).message;
  }
}

function isNilLike(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'symbol';
}

export function required(warn: string, val: unknown): unknown {
  if (isNilLike(val) || val === '') throw new Error(WARN_START + String(warn) + WARN_END);
  return val;
}

function templateNameOf(vals: unknown): string | undefined {
  if (!isPlainObject(vals)) return undefined;
  const t = vals.Template;
  if (!isPlainObject(t)) return undefined;
  return typeof t.Name === 'string' ? t.Name : undefined;
}

export interface HelmFunctionOptions {
  lookup?: SyncLookup;
  strict?: boolean;
}

/**
 * Registers include/tpl (bound to `set`), required, the YAML/JSON/TOML functions and lookup on
 * `set`. Call after the Sprig functions so Helm's versions win, as in Helm.
 */
export function installHelmFunctions(set: TemplateSet, options: HelmFunctionOptions = {}): TemplateSet {
  const depth = new Map<string, number>();
  const bind = (target: TemplateSet): FuncMap => ({
    include: (name: unknown, data: unknown) => {
      const n = String(name);
      const d = depth.get(n) ?? 0;
      if (d > MAX_INCLUDE_DEPTH) throw new Error(`unable to execute template: rendering template has a nested reference name: ${n}`);
      depth.set(n, d + 1);
      try {
        return target.execute(n, data);
      } catch (err) {
        // JavaScript's stack may end before Helm's 1000 levels: report it the way Helm reports recursion.
        const depthError = isStackOverflow(err) || (err as { code?: unknown })?.code === 'TEMPLATE_DEPTH';
        if (depthError) throw new Error(`unable to execute template: rendering template has a nested reference name: ${n}`);
        throw err;
      } finally {
        depth.set(n, d);
      }
    },
    tpl: (text: unknown, vals: unknown) => {
      const src = String(text);
      const clone = target.clone();
      clone.option(options.strict ? 'error' : 'zero');
      clone.funcs(bind(clone));
      const name = templateNameOf(vals) ?? 'tpl';
      try {
        clone.parse(name, src);
      } catch (err) {
        throw new Error(`cannot parse template ${JSON.stringify(src)}: ${(err as Error).message}`, { cause: err });
      }
      let out: string;
      try {
        out = clone.execute(name, vals);
      } catch (err) {
        throw new Error(`error during tpl function execution for ${JSON.stringify(src)}: ${(err as Error).message}`, { cause: err });
      }
      return out.replaceAll('<no value>', '');
    },
  });
  const lookup = options.lookup;
  set.funcs({
    toToml,
    toYaml,
    mustToYaml,
    fromYaml,
    fromYamlArray,
    toJson,
    mustToJson: (v: unknown) => marshalJson(v),
    fromJson,
    fromJsonArray,
    required: (warn: unknown, val: unknown) => required(String(warn), val),
    // Helm replaces Sprig's fail so its message comes out as "execution error at (…): msg".
    fail: (msg: unknown) => {
      throw new Error(WARN_START + String(msg) + WARN_END);
    },
    lookup: (apiVersion: unknown, kind: unknown, namespace: unknown, name: unknown) =>
      lookup ? lookup(String(apiVersion), String(kind), String(namespace ?? ''), String(name ?? '')) : {},
    ...bind(set),
  });
  return set;
}
