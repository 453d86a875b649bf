// Go function signatures for Sprig functions: text/template checks every argument against the
// Go parameter type before calling (wrong count, wrong type, nil for a string). Each Sprig
// function here declares its Go parameter types once, and this wrapper reproduces those checks
// and messages, and publishes `fn.arity` for the template engine.

import { GoTime } from './gotime';
import { goTypeName, isMap, isNil } from './convert';

export type GoParam =
  | 'string'
  | 'int'
  | 'uint32'
  | 'float64'
  | 'bool'
  | 'any'
  | 'map' // map[string]interface {}
  | 'slice' // []interface {}
  | 'time' // time.Time
  | 'cert'; // sprig.certificate

/**
 * A Sprig function as the template engine sees it: `arity` for argument counts, and `params`
 * (+ `variadic`) with Go parameter type names so the engine can convert template constants the
 * way Go does (an integer constant for a float64 parameter, 3.0 for an int) and word errors
 * like Go ("expected string; found 3"). time.Time and sprig.certificate are the classes' static
 * goType names; uint32, which the engine does not convert, is given as 'any' and checked here.
 */
export type SprigFunction = ((...args: unknown[]) => unknown) & {
  arity: { min: number; max?: number };
  params: string[];
  variadic: boolean;
};

const ENGINE_PARAM: Record<GoParam, string> = {
  string: 'string',
  int: 'int',
  uint32: 'any',
  float64: 'float64',
  bool: 'bool',
  any: 'any',
  map: 'map[string]interface {}',
  slice: '[]interface {}',
  time: 'time.Time',
  cert: 'sprig.certificate',
};

const GO_TYPE: Record<GoParam, string> = {
  string: 'string',
  int: 'int',
  uint32: 'uint32',
  float64: 'float64',
  bool: 'bool',
  any: 'interface {}',
  map: 'map[string]interface {}',
  slice: '[]interface {}',
  time: 'time.Time',
  cert: 'sprig.certificate',
};

/** The certificate struct genCA & co. return; templates read .Cert and .Key. */
export class Certificate {
  /** Go's type name, read by the template engine for %T and parameter checks. */
  static readonly goType = 'sprig.certificate';

  constructor(
    readonly Cert: string,
    readonly Key: string,
  ) {}
  goString(): string {
    return `{${this.Cert} ${this.Key}}`;
  }
  goTypeName(): string {
    return 'sprig.certificate';
  }
}

function wrongType(p: GoParam, v: unknown): Error {
  return new Error(`wrong type for value; expected ${GO_TYPE[p]}; got ${goTypeName(v)}`);
}

/** Converts one argument to what the Go parameter would receive, or throws Go's message. */
export function coerceArg(p: GoParam, v: unknown): unknown {
  if (v === undefined) v = null;
  switch (p) {
    case 'any':
      return v;
    case 'string':
      if (typeof v === 'string') return v;
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      break;
    case 'int':
      if (typeof v === 'bigint') return BigInt.asIntN(64, v);
      break;
    case 'uint32':
      if (typeof v === 'bigint') return BigInt.asUintN(32, v);
      break;
    case 'float64':
      if (typeof v === 'number') return v;
      // An integer constant in the template converts to float64 in Go; we cannot tell a
      // constant from a variable here, so integers are accepted.
      if (typeof v === 'bigint') return Number(v);
      break;
    case 'map':
      if (v === null || isMap(v)) return v;
      break;
    case 'slice':
      if (v === null || Array.isArray(v)) return v;
      break;
    case 'time':
      if (v instanceof GoTime) return v;
      break;
    case 'cert':
      if (v instanceof Certificate) return v;
      // Values that went through a dict or toYaml/fromYaml round trip arrive as maps.
      if (isMap(v) && typeof v.Cert === 'string' && typeof v.Key === 'string') return new Certificate(v.Cert, v.Key);
      break;
  }
  if (isNil(v) && p !== 'map' && p !== 'slice') return invalid(p);
  throw wrongType(p, v);
}

function invalid(p: GoParam): never {
  throw new Error(`invalid value; expected ${GO_TYPE[p]}`);
}

/**
 * Declares a Sprig function with its Go parameter types; `variadic` is the element type of a
 * trailing ...param. The implementation receives converted arguments.
 */
export function goFunc(
  name: string,
  params: GoParam[],
  impl: (...args: any[]) => unknown,
  variadic?: GoParam,
): SprigFunction {
  const fn = ((...args: unknown[]) => {
    if (variadic === undefined ? args.length !== params.length : args.length < params.length) {
      const want = variadic === undefined ? `${params.length}` : `at least ${params.length}`;
      throw new Error(`wrong number of args for ${name}: want ${want} got ${args.length}`);
    }
    const conv = args.map((a, i) => coerceArg(i < params.length ? params[i] : variadic!, a));
    return impl(...conv);
  }) as SprigFunction;
  fn.arity = variadic === undefined ? { min: params.length, max: params.length } : { min: params.length };
  fn.params = [...params, ...(variadic === undefined ? [] : [variadic])].map((p) => ENGINE_PARAM[p]);
  fn.variadic = variadic !== undefined;
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

export type FuncMap = Record<string, SprigFunction>;
