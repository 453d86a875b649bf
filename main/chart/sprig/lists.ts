// Sprig's list functions (list.go). Each has a must* twin; in Sprig the plain one panics and
// text/template turns the panic into the same error, so here both throw the same message.

import { goFunc, type FuncMap, type GoParam } from './signature';
import { deepEqual, goKind, isEmpty, isNil, toInt64 } from './convert';

const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/** reflect.TypeOf(list).Kind() must be slice; Go panics on a nil interface. */
function asList(v: unknown, message: (kind: string) => string): unknown[] {
  if (isNil(v)) throw new Error(NIL_DEREF);
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => BigInt(b));
  throw new Error(message(goKind(v)));
}

function first(list: unknown): unknown {
  const l = asList(list, (k) => `Cannot find first on type ${k}`);
  return l.length === 0 ? null : l[0];
}

function last(list: unknown): unknown {
  const l = asList(list, (k) => `Cannot find last on type ${k}`);
  return l.length === 0 ? null : l[l.length - 1];
}

function rest(list: unknown): unknown {
  const l = asList(list, (k) => `Cannot find rest on type ${k}`);
  // Go returns a nil []interface{} here, which prints as [] (not <no value>).
  return l.length === 0 ? [] : l.slice(1);
}

function initial(list: unknown): unknown {
  const l = asList(list, (k) => `Cannot find initial on type ${k}`);
  return l.length === 0 ? [] : l.slice(0, -1);
}

function push(list: unknown, v: unknown): unknown[] {
  return [...asList(list, (k) => `Cannot push on type ${k}`), v];
}

function prepend(list: unknown, v: unknown): unknown[] {
  return [v, ...asList(list, (k) => `Cannot prepend on type ${k}`)];
}

function reverse(list: unknown): unknown[] {
  return [...asList(list, (k) => `Cannot find reverse on type ${k}`)].reverse();
}

export function compact(list: unknown): unknown[] {
  return asList(list, (k) => `Cannot compact on type ${k}`).filter((x) => !isEmpty(x));
}

function uniq(list: unknown): unknown[] {
  const dest: unknown[] = [];
  for (const item of asList(list, (k) => `Cannot find uniq on type ${k}`)) {
    if (!dest.some((d) => deepEqual(item, d))) dest.push(item);
  }
  return dest;
}

function without(list: unknown, ...omit: unknown[]): unknown[] {
  return asList(list, (k) => `Cannot find without on type ${k}`).filter((item) => !omit.some((o) => deepEqual(item, o)));
}

function has(needle: unknown, haystack: unknown): boolean {
  if (isNil(haystack)) return false;
  return asList(haystack, (k) => `Cannot find has on type ${k}`).some((item) => deepEqual(needle, item));
}

function slice(list: unknown, ...indices: unknown[]): unknown {
  const l = asList(list, (k) => `list should be type of slice or array but ${k}`);
  if (l.length === 0) return null;
  const start = indices.length > 0 ? Number(toInt64(indices[0])) : 0;
  const end = indices.length < 2 ? l.length : Number(toInt64(indices[1]));
  if (start < 0 || end > l.length || start > end) throw new Error('reflect.Value.Slice: slice index out of bounds');
  return l.slice(start, end);
}

function concat(...lists: unknown[]): unknown[] {
  const res: unknown[] = [];
  for (const list of lists) {
    if (isNil(list)) throw new Error(NIL_DEREF);
    if (!Array.isArray(list)) throw new Error(`Cannot concat type ${goKind(list)} as list`);
    res.push(...list);
  }
  return res;
}

function chunk(size: bigint, list: unknown): unknown[][] {
  const l = asList(list, (k) => `Cannot chunk type ${k}`);
  const n = Number(size);
  // Go computes the chunk count with float division; a size <= 0 makes it panic in make().
  if (n <= 0) throw new Error('runtime error: makeslice: len out of range');
  const out: unknown[][] = [];
  for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
  return out;
}

export function listFunctions(): FuncMap {
  const both = (name: string, params: GoParam[], impl: (...a: any[]) => unknown, variadic?: GoParam) => {
    const must = 'must' + name[0].toUpperCase() + name.slice(1);
    return { [name]: goFunc(name, params, impl, variadic), [must]: goFunc(must, params, impl, variadic) };
  };
  return {
    list: goFunc('list', [], (...v: unknown[]) => v, 'any'),
    tuple: goFunc('tuple', [], (...v: unknown[]) => v, 'any'),
    ...both('push', ['any', 'any'], push),
    ...both('append', ['any', 'any'], push),
    ...both('prepend', ['any', 'any'], prepend),
    ...both('first', ['any'], first),
    ...both('rest', ['any'], rest),
    ...both('last', ['any'], last),
    ...both('initial', ['any'], initial),
    ...both('reverse', ['any'], reverse),
    ...both('uniq', ['any'], uniq),
    ...both('without', ['any'], without, 'any'),
    ...both('has', ['any', 'any'], has),
    ...both('slice', ['any'], slice, 'any'),
    ...both('chunk', ['int', 'any'], chunk),
    ...both('compact', ['any'], compact),
    concat: goFunc('concat', [], concat, 'any'),
  };
}
