// The value model shared by the template engine, Sprig and the Helm layer: how Go's dynamic
// values (interface{} holding string, bool, int, float64, map, slice, func, nil) are represented
// in JavaScript, and Go's rules for their type names and truthiness.
//
//   Go string → string        Go bool → boolean         Go nil → null (undefined is nil too)
//   Go int/int64 → bigint     Go float64 → number       (values from YAML/JSON are all float64)
//   map[string]interface{} → plain object (iterated in sorted key order)
//   []interface{} → array     func → function
import { sprint } from './fmt';

/**
 * Go's "invalid reflect.Value": what a missing map key evaluates to under missingkey=default.
 * It prints as `<no value>`; when passed to a function it becomes nil (null).
 */
export const NO_VALUE: unique symbol = Symbol('no value');
export type NoValue = typeof NO_VALUE;

/**
 * A Go uint8 (byte): what `index` returns for a string. Kept distinct from int because Go's
 * messages name the type ("incompatible types for comparison: uint8 and string"). Functions
 * registered by users receive it as a bigint.
 */
export class GoUint8 {
  constructor(readonly value: bigint) {}
}

/** A Go complex128, from constants like 1.5i or 1+2i. */
export class GoComplex {
  constructor(readonly re: number, readonly im: number) {}
}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** A Go map[string]interface{}: a plain object (prototype Object.prototype or null). */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A Go struct: an instance of a class (any other non-array object). Its own properties are the
 * struct's fields and the functions on its prototype chain are its methods, so Helm's `.Files.Get`
 * or `.Capabilities.APIVersions.Has` work; a `String()` method makes it a fmt.Stringer. A static
 * `goType` on the class names the type in messages and %T (default: the class name).
 */
export function isStruct(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (v instanceof Uint8Array || v instanceof GoUint8 || v instanceof GoComplex) return false;
  return !isMap(v);
}

/**
 * A class may also be a Go *map type with methods* (Helm's `.Files` is `map[string][]byte` with
 * Get/Glob/...): implement `[GO_MAP]()` returning the map's contents, and range, len, index,
 * key lookup (`.Files.name`), truth and printing treat it as that map; methods still come first.
 */
export const GO_MAP: unique symbol = Symbol.for('devspace.template.goMap') as never;

/** The entries of a Go map value: a plain object, or a class implementing [GO_MAP](). */
export function mapView(v: unknown): Record<string, unknown> | undefined {
  if (isMap(v)) return v;
  if (typeof v === 'object' && v !== null && typeof (v as { [GO_MAP]?: unknown })[GO_MAP] === 'function') {
    return (v as { [GO_MAP]: () => Record<string, unknown> })[GO_MAP]();
  }
  return undefined;
}

/** The method `name` of a struct, if its class (or a base class) defines one. */
export function structMethod(v: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  for (let p = Object.getPrototypeOf(v); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d && typeof d.value === 'function' && name !== 'constructor') return d.value as (...args: unknown[]) => unknown;
  }
  return undefined;
}

function structTypeName(v: object): string {
  const ctor = (v as { constructor?: { goType?: unknown; name?: string } }).constructor;
  if (ctor && typeof ctor.goType === 'string') return ctor.goType;
  return ctor?.name || 'struct {}';
}

export function isInt(v: unknown): v is bigint {
  return typeof v === 'bigint';
}

export function isFloat(v: unknown): v is number {
  return typeof v === 'number';
}

/** Go's type name of a value as %T prints it. */
export function goTypeName(v: unknown): string {
  if (v === NO_VALUE || isNil(v)) return '<nil>';
  switch (typeof v) {
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float64';
    case 'function': return 'func(...interface {}) interface {}';
    default:
      if (v instanceof GoUint8) return 'uint8';
      if (v instanceof GoComplex) return 'complex128';
      if (Array.isArray(v)) return '[]interface {}';
      if (v instanceof Uint8Array) return '[]uint8';
      if (isStruct(v)) return structTypeName(v);
      return 'map[string]interface {}';
  }
}

/** Go's template truthiness: false, 0, 0.0, nil, "" and empty maps/slices are false. */
export function isTrue(v: unknown): boolean {
  if (v === NO_VALUE || isNil(v)) return false;
  switch (typeof v) {
    case 'string': return v.length > 0;
    case 'boolean': return v;
    case 'bigint': return v !== 0n;
    case 'number': return v !== 0;
    case 'function': return true;
    default:
      if (v instanceof GoUint8) return v.value !== 0n;
      if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
      if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
      if (isStruct(v)) {
        const m = mapView(v);
        return m ? Object.keys(m).length > 0 : true; // struct values are always true
      }
      for (const k in v as object) if (Object.prototype.hasOwnProperty.call(v, k)) return true;
      return false;
  }
}

/** fmt's %v of a value, as `{{ . }}` prints it (`<no value>` for a missing key). */
export function formatValue(v: unknown): string {
  if (v === NO_VALUE) return '<no value>';
  return sprint([v === undefined ? null : v]);
}

/** Go compares strings byte-wise in UTF-8, which is code point order (not UTF-16 order). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (0xD800-0xDFFF) encode code points above 0xFFFF, which sort after 0xE000-0xFFFF.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? (y >= 0xe000 ? 1 : -1) : (x >= 0xe000 ? -1 : 1);
      return x < y ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/** The keys of a map in the order Go's range and fmt visit them (sorted). */
export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

/** Number of bytes of a string in UTF-8 (Go's len of a string). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
