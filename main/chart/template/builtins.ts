// text/template's predefined functions (and, or, not, len, index, slice, print, printf, println,
// html, js, urlquery, call, eq, ne, lt, le, gt, ge) with Go's argument types and error texts.
// They work on the executor's reflect-like values (see reflect.ts) where Go's take reflect.Value.
import { sprint, sprintf, sprintln } from './fmt';
import { isPrint, utf8Bytes, utf8Decode } from './quote';
import { fromPlain, Iface, indirectInterface, RV, toPlain, typeOfRV } from './reflect';
import { compareGoStrings, GoComplex, GoUint8, goTypeName, isMap, isTrue, mapView, NO_VALUE, utf8Length } from './values';

/** A parameter's Go type; 'reflect' is reflect.Value (the raw executor value), 'any' is interface{}. */
export type ParamType = 'any' | 'reflect' | 'string' | 'int' | 'int64' | 'float64' | 'bool' | (string & {});

export interface FuncEntry {
  name: string;
  fn: (...args: any[]) => unknown;
  params: ParamType[];
  variadic: boolean;
  builtin: boolean;
  /** Optional upper bound for variadic user functions (not a Go concept; see index.ts). */
  maxArgs?: number;
}

/** An error a function returns; the executor reports it as `error calling NAME: message`. */
export class CallError extends Error {}

function fail(message: string): never {
  throw new CallError(message);
}

/** Go's indirect: through interfaces until a nil one (isNil) or a concrete value. */
function indirect(v: RV): [RV, boolean] {
  if (v instanceof Iface) {
    if (v.value === null || v.value === undefined) return [v, true];
    return [v.value, false];
  }
  return [v, false];
}

function isTruth(v: RV): boolean {
  return isTrue(indirectInterface(v));
}

function not(arg: RV): boolean {
  return !isTruth(arg);
}

function length(item: RV): bigint {
  const [v, isNil] = indirect(item);
  if (isNil) fail('len of nil pointer');
  if (v === NO_VALUE) fail('reflect: call of reflect.Value.Type on zero Value');
  if (typeof v === 'string') return BigInt(utf8Length(v));
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  const map = mapView(v);
  if (map) return BigInt(Object.keys(map).length);
  fail(`len of type ${goTypeName(v)}`);
}

function indexArg(index: RV, cap: number): number {
  if (index instanceof GoUint8) index = index.value;
  if (typeof index === 'bigint') {
    if (index < 0n || index > BigInt(cap)) fail(`index out of range: ${index}`);
    return Number(index);
  }
  if (index === NO_VALUE) fail('cannot index slice/array with nil');
  fail(`cannot index slice/array with type ${typeOfRV(index)}`);
}

function index(item: RV, ...indexes: RV[]): RV {
  item = indirectInterface(item);
  if (item === NO_VALUE) fail('index of untyped nil');
  for (let idx of indexes) {
    idx = indirectInterface(idx);
    const [v, isNil] = indirect(item);
    if (isNil) fail('index of nil pointer');
    if (typeof v === 'string') {
      const bytes = utf8Bytes(v);
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) fail('reflect: string index out of range');
      item = new GoUint8(BigInt(bytes[x]!));
    } else if (Array.isArray(v) || v instanceof Uint8Array) {
      const x = indexArg(idx, v.length);
      if (x === v.length) fail('reflect: slice index out of range');
      item = v instanceof Uint8Array ? BigInt(v[x]!) : new Iface(v[x]);
    } else if (mapView(v)) {
      const map = mapView(v)!;
      if (idx === NO_VALUE) fail('value is nil; should be of type string');
      if (typeof idx !== 'string') fail(`value has type ${typeOfRV(idx)}; should be string`);
      item = new Iface(Object.prototype.hasOwnProperty.call(map, idx) ? map[idx] : null);
    } else {
      fail(`can't index item of type ${typeOfRV(v)}`);
    }
  }
  return item;
}

function slice(item: RV, ...indexes: RV[]): RV {
  item = indirectInterface(item);
  if (item === NO_VALUE) fail('slice of untyped nil');
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let len: number;
  let bytes: Uint8Array | null = null;
  if (typeof item === 'string') {
    if (indexes.length === 3) fail('cannot 3-index slice a string');
    bytes = utf8Bytes(item);
    cap = len = bytes.length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    cap = len = item.length;
  } else {
    fail(`can't slice item of type ${typeOfRV(item)}`);
  }
  const idx = [0, len, 0];
  // Unlike index, Go's slice does not look inside interface{} indexes.
  for (let i = 0; i < indexes.length; i++) idx[i] = indexArg(indexes[i], cap);
  if (idx[0]! > idx[1]!) fail(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) fail(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes) return utf8Decode(bytes.subarray(idx[0], idx[1]));
  return (item as unknown[]).slice(idx[0], idx[1]);
}

// --- comparison ---

type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string';

function basicKind(v: RV): [Kind, boolean] {
  if (v instanceof GoUint8) return ['uint', true];
  if (v instanceof GoComplex) return ['complex', true];
  switch (typeof v) {
    case 'boolean': return ['bool', true];
    case 'bigint': return ['int', true];
    case 'number': return ['float', true];
    case 'string': return ['string', true];
  }
  return ['invalid', false];
}

const errBadComparisonType = 'invalid type for comparison';
const errNoComparison = 'missing argument for comparison';

function isValid(v: RV): boolean {
  return v !== NO_VALUE;
}

function isNilValue(v: RV): boolean {
  return v === NO_VALUE || v === null || v === undefined;
}

function comparable(v: RV): boolean {
  return !(Array.isArray(v) || isMap(v) || typeof v === 'function' || v instanceof Uint8Array);
}

function eq(arg1: RV, ...arg2: RV[]): boolean {
  arg1 = indirectInterface(arg1);
  if (arg2.length === 0) fail(errNoComparison);
  const [k1] = basicKind(arg1);
  for (let arg of arg2) {
    arg = indirectInterface(arg);
    const [k2] = basicKind(arg);
    let truth = false;
    if (k1 === 'int' && k2 === 'uint') {
      truth = (arg1 as bigint) >= 0n && arg1 === (arg as GoUint8).value;
    } else if (k1 === 'uint' && k2 === 'int') {
      truth = (arg as bigint) >= 0n && (arg1 as GoUint8).value === arg;
    } else if (k1 !== k2) {
      if (isValid(arg1) && isValid(arg)) fail(`incompatible types for comparison: ${typeOfRV(arg1)} and ${typeOfRV(arg)}`);
    } else if (k1 === 'uint') {
      truth = (arg1 as GoUint8).value === (arg as GoUint8).value;
    } else if (k1 === 'complex') {
      truth = (arg1 as GoComplex).re === (arg as GoComplex).re && (arg1 as GoComplex).im === (arg as GoComplex).im;
    } else if (k1 !== 'invalid') {
      truth = arg1 === arg;
    } else {
      if (isValid(arg1) && isValid(arg) && typeOfRV(arg1) !== typeOfRV(arg)) {
        fail(`non-comparable types ${sprintf('%s', [toPlain(arg1)])}: ${typeOfRV(arg1)}, ${typeOfRV(arg)}: ${sprintf('%v', [toPlain(arg)])}`);
      }
      if (isNilValue(arg1) || isNilValue(arg)) {
        truth = isNilValue(arg) === isNilValue(arg1);
      } else {
        if (!comparable(arg)) fail(`non-comparable type ${sprintf('%s', [toPlain(arg)])}: ${typeOfRV(arg)}`);
        truth = arg1 === arg;
      }
    }
    if (truth) return true;
  }
  return false;
}

function ne(arg1: RV, arg2: RV): boolean {
  return !eq(arg1, arg2);
}

function lt(arg1: RV, arg2: RV): boolean {
  arg1 = indirectInterface(arg1);
  const [k1, ok1] = basicKind(arg1);
  if (!ok1) fail(errBadComparisonType);
  arg2 = indirectInterface(arg2);
  const [k2, ok2] = basicKind(arg2);
  if (!ok2) fail(errBadComparisonType);
  if (k1 === 'int' && k2 === 'uint') return (arg1 as bigint) < 0n || (arg1 as bigint) < (arg2 as GoUint8).value;
  if (k1 === 'uint' && k2 === 'int') return (arg2 as bigint) >= 0n && (arg1 as GoUint8).value < (arg2 as bigint);
  if (k1 !== k2) fail(`incompatible types for comparison: ${typeOfRV(arg1)} and ${typeOfRV(arg2)}`);
  switch (k1) {
    case 'uint': return (arg1 as GoUint8).value < (arg2 as GoUint8).value;
    case 'bool': case 'complex': fail(errBadComparisonType);
    case 'string': return compareGoStrings(arg1 as string, arg2 as string) < 0;
    default: return (arg1 as number) < (arg2 as number);
  }
}

function le(arg1: RV, arg2: RV): boolean {
  return lt(arg1, arg2) || eq(arg1, arg2);
}

function gt(arg1: RV, arg2: RV): boolean {
  return !le(arg1, arg2);
}

function ge(arg1: RV, arg2: RV): boolean {
  return !lt(arg1, arg2);
}

// --- escaping ---

/** text/template's evalArgs: a single string is used as is, anything else is Sprint-ed. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  // printableValue turns a nil interface{} into an invalid value, which prints as "<no value>".
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

export function htmlEscapeString(s: string): string {
  if (!/[<>&'"\0]/.test(s)) return s;
  return s.replace(/[<>&'"\0]/g, (c) => {
    switch (c) {
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '&': return '&amp;';
      case "'": return '&#39;';
      case '"': return '&#34;';
      default: return '\uFFFD';
    }
  });
}

export function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c < 0x80 || isPrint(c)) out += ch;
    else out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// --- call ---

function call(name: string, fn: RV, ...args: RV[]): RV {
  fn = indirectInterface(fn);
  if (fn === NO_VALUE) fail('call of nil');
  if (typeof fn !== 'function') fail(`non-function ${name} of type ${typeOfRV(fn)}`);
  const arity = (fn as { arity?: { min: number; max?: number } }).arity;
  if (arity) {
    if (arity.max === undefined) {
      if (args.length < arity.min) fail(`wrong number of args for ${name}: got ${args.length} want at least ${arity.min}`);
    } else if (args.length < arity.min || args.length > arity.max) {
      fail(`wrong number of args for ${name}: got ${args.length} want ${arity.min}`);
    }
  }
  return fromPlain((fn as (...a: unknown[]) => unknown)(...args.map(toPlain)));
}

function entry(name: string, fn: FuncEntry['fn'], params: ParamType[], variadic: boolean): FuncEntry {
  return { name, fn, params, variadic, builtin: true };
}

const R: ParamType = 'reflect';

/** The builtin functions, as Go declares them (parameter types decide argument checking). */
export const builtinFuncs: ReadonlyMap<string, FuncEntry> = new Map([
  ['and', entry('and', () => undefined, [R, R], true)],
  ['or', entry('or', () => undefined, [R, R], true)],
  ['call', entry('call', call, [R, R], true)],
  ['html', entry('html', (...a: unknown[]) => htmlEscapeString(evalArgs(a)), ['any'], true)],
  ['index', entry('index', index, [R, R], true)],
  ['slice', entry('slice', slice, [R, R], true)],
  ['js', entry('js', (...a: unknown[]) => jsEscapeString(evalArgs(a)), ['any'], true)],
  ['len', entry('len', length, [R], false)],
  ['not', entry('not', not, [R], false)],
  ['print', entry('print', (...a: unknown[]) => sprint(a), ['any'], true)],
  ['printf', entry('printf', (f: string, ...a: unknown[]) => sprintf(f, a), ['string', 'any'], true)],
  ['println', entry('println', (...a: unknown[]) => sprintln(a), ['any'], true)],
  ['urlquery', entry('urlquery', (...a: unknown[]) => queryEscape(evalArgs(a)), ['any'], true)],
  ['eq', entry('eq', eq, [R, R], true)],
  ['ge', entry('ge', ge, [R, R], false)],
  ['gt', entry('gt', gt, [R, R], false)],
  ['le', entry('le', le, [R, R], false)],
  ['lt', entry('lt', lt, [R, R], false)],
  ['ne', entry('ne', ne, [R, R], false)],
]);

/** Go's truth for and/or. */
export { isTruth };
