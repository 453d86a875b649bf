// Sprig's dictionary functions (dict.go), including merge/mergeOverwrite with the semantics of
// the mergo library Sprig calls (github.com/imdario/mergo deepMerge on maps), quirks included:
// lists are replaced, never merged; an empty destination value counts as unset; a non-empty
// destination scalar is never replaced by a source map, even with overwrite.

import { goFunc, type FuncMap } from './signature';
import { goTypeName, isEmpty, isMap, isNil, strval } from './convert';

type GoMap = Record<string, unknown>;

function mapOrNil(v: GoMap | null): GoMap {
  return v ?? {};
}

/** mergo's deepMerge for map[string]interface{} (mergo v0.3.x / dario.cat/mergo v1). */
export function mergoMerge(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const srcEl = src[key];
    const dstHas = Object.prototype.hasOwnProperty.call(dst, key);
    const dstEl = dst[key];
    if (isNil(srcEl)) {
      // A nil source value only lands with overwrite (mergo: srcElement.IsNil()).
      if (overwrite) dst[key] = null;
      continue;
    }
    if (isMap(srcEl)) {
      if (dstHas && isMap(dstEl)) mergoMerge(dstEl, srcEl, overwrite);
    } else if (Array.isArray(srcEl)) {
      // mergo tests the emptiness of the whole maps here, not of the elements.
      let dstSlice: unknown = !dstHas || isNil(dstEl) ? [] : dstEl;
      if (overwrite || Object.keys(dst).length === 0) dstSlice = srcEl;
      dst[key] = dstSlice;
    }
    if (dstHas && !isEmpty(dstEl) && (isMap(srcEl) || Array.isArray(srcEl))) continue;
    if (overwrite || !dstHas || isEmpty(dstEl)) dst[key] = srcEl;
  }
}

/** copystructure.Copy for the Go model: maps and slices are copied, scalars shared. */
export function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (isMap(v)) {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
    return out;
  }
  return v;
}

function interfaceConversion(v: unknown, want: string): Error {
  const got = isNil(v) ? 'nil' : goTypeName(v);
  return new Error(`interface conversion: interface {} is ${got}, not ${want}`);
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  const dict = ps[ps.length - 1];
  if (!isMap(dict)) throw interfaceConversion(dict, 'map[string]interface {}');
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw interfaceConversion(k, 'string');
    return k;
  });
  let cur: GoMap = dict;
  for (let i = 0; i < keys.length; i++) {
    if (!Object.prototype.hasOwnProperty.call(cur, keys[i])) return def;
    const step = cur[keys[i]];
    if (i === keys.length - 1) return step;
    if (!isMap(step)) throw interfaceConversion(step, 'map[string]interface {}');
    cur = step;
  }
  return def;
}

const has = (d: GoMap | null, k: string) => d !== null && Object.prototype.hasOwnProperty.call(d, k);

export function dictFunctions(): FuncMap {
  const merge = (name: string, overwrite: boolean) =>
    goFunc(
      name,
      ['map'],
      (dst: GoMap | null, ...srcs: (GoMap | null)[]) => {
        const d = mapOrNil(dst);
        for (const s of srcs) if (s) mergoMerge(d, s, overwrite);
        return d;
      },
      'map',
    );
  return {
    dict: goFunc(
      'dict',
      [],
      (...v: unknown[]) => {
        const d: GoMap = {};
        for (let i = 0; i < v.length; i += 2) d[strval(v[i])] = i + 1 < v.length ? v[i + 1] : '';
        return d;
      },
      'any',
    ),
    get: goFunc('get', ['map', 'string'], (d: GoMap | null, key: string) => (has(d, key) ? d![key] : '')),
    set: goFunc('set', ['map', 'string', 'any'], (d: GoMap | null, key: string, value: unknown) => {
      if (d === null) throw new Error('assignment to entry in nil map');
      d[key] = value;
      return d;
    }),
    unset: goFunc('unset', ['map', 'string'], (d: GoMap | null, key: string) => {
      if (d !== null) delete d[key];
      return d;
    }),
    hasKey: goFunc('hasKey', ['map', 'string'], (d: GoMap | null, key: string) => has(d, key)),
    pluck: goFunc(
      'pluck',
      ['string'],
      (key: string, ...ds: (GoMap | null)[]) => ds.filter((d) => has(d, key)).map((d) => d![key]),
      'map',
    ),
    // Go's map order is random, so Sprig's keys/values come unsorted; sorting them here makes
    // output repeatable (Helm charts that care already pipe keys through sortAlpha).
    keys: goFunc('keys', [], (...ds: (GoMap | null)[]) => ds.flatMap((d) => Object.keys(d ?? {}).sort()), 'map'),
    values: goFunc('values', ['map'], (d: GoMap | null) =>
      Object.keys(d ?? {})
        .sort()
        .map((k) => d![k]),
    ),
    pick: goFunc(
      'pick',
      ['map'],
      (d: GoMap | null, ...keys: string[]) => {
        const res: GoMap = {};
        for (const k of keys) if (has(d, k)) res[k] = d![k];
        return res;
      },
      'string',
    ),
    omit: goFunc(
      'omit',
      ['map'],
      (d: GoMap | null, ...keys: string[]) => {
        const res: GoMap = {};
        const skip = new Set(keys);
        for (const [k, v] of Object.entries(d ?? {})) if (!skip.has(k)) res[k] = v;
        return res;
      },
      'string',
    ),
    merge: merge('merge', false),
    mustMerge: merge('mustMerge', false),
    mergeOverwrite: merge('mergeOverwrite', true),
    mustMergeOverwrite: merge('mustMergeOverwrite', true),
    deepCopy: goFunc('deepCopy', ['any'], deepCopy),
    mustDeepCopy: goFunc('mustDeepCopy', ['any'], deepCopy),
    dig: goFunc('dig', [], dig, 'any'),
  };
}
