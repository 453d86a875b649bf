// The engine's stand-in for Go's reflect.Value, which decides several of Go's behaviours:
// NO_VALUE is an invalid Value (a missing key), an Iface is a value read out of a map or slice
// element (static type interface{}, so errors say "interface {}" and a nil there is a "nil
// pointer"), anything else is a concrete value. Plain JS values cross to user functions.
import { GoUint8, goTypeName, NO_VALUE } from './values';

export class Iface {
  constructor(readonly value: unknown) {}
}

/** A value as the executor passes it around: NO_VALUE, an Iface, or a concrete non-nil value. */
export type RV = unknown;

/** Marks "no final value from a previous pipeline stage" (Go's missingVal). */
export const MISSING: unique symbol = Symbol('missing');

/** Go's indirectInterface: look inside an interface; a nil interface becomes invalid. */
export function indirectInterface(v: RV): RV {
  if (v instanceof Iface) return v.value === null || v.value === undefined ? NO_VALUE : v.value;
  return v;
}

/** value.Type().String() */
export function typeOfRV(v: RV): string {
  if (v instanceof Iface) return 'interface {}';
  return goTypeName(v);
}

/** The plain JS value a Go function with an interface{} parameter receives. */
export function toPlain(v: RV): unknown {
  if (v === NO_VALUE) return null;
  if (v instanceof Iface) return v.value === undefined ? null : v.value;
  if (v instanceof GoUint8) return v.value;
  return v === undefined ? null : v;
}

/** Like toPlain, but keeps Go-only types (uint8) for the fmt functions, which print their type. */
export function toFmtArg(v: RV): unknown {
  if (v instanceof GoUint8) return v;
  return toPlain(v);
}

/** The executor's view of a value a user function returned (declared as interface{} in Go). */
export function fromPlain(v: unknown): RV {
  if (v === null || v === undefined) return new Iface(null);
  return v;
}

/** A value that came from data the caller passed in (not from a map/slice slot). */
export function fromData(v: unknown): RV {
  return v === null || v === undefined ? NO_VALUE : v;
}
